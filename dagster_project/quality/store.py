"""Check results kept in the warehouse itself (`quality.check_results`), so a release carries its
own quality verdicts and the gate and the CLI read one place."""
from __future__ import annotations

import json
from collections.abc import Iterable

import duckdb

from dagster_project.quality.severity import Outcome, Severity

DDL = """CREATE TABLE IF NOT EXISTS quality.check_results (
    run_id VARCHAR NOT NULL, checked_at TIMESTAMP NOT NULL, stage VARCHAR, suite VARCHAR, asset VARCHAR,
    rule VARCHAR, severity VARCHAR, status VARCHAR, expectation VARCHAR, source VARCHAR, file_name VARCHAR,
    row_ref VARCHAR, detail VARCHAR, extra JSON)"""
COLUMNS = ("stage", "suite", "asset", "rule", "severity", "status", "expectation", "source", "file_name",
           "row_ref", "detail", "extra")


def save(con: duckdb.DuckDBPyConnection, run_id: str, stage: str, outcomes: Iterable[Outcome]) -> None:
    """Replace this run's results for one stage."""
    con.execute("CREATE SCHEMA IF NOT EXISTS quality")
    con.execute(DDL)
    con.execute("DELETE FROM quality.check_results WHERE run_id = ? AND stage = ?", [run_id, stage])
    con.executemany(
        "INSERT INTO quality.check_results VALUES (?, current_localtimestamp(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(run_id, o.stage, o.suite, o.asset, o.rule, o.severity.value, o.status, o.expectation, o.source,
          o.file_name, o.rows, o.detail, json.dumps(o.extra, default=str)) for o in outcomes])


def load(con: duckdb.DuckDBPyConnection, run_id: str) -> list[Outcome]:
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'quality' "
                         "AND table_name = 'check_results'").fetchone()[0]
    if not exists:
        return []
    rows = con.execute(f"SELECT {', '.join(COLUMNS)} FROM quality.check_results WHERE run_id = ? "
                       "ORDER BY stage, asset, suite, rule, file_name", [run_id]).fetchall()
    return [Outcome(stage=r[0], suite=r[1], asset=r[2], rule=r[3], severity=Severity(r[4]), status=r[5],
                    expectation=r[6], source=r[7], file_name=r[8], rows=r[9], detail=r[10],
                    extra=json.loads(r[11] or "{}")) for r in rows]
