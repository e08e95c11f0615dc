"""The three stages: which DataFrame each suite validates, and what a failure points at.

- delivery: one generated suite per source, on the per-file summary (`delivery.file_summary`);
- staging and mart: hand-written suites whose `meta.query` is a SQL aggregate over the work file
  (per year, per table), never a whole person-level table. A suite whose tables do not exist yet
  (a mart still being built) reports "not evaluated" as a warning instead of failing the run.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from homeless_monitor.quality import carry, delivery, scope, store
from homeless_monitor.quality.contract_suites import delivery_suites
from homeless_monitor.quality.queries import BUILDERS, PUBLISHED_VOLUME
from homeless_monitor.quality.runner import GxProject, limit_text, outcomes_from_results
from homeless_monitor.quality.severity import NOT_EVALUATED, Outcome, Severity
from homeless_monitor.quality.suites import SuiteSpec, load_suites
from ingestion.contracts import all_contracts


def asset_name(key: list[str]) -> str:
    return "/".join(key)


def run_delivery_stage(
    con: duckdb.DuckDBPyConnection,
    inbox: Path,
    project: GxProject,
    sources: list[str] | None = None,
    run_id: str | None = None,
) -> dict[str, list[Outcome]]:
    """Validate each source's files in the inbox against its contract-generated suite.

    With a `run_id`, only files whose summary row (`delivery.row_units`) no earlier run validated
    under the same suite are validated; the others' outcomes are carried forward from the run that
    validated them."""
    results: dict[str, list[Outcome]] = {}
    for source, spec in delivery_suites().items():
        if sources is not None and source not in sources:
            continue
        contract = all_contracts()[source]
        asset = asset_name(spec.meta["target_asset"])
        files = delivery.inbox_files(inbox, contract)
        if not files:
            results[asset] = [
                Outcome(
                    stage="delivery",
                    suite=spec.name,
                    asset=asset,
                    rule="no_delivery",
                    severity=Severity.WARNING,
                    status=NOT_EVALUATED,
                    source=source,
                    detail="no file of this source in the inbox",
                )
            ]
            continue
        frame = delivery.file_summary(con, contract, files)
        units = dict(zip(frame.file_name, delivery.row_units(frame)))
        fingerprint = carry.fingerprint(spec)
        done = store.validated_units(con, spec.name, fingerprint) if run_id else {}
        owner = {name: done[unit][0] for name, unit in units.items() if unit in done}
        fresh = frame[~frame.file_name.isin(list(owner))]
        outcomes = _validate_deliveries(con, spec, asset, source, fresh, project) if len(fresh) else []
        if owner:
            outcomes += carry.carry_forward(con, spec.name, owner, lambda o: o.file_name)
        if run_id and len(fresh):
            store.record_units(con, run_id, "delivery", spec.name, fingerprint, [units[n] for n in fresh.file_name])
        results[asset] = outcomes
    return results


def _validate_deliveries(
    con: duckdb.DuckDBPyConnection, spec: SuiteSpec, asset: str, source: str, frame: pd.DataFrame, project: GxProject
) -> list[Outcome]:
    """Run a source's delivery suite on these files' summary rows; name file and rows in failures."""
    frame = frame.reset_index(drop=True)
    by_name = frame.set_index("file_name")

    def describe(outcome: Outcome, row_ids: dict) -> None:
        name = row_ids.get("file_name")
        if not name:
            return
        row = by_name.loc[name]
        outcome.file_name = name
        column = outcome.expectation.partition("(")[2].rstrip(")")
        if outcome.rule == "file_rejected":
            rule = (row["reason"] or row["status"]).split(":")[0]
            outcome.rule = f"file_rejected:{rule}"
            outcome.rows = "header (line 1)" if rule == "missing_columns" else "whole file"
            outcome.detail = f"{row['status']}: {row['reason']}"
        elif column.startswith("share_") and column != "share_quarantined":
            lines = delivery.quarantined_lines(con, row["file_sha256"], outcome.rule)
            outcome.rows = "lines " + ", ".join(map(str, lines)) if lines else None
            outcome.detail = (
                f"{row[column]:.1%} of {row['rows_read']} rows quarantined as {outcome.rule} "
                "or with an optional field set to unknown by it"
            )
        elif column == "share_quarantined":
            outcome.detail = (
                f"{row['rows_quarantined']} of {row['rows_read']} rows quarantined "
                f"({row['share_quarantined']:.1%}); see ingest.quarantine"
            )
        else:
            outcome.detail = f"{outcome.detail} (observed {column} = {outcome.extra.get('observed')})"

    outcomes = outcomes_from_results(spec, project.run(spec, frame), asset, source=source, describe=describe)
    for outcome in outcomes:
        if outcome.file_name is None:
            outcome.extra["files_validated"] = len(frame)
    return outcomes


def _existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT database_name, schema_name, table_name FROM duckdb_tables() "
        "UNION ALL SELECT database_name, schema_name, view_name FROM duckdb_views()"
    ).fetchall()
    local = con.execute("SELECT current_database()").fetchone()[0]
    return {f"{s}.{t}" if d == local else f"{d}.{s}.{t}" for d, s, t in rows}


def _not_evaluated(spec: SuiteSpec, asset: str, why: str) -> list[Outcome]:
    return [
        Outcome(
            stage=spec.stage,
            suite=spec.name,
            asset=asset,
            rule=e["meta"]["rule"],
            severity=Severity.WARNING,
            status=NOT_EVALUATED,
            expectation=e["type"],
            source=spec.meta.get("source"),
            detail=f"not evaluated: {why}",
            extra={"declared_severity": e["meta"]["severity"], "limit": limit_text(e["kwargs"])},
        )
        for e in spec.expectations
    ]


def run_sql_stage(
    con: duckdb.DuckDBPyConnection,
    stage_dir: str,
    project: GxProject,
    published_manifest: dict | None = None,
    suites: list[SuiteSpec] | None = None,
    run_id: str | None = None,
    everything: str | None = None,
) -> dict[str, list[Outcome]]:
    """Run every suite of `expectations/<stage_dir>/` on the DataFrame its `meta.query` returns.

    Suites that compare with the last release (`requires_published`) read what its manifest recorded
    (rows per raw source and year): the published tiers themselves hold no raw tables. With a
    `run_id`, the other suites validate only what the dbt builds since their last validation
    recomputed (`scope.since`): per-year suites the years from the rebuilt one on, the rest only if
    anything was rebuilt; earlier verdicts are carried forward. `everything` (a reason) validates
    every year regardless (the tables changed in a way no recorded build describes)."""
    volume = (published_manifest or {}).get("raw_volume")
    compared = volume is not None
    if compared:
        con.register(PUBLISHED_VOLUME, pd.DataFrame(volume, columns=["source", "year", "rows"]))
    try:
        tables = _existing_tables(con)
        results: dict[str, list[Outcome]] = {}
        for spec in suites if suites is not None else load_suites(stage_dir):
            asset = asset_name(spec.meta["target_asset"])
            missing = [t for t in spec.meta.get("requires", []) if t not in tables]
            if spec.meta.get("requires_published") and not compared:
                outcomes = _not_evaluated(spec, asset, "no published release (with raw volumes) to compare with yet")
            elif missing:
                outcomes = _not_evaluated(spec, asset, f"{', '.join(missing)} does not exist yet")
            else:
                incremental = run_id is not None and not spec.meta.get("requires_published")
                outcomes = (
                    _run_incremental(con, spec, asset, project, run_id, everything)
                    if incremental
                    else _run_whole(con, spec, asset, project)[0]
                )
            results.setdefault(asset, []).extend(outcomes)
        return results
    finally:
        if compared:
            con.unregister(PUBLISHED_VOLUME)


def _run_whole(
    con: duckdb.DuckDBPyConnection, spec: SuiteSpec, asset: str, project: GxProject, from_year: int | None = None
) -> tuple[list[Outcome], set[str] | None]:
    """Validate the suite's DataFrame (only its rows from `from_year` on, if given); return the outcomes
    and the units validated (years and "*"), or None when the suite could not be evaluated."""
    try:
        query = _query(con, spec)
        if query and from_year is not None:
            query = f"SELECT * FROM ({query}) AS scoped WHERE year >= {int(from_year)} OR year IS NULL"
        frame = con.execute(query).df() if query else None
    except duckdb.Error as error:
        return _not_evaluated(spec, asset, f"query failed: {str(error).splitlines()[0][:200]}"), None
    if frame is None:
        return _not_evaluated(spec, asset, "nothing to compare in this warehouse"), None
    units = {ALL} | ({_year_unit(y) for y in frame["year"]} if "year" in frame.columns else set())
    if frame.empty and from_year is not None:
        return [], units  # no row of the rebuilt years: nothing new to say about them
    return _validate_frame(spec, asset, frame, project), units


ALL = "*"  # the unit of a whole suite


def _year_unit(value) -> str:
    return "year=" + (str(int(value)) if pd.notna(value) else "none")


def _unit_of(outcome: Outcome) -> str | None:
    return outcome.extra.get("unit")


def _run_incremental(
    con: duckdb.DuckDBPyConnection,
    spec: SuiteSpec,
    asset: str,
    project: GxProject,
    run_id: str,
    everything: str | None = None,
) -> list[Outcome]:
    """Validate what changed since the suite's last validation; carry the rest forward."""
    fingerprint = carry.fingerprint(spec)
    done = store.validated_units(con, spec.name, fingerprint)
    seen = done.get(ALL)
    changes = scope.since(con, seen[1] if seen else None)
    if everything:
        changes = scope.Scope(True, None, changes.build_id, everything)
    yearly = "year" in spec.meta.get("row_id_columns", [])
    if not changes.changed:
        return carry.carry_forward(con, spec.name, {u: r for u, (r, _) in done.items()}, _unit_of)
    from_year = changes.from_year if yearly and not changes.everything else None
    outcomes, units = _run_whole(con, spec, asset, project, from_year)
    if units is None:
        return outcomes
    for outcome in outcomes:
        outcome.extra["scope"] = changes.describe()
    store.record_units(con, run_id, spec.stage, spec.name, fingerprint, units, changes.build_id)
    if from_year is not None:
        earlier = {
            u: r for u, (r, _) in done.items() if u.startswith("year=") and u != "year=none" and int(u[5:]) < from_year
        }
        outcomes += carry.carry_forward(con, spec.name, earlier, _unit_of)
    return outcomes


def _query(con: duckdb.DuckDBPyConnection, spec: SuiteSpec) -> str | None:
    builder = spec.meta.get("query_builder")
    return BUILDERS[builder](con, spec) if builder else spec.meta["query"]


def _validate_frame(spec: SuiteSpec, asset: str, frame: pd.DataFrame, project: GxProject) -> list[Outcome]:
    ids = spec.meta.get("row_id_columns", [])

    def describe(outcome: Outcome, row_ids: dict) -> None:
        named = {k: v for k, v in row_ids.items() if k in ids}
        outcome.rows = ", ".join(f"{k}={v}" for k, v in named.items()) or None
        if "year" in named:
            outcome.extra["unit"] = _year_unit(named["year"])
        outcome.detail = f"{outcome.detail} (observed {outcome.extra.get('observed')})"

    return outcomes_from_results(
        spec, project.run(spec, frame), asset, source=spec.meta.get("source"), describe=describe
    )
