"""Jobs. One job builds a monitoring release end to end; the CLI, the UI and schedules all run it."""
from dagster import AssetSelection, define_asset_job, in_process_executor

# In process: DuckDB allows one writer per file, so the steps run one after another.
monitoring_release_job = define_asset_job(
    name="monitoring_release",
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    description="Load deliveries → dbt build (with tests) → quality checks → publish.",
)
