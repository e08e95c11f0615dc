"""The restricted tier: pseudonymised person-level rows for authorised analysts and drill-down.

Every mart with a person identifier (fct_service_days, dim_person, Housing First person rows) and the
homelessness spells, under their dbt names in schema `marts`. Never raw, staging or ingest tables.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from homeless_monitor.release.compat import tier_file_from
from homeless_monitor.release.docs import restricted_models

PERSON_COLUMNS = ("person_id", "client_id")
#: Person-level intermediates that extracts and drill-down read (spells, Housing First participants).
RESTRICTED_EXTRA = (("intermediate", "int_person_homeless_spells"), ("intermediate", "int_hf__participants"))
#: Written sorted so DuckDB's per-row-group min/max skip most of the person-night fact on a
#: one-year, one-municipality query (docs/performance.md, issue 17).
ORDER_BY = {"fct_service_days": "service_year, municipality_atvk"}


def person_level_marts(con: duckdb.DuckDBPyConnection, catalog: str = "work") -> list[str]:
    names = ", ".join(f"'{c}'" for c in PERSON_COLUMNS)
    return [
        t
        for (t,) in con.execute(
            f"SELECT DISTINCT table_name FROM information_schema.columns WHERE table_catalog = '{catalog}' "
            f"AND table_schema = 'marts' AND column_name IN ({names}) ORDER BY 1"
        ).fetchall()
    ]


def write_restricted(work_file: Path, target: Path) -> list[str]:
    """Copy the person-level tables into a new DuckDB file; return the tables written."""
    written = []
    with tier_file_from(work_file, target) as con:  # DuckDB 1.x clients can open it (release/compat.py)
        present = {
            (s, t)
            for s, t in con.execute(
                "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'work'"
            ).fetchall()
        }
        sources = [("marts", t) for t in person_level_marts(con)]
        sources += sorted(
            (schema, t)
            for t in restricted_models()
            for schema in ("marts", "intermediate")
            if (schema, t) in present and (schema, t) not in sources
        )
        sources += [extra for extra in RESTRICTED_EXTRA if extra in present]
        for schema, table in sources:
            order = f" ORDER BY {ORDER_BY[table]}" if table in ORDER_BY else ""
            con.execute(f'CREATE TABLE marts."{table}" AS SELECT * FROM work.{schema}."{table}"{order}')
            written.append(table)
    return written
