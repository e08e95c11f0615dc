"""Check results kept in the warehouse itself (`quality.check_results`), so a release carries its
own quality verdicts and the gate and the CLI read one place.

`quality.validated_units` is the ledger that makes checks incremental: which run validated which
unit (a delivered file, a year of a suite, or a whole suite) under which suite fingerprint and dbt
build. A later run carries those verdicts forward instead of validating the unit again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import duckdb

from homeless_monitor.quality.severity import Outcome, Severity

DDL = """CREATE TABLE IF NOT EXISTS quality.check_results (
    run_id VARCHAR NOT NULL, checked_at TIMESTAMP NOT NULL, stage VARCHAR, suite VARCHAR, asset VARCHAR,
    rule VARCHAR, severity VARCHAR, status VARCHAR, expectation VARCHAR, source VARCHAR, file_name VARCHAR,
    row_ref VARCHAR, detail VARCHAR, extra JSON, carried_from VARCHAR)"""
# a warehouse whose results table predates carried-forward outcomes gains the column
MIGRATE = "ALTER TABLE quality.check_results ADD COLUMN IF NOT EXISTS carried_from VARCHAR"
LEDGER_DDL = """CREATE TABLE IF NOT EXISTS quality.validated_units (
    run_id VARCHAR NOT NULL, validated_at TIMESTAMP NOT NULL, stage VARCHAR NOT NULL, suite VARCHAR NOT NULL,
    fingerprint VARCHAR NOT NULL, unit VARCHAR NOT NULL, build_id VARCHAR)"""
COLUMNS = (
    "stage",
    "suite",
    "asset",
    "rule",
    "severity",
    "status",
    "expectation",
    "source",
    "file_name",
    "row_ref",
    "detail",
    "extra",
    "carried_from",
)


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS quality")
    con.execute(DDL)
    con.execute(MIGRATE)
    con.execute(LEDGER_DDL)


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return (
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'quality' AND table_name = ? "
            "AND database_name = current_database()",
            [table],
        ).fetchone()[0]
        > 0
    )


def save(con: duckdb.DuckDBPyConnection, run_id: str, stage: str, outcomes: Iterable[Outcome]) -> None:
    """Replace this run's results for one stage."""
    ensure(con)
    con.execute("DELETE FROM quality.check_results WHERE run_id = ? AND stage = ?", [run_id, stage])
    rows = [
        (
            run_id,
            o.stage,
            o.suite,
            o.asset,
            o.rule,
            o.severity.value,
            o.status,
            o.expectation,
            o.source,
            o.file_name,
            o.rows,
            o.detail,
            json.dumps(o.extra, default=str),
            o.carried_from,
        )
        for o in outcomes
    ]
    if rows:
        con.executemany(
            "INSERT INTO quality.check_results (run_id, checked_at, " + ", ".join(COLUMNS) + ") "
            "VALUES (?, current_localtimestamp(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def _outcomes(rows) -> list[Outcome]:
    return [
        Outcome(
            stage=r[0],
            suite=r[1],
            asset=r[2],
            rule=r[3],
            severity=Severity(r[4]),
            status=r[5],
            expectation=r[6],
            source=r[7],
            file_name=r[8],
            rows=r[9],
            detail=r[10],
            extra=json.loads(r[11] or "{}"),
            carried_from=r[12],
        )
        for r in rows
    ]


def load(con: duckdb.DuckDBPyConnection, run_id: str) -> list[Outcome]:
    if not _exists(con, "check_results"):
        return []
    columns = ", ".join(COLUMNS if _has_carried(con) else COLUMNS[:-1] + ("NULL",))
    return _outcomes(
        con.execute(
            f"SELECT {columns} FROM quality.check_results WHERE run_id = ? "
            "ORDER BY stage, asset, suite, rule, file_name",
            [run_id],
        ).fetchall()
    )


def _has_carried(con: duckdb.DuckDBPyConnection) -> bool:
    return (
        con.execute(
            "SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'quality' AND table_name = "
            "'check_results' AND column_name = 'carried_from' AND database_name = current_database()"
        ).fetchone()[0]
        > 0
    )


def fresh_outcomes(con: duckdb.DuckDBPyConnection, run_id: str, suite: str) -> list[Outcome]:
    """What a run itself validated for a suite (not what it carried forward)."""
    if not _exists(con, "check_results") or not _has_carried(con):
        return []
    return _outcomes(
        con.execute(
            f"SELECT {', '.join(COLUMNS)} FROM quality.check_results WHERE run_id = ? "
            "AND suite = ? AND carried_from IS NULL ORDER BY rule, file_name",
            [run_id, suite],
        ).fetchall()
    )


def record_units(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    stage: str,
    suite: str,
    fingerprint: str,
    units: Iterable[str],
    build_id: str | None = None,
) -> None:
    """This run validated these units of a suite (replacing what it recorded for them before)."""
    ensure(con)
    units = sorted(set(units))
    if not units:
        return
    con.execute(
        "DELETE FROM quality.validated_units WHERE run_id = ? AND suite = ? AND unit IN (SELECT unnest(?))",
        [run_id, suite, units],
    )
    con.executemany(
        "INSERT INTO quality.validated_units VALUES (?, current_localtimestamp(), ?, ?, ?, ?, ?)",
        [(run_id, stage, suite, fingerprint, unit, build_id) for unit in units],
    )


def validated_units(con: duckdb.DuckDBPyConnection, suite: str, fingerprint: str) -> dict[str, tuple[str, str | None]]:
    """Unit -> (run id, dbt build id) of its latest validation under this suite fingerprint."""
    if not _exists(con, "validated_units"):
        return {}
    rows = con.execute(
        """SELECT unit, run_id, build_id FROM quality.validated_units
        WHERE suite = ? AND fingerprint = ?
        QUALIFY row_number() OVER (PARTITION BY unit ORDER BY validated_at DESC, run_id DESC) = 1""",
        [suite, fingerprint],
    ).fetchall()
    return {unit: (run_id, build_id) for unit, run_id, build_id in rows}
