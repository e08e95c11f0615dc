"""Which DuckDB clients can open a published file.

The pinned DuckDB 2.0 writes storage version v2.0.0 by default, which no DuckDB 1.x client opens
("created with a newer version"), and no 2.0 command-line tool is installable from the registry. DuckDB
2.0 can still write the v1.0.0 storage format when the file is attached with STORAGE_VERSION: such a
file opens in every DuckDB from 1.0 on (measured: the Python clients 1.1.3 and 1.5.6 read it, table
comments included; tests/test_duckdb_compat.py). Analysts can then use the DuckDB 1.x CLI, DBeaver's
bundled driver or any BI tool's DuckDB connector.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from homeless_monitor.duckdb_limits import bound

#: The storage version published files are written in: readable by DuckDB >= 1.0 and by 2.0.
PUBLISHED_STORAGE_VERSION = "v1.0.0"


def attach_compatible(con: duckdb.DuckDBPyConnection, path: Path, alias: str) -> None:
    """Attach (creating) a database file that DuckDB 1.x clients can open: write tables into `alias`.

    The statement: ATTACH '<path>' AS <alias> (STORAGE_VERSION 'v1.0.0')."""
    con.execute(f"attach '{path}' as {alias} (storage_version '{PUBLISHED_STORAGE_VERSION}')")


@contextmanager
def tier_file_from(work_file: Path, target: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection writing a new tier file (the default catalog, schema `marts` created) in the storage
    version above, with the work file attached read-only as `work`; checkpointed and closed on exit."""
    with tempfile.TemporaryDirectory(prefix="hm-tier-spill-") as spill, duckdb.connect() as con:
        bound(con, Path(spill))  # sorting the person-night fact spills beyond the memory limit
        attach_compatible(con, target, "tier")
        con.execute("USE tier")
        con.execute(f"ATTACH '{work_file}' AS work (READ_ONLY)")
        con.execute("CREATE SCHEMA marts")
        yield con
        con.execute("DETACH work")
        con.execute("CHECKPOINT tier")
        con.execute("USE memory")
        con.execute("DETACH tier")
