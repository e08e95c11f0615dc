"""Jobs. One job builds a monitoring release end to end; the CLI, the UI and schedules all run it."""

from dagster import AssetKey, AssetSelection, define_asset_job, in_process_executor

from dagster_project.partitions import reporting_years

#: The yearly, partitioned marker of a release; only the yearly job (and its schedule) builds it.
YEARLY_RELEASE_KEY = AssetKey(["release", "yearly_release"])
#: The report: the default job writes it for the latest complete year, the yearly job for its partition.
MONITORING_REPORT_KEY = AssetKey(["report", "monitoring_report"])
YEARLY_REPORT_KEY = AssetKey(["report", "yearly_monitoring_report"])

# In process: DuckDB allows one writer per file, so the steps run one after another.
monitoring_release_job = define_asset_job(
    name="monitoring_release",
    selection=AssetSelection.all() - AssetSelection.assets(YEARLY_RELEASE_KEY, YEARLY_REPORT_KEY),
    executor_def=in_process_executor,
    description="Load deliveries → dbt build (with tests) → quality checks → publish.",
)

# The same pipeline for one reporting year, ending with that year's release marker.
yearly_release_job = define_asset_job(
    name="yearly_monitoring_release",
    selection=AssetSelection.all() - AssetSelection.assets(MONITORING_REPORT_KEY),
    partitions_def=reporting_years,
    executor_def=in_process_executor,
    description="monitoring_release for a reporting year (partition), then marks the release as that year's.",
)
