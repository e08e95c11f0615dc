"""The yearly monitoring report as Dagster assets: both call report.render.write_report on the public tier.

- report/monitoring_report (unpartitioned, in the default `monitoring_release` job): the latest complete year
  in the data, so `make run` ends with a report to open.
- report/yearly_monitoring_report (partitioned by reporting year, in the yearly job): the partition's year.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from dagster import AssetExecutionContext, AssetKey, Failure, MaterializeResult, MetadataValue, asset

from dagster_project.assets.release import PUBLIC_TIER
from dagster_project.partitions import reporting_years
from dagster_project.resources.release import ReleaseResource
from homeless_monitor.report.public import PublicTier, PublicTierMissing
from homeless_monitor.report.render import write_report
from homeless_monitor.report.sections import FLOW

#: The public tier of a release (issue 11's asset); the report reads nothing else.
MONITORING_REPORT = AssetKey(["report", "monitoring_report"])
YEARLY_REPORT = AssetKey(["report", "yearly_monitoring_report"])


def latest_complete_year(release: ReleaseResource, today: dt.date | None = None) -> int | None:
    """The newest year of the public flow table that has ended (a year still running is incomplete)."""
    tier = PublicTier.open(release.published)
    flow = tier.table(FLOW)
    if flow is None or flow.empty:
        return None
    this_year = (today or dt.date.today()).year
    years = [int(y) for y in flow["year"].dropna().unique() if int(y) < this_year]
    return max(years) if years else None


def _materialize(context: AssetExecutionContext, release: ReleaseResource, year: int) -> MaterializeResult:
    written = write_report(release.published, year, inbox=release.inbox)
    context.log.info(f"report {year} (release {written.release_id}) written to {written.folder}: {written.seconds}")
    return MaterializeResult(
        metadata={
            "reporting_year": year,
            "release_id": written.release_id,
            "folder": MetadataValue.path(str(written.folder)),
            "files": len(written.files),
            "seconds": MetadataValue.json(written.seconds),
        }
    )


def _report_asset(key: AssetKey, description: str, **options: Any) -> Callable:
    """A report asset: HTML and PDF, built from the public tier and nothing else."""
    return asset(
        key=key, group_name="report", deps=[PUBLIC_TIER], kinds={"html", "pdf"}, description=description, **options
    )


@_report_asset(
    MONITORING_REPORT,
    "The yearly monitoring report (Latvian and English, HTML + PDF + the CSVs behind it) for the "
    "latest complete year in the data, from the public tier only: published/reports/<year>/.",
)
def monitoring_report(context: AssetExecutionContext, release: ReleaseResource) -> MaterializeResult:
    try:
        year = latest_complete_year(release)
    except PublicTierMissing as missing:  # the public tier runs first: a missing one is a fault, not a skip
        raise Failure(description=f"no report: {missing}") from missing
    if year is None:
        raise Failure(description="no report: the public flow table holds no complete year")
    return _materialize(context, release, year)


@_report_asset(
    YEARLY_REPORT,
    "The monitoring report of a reporting year (the partition), as monitoring_report: published/reports/<year>/.",
    partitions_def=reporting_years,
)
def yearly_monitoring_report(context: AssetExecutionContext, release: ReleaseResource) -> MaterializeResult:
    try:
        return _materialize(context, release, int(context.partition_key))
    except PublicTierMissing as missing:
        raise Failure(description=f"no report for {context.partition_key}: {missing}") from missing


report_assets = [monitoring_report, yearly_monitoring_report]
