"""The dbt models as Dagster assets: sources `raw.<table>` join the ingestion assets in one graph."""

import json
import os
from dataclasses import replace

import duckdb
from dagster import AssetExecutionContext, Config
from dagster_dbt import DbtCliResource, dbt_assets

from dagster_project.dbt_build_plan import plan_build, project_fingerprint, record_build
from dagster_project.dbt_project import dbt_project, ensure_manifest
from dagster_project.resources import WarehouseResource


class DbtBuildConfig(Config):
    """`full_refresh`: rebuild every model and year from scratch (`homeless-monitor run --full-refresh`)."""

    full_refresh: bool = False


@dbt_assets(manifest=ensure_manifest(), project=dbt_project)
def warehouse_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource,
                         config: DbtBuildConfig):
    """`dbt build`: staging, intermediate and marts with their tests, into the work file.

    On a warehouse built before, only the years that new deliveries reach are recomputed
    (dagster_project/dbt_build_plan.py); a partial selection from the UI recomputes every year.
    """
    os.environ["HOMELESS_MONITOR_WAREHOUSE"] = str(warehouse.work_file)  # read by dbt/profiles.yml
    whole = set(context.selected_asset_keys) == set(warehouse_dbt_models.keys)
    with duckdb.connect(str(warehouse.work_file)) as con:
        plan = plan_build(con, json.loads(dbt_project.manifest_path.read_text()),
                          project_fingerprint(dbt_project.project_dir))
    if config.full_refresh:
        plan = replace(plan, full_refresh=True, rebuild_from_year=None, reason="asked for in the run config")
    elif not whole and not plan.full_refresh:
        plan = replace(plan, rebuild_from_year=None, reason="a partial selection")
    context.log.info(f"dbt build plan: {plan.describe()}")
    yield from dbt.cli(plan.dbt_args(), context=context).stream()
    if whole:
        with duckdb.connect(str(warehouse.work_file)) as con:
            record_build(con, plan, context.run_id)
