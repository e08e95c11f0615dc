"""GE validations as Dagster asset checks on the assets they guard: two checks per asset and stage.

`ge_<stage>` holds the block-tier expectations and is a *blocking* check: when one fails it reports
severity ERROR, and Dagster then does not run what is downstream (dbt after a bad delivery; the
release after a bad mart). `ge_<stage>_error_warning` holds the error- and warning-tier ones and is
*non-blocking*: a failure reports severity WARN and the release goes ahead, flagged. So the UI's
"blocking" label is only ever on checks that can stop a release.
Every outcome is also saved in `quality.check_results` and in the run's quality report and page.
"""

from collections.abc import Iterator, Sequence

import duckdb
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckKey,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    AssetsDefinition,
    DagsterEventType,
    MetadataValue,
    multi_asset_check,
)

from dagster_project.assets.dbt import warehouse_dbt_models
from dagster_project.resources import WarehouseResource
from dagster_project.resources.release import ReleaseResource
from homeless_monitor.quality import delivery, store
from homeless_monitor.quality.page import DbtTest
from homeless_monitor.quality.report import summary_line, write_report
from homeless_monitor.quality.runner import GxProject
from homeless_monitor.quality.severity import Outcome, Severity, tally
from homeless_monitor.quality.stages import run_delivery_stage, run_sql_stage
from homeless_monitor.quality.suites import load_suites
from homeless_monitor.release.publish import current_manifest
from ingestion.contracts import all_contracts
from ingestion.receipt_html import write_html_receipts
from ingestion.receipt_text import CheckResult, write_plain_receipts

CHECK_NAMES = {"delivery": "ge_delivery", "staging": "ge_staging", "mart": "ge_mart"}
FLAG_SUFFIX = "_error_warning"  # the non-blocking check of the error and warning tiers


def dbt_tests_of_run(instance, run_id: str, ge_checks: Sequence[str] = ()) -> list[DbtTest]:
    """The dbt tests of a run, from the asset check evaluations Dagster stored for it (dbt's own
    results, streamed by dagster-dbt); the Great Expectations checks (`ge_checks`) are left out."""
    found = []
    for record in instance.get_records_for_run(
        run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION, limit=100_000
    ).records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        if evaluation.check_name.startswith(tuple(ge_checks)) or "unique_id" not in evaluation.metadata:
            continue
        failing = evaluation.metadata.get("dagster_dbt/failed_row_count")
        found.append(
            DbtTest(
                "/".join(evaluation.asset_key.path),
                evaluation.check_name,
                evaluation.passed,
                evaluation.severity.value,
                getattr(failing, "value", None),
            )
        )
    return sorted(found, key=lambda t: (t.passed, t.model, t.name))


def flag_check_name(stage: str) -> str:
    return CHECK_NAMES[stage] + FLAG_SUFFIX


def _results(stage: str, asset: AssetKey, outcomes: list[Outcome], page: str) -> Iterator[AssetCheckResult]:
    """The blocking check (block tier) and the non-blocking one (error and warning tiers) of an asset."""
    blocking = [o for o in outcomes if o.severity is Severity.BLOCK]
    yield _result(CHECK_NAMES[stage], asset, blocking, page, AssetCheckSeverity.ERROR)
    yield _result(
        flag_check_name(stage),
        asset,
        [o for o in outcomes if o.severity is not Severity.BLOCK],
        page,
        AssetCheckSeverity.WARN,
    )


def _result(
    check_name: str, asset: AssetKey, outcomes: list[Outcome], page: str, severity: AssetCheckSeverity
) -> AssetCheckResult:
    counts = tally(outcomes)
    failing = [o for o in outcomes if o.status != "passed"]
    table = "\n".join(
        f"| {o.tier()} | {o.rule} | {o.file_name or ''} | {o.rows or ''} | {o.detail} | "
        f"{'carried forward from run ' + o.carried_from if o.carried_from else 'this run'} |"
        for o in failing
    )
    return AssetCheckResult(
        asset_key=asset,
        check_name=check_name,
        passed=not any(o.failed for o in outcomes),
        severity=severity,
        description=summary_line(counts),
        metadata={
            **counts,
            "carried_forward": sum(1 for o in outcomes if o.carried_from),
            "quality_page": MetadataValue.path(page),
            "failures": MetadataValue.md(
                "| tier | rule | file | rows | detail | validated |\n|---|---|---|---|---|---|\n" + table
            )
            if failing
            else MetadataValue.md("all expectations passed"),
        },
    )


def _run_stage(
    context: AssetCheckExecutionContext, stage: str, warehouse: WarehouseResource, release: ReleaseResource
) -> Iterator[AssetCheckResult]:
    project = GxProject.shared(release.quality)
    project.run_name = f"run {context.op_execution_context.run_id} ({stage} checks)"
    selected = {key.asset_key for key in context.selected_asset_check_keys}
    run_id = context.op_execution_context.run_id
    with duckdb.connect(str(warehouse.work_file)) as con:
        if stage == "delivery":
            sources = [k.path[-1] for k in selected]
            by_asset = run_delivery_stage(con, warehouse.inbox, project, sources=sources, run_id=run_id)
        else:
            by_asset = run_sql_stage(
                con,
                "marts" if stage == "mart" else stage,
                project,
                published_manifest=current_manifest(release.published),
                run_id=run_id,
                everything=_unrecorded_build(context, con, run_id),
            )
        outcomes = [o for group in by_asset.values() for o in group]  # incl. suites on marts not built yet
        store.save(con, context.op_execution_context.run_id, stage, outcomes)
        if stage == "delivery":
            _write_provider_receipts(con, warehouse.inbox, sources, outcomes)
        by_asset = {a: o for a, o in by_asset.items() if AssetKey(a.split("/")) in selected}
        run_outcomes = store.load(con, context.op_execution_context.run_id)
    docs = project.build_docs()
    dbt_tests = dbt_tests_of_run(context.instance, run_id, tuple(CHECK_NAMES.values())) if stage != "delivery" else None
    report = write_report(release.quality, context.op_execution_context.run_id, run_outcomes, docs, dbt_tests)
    page = report.with_suffix(".html")
    for outcome in outcomes:
        if outcome.status != "passed":
            (context.log.error if outcome.blocks else context.log.warning)(outcome.line())
    carried = sum(1 for o in outcomes if o.carried_from)
    context.log.info(
        f"{stage} checks: {summary_line(tally(outcomes))} ({len(outcomes) - carried} validated in "
        f"this run, {carried} carried forward from earlier runs); quality page {page}"
    )
    chosen = set(context.selected_asset_check_keys)
    for asset in sorted(by_asset):
        for result in _results(stage, AssetKey(asset.split("/")), by_asset[asset], str(page)):
            if AssetCheckKey(result.asset_key, result.check_name) in chosen:
                yield result


def _unrecorded_build(context: AssetCheckExecutionContext, con: duckdb.DuckDBPyConnection, run_id: str) -> str | None:
    """Why every year must be validated although no recorded build says so: this run's dbt step rebuilt
    models without recording a build (a partial selection from the UI recomputes every year)."""
    selection = context.op_execution_context.run.asset_selection
    if selection is not None and not (set(selection) & _dbt_keys()):
        return None
    recorded = (
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'ingest' AND table_name = "
            "'dbt_builds' AND database_name = current_database()"
        ).fetchone()[0]
        and con.execute("SELECT count(*) FROM ingest.dbt_builds WHERE build_id = ?", [run_id]).fetchone()[0]
    )
    return None if recorded else "this run's dbt build was not a recorded full build (a partial selection)"


def _write_provider_receipts(
    con: duckdb.DuckDBPyConnection, inbox, sources: list[str], outcomes: list[Outcome]
) -> None:
    """Each delivery's plain receipt, now with the delivery checks about it (what failed on the file,
    and the source's expectations every file passed)."""
    checks: dict[str, list[CheckResult]] = {}
    for source in sources:
        passed = [
            CheckResult(o.rule, o.severity.value, o.status)
            for o in outcomes
            if o.source == source and o.status == "passed"
        ]
        for name in delivery.inbox_files(inbox, all_contracts()[source]).values():
            checks[name] = [
                CheckResult(o.rule, o.severity.value, o.status, o.rows)
                for o in outcomes
                if o.file_name == name and o.status != "passed"
            ] + passed
    write_plain_receipts(inbox, None, list(checks), checks_by_file=checks, con=con)
    write_html_receipts(inbox, None, list(checks), checks_by_file=checks, con=con)


def _dbt_keys() -> set[AssetKey]:
    return set(warehouse_dbt_models.keys)


def _sql_specs(stage_dir: str, stage: str) -> list[AssetCheckSpec]:
    """One spec per dbt asset that a suite of this stage guards (suites on models not built yet wait)."""
    targets = sorted(
        {tuple(s.meta["target_asset"]) for s in load_suites(stage_dir)} & {tuple(k.path) for k in _dbt_keys()}
    )
    return [
        spec
        for t in targets
        for spec in _specs(stage, AssetKey(list(t)), f"Great Expectations {stage} suites (expectations/{stage_dir}/)")
    ]


def _specs(stage: str, asset: AssetKey, what: str) -> list[AssetCheckSpec]:
    return [
        AssetCheckSpec(
            CHECK_NAMES[stage],
            asset=asset,
            blocking=True,
            description=f"{what}: block-tier expectations (a failure stops publication)",
        ),
        AssetCheckSpec(
            flag_check_name(stage),
            asset=asset,
            blocking=False,
            description=f"{what}: error- and warning-tier expectations (published, flagged)",
        ),
    ]


@multi_asset_check(
    name="delivery_checks",
    can_subset=True,
    specs=[
        spec
        for s in all_contracts()
        for spec in _specs(
            "delivery", AssetKey(["raw", s]), f"GX delivery suite generated from ingestion/contracts/{s}.yaml, per file"
        )
    ],
)
def delivery_checks(context: AssetCheckExecutionContext, warehouse: WarehouseResource, release: ReleaseResource):
    """Per delivered file: loaded, row count, quarantine shares, required values, code lists, dates."""
    yield from _run_stage(context, "delivery", warehouse, release)


def _sql_stage_check(stage_dir: str, stage: str) -> AssetsDefinition | None:
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
