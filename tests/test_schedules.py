"""Specifications of the yearly schedule, the inbox sensor, and the code location as Dagster loads it."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from dagster import DagsterInstance, build_schedule_context, build_sensor_context
from quality_fixtures import small_inbox, stay_rows, write_stays

from dagster_project.definitions import defs
from dagster_project.resources import WarehouseResource
from ingestion.loader import load_inbox
from ingestion.paths import PROJECT_ROOT


def test_the_yearly_schedule_requests_the_release_of_the_previous_year_on_15_january():
    schedule = defs.get_schedule_def("yearly_monitoring_release")
    assert (schedule.cron_schedule, schedule.execution_timezone, schedule.job_name) == (
        "0 6 15 1 *",
        "Europe/Riga",
        "yearly_monitoring_release",
    )
    tick = dt.datetime(2026, 1, 15, 6, 0, tzinfo=ZoneInfo("Europe/Riga"))
    context = build_schedule_context(scheduled_execution_time=tick, repository_def=defs.get_repository_def())
    [request] = schedule.evaluate_tick(context).run_requests
    assert request.partition_key == "2025"


def test_the_yearly_job_is_partitioned_by_reporting_year_and_the_plain_release_job_is_not():
    yearly = defs.resolve_job_def("yearly_monitoring_release")
    assert "2015" in yearly.partitions_def.get_partition_keys(current_time=dt.datetime(2026, 2, 1))
    assert defs.resolve_job_def("monitoring_release").partitions_def is None


def _sensor_requests(inbox: Path, work: Path):
    sensor = defs.get_sensor_def("inbox_sensor")
    # `with`: the warehouse resource is a context manager (it holds the run lock inside a run, not in a sensor)
    with build_sensor_context(
        instance=DagsterInstance.ephemeral(),
        repository_def=defs.get_repository_def(),
        resources={"warehouse": WarehouseResource(inbox_dir=str(inbox), work_path=str(work))},
    ) as context:
        return sensor.evaluate_tick(context).run_requests


def test_the_inbox_sensor_requests_a_run_only_for_files_with_a_new_sha256(tmp_path):
    inbox, work = small_inbox(tmp_path / "inbox"), tmp_path / "work.duckdb"
    assert len(_sensor_requests(inbox, work)) == 1  # nothing loaded yet
    load_inbox(inbox, work, b"k" * 32)
    assert _sensor_requests(inbox, work) == []  # every file has a receipt
    write_stays(inbox, stay_rows(3, 2023), name="patversmes_uzturesanas_2023_valmiera.csv")
    [request] = _sensor_requests(inbox, work)
    assert request.job_name in (None, "monitoring_release") and request.run_key


def test_dagster_definitions_validate_passes_with_a_fresh_dagster_home(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    dagster = str(Path(sys.executable).with_name("dagster"))
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "DAGSTER_DISABLE_TELEMETRY": "1",
        "HOMELESS_MONITOR_DATA": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [dagster, "definitions", "validate", "-w", "workspace.yaml"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
