"""The analyst tier as Parquet, partitioned by year: the scale-out path.

Spark, Trino or DuckDB on object storage read `analyst_parquet/<table>/<year column>=<year>/*.parquet`
with the mart's columns and logical types (128-bit sums are written as BIGINT, which Parquet has).
Only the analyst tier's tables (no person identifiers): a pseudonym is not for open object storage.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

YEAR_COLUMNS = ("year", "reporting_year", "service_year", "exit_year", "entry_year", "cohort_year")


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'marts' AND table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()


def _select_list(columns: list[tuple[str, str]]) -> str:
    return ", ".join(
        f'CAST("{name}" AS BIGINT) AS "{name}"' if data_type == "HUGEINT" else f'"{name}"'
        for name, data_type in columns
    )


def export_marts(database: Path, out_dir: Path) -> list[dict]:
    """Write every table of schema `marts` of `database` to Parquet under `out_dir`; return what was
    written (paths relative to out_dir's parent), for the manifest."""
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(database), read_only=True) as con:
        tables = [
            t
            for (t,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY 1"
            ).fetchall()
        ]
        for table in tables:
            columns = _columns(con, table)
            names = [name for name, _ in columns]
            year = next((c for c in YEAR_COLUMNS if c in names), None)
            select = f'SELECT {_select_list(columns)} FROM marts."{table}"'
            if year:
                target = out_dir / table
                con.execute(
                    f"COPY ({select}) TO '{target}' (FORMAT PARQUET, PARTITION_BY (\"{year}\"), "
                    "WRITE_PARTITION_COLUMNS true, COMPRESSION ZSTD, OVERWRITE_OR_IGNORE)"
                )
            else:
                target = out_dir / f"{table}.parquet"
                con.execute(f"COPY ({select}) TO '{target}' (FORMAT PARQUET, COMPRESSION ZSTD)")
            rows = con.execute(f'SELECT count(*) FROM marts."{table}"').fetchone()[0]
            written.append(
                {
                    "table": f"marts.{table}",
                    "path": str(target.relative_to(out_dir.parent)),
                    "partitioned_by": year,
                    "rows": rows,
                }
            )
    return written
