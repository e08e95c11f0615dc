"""The dbt models as Dagster assets: sources `raw.<table>` join the ingestion assets in one graph."""

import os

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource, dbt_assets

from dagster_project.dbt_project import dbt_project, ensure_manifest
from dagster_project.resources import WarehouseResource


@dbt_assets(manifest=ensure_manifest(), project=dbt_project)
def warehouse_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build`: staging, intermediate and marts with their tests, into the work file."""
    os.environ["HOMELESS_MONITOR_WAREHOUSE"] = str(warehouse.work_file)  # read by dbt/profiles.yml
    yield from dbt.cli(["build"], context=context).stream()
