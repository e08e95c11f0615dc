"""Suites whose query depends on what the warehouse holds (which marts, which share columns).

A suite names its builder in `meta.query_builder`; the builder returns SQL over the work file, or
None when there is nothing to compare (the suite then reports "not evaluated").
"""

from __future__ import annotations

import duckdb

from homeless_monitor.quality.suites import SuiteSpec
from ingestion.contracts import all_contracts


def _columns(con: duckdb.DuckDBPyConnection, qualified: str, catalog: str | None = None) -> list[str]:
    schema, table = qualified.split(".")
    return [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
            "AND table_catalog = coalesce(?, current_database())",
            [schema, table, catalog],
        ).fetchall()
    ]


def _is_share(name: str, data_type: str) -> bool:
    numeric = data_type in ("DOUBLE", "FLOAT", "REAL") or data_type.startswith("DECIMAL")
    shaped = name.startswith(("share", "pct")) or name.endswith(("_share", "_rate", "_pct"))
    return numeric and shaped and not name.startswith("rate_per")


def share_columns(con: duckdb.DuckDBPyConnection, spec: SuiteSpec) -> str | None:
    """min and max of every share-like column of the listed marts, one row per column."""
    parts = []
    for qualified in spec.meta.get("tables", []):
        schema, table = qualified.split(".")
        names = [
            name
            for name, dtype in con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
                "AND table_catalog = current_database()",
                [schema, table],
            ).fetchall()
            if _is_share(name, dtype)
        ]
        parts += [
            f"SELECT '{qualified}' AS table_name, '{n}' AS column_name, coalesce(min(\"{n}\"), 0) AS min_value, "
            f'coalesce(max("{n}"), 0) AS max_value FROM {qualified}'
            for n in names
        ]
    return " UNION ALL ".join(parts) or None


def _year_expression(qualified: str) -> str | None:
    """The year a row describes: its contract's first period column, or a mart's `year` column."""
    schema, table = qualified.split(".")
    contract = all_contracts().get(table) if schema == "raw" else None
    if contract is not None:
        return next(iter(contract.period_years_sql()), None)
    return "year"


#: The table the published release's rows per raw source and year are registered as (from its manifest).
PUBLISHED_VOLUME = "published_raw_volume"


def _volume_tables(spec: SuiteSpec | None = None) -> list[str]:
    return [c.raw_table for c in all_contracts().values()] + list((spec.meta if spec else {}).get("tables", []))


def _counts_sql(qualified: str) -> str:
    year = _year_expression(qualified)
    return (
        f"SELECT {year} AS year, count(*) AS n FROM {qualified} WHERE {year} IS NOT NULL GROUP BY ALL"
        if year
        else f"SELECT CAST(NULL AS INTEGER) AS year, count(*) AS n FROM {qualified}"
    )


def raw_volume(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Rows per raw source and year (the contract's first period column), as a release's manifest keeps
    them: the published tiers hold no raw tables, so the next run's volume check compares with these."""
    rows = []
    for qualified in _volume_tables():
        if _columns(con, qualified):
            rows += [
                {"source": qualified, "year": year, "rows": n}
                for year, n in con.execute(_counts_sql(qualified)).fetchall()
            ]
    return rows


def volume_change(con: duckdb.DuckDBPyConnection, spec: SuiteSpec) -> str | None:
    """Rows now against the last published release, per raw source and year.

    The release's side comes from its manifest (`raw_volume`, registered as PUBLISHED_VOLUME). A year
    in both: rows now / rows published (history should not shrink or double). A year new since the
    release: rows / rows of the year before (a new year of deliveries looks like the last one). A year
    gone: ratio 0. Years a release held only in part are not compared with it: its newest year (spells
    delivered with one year end in the next: a prison release in January), which is compared like a new
    year, with the year before; a year with under a tenth of the source's median year; rows with no year
    (a spell still running). Sources without period columns: the whole table, year null.
    """
    published_sources = {s for (s,) in con.execute(f"SELECT DISTINCT source FROM {PUBLISHED_VOLUME}").fetchall()}
    # Housing First programme deliveries are per programme, not a yearly national series: their rows per
    # year follow each programme's enrolment (the 2022-2023 pilot, then a 2024 programme), so a year is
    # no measure of the next (issue 23: the default set includes the pilot cohort)
    programmes = {c.raw_table for c in all_contracts().values() if c.kind == "programme"}
    parts = []
    for qualified in _volume_tables(spec):
        if not _columns(con, qualified) or qualified not in published_sources or qualified in programmes:
            continue
        parts.append(f"""
            WITH now AS ({_counts_sql(qualified)}),
            held AS (SELECT year, "rows" AS n FROM {PUBLISHED_VOLUME} WHERE source = '{qualified}'),
            published AS (SELECT * FROM held WHERE year IS NULL OR year < (SELECT max(year) FROM held)),
            typical AS (SELECT median(n) / 10 AS n FROM held)
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
    return (
        f"SELECT source, year, rows_now, rows_compared, compared_with, "
        f"rows_now / rows_compared AS ratio_to_published "
        f"FROM ({' UNION ALL '.join(f'({p})' for p in parts)}) WHERE rows_compared > 0 ORDER BY source, year"
    )


BUILDERS = {"share_columns": share_columns, "volume_change": volume_change}
