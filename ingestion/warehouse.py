"""The warehouse's landing layer: raw tables derived from the contracts, and ingestion bookkeeping.

Raw tables keep delivered values typed by the contract (dates, numbers, booleans), code columns as
delivered (Latvian labels; staging decodes them), the personal code replaced by `person_id`, and
lineage columns: load id, file name, file SHA-256 and the row's line number in the file.
"""

from __future__ import annotations

import hashlib

import duckdb
import pandas as pd

from ingestion.contracts import Contract, all_contracts

SQL_TYPES = {
    "string": "VARCHAR",
    "code": "VARCHAR",
    "integer": "BIGINT",
    "decimal": "DECIMAL(18,4)",
    "date": "DATE",
    "boolean": "BOOLEAN",
}
LINEAGE_COLUMNS = [
    ("_load_id", "VARCHAR NOT NULL"),
    ("_file_name", "VARCHAR NOT NULL"),
    ("_file_sha256", "VARCHAR NOT NULL"),
    ("_source_row_number", "BIGINT NOT NULL"),
]
PERSON_COLUMNS = [
    ("person_id", "VARCHAR"),  # keyed pseudonym: 'P…' linkable, 'L…' source-local (code failed validation)
    ("person_id_status", "VARCHAR"),  # personal_code.STATUSES
    ("birth_year_from_code", "INTEGER"),  # old-format codes only
]

INGEST_DDL = [
    "CREATE SCHEMA IF NOT EXISTS raw",
    "CREATE SCHEMA IF NOT EXISTS ingest",
    """CREATE TABLE IF NOT EXISTS ingest.receipts (
        load_id VARCHAR NOT NULL, source VARCHAR, file_name VARCHAR NOT NULL, file_sha256 VARCHAR NOT NULL,
        file_bytes BIGINT, status VARCHAR NOT NULL, reason VARCHAR, rows_read BIGINT, rows_loaded BIGINT,
        rows_quarantined BIGINT, quarantined_by_rule JSON, invalid_personal_codes JSON,
        received_at TIMESTAMP, loaded_at TIMESTAMP NOT NULL)""",
    # fields outside the code column that held a personal code (masked at read time; ingestion/guard.py)
    "ALTER TABLE ingest.receipts ADD COLUMN IF NOT EXISTS personal_codes_masked BIGINT DEFAULT 0",
    """CREATE TABLE IF NOT EXISTS ingest.quarantine (
        load_id VARCHAR NOT NULL, source VARCHAR NOT NULL, file_name VARCHAR NOT NULL,
        file_sha256 VARCHAR NOT NULL, source_row_number BIGINT NOT NULL, rule VARCHAR NOT NULL,
        column_name VARCHAR, reason VARCHAR NOT NULL, row_values JSON)""",
    # optional fields loaded as null because their value failed a rule about it alone (issue 23)
    "ALTER TABLE ingest.receipts ADD COLUMN IF NOT EXISTS field_issues_by_rule JSON",
    """CREATE TABLE IF NOT EXISTS ingest.field_issues (
        load_id VARCHAR NOT NULL, source VARCHAR NOT NULL, file_name VARCHAR NOT NULL,
        file_sha256 VARCHAR NOT NULL, source_row_number BIGINT NOT NULL, rule VARCHAR NOT NULL,
        column_name VARCHAR NOT NULL, reason VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ingest.contract_columns (
        source VARCHAR, column_name VARCHAR, header_lv VARCHAR, column_type VARCHAR, required BOOLEAN,
        description VARCHAR, is_primary_key BOOLEAN)""",
    """CREATE TABLE IF NOT EXISTS ingest.contract_code_lists (
        source VARCHAR, column_name VARCHAR, delivered_value VARCHAR, code VARCHAR)""",
    "CREATE TABLE IF NOT EXISTS ingest.contract_fingerprint (fingerprint VARCHAR)",
]


def raw_columns(contract: Contract) -> list[tuple[str, str]]:
    """(name, SQL type) of the raw table, in order."""
    columns: list[tuple[str, str]] = []
    for column in contract.columns:
        if column.type == "personal_code":
            columns.extend(PERSON_COLUMNS)
        else:
            columns.append((column.name, SQL_TYPES[column.type]))
    return columns + LINEAGE_COLUMNS


def raw_table_ddl(contract: Contract) -> str:
    body = ",\n  ".join(f'"{name}" {sql_type}' for name, sql_type in raw_columns(contract))
    return f"CREATE TABLE IF NOT EXISTS {contract.raw_table} (\n  {body}\n)"


def ensure_schema(con: duckdb.DuckDBPyConnection, contracts: dict[str, Contract] | None = None) -> None:
    """Create the landing layer if missing; refresh the contract tables dbt decodes codes with
    whenever the contracts changed (a fingerprint avoids rewriting them for every source)."""
    contracts = contracts or all_contracts()
    for statement in INGEST_DDL:
        con.execute(statement)
    for contract in contracts.values():
        con.execute(raw_table_ddl(contract))
    columns = pd.DataFrame(
        [
            (c.source, col.name, col.header, col.type, col.required, col.description, col.name in c.primary_key)
            for c in contracts.values()
            for col in c.columns
        ],
        columns=["source", "column_name", "header_lv", "column_type", "required", "description", "is_primary_key"],
    )
    code_lists = pd.DataFrame(
        [
            (c.source, col.name, delivered, code)
            for c in contracts.values()
            for col in c.columns
            for delivered, code in col.codes.items()
        ],
        columns=["source", "column_name", "delivered_value", "code"],
    )
    fingerprint = hashlib.sha256(
        (columns.to_json(orient="values") + code_lists.to_json(orient="values")).encode()
    ).hexdigest()
    if con.execute("SELECT fingerprint FROM ingest.contract_fingerprint").fetchall() == [(fingerprint,)]:
        return
    con.execute("BEGIN")
    con.execute("DELETE FROM ingest.contract_columns")
    con.execute("DELETE FROM ingest.contract_code_lists")
    con.execute("DELETE FROM ingest.contract_fingerprint")
    con.execute("INSERT INTO ingest.contract_columns SELECT * FROM columns")
    con.execute("INSERT INTO ingest.contract_code_lists SELECT * FROM code_lists")
    con.execute("INSERT INTO ingest.contract_fingerprint VALUES (?)", [fingerprint])
    con.execute("COMMIT")
