"""The dbt models as Dagster assets: sources `raw.<table>` join the ingestion assets in one graph."""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import duckdb
from dagster import AssetExecutionContext, Config
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from dagster_project.dbt_build.dbt_build_plan import (
    code_fingerprint,
    nothing_to_do,
    plan_build,
    project_fingerprint,
    record_build,
)
from dagster_project.dbt_build.dbt_project import dbt_project
from dagster_project.resources import WarehouseResource
from dagster_project.resources.release import ReleaseResource
from homeless_monitor.dbt_manifest import ensure_manifest
from homeless_monitor.release.publish import current_manifest
from homeless_monitor.settings import current

LAYERS = ("staging", "intermediate", "marts")


class DbtBuildConfig(Config):
    """How `dbt build` runs; the dates fix a release so it can be reproduced (all optional).

    `full_refresh`: rebuild every model and year from scratch (`homeless-monitor run --full-refresh`).
    `as_of_date` (YYYY-MM-DD): the date open stays and waits run to (dbt var as_of_date).
    `pit_month`/`pit_day`: the point-in-time reference night (default 15 November).
    `hf_evaluation_date` (YYYY-MM-DD): the date Housing First outcomes are measured at.
    """

    full_refresh: bool = False
    as_of_date: str | None = None
    pit_month: int | None = None
    pit_day: int | None = None
    hf_evaluation_date: str | None = None

    def dbt_vars(self) -> dict[str, Any]:
        """The dates that were set, as dbt vars (unset ones keep dbt_project.yml's defaults)."""
        named = {
            "as_of_date": self.as_of_date,
            "pit_month": self.pit_month,
            "pit_day": self.pit_day,
            "hf_evaluation_date": self.hf_evaluation_date,
        }
        return {k: v for k, v in named.items() if v is not None}


def profile_vars(warehouse: WarehouseResource) -> dict[str, str]:
    """The var dbt/profiles.yml reads the work file from, when the resource's differs from the one the
    profile finds in the settings' variables (a run config's work_path, the CLI's --warehouse or
    --data-dir). Not a build option: it does not enter the build fingerprint."""
    if warehouse.work_file.resolve() == current().warehouse:
        return {}  # no var: dbt's partial parse stays valid
    return {"warehouse_path": str(warehouse.work_file)}


def with_vars(args: list[str], extra: Mapping[str, Any]) -> list[str]:
    """`args` with `extra` merged into its `--vars` JSON (added if there is none)."""
    if not extra:
        return list(args)
    args = list(args)
    if "--vars" in args:
        i = args.index("--vars") + 1
        args[i] = json.dumps({**json.loads(args[i]), **extra})
    else:
        args += ["--vars", json.dumps(dict(extra))]
    return args


def fingerprint_with_vars(fingerprint: str, dbt_vars: Mapping[str, Any]) -> str:
    """Dates change what every year computes: a build with other dates is a different project."""
    if not dbt_vars:
        return fingerprint
    return hashlib.sha256((fingerprint + json.dumps(dict(dbt_vars), sort_keys=True)).encode()).hexdigest()


class LayerTranslator(DagsterDbtTranslator):
    """dbt models grouped by layer (their top folder: staging, intermediate, marts)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props.get("resource_type") == "seed":
            return "staging"
        layer = fqn[1] if len(fqn) > 2 else None
        return layer if layer in LAYERS else super().get_group_name(dbt_resource_props)


@dbt_assets(manifest=ensure_manifest(), project=dbt_project, dagster_dbt_translator=LayerTranslator())
def warehouse_dbt_models(
    context: AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    release: ReleaseResource,
    config: DbtBuildConfig,
):
    """`dbt build`: staging, intermediate and marts with their tests, into the work file.

    On a warehouse built before, only the years that new deliveries reach are recomputed
    (dagster_project/dbt_build/dbt_build_plan.py); a partial selection from the UI recomputes every year.
    Dates set in the run config are passed as dbt vars; a change of dates rebuilds everything.
    With nothing new since the published release (dbt_build_plan.nothing_to_do) nothing is built: no
    model is materialized, so the checks on them, the release, its docs and the report are skipped.
    """
    whole = set(context.selected_asset_keys) == set(warehouse_dbt_models.keys)
    dbt_vars = config.dbt_vars()
    with duckdb.connect(str(warehouse.work_file)) as con:
        plan = plan_build(
            con,
            json.loads(dbt_project.manifest_path.read_text()),
            fingerprint_with_vars(project_fingerprint(dbt_project.project_dir), dbt_vars),
        )
        code = code_fingerprint()
        idle = (
            nothing_to_do(con, plan, current_manifest(release.published), code)
            if whole and not config.full_refresh
            else None
        )
    if idle:
        context.log.info(f"dbt build plan: nothing built: {idle}")
        return
    if config.full_refresh:
        plan = replace(plan, full_refresh=True, rebuild_from_year=None, reason="asked for in the run config")
    elif not whole and not plan.full_refresh:
        plan = replace(plan, rebuild_from_year=None, reason="a partial selection")
    context.log.info(f"dbt build plan: {plan.describe()}" + (f"; vars {json.dumps(dbt_vars)}" if dbt_vars else ""))
    yield from dbt.cli(with_vars(plan.dbt_args(), {**dbt_vars, **profile_vars(warehouse)}), context=context).stream()
    if whole:
        with duckdb.connect(str(warehouse.work_file)) as con:
            record_build(con, plan, context.run_id, code)
