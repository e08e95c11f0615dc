"""Copy the landing layer from the DuckDB warehouse into PostgreSQL, for `dbt build --target postgres`.

The loader keeps writing DuckDB: pseudonymisation and quarantine happen there, so the personal code
never leaves the loader. What dbt reads as sources (`dbt/models/staging/_sources.yml`: the `raw`
tables, which carry pseudonyms only, and the `ingest` bookkeeping tables) is copied table by table
into the same schema names in PostgreSQL: DuckDB writes each table as CSV, psycopg2 streams it in
with `COPY … FROM STDIN` (DuckDB's own postgres extension would need a download at run time).

Connection settings are the dbt profile's: HM_PG_HOST, HM_PG_PORT, HM_PG_USER, HM_PG_PASSWORD,
HM_PG_DATABASE.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import yaml

from ingestion.contracts import all_contracts
from ingestion.paths import DBT_PROJECT_DIR

SOURCES_FILE = DBT_PROJECT_DIR / "models" / "staging" / "_sources.yml"

# DuckDB type (information_schema.columns.data_type) -> PostgreSQL type, spelled as PostgreSQL's
# format_type() prints it (so an unchanged table is recognised). Anything else is refused, so a new raw
# type is mapped on purpose rather than guessed.
POSTGRES_TYPES = {
    "VARCHAR": "text",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "SMALLINT": "smallint",
    "HUGEINT": "numeric(38,0)",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp without time zone",
    "TIMESTAMP WITH TIME ZONE": "timestamp with time zone",
    "JSON": "jsonb",
}
DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


def postgres_type(duckdb_type: str) -> str:
    """The PostgreSQL column type for a DuckDB one; ValueError for a type with no mapping."""
    decimal = DECIMAL.fullmatch(duckdb_type)
    if decimal:
        return f"numeric({decimal.group(1)},{decimal.group(2)})"
    try:
        return POSTGRES_TYPES[duckdb_type]
    except KeyError:
        raise ValueError(f"no PostgreSQL type for DuckDB type {duckdb_type!r}") from None


def source_tables(sources_file: Path = SOURCES_FILE) -> list[tuple[str, str]]:
    """(schema, table) of every source dbt reads: what PostgreSQL needs before `dbt build`."""
    sources = yaml.safe_load(sources_file.read_text(encoding="utf-8"))["sources"]
    return [(source.get("schema", source["name"]), table["name"]) for source in sources for table in source["tables"]]


def ensure_database(settings: dict[str, Any]) -> None:
    """Create the target database if it does not exist (connecting to the `postgres` database), with
    the C collation: DuckDB orders text bytewise, and the models break ties and order text
    aggregates by text columns, so another collation could order those differently."""
    import psycopg2
    from psycopg2 import sql

    admin = psycopg2.connect(**{**settings, "dbname": "postgres"})
    try:
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["dbname"]])
            if cur.fetchone() is None:
                cur.execute("SHOW server_version_num")
                icu_capable = int(cur.fetchone()[0]) >= 150000  # may default to an ICU collation
                cur.execute(
                    sql.SQL(
                        "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' {}LC_COLLATE 'C' LC_CTYPE 'C'"
                    ).format(
                        sql.Identifier(settings["dbname"]), sql.SQL("LOCALE_PROVIDER libc " if icu_capable else "")
                    )
                )
    finally:
        admin.close()


def _duckdb_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [schema, table],
    ).fetchall()


def _postgres_columns(cur, schema: str, table: str) -> list[tuple[str, str]]:
    cur.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relname = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped "
        "ORDER BY a.attnum",
        [schema, table],
    )
    return cur.fetchall()


def copy_to_postgres(
    warehouse: Path, settings: dict[str, Any], tables: list[tuple[str, str]] | None = None
) -> list[dict[str, Any]]:
    """Copy the source tables from the DuckDB `warehouse` into PostgreSQL; return one dict per table
    (table, rows, seconds). `settings`: psycopg2's connection keywords
    (homeless_monitor/settings.py, `Settings.postgres.connect_kwargs()`). Each table is replaced in one transaction: truncated and reloaded when
    its columns are unchanged (the dbt views on it stay), else dropped (with those views, which the
    next `dbt build` recreates) and created anew."""
    import psycopg2
    from psycopg2 import sql

    tables = tables or source_tables()
    personal_code_columns = {c.personal_code_column.name for c in all_contracts().values() if c.personal_code_column}
    copied = []
    with (
        tempfile.TemporaryDirectory(prefix="hm-postgres-raw-") as scratch,
        duckdb.connect(str(warehouse), read_only=True) as con,
    ):
        pg = psycopg2.connect(**settings)
        try:
            for schema, table in tables:
                started = time.perf_counter()
                columns = _duckdb_columns(con, schema, table)
                if not columns:
                    raise ValueError(f"{schema}.{table} is not in {warehouse}")
                leaked = personal_code_columns & {name for name, _ in columns}
                if leaked:  # defence in depth: raw tables carry pseudonyms, never the code itself
                    raise ValueError(f"{schema}.{table} has a personal-code column {sorted(leaked)}: not copied")
                wanted = [(name, postgres_type(data_type)) for name, data_type in columns]
                csv_path = Path(scratch) / f"{schema}.{table}.csv"
                con.execute(f'COPY (SELECT * FROM "{schema}"."{table}") TO \'{csv_path}\' (FORMAT CSV, HEADER false)')
                target = sql.Identifier(schema, table)
                with pg, pg.cursor() as cur:  # one transaction per table
                    cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
                    existing = _postgres_columns(cur, schema, table)
                    if existing == wanted:
                        cur.execute(sql.SQL("TRUNCATE {}").format(target))
                    else:
                        cur.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(target))
                        cur.execute(
                            sql.SQL("CREATE TABLE {} ({})").format(
                                target,
                                sql.SQL(", ").join(
                                    sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(pg_type))
                                    for name, pg_type in wanted
                                ),
                            )
                        )
                    with csv_path.open("rb") as data:
                        cur.copy_expert(sql.SQL("COPY {} FROM STDIN WITH (FORMAT csv)").format(target), data)
                    cur.execute(sql.SQL("SELECT count(*) FROM {}").format(target))
                    rows = cur.fetchone()[0]
                csv_path.unlink()
                copied.append(
                    {"table": f"{schema}.{table}", "rows": rows, "seconds": round(time.perf_counter() - started, 3)}
                )
        finally:
            pg.close()
    return copied
