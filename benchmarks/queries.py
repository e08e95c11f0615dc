"""Analyst queries: one year, one municipality, on every table of the release's analyst and
restricted tiers, cold and warm."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from pathlib import Path

TIER_FILES = ("analyst.duckdb", "restricted.duckdb")  # homeless_monitor/release/tiers.py

# --- analyst queries ------------------------------------------------------------------------------

YEAR_NAMES = ("year", "service_year", "calendar_year", "report_year", "reference_year", "stay_year")
MUNI_HINTS = ("atvk", "municipality")
TOTAL_LABELS = "('all', 'latvija', 'kopā', 'total', 'lv', 'unknown', 'nezināma')"


def analyst_queries(path: Path, year: int, tier: str = "") -> list[dict]:
    """One year, one municipality per table: SELECT * … WHERE year = ? AND municipality = ?."""
    import duckdb

    results = []
    if not path.exists():
        return results
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute("""SELECT schema_name, table_name FROM duckdb_tables() ORDER BY 1, 2""").fetchall()
        tables += con.execute("""SELECT schema_name, view_name FROM duckdb_views()
                                 WHERE NOT internal ORDER BY 1, 2""").fetchall()
    for schema, table in tables:
        with duckdb.connect(str(path), read_only=True) as con:
            cols = con.execute(f'DESCRIBE "{schema}"."{table}"').fetchall()
            names = {c[0]: c[1] for c in cols}
            where, params, described = [], [], []
            year_col = next((n for n in YEAR_NAMES if n in names), None) or next(
                (n for n in names if n.endswith("_year") and "birth" not in n and "INT" in names[n]), None
            )
            date_col = next((n for n, t in names.items() if t == "DATE"), None)
            if year_col:
                where.append(f'"{year_col}" = ?')
                params.append(year)
                described.append(f"{year_col} = {year}")
            elif date_col:
                where.append(f'"{date_col}" >= ? AND "{date_col}" < ?')
                params += [dt.date(year, 1, 1), dt.date(year + 1, 1, 1)]
                described.append(f"{date_col} in {year}")
            muni_cols = [n for n in names if any(h in n for h in MUNI_HINTS) and "VARCHAR" in names[n]]
            muni_col = next((n for n in muni_cols if "atvk" in n), muni_cols[0] if muni_cols else None)
            if muni_col:
                try:
                    top = con.execute(
                        f'SELECT "{muni_col}" FROM "{schema}"."{table}" WHERE "{muni_col}" IS NOT NULL '
                        f'AND lower("{muni_col}") NOT IN {TOTAL_LABELS} GROUP BY 1 ORDER BY count(*) DESC LIMIT 1'
                    ).fetchone()
                except duckdb.Error:
                    top = None
                if top:
                    where.append(f'"{muni_col}" = ?')
                    params.append(top[0])
                    described.append(f"{muni_col} = '{top[0]}'")
        sql = f'SELECT * FROM "{schema}"."{table}"' + (" WHERE " + " AND ".join(where) if where else "")
        timings, tuple_timings, rows = [], [], 0
        for _ in range(4):  # first = cold (fresh connection, nothing cached), then warm
            with duckdb.connect(str(path), read_only=True) as con:  # columnar, as an analyst reads many rows
                t0 = time.perf_counter()
                columns = con.execute(sql, params).fetchnumpy()
                timings.append(time.perf_counter() - t0)
                rows = len(next(iter(columns.values()))) if columns else 0
        for _ in range(2):  # the same rows as Python tuples (cold, warm): what a row-by-row client pays
            with duckdb.connect(str(path), read_only=True) as con:
                t0 = time.perf_counter()
                con.execute(sql, params).fetchall()
                tuple_timings.append(time.perf_counter() - t0)
        results.append(
            {
                "tier": tier,
                "mart": f"{schema}.{table}",
                "filter": " AND ".join(described) or "(no year/municipality column)",
                "rows": rows,
                "cold_s": timings[0],
                "warm_s": statistics.median(timings[1:]),
                "tuples_cold_s": tuple_timings[0],
                "tuples_warm_s": tuple_timings[1],
            }
        )
    return results


def tier_queries(published: Path, year: int) -> tuple[list[dict], dict[str, str]]:
    """The queries on every table of the current release's analyst and restricted tiers."""
    results, files = [], {}
    for name in TIER_FILES:
        path = published / name
        if path.exists():
            files[name.removesuffix(".duckdb")] = str(path.resolve())
            results += analyst_queries(path, year, name.removesuffix(".duckdb"))
    return results, files
