"""The publication gate as assets: the three tiers of the current release, and the yearly release
it is tagged as.

`release_tiers` depends on every raw and dbt asset, so it runs after all their checks (the GE checks
are blocking: a block-tier failure means this asset does not run at all). It re-reads the run's
check results anyway and refuses to publish if anything blocks: two locks on one door. A third lock:
the disclosure audit of the public tier (homeless_monitor/disclosure) blocks publication and names
the table and cell when a suppressed count could be worked out.
"""

import datetime as dt
import json
import os

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
    multi_asset,
)

from dagster_project.assets.dbt import warehouse_dbt_models
from dagster_project.assets.ingestion import raw_assets
from dagster_project.partitions import reporting_years
from dagster_project.resources import WarehouseResource
from dagster_project.resources.release import ReleaseResource
from dagster_project.run.run_failure import BLOCKED_GATE
from homeless_monitor.disclosure.definitions import mart
from homeless_monitor.quality import store
from homeless_monitor.quality.report import summary_line
from homeless_monitor.quality.severity import tally
from homeless_monitor.release.manifest import build_manifest, new_release_id
from homeless_monitor.release.publish import READ_ONLY, DisclosureAuditFailed, current_manifest, publish
from homeless_monitor.release.tiers import analyst_file

PUBLIC_TIER = AssetKey(["release", "public_tier"])
ANALYST_TIER = AssetKey(["release", "analyst_tier"])
RESTRICTED_TIER = AssetKey(["release", "restricted_tier"])
YEARLY_RELEASE = AssetKey(["release", "yearly_release"])

_upstream = sorted({k for a in raw_assets for k in a.keys} | set(warehouse_dbt_models.keys), key=str)


@multi_asset(
    specs=[
        AssetSpec(
            PUBLIC_TIER,
            deps=_upstream,
            group_name="release",
            kinds={"parquet", "csv"},
            description="Open data and the yearly report's tables: published/public/ (Parquet, CSV, a "
            "data dictionary each), disclosure-controlled (primary and secondary suppression, "
            "attacker audit).",
        ),
        AssetSpec(
            ANALYST_TIER,
            deps=_upstream,
            group_name="release",
            kinds={"duckdb", "parquet"},
            description="Ministry analysts: published/analyst.duckdb (aggregate marts and dimensions, no "
            "person identifiers, unsuppressed but flagged, documented) and analyst_parquet/.",
        ),
        AssetSpec(
            RESTRICTED_TIER,
            deps=_upstream,
            group_name="release",
            kinds={"duckdb"},
            description="Authorised analysts and drill-down: published/restricted.duckdb (pseudonymised "
            "person-level facts; never raw, staging or ingest tables).",
        ),
    ],
    name="release_tiers",
)
def release_tiers(context: AssetExecutionContext, warehouse: WarehouseResource, release: ReleaseResource):
    """Publish all three tiers of a release at once (one manifest), only when nothing blocks."""
    with duckdb.connect(str(warehouse.work_file), read_only=True) as con:
        outcomes = store.load(con, context.run_id)
    blockers = [o for o in outcomes if o.blocks]
    counts = tally(outcomes)
    if blockers:
        for o in blockers:
            context.log.error(o.line())
        raise Failure(
            description=f"not published: {len(blockers)} {BLOCKED_GATE}; "
            f"the last good release stays. First: {blockers[0].line()}",
            metadata={"blocking": MetadataValue.md("\n".join(f"- {o.line()}" for o in blockers))},
        )
    now = dt.datetime.now(dt.UTC)
    reporting_year = context.run.tags.get("dagster/partition")
    release_id = new_release_id(now, reporting_year)
    manifest = build_manifest(
        warehouse.work_file,
        release_id,
        now,
        context.run_id,
        outcomes,
        reporting_year,
        data_docs=release.quality / "data_docs" / "index.html",
    )
    try:
        path = publish(warehouse.work_file, release.published, manifest)
    except DisclosureAuditFailed as failed:
        for exposure in failed.controlled.exposures:
            context.log.error(f"disclosure audit: {exposure.line()}")
        raise Failure(
            description=f"not published: {failed}; the last good release stays",
            metadata={
                "exposed": MetadataValue.md("\n".join(f"- {e.line()}" for e in failed.controlled.exposures[:100]))
            },
        ) from None
    published = current_manifest(release.published) or {}
    sdc = published.get("disclosure_control", {})
    sizes = published.get("tier_bytes", {})
    context.log.info(
        f"published release {release_id} to {path} ({summary_line(counts)}); disclosure audit "
        f"{sdc.get('audit')}, k={sdc.get('k')}, solver {sdc.get('solver_seconds')} s"
    )
    common = {
        "release_id": release_id,
        "path": MetadataValue.path(str(path)),
        "checks": summary_line(counts),
        "code_version": str(manifest["code_version"].get("git_commit")),
    }
    yield MaterializeResult(
        asset_key=PUBLIC_TIER,
        metadata={
            **common,
            "tables": len(published.get("tiers", {}).get("public", [])),
            "bytes": sizes.get("public", 0),
            "disclosure_audit": str(sdc.get("audit")),
            "solver_seconds": float(sdc.get("solver_seconds") or 0),
        },
    )
    yield MaterializeResult(
        asset_key=ANALYST_TIER,
        metadata={
            **common,
            "tables": len(published.get("tiers", {}).get("analyst", [])),
            "bytes": sizes.get("analyst.duckdb", 0) + sizes.get("analyst_parquet", 0),
        },
    )
    yield MaterializeResult(
        asset_key=RESTRICTED_TIER,
        metadata={
            **common,
            "tables": len(published.get("tiers", {}).get("restricted", [])),
            "bytes": sizes.get("restricted.duckdb", 0),
        },
    )


@asset(
    key=YEARLY_RELEASE,
    group_name="release",
    partitions_def=reporting_years,
    deps=[ANALYST_TIER],
    kinds={"json"},
    description="Marks the published release as the monitoring release of a reporting year "
    "(published/years/<year>.json): the yearly schedule materialises the previous year.",
)
def yearly_release(context: AssetExecutionContext, release: ReleaseResource) -> MaterializeResult:
    year = context.partition_key
    manifest = current_manifest(release.published)
    if manifest is None:
        raise Failure(description=f"no published release to mark as the {year} release")
    national = None
    flow = mart("flow")  # the yearly flow mart, by its dbt meta role
    with duckdb.connect(str(analyst_file(release.published)), read_only=True) as con:
        try:
            national = con.execute(
                f"SELECT sum(persons) FROM marts.{flow} WHERE year = ? AND geo_level = 'national' "
                "AND sex = 'ALL' AND age_group = 'ALL' AND ethos_light_category = 'ALL'",
                [int(year)],
            ).fetchone()[0]
        except duckdb.Error:
            context.log.warning(f"{flow} not in the release: no headline figure")
    record = {
        "reporting_year": year,
        "release_id": manifest["release_id"],
        "marked_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "national_flow_persons": None if national is None else int(national),
    }
    years = release.published / "years"
    years.mkdir(parents=True, exist_ok=True)
    tmp = years / f".{year}.json.tmp"
    tmp.write_text(json.dumps(record, indent=2), encoding="utf-8")
    os.chmod(tmp, READ_ONLY)  # published files are read-only; os.replace swaps it in all the same
    os.replace(tmp, years / f"{year}.json")
    return MaterializeResult(metadata={k: str(v) for k, v in record.items()})


release_assets = [release_tiers, yearly_release]
