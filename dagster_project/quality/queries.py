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


def _year_expression(qualified: str) -> str | None:
    """The year a row describes: its contract's first period column, or a mart's `year` column."""
    schema, table = qualified.split(".")
    contract = all_contracts().get(table) if schema == "raw" else None
    if contract is not None:
        return next(iter(contract.period_years_sql()), None)
    return "year"


def volume_change(con: duckdb.DuckDBPyConnection, spec: SuiteSpec) -> str | None:
    """Rows now against the last published release, per raw source and year.

    A year in both: rows now / rows published (history should not shrink or double). A year new
    since the release: rows / rows of the year before (a new year of deliveries looks like the
    last one). A year gone: ratio 0. Years a release held only in part are not compared: a year
    with under a tenth of the source's median year (e.g. discharges in January of stays delivered
    with the year before), and rows with no year (a spell still running). Sources without period
    columns: the whole table, year null.
    """
    tables = [c.raw_table for c in all_contracts().values()] + list(spec.meta.get("tables", []))
    parts = []
    for qualified in tables:
        if not _columns(con, qualified) or not _columns(con, qualified, catalog="published"):
            continue
        year = _year_expression(qualified)
        counts = (f"(SELECT {year} AS year, count(*) AS n FROM {{table}} WHERE {year} IS NOT NULL GROUP BY ALL)"
                  if year else "(SELECT CAST(NULL AS INTEGER) AS year, count(*) AS n FROM {table})")
        now, published = counts.format(table=qualified), counts.format(table=f"published.{qualified}")
        parts.append(f"""
            WITH now AS {now}, published AS {published},
            typical AS (SELECT median(n) / 10 AS n FROM published)
            SELECT '{qualified}' AS source, coalesce(now.year, published.year) AS year,
                   coalesce(now.n, 0) AS rows_now, coalesce(published.n, previous.n) AS rows_compared,
                   CASE WHEN published.n IS NOT NULL THEN 'same year, last release' ELSE 'year before, now' END
                       AS compared_with
            FROM now
            FULL JOIN published ON published.year IS NOT DISTINCT FROM now.year
            LEFT JOIN now AS previous ON previous.year = now.year - 1
            WHERE coalesce(published.n, previous.n) >= (SELECT n FROM typical)""")
    if not parts:
        return None
    return (f"SELECT source, year, rows_now, rows_compared, compared_with, "
            f"rows_now / rows_compared AS ratio_to_published "
            f"FROM ({' UNION ALL '.join(f'({p})' for p in parts)}) WHERE rows_compared > 0 ORDER BY source, year")


BUILDERS = {"share_columns": share_columns, "volume_change": volume_change}
