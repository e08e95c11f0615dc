"""The publication gate as assets: the current release, and the yearly release it is tagged as.

`published_release` depends on every raw and dbt asset, so it runs after all their checks (the GE
checks are blocking: a block-tier failure means this asset does not run at all). It re-reads the
run's check results anyway and refuses to publish if anything blocks: two locks on one door.
"""

import datetime as dt
import json

import duckdb
from dagster import (AssetExecutionContext, AssetKey, Failure, MaterializeResult, MetadataValue, asset)

from dagster_project.assets.dbt import warehouse_dbt_models
from dagster_project.assets.ingestion import raw_assets
from dagster_project.partitions import reporting_years
from dagster_project.quality import store
from dagster_project.quality.report import summary_line
from dagster_project.quality.severity import tally
from dagster_project.release.manifest import build_manifest, new_release_id
from dagster_project.release.publish import PUBLISHED_FILE, current_manifest, publish
from dagster_project.release.resource import ReleaseResource
from dagster_project.resources import WarehouseResource

PUBLISHED_RELEASE = AssetKey(["release", "published_warehouse"])
YEARLY_RELEASE = AssetKey(["release", "yearly_release"])

_upstream = sorted({k for a in raw_assets for k in a.keys} | set(warehouse_dbt_models.keys), key=str)


@asset(key=PUBLISHED_RELEASE, group_name="release", kinds={"duckdb"}, deps=_upstream,
       description="The read-only warehouse analysts query: the work file copied atomically to "
                   "published/warehouse.duckdb (plus published/releases/<id>/ with manifest.json), "
                   "only when no blocking check failed. Otherwise the last good release stays.")
def published_release(context: AssetExecutionContext, warehouse: WarehouseResource,
                      release: ReleaseResource) -> MaterializeResult:
    with duckdb.connect(str(warehouse.work_file), read_only=True) as con:
        outcomes = store.load(con, context.run_id)
    blockers = [o for o in outcomes if o.blocks]
    counts = tally(outcomes)
    if blockers:
        for o in blockers:
            context.log.error(o.line())
        raise Failure(description=f"not published: {len(blockers)} blocking check(s) failed; "
                                  f"the last good release stays. First: {blockers[0].line()}",
                      metadata={"blocking": MetadataValue.md("\n".join(f"- {o.line()}" for o in blockers))})
    now = dt.datetime.now(dt.UTC)
    reporting_year = context.run.tags.get("dagster/partition")
    release_id = new_release_id(now, reporting_year)
    manifest = build_manifest(warehouse.work_file, release_id, now, context.run_id, outcomes, reporting_year,
                              data_docs=release.quality / "data_docs" / "index.html")
    path = publish(warehouse.work_file, release.published, manifest)
    context.log.info(f"published release {release_id} to {path} ({summary_line(counts)})")
    return MaterializeResult(metadata={
        "release_id": release_id, "path": MetadataValue.path(str(path)),
        "input_files": len(manifest["input_files"]), "checks": summary_line(counts),
        "code_version": str(manifest["code_version"].get("git_commit")),
    })


@asset(key=YEARLY_RELEASE, group_name="release", partitions_def=reporting_years, deps=[PUBLISHED_RELEASE],
       kinds={"json"},
       description="Marks the published release as the monitoring release of a reporting year "
                   "(published/years/<year>.json): the yearly schedule materialises the previous year.")
def yearly_release(context: AssetExecutionContext, release: ReleaseResource) -> MaterializeResult:
    year = context.partition_key
    manifest = current_manifest(release.published)
    if manifest is None:
        raise Failure(description=f"no published release to mark as the {year} release")
    national = None
    with duckdb.connect(str(release.published / PUBLISHED_FILE), read_only=True) as con:
        try:
            national = con.execute(
                "SELECT sum(persons) FROM marts.mart_homeless_flow_yearly WHERE year = ? AND geo_level = 'national' "
                "AND sex = 'ALL' AND age_group = 'ALL' AND ethos_light_category = 'ALL'", [int(year)]).fetchone()[0]
        except duckdb.Error:
            context.log.warning("mart_homeless_flow_yearly not in the release: no headline figure")
    record = {"reporting_year": year, "release_id": manifest["release_id"],
              "marked_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
              "national_flow_persons": None if national is None else int(national)}
    years = release.published / "years"
    years.mkdir(parents=True, exist_ok=True)
    (years / f"{year}.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    return MaterializeResult(metadata={k: str(v) for k, v in record.items()})


release_assets = [published_release, yearly_release]
