"""One memory bound for every DuckDB the pipeline opens: the dbt build (dbt/profiles.yml reads the
same variable) and the in-process connections that write the release tiers.

DuckDB's own default is 80 % of the machine's memory; a scale-10 build reached 20 GiB with it. Beyond
the bound DuckDB spills sorts, joins, aggregates and windows to disk (issue 17: the default run within
2 GiB of memory). Raise it with HOMELESS_MONITOR_DUCKDB_MEMORY for larger warehouses (e.g. scale 10).
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from homeless_monitor.settings import MEMORY_ENV as ENV_VAR
from homeless_monitor.settings import current

_SIZE = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)


def memory_limit() -> str:
    """The configured limit; a value DuckDB would not read is refused here, naming the variable."""
    value = current().duckdb_memory
    if not _SIZE.match(value):
        raise ValueError(f"{ENV_VAR}={value!r} is not a size such as 1GB or 1536MB")
    return value


def bound(con: duckdb.DuckDBPyConnection, spill_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Apply the memory limit to a connection (and where it spills, for in-memory connections)."""
    con.execute(f"SET memory_limit = '{memory_limit()}'")
    if spill_dir is not None:
        con.execute(f"SET temp_directory = '{str(spill_dir).replace(chr(39), chr(39) * 2)}'")
    return con
