"""The analyst tier: aggregate marts and dimensions for ministry analysts, without person identifiers,
unsuppressed but flagged, with the dbt descriptions stored as table and column comments.

"Flagged": every measure the public tier protects gets a boolean `<measure>_suppressed` beside it,
true where the public tier hides the cell (null on rows the public tier does not publish).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from homeless_monitor.disclosure.tables import PublicTable
from homeless_monitor.release.compat import tier_file_from
from homeless_monitor.release.docs import describe, describe_column, restricted_models
from homeless_monitor.release.restricted import PERSON_COLUMNS
from homeless_monitor.release.tiers import SUPPRESSED_SUFFIX

FLAG_NOTE = "True where the public tier suppresses {column} (small-number protection); null where the public tier does not publish the row."


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def aggregate_marts(con: duckdb.DuckDBPyConnection, catalog: str = "work") -> list[str]:
    tables = [
        t
        for (t,) in con.execute(
            f"SELECT table_name FROM duckdb_tables() WHERE database_name = '{catalog}' AND schema_name = 'marts' "
            "ORDER BY 1"
        ).fetchall()
    ]
    names = ", ".join(f"'{c}'" for c in PERSON_COLUMNS)
    person_level = {
        t
        for (t,) in con.execute(
            f"SELECT DISTINCT table_name FROM information_schema.columns WHERE table_catalog = '{catalog}' "
            f"AND table_schema = 'marts' AND column_name IN ({names})"
        ).fetchall()
    }
    return [t for t in tables if t not in person_level and t not in restricted_models()]


def _comment(con: duckdb.DuckDBPyConnection, table: str) -> None:
    text = describe(table)
    if text:
        con.execute(f'COMMENT ON TABLE marts."{table}" IS {_quote(text)}')
    for (column,) in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() "
        "AND table_schema = 'marts' AND table_name = ?",
        [table],
    ).fetchall():
        text = describe_column(table, column)
        if column.endswith(SUPPRESSED_SUFFIX) and not text:
            text = FLAG_NOTE.format(column=column[: -len(SUPPRESSED_SUFFIX)])
        if text:
            con.execute(f'COMMENT ON COLUMN marts."{table}"."{column}" IS {_quote(text)}')


def write_analyst(
    work_file: Path, target: Path, public: dict[str, pd.DataFrame], specs: dict[str, PublicTable]
) -> list[str]:
    """Copy the aggregate marts, join the public tier's suppression flags, write the comments."""
    written = []
    with tier_file_from(work_file, target) as con:  # DuckDB 1.x clients can open it (release/compat.py)
        for table in aggregate_marts(con):
            frame = public.get(table)
            flags = [c for c in frame.columns if c.endswith(SUPPRESSED_SUFFIX)] if frame is not None else []
            if flags:
                keys = list(specs[table].keys)
                con.register("flags", frame[keys + flags])
                on = " AND ".join(f'w."{k}" IS NOT DISTINCT FROM f."{k}"' for k in keys)
                chosen = ", ".join(f'f."{c}"' for c in flags)
                con.execute(
                    f'CREATE TABLE marts."{table}" AS SELECT w.*, {chosen} '
                    f'FROM work.marts."{table}" w LEFT JOIN flags f ON {on}'
                )
                con.unregister("flags")
            else:
                con.execute(f'CREATE TABLE marts."{table}" AS SELECT * FROM work.marts."{table}"')
            _comment(con, table)
            written.append(table)
    return written
