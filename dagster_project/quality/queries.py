"""Suites whose query depends on what the warehouse holds (which marts, which share columns).

A suite names its builder in `meta.query_builder`; the builder returns SQL over the work file, or
None when there is nothing to compare (the suite then reports "not evaluated").
"""
from __future__ import annotations

import duckdb

from dagster_project.quality.suites import SuiteSpec
from ingestion.contracts import all_contracts

def _columns(con: duckdb.DuckDBPyConnection, qualified: str, catalog: str | None = None) -> list[str]:
    schema, table = qualified.split(".")
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
        "AND table_catalog = coalesce(?, current_database())", [schema, table, catalog]).fetchall()]


def _is_share(name: str, data_type: str) -> bool:
    numeric = data_type in ("DOUBLE", "FLOAT", "REAL") or data_type.startswith("DECIMAL")
    shaped = (name.startswith(("share", "pct")) or name.endswith(("_share", "_rate", "_pct")))
    return numeric and shaped and not name.startswith("rate_per")


def share_columns(con: duckdb.DuckDBPyConnection, spec: SuiteSpec) -> str | None:
    """min and max of every share-like column of the listed marts, one row per column."""
    parts = []
    for qualified in spec.meta.get("tables", []):
        schema, table = qualified.split(".")
        names = [name for name, dtype in con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
            "AND table_catalog = current_database()", [schema, table]).fetchall() if _is_share(name, dtype)]
        parts += [f"SELECT '{qualified}' AS table_name, '{n}' AS column_name, coalesce(min(\"{n}\"), 0) AS min_value, "
                  f"coalesce(max(\"{n}\"), 0) AS max_value FROM {qualified}" for n in names]
    return " UNION ALL ".join(parts) or None


def volume_change(con: duckdb.DuckDBPyConnection, spec: SuiteSpec) -> str | None:
    """Rows now / rows in the published release, per raw source and listed mart present on both sides."""
    tables = [c.raw_table for c in all_contracts().values()] + list(spec.meta.get("tables", []))
    parts = []
    for qualified in tables:
        if not _columns(con, qualified) or not _columns(con, qualified, catalog="published"):
            continue
        parts.append(f"SELECT '{qualified}' AS source, (SELECT count(*) FROM {qualified}) AS rows_now, "
                     f"(SELECT count(*) FROM published.{qualified}) AS rows_published")
    if not parts:
        return None
    return (f"SELECT source, rows_now, rows_published, rows_now / rows_published AS ratio_to_published "
            f"FROM ({' UNION ALL '.join(parts)}) WHERE rows_published > 0 ORDER BY 1")


BUILDERS = {"share_columns": share_columns, "volume_change": volume_change}
