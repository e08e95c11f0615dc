"""Suppression patterns kept from one publication to the next (issue 17: publication that only touches
what changed). A component of the problem whose cells, values, relations and settings are exactly those
of a component solved before gets the same pattern back, checked again by the attacker's LPs, instead of
a new MIP: adding a year re-solves that year (and the years the dbt build recomputed), not all ten.

The fingerprint covers every cell's label and value, so the kept patterns stay in the work file (schema
`disclosure`, never copied into a tier): a hash of a small component's few small counts could be
reversed by trying every value.
"""

from __future__ import annotations

import hashlib
import json

import duckdb

from homeless_monitor.disclosure.problem import Problem

#: Bump when the suppression's design changes (costs, relations): every pattern is then solved anew.
DESIGN_VERSION = "2026-12-07 issue-22 r3 required totals locked, municipal rows withheld"
TABLE = "disclosure.patterns"


def fingerprint(problem: Problem, component: list[int], fixed: set[int], k: int) -> str:
    """Everything the component's MIP sees, by label (variable numbers change between runs)."""
    scope = set(component)
    label = problem.labels
    cells = sorted(
        (label[c], problem.values[c], c in problem.headline, c in problem.required, c in fixed) for c in component
    )
    relations = sorted(
        (r.kind, label[r.total], tuple(sorted(label[p] for p in r.parts)))
        for r in problem.relations
        if r.total in scope
    )
    ties = sorted(tuple(sorted((label[a], label[b]))) for a, b in problem.ties if a in scope)
    text = json.dumps([DESIGN_VERSION, k, cells, relations, ties], default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def load_patterns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The patterns kept by the last publication from this work file (none on a new warehouse)."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'disclosure' "
        "AND table_name = 'patterns' AND database_name = current_database()"
    ).fetchone()[0]
    if not exists:
        return {}
    return {fp: json.loads(labels) for fp, labels in con.execute(f"SELECT fingerprint, labels FROM {TABLE}").fetchall()}


def store_patterns(con: duckdb.DuckDBPyConnection, patterns: dict[str, list[str]]) -> None:
    """Keep this publication's patterns (replacing the last ones: only the current problem matters)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS disclosure")
    con.execute(f"CREATE OR REPLACE TABLE {TABLE} (fingerprint VARCHAR PRIMARY KEY, labels VARCHAR NOT NULL)")
    if patterns:
        con.executemany(
            f"INSERT INTO {TABLE} VALUES (?, ?)",
            [(fp, json.dumps(sorted(labels), ensure_ascii=False)) for fp, labels in patterns.items()],
        )
