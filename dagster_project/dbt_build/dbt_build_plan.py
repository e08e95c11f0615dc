"""Which years a dbt build recomputes: worked out from the loads it has not built yet.

A yearly run adds one year of deliveries to a ten-year warehouse; rebuilding ten years for it
is most of the cost (docs/performance.md). The year-keyed marts and `fct_service_days` are
incremental on their year (dbt/macros/incremental.sql) and recompute the years from
`rebuild_from_year` on. This module chooses that year, conservatively:

- no earlier build in this warehouse, or the dbt project's files changed since it → full refresh;
- otherwise each load not yet built counts if a year-keyed model (tag yearly_incremental) depends on its
  source in the dbt lineage: its rows' earliest year in the contract's `period_columns`, or
  every year when the contract declares none;
- records still open at the last build ran to its as-of date; they now run further, so the year
  after that date is rebuilt too;
- nothing new → every year is recomputed (no var), which is what a plain `dbt build` does; but when
  the current release was published from the last build, by the same code, from the same loads,
  nothing is built or republished at all (`nothing_to_do`: a run with nothing new is nearly free).

`ingest.dbt_builds` keeps one row per successful full-selection build: its project fingerprint
and every load id built by then (so the last row alone says what is built).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingestion.contracts import Contract, all_contracts

BUILDS_DDL = """CREATE TABLE IF NOT EXISTS ingest.dbt_builds (
    build_id VARCHAR NOT NULL, built_at TIMESTAMP NOT NULL, project_fingerprint VARCHAR NOT NULL,
    full_refresh BOOLEAN NOT NULL, rebuild_from_year INTEGER, reason VARCHAR, load_ids VARCHAR[])"""
#: the code that ran the build (and, in the same run, published): `code_fingerprint()`
BUILDS_CODE_DDL = "ALTER TABLE ingest.dbt_builds ADD COLUMN IF NOT EXISTS code_fingerprint VARCHAR"
CODE_FOLDERS = ("dagster_project", "ingestion", "expectations")  # what checks, publishes and reports
PROJECT_FOLDERS = ("models", "macros", "seeds")
YEARLY_TAG = "yearly_incremental"  # the models that recompute from rebuild_from_year


@dataclass(frozen=True)
class BuildPlan:
    """What the next `dbt build` recomputes, and why (logged and shown on the asset)."""

    full_refresh: bool
    rebuild_from_year: int | None
    reason: str
    load_ids: tuple[str, ...] = field(default=())
    fingerprint: str = ""
    #: no load since the last build, the same dbt project and vars (set by plan_build)
    nothing_new: bool = False

    def dbt_args(self) -> list[str]:
        # unit tests run on static, hand-made rows: they prove the code, not the data, so they run in
        # CI (tests/test_dbt_project.py) and not again on every production build (dbt's own advice)
        args = ["build", *PRODUCTION_EXCLUDES]
        if self.full_refresh:
            args.append("--full-refresh")
        elif self.rebuild_from_year is not None:
            args += ["--vars", json.dumps({"rebuild_from_year": self.rebuild_from_year})]
        return args

    def describe(self) -> str:
        if self.full_refresh:
            return f"full refresh: {self.reason}"
        if self.rebuild_from_year is None:
            return f"every year recomputed: {self.reason}"
        return f"years from {self.rebuild_from_year} recomputed: {self.reason}"


#: What a production `dbt build` leaves out: unit tests (14 s of the scale-1 build's thread time).
PRODUCTION_EXCLUDES = ("--exclude-resource-type", "unit_test")


def project_fingerprint(project_dir: Path) -> str:
    """SHA-256 over the files that decide what the models compute (not the tests or docs)."""
    digest = hashlib.sha256()
    files = [project_dir / "dbt_project.yml"]
    for folder in PROJECT_FOLDERS:
        files += sorted(p for p in (project_dir / folder).rglob("*") if p.is_file())
    for path in files:
        digest.update(path.relative_to(project_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def code_fingerprint(root: Path | None = None) -> str:
    """SHA-256 over the code that checks, publishes and reports (the dbt project has its own
    fingerprint): with other code a release may come out differently, so it is built again. File
    contents, not a git commit: a deployment or a benchmark snapshot has no git history."""
    from ingestion.paths import PROJECT_ROOT

    root = root or PROJECT_ROOT
    digest = hashlib.sha256()
    for folder in CODE_FOLDERS:
        for path in sorted(p for p in (root / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def sources_feeding_incremental_models(manifest: dict) -> set[str]:
    """Raw tables with a year-keyed model (tag yearly_incremental) downstream of them in the dbt lineage."""
    children: dict[str, list[str]] = manifest["child_map"]
    incremental = {uid for uid, node in manifest["nodes"].items() if YEARLY_TAG in node.get("tags", [])}
    feeding = set()
    for uid, source in manifest["sources"].items():
        if source["source_name"] != "raw":
            continue
        seen, stack = set(), list(children.get(uid, []))
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            stack += children.get(node, [])
        if seen & incremental:
            feeding.add(source["name"])
    return feeding


def _earliest_year(con: duckdb.DuckDBPyConnection, contract: Contract, load_ids: list[str]) -> int | None:
    earliest = ", ".join(f"min({year})" for year in contract.period_years_sql())
    row = con.execute(
        f"SELECT least({earliest}) FROM {contract.raw_table} WHERE _load_id IN (SELECT unnest(?))", [load_ids]
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def _open_records_run_to(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The as-of date the last build ran open records to (None: no open records, or no build)."""
    try:
        return con.execute("SELECT max(end_date) FROM intermediate.int_person_episodes WHERE is_open").fetchone()[0]
    except duckdb.CatalogException:
        return None


def plan_build(
    con: duckdb.DuckDBPyConnection, manifest: dict, fingerprint: str, contracts: dict[str, Contract] | None = None
) -> BuildPlan:
    """Decide the next build from the warehouse's receipts, its last build and the dbt lineage."""
    contracts = contracts or all_contracts()
    con.execute(BUILDS_DDL)
    loaded = [
        r[0]
        for r in con.execute("SELECT load_id FROM ingest.receipts WHERE status = 'loaded' ORDER BY load_id").fetchall()
    ]
    last = con.execute(
        "SELECT project_fingerprint, load_ids FROM ingest.dbt_builds ORDER BY built_at DESC LIMIT 1"
    ).fetchone()
    if last is None:
        return BuildPlan(True, None, "first build of this warehouse", tuple(loaded), fingerprint)
    if last[0] != fingerprint:
        return BuildPlan(True, None, "the dbt project changed since the last build", tuple(loaded), fingerprint)
    built = set(last[1])  # every build records all the loads built so far
    new = [load_id for load_id in loaded if load_id not in built]
    if not new:
        return BuildPlan(
            False, None, "no new deliveries since the last build", tuple(loaded), fingerprint, nothing_new=True
        )

    feeding = sources_feeding_incremental_models(manifest)
    by_source: dict[str, list[str]] = {}
    for load_id, source in con.execute(
        "SELECT load_id, source FROM ingest.receipts WHERE load_id IN (SELECT unnest(?))", [new]
    ).fetchall():
        by_source.setdefault(source, []).append(load_id)
    years: dict[str, int] = {}
    for source, load_ids in sorted(by_source.items()):
        if source not in feeding:
            continue  # e.g. the provider register: no year-keyed model reads it
        contract = contracts[source]
        if not contract.period_columns:
            return BuildPlan(
                False, None, f"new {source} delivery, a source without period columns", tuple(loaded), fingerprint
            )
        earliest = _earliest_year(con, contract, load_ids)
        if earliest is not None:
            years[source] = earliest
    ran_to = _open_records_run_to(con)
    if ran_to is not None:
        years["records open at the last build"] = (ran_to + dt.timedelta(days=1)).year
    if not years:
        return BuildPlan(False, None, "new deliveries feed no year-keyed model", tuple(loaded), fingerprint)
    from_year = min(years.values())
    why = ", ".join(f"{source} from {year}" for source, year in sorted(years.items(), key=lambda kv: kv[1]))
    return BuildPlan(False, from_year, f"{len(new)} new loads ({why})", tuple(loaded), fingerprint)


def nothing_to_do(con: duckdb.DuckDBPyConnection, plan: BuildPlan, published: dict | None, code: str) -> str | None:
    """Why neither a build nor a release is needed (None: one is), for a plan with nothing new.

    The current release must be the one the last recorded build published (same run), list exactly the
    loads built, and the code (`code_fingerprint`) must be the code that ran that build and release.
    """
    if not plan.nothing_new or published is None:
        return None
    con.execute(BUILDS_CODE_DDL)
    last = con.execute(
        "SELECT build_id, load_ids, code_fingerprint FROM ingest.dbt_builds ORDER BY built_at DESC LIMIT 1"
    ).fetchone()
    if last is None or published.get("dagster_run_id") != last[0] or last[2] != code:
        return None
    published_loads = {f.get("load_id") for f in published.get("input_files", [])}
    if published_loads != set(plan.load_ids) or set(last[1]) != set(plan.load_ids):
        return None
    return (
        f"nothing new since release {published.get('release_id')} (run {last[0]}): no new deliveries, "
        f"the same dbt project and code; that release stays current"
    )


def record_build(con: duckdb.DuckDBPyConnection, plan: BuildPlan, build_id: str, code: str | None = None) -> None:
    """After a successful build of every model: these loads are built, with this project and code."""
    con.execute(BUILDS_DDL)
    con.execute(BUILDS_CODE_DDL)
    con.execute(
        "INSERT INTO ingest.dbt_builds (build_id, built_at, project_fingerprint, full_refresh, "
        "rebuild_from_year, reason, load_ids, code_fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            build_id,
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            plan.fingerprint,
            plan.full_refresh,
            plan.rebuild_from_year,
            plan.reason,
            list(plan.load_ids),
            code,
        ],
    )
