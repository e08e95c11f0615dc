"""Table of contents of the Dagster code location."""

from dagster import Definitions, in_process_executor

from dagster_project.assets.dbt import warehouse_dbt_models
from dagster_project.assets.docs import docs_assets
from dagster_project.assets.ingestion import raw_assets
from dagster_project.assets.quality import quality_checks
from dagster_project.assets.release import release_assets
from dagster_project.assets.report import report_assets
from dagster_project.dbt_build.dbt_project import LocalDbtCliResource, dbt_project
from dagster_project.jobs import monitoring_release_job, yearly_release_job
from dagster_project.resources import PseudonymKeyResource, WarehouseResource
from dagster_project.resources.release import ReleaseResource
from dagster_project.schedules import yearly_release_schedule
from dagster_project.sensors import inbox_sensor
from homeless_monitor.dbt_manifest import dbt_executable

defs = Definitions(
    assets=[*raw_assets, warehouse_dbt_models, *release_assets, *docs_assets, *report_assets],
    asset_checks=quality_checks,
    jobs=[monitoring_release_job, yearly_release_job],
    schedules=[yearly_release_schedule],
    sensors=[inbox_sensor],
    # assets materialised from the UI outside the jobs run in one process too: DuckDB has one writer per
    # file, and the run lock (run_lock.py) is held by the run's process from its first step to its end
    executor=in_process_executor,
    resources={
        "release": ReleaseResource(),
        "warehouse": WarehouseResource(),
        "pseudonym_key": PseudonymKeyResource(),
        "dbt": LocalDbtCliResource(
            project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir), dbt_executable=dbt_executable()
        ),
    },
)
