"""Table of contents of the Dagster code location."""
from dagster import Definitions
from dagster_dbt import DbtCliResource

from dagster_project.assets.dbt import warehouse_dbt_models
from dagster_project.assets.ingestion import raw_assets
from dagster_project.dbt_project import dbt_executable, dbt_project
from dagster_project.jobs import monitoring_release_job
from dagster_project.resources import PseudonymKeyResource, WarehouseResource

defs = Definitions(
    assets=[*raw_assets, warehouse_dbt_models],
    jobs=[monitoring_release_job],
    resources={
        "warehouse": WarehouseResource(),
        "pseudonym_key": PseudonymKeyResource(),
        "dbt": DbtCliResource(project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir),
                              dbt_executable=dbt_executable()),
    },
)
