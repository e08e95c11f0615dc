"""GE validations as Dagster asset checks on the assets they guard, one check per asset and stage.

Each check is *blocking*: when a block-tier expectation fails it reports severity ERROR, and
Dagster then does not run what is downstream (dbt after a bad delivery; the release after a bad
mart). Error- and warning-tier failures report severity WARN: the release goes ahead, flagged.
Every outcome is also saved in `quality.check_results` and in the run's quality report.
"""

from collections.abc import Iterator
from typing import Optional

import duckdb
from dagster import (AssetCheckExecutionContext, AssetCheckKey, AssetCheckResult, AssetCheckSeverity,
                     AssetCheckSpec, AssetKey, AssetsDefinition, MetadataValue, multi_asset_check)

from dagster_project.assets.dbt import warehouse_dbt_models
from dagster_project.quality import store
from dagster_project.quality.report import summary_line, write_report
from dagster_project.quality.runner import GxProject
from dagster_project.quality.severity import Outcome, tally
from dagster_project.quality.stages import run_delivery_stage, run_sql_stage
from dagster_project.quality.suites import load_suites
from dagster_project.release.resource import ReleaseResource
from dagster_project.resources import WarehouseResource
from ingestion.contracts import all_contracts

CHECK_NAMES = {"delivery": "ge_delivery", "staging": "ge_staging", "mart": "ge_mart"}


def _result(check_name: str, asset: AssetKey, outcomes: list[Outcome], docs: str) -> AssetCheckResult:
    counts = tally(outcomes)
    failing = [o for o in outcomes if o.status != "passed"]
    table = "\n".join(f"| {o.tier()} | {o.rule} | {o.file_name or ''} | {o.rows or ''} | {o.detail} |" for o in failing)
    return AssetCheckResult(
        asset_key=asset, check_name=check_name,
        passed=not any(o.failed for o in outcomes),
        severity=AssetCheckSeverity.ERROR if any(o.blocks for o in outcomes) else AssetCheckSeverity.WARN,
        description=summary_line(counts),
        metadata={**counts, "data_docs": MetadataValue.path(docs),
                  "failures": MetadataValue.md("| tier | rule | file | rows | detail |\n|---|---|---|---|---|\n" + table)
                  if failing else MetadataValue.md("all expectations passed")},
    )


def _run_stage(context: AssetCheckExecutionContext, stage: str, warehouse: WarehouseResource,
               release: ReleaseResource) -> Iterator[AssetCheckResult]:
    project = GxProject(release.quality)
    selected = {key.asset_key for key in context.selected_asset_check_keys}
    with duckdb.connect(str(warehouse.work_file)) as con:
        if stage == "delivery":
            sources = [k.path[-1] for k in selected]
            by_asset = run_delivery_stage(con, warehouse.inbox, project, sources=sources)
        else:
            published = release.published / "analyst.duckdb"  # aggregate marts of the last release
            by_asset = run_sql_stage(con, "marts" if stage == "mart" else stage, project, published=published)
        outcomes = [o for group in by_asset.values() for o in group]  # incl. suites on marts not built yet
        store.save(con, context.op_execution_context.run_id, stage, outcomes)
        by_asset = {a: o for a, o in by_asset.items() if AssetKey(a.split("/")) in selected}
        run_outcomes = store.load(con, context.op_execution_context.run_id)
    docs = project.build_docs()
    write_report(release.quality, context.op_execution_context.run_id, run_outcomes, docs)
    for outcome in outcomes:
        if outcome.status != "passed":
            (context.log.error if outcome.blocks else context.log.warning)(outcome.line())
    context.log.info(f"{stage} checks: {summary_line(tally(outcomes))}; Data Docs {docs}")
    for asset in sorted(by_asset):
        yield _result(CHECK_NAMES[stage], AssetKey(asset.split("/")), by_asset[asset], str(docs))


def _dbt_keys() -> set[AssetKey]:
    return set(warehouse_dbt_models.keys)


def _sql_specs(stage_dir: str, stage: str) -> list[AssetCheckSpec]:
    """One spec per dbt asset that a suite of this stage guards (suites on models not built yet wait)."""
    targets = sorted({tuple(s.meta["target_asset"]) for s in load_suites(stage_dir)} & {tuple(k.path) for k in _dbt_keys()})
    return [AssetCheckSpec(CHECK_NAMES[stage], asset=AssetKey(list(t)), blocking=True,
                           description=f"Great Expectations {stage} suites (expectations/{stage_dir}/)")
            for t in targets]


@multi_asset_check(
    name="delivery_checks", can_subset=True,
    specs=[AssetCheckSpec(CHECK_NAMES["delivery"], asset=AssetKey(["raw", s]), blocking=True,
                          description=f"GX delivery suite generated from ingestion/contracts/{s}.yaml, per file")
           for s in all_contracts()],
)
def delivery_checks(context: AssetCheckExecutionContext, warehouse: WarehouseResource, release: ReleaseResource):
    """Per delivered file: loaded, row count, quarantine shares, required values, code lists, dates."""
    yield from _run_stage(context, "delivery", warehouse, release)


def _sql_stage_check(stage_dir: str, stage: str) -> Optional[AssetsDefinition]:
    specs = _sql_specs(stage_dir, stage)
    if not specs:
        return None

    @multi_asset_check(name=f"{stage}_checks", specs=specs, can_subset=True)
    def _check(context: AssetCheckExecutionContext, warehouse: WarehouseResource, release: ReleaseResource):
        yield from _run_stage(context, stage, warehouse, release)

    return _check


staging_checks = _sql_stage_check("staging", "staging")
mart_checks = _sql_stage_check("marts", "mart")

quality_checks = [c for c in (delivery_checks, staging_checks, mart_checks) if c is not None]
#: Every asset check key the GE checks declare (the release waits on all of them).
quality_check_keys: list[AssetCheckKey] = [k for c in quality_checks for k in c.check_keys]
