"""Specifications of `homeless-monitor run`'s options and the Dagster wiring they feed (no pipeline run)."""

from __future__ import annotations

import json
import os

import pytest

from dagster_project.assets.dbt import DbtBuildConfig, fingerprint_with_vars, warehouse_dbt_models, with_vars
from dagster_project.definitions import defs
from dagster_project.run import cli
from homeless_monitor.settings import Settings


def parse(*argv: str):
    """The `run` parser's namespace, via main's own parser (main is stopped before any work)."""
    seen = {}
    original = cli.run_quietly

    def stop(settings, full_refresh, dates):
        seen.update(inbox=settings.inbox, warehouse=settings.warehouse, dates=dates, settings=settings)
        raise SystemExit(0)

    cli.run_quietly = stop
    try:
        with pytest.raises(SystemExit):
            cli.main(["run", "--inbox", "/tmp/none", *argv])
    finally:
        cli.run_quietly = original
    return seen


def test_the_dates_reach_the_dbt_asset_config(monkeypatch, tmp_path):
    monkeypatch.setenv("HOMELESS_MONITOR_DATA", str(tmp_path))
    seen = parse("--as-of-date", "2024-12-31", "--reference-night", "01-31", "--hf-evaluation-date", "2023-12-31")
    assert seen["dates"] == {
        "as_of_date": "2024-12-31",
        "pit_month": 1,
        "pit_day": 31,
        "hf_evaluation_date": "2023-12-31",
    }
    config = cli.run_config_for(seen["settings"], dates=seen["dates"])
    assert config["ops"]["warehouse_dbt_models"]["config"] == seen["dates"]
    assert DbtBuildConfig(**seen["dates"]).dbt_vars() == {
        "as_of_date": "2024-12-31",
        "pit_month": 1,
        "pit_day": 31,
        "hf_evaluation_date": "2023-12-31",
    }


def test_no_dates_means_no_dbt_config_and_no_vars(tmp_path):
    assert "ops" not in cli.run_config_for(Settings.from_env({"HOMELESS_MONITOR_DATA": str(tmp_path)}))
    assert DbtBuildConfig().dbt_vars() == {}


@pytest.mark.parametrize(
    "argv", [["--as-of-date", "31.12.2024"], ["--reference-night", "02-30"], ["--hf-evaluation-date", "2023-13-01"]]
)
def test_a_malformed_date_is_refused_by_the_parser(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["run", *argv])
    assert stopped.value.code == 2
    assert "not a" in capsys.readouterr().err


def test_data_dir_moves_every_output_of_the_run(monkeypatch, tmp_path):
    monkeypatch.setenv("HOMELESS_MONITOR_DATA", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("HOMELESS_MONITOR_WAREHOUSE", str(tmp_path / "old.duckdb"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "old_home"))
    before = dict(os.environ)
    seen = parse("--data-dir", str(tmp_path / "mine"))
    mine = (tmp_path / "mine").resolve()
    assert seen["warehouse"] == mine / "warehouse" / "work.duckdb"
    assert seen["settings"].dagster_home == mine / "dagster_home"
    assert dict(os.environ) == before  # the CLI hands the folder on; it writes no variable
    from dagster_project.resources import PseudonymKeyResource, WarehouseResource
    from dagster_project.resources.release import ReleaseResource

    resources = cli.run_config_for(seen["settings"])["resources"]
    release = ReleaseResource(**resources["release"]["config"])
    assert release.published == mine / "published" and release.quality == mine / "quality"
    assert WarehouseResource(**resources["warehouse"]["config"]).work_file == mine / "warehouse" / "work.duckdb"
    assert PseudonymKeyResource(**resources["pseudonym_key"]["config"]).data_path == str(mine)
    assert cli.run_log_path("r1", seen["settings"]) == mine / "logs" / "run-r1.log"


def test_dates_merge_into_the_build_plans_vars_and_change_the_fingerprint():
    assert with_vars(["build", "--vars", json.dumps({"rebuild_from_year": 2024})], {"pit_month": 1}) == [
        "build",
        "--vars",
        json.dumps({"rebuild_from_year": 2024, "pit_month": 1}),
    ]
    assert with_vars(["build"], {"as_of_date": "2024-12-31"}) == ["build", "--vars", '{"as_of_date": "2024-12-31"}']
    assert with_vars(["build"], {}) == ["build"]
    assert fingerprint_with_vars("abc", {}) == "abc"
    assert fingerprint_with_vars("abc", {"pit_day": 1}) != fingerprint_with_vars("abc", {"pit_day": 2}) != "abc"


def test_hf_evaluation_date_is_a_declared_dbt_var():
    import yaml

    from ingestion.paths import DBT_PROJECT_DIR

    declared = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
    assert {"as_of_date", "pit_month", "pit_day", "hf_evaluation_date"} <= set(declared)


def test_dbt_models_are_grouped_by_layer():
    groups = warehouse_dbt_models.group_names_by_key
    assert {groups[k] for k in groups if k.path[-1].startswith("stg_")} == {"staging"}
    assert set(groups.values()) == {"staging", "intermediate", "marts"}
    assert {groups[k] for k in groups if k.path[-1].startswith(("fct_", "dim_", "mart_"))} == {"marts"}
    assert {groups[k] for k in groups if k.path[-1].startswith("int_")} == {"intermediate"}


def test_every_assert_data_test_is_an_asset_check():
    from ingestion.paths import DBT_PROJECT_DIR

    tests = {p.stem for p in (DBT_PROJECT_DIR / "tests").glob("assert_*.sql")}
    checks = {k.name for k in warehouse_dbt_models.check_keys}
    assert tests and tests <= checks


def test_only_block_tier_checks_are_blocking():
    from dagster_project.assets.quality import quality_checks

    specs = [spec for c in quality_checks for spec in c.check_specs]
    assert specs
    for spec in specs:
        assert spec.blocking == (not spec.name.endswith("_error_warning")), spec.name
    assert {s.name for s in specs if s.blocking} == {"ge_delivery", "ge_staging", "ge_mart"}


def test_the_schedule_and_the_sensor_run_by_default():
    from dagster import DefaultScheduleStatus, DefaultSensorStatus

    assert defs.resolve_schedule_def("yearly_monitoring_release").default_status == DefaultScheduleStatus.RUNNING
    assert defs.resolve_sensor_def("inbox_sensor").default_status == DefaultSensorStatus.RUNNING
