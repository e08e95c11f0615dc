"""One lock for every run: a run launched through Dagster's own APIs (as the UI's launchpad, the
Materialize button, the schedule and the inbox sensor launch it) refuses while a CLI run holds the lock,
with the CLI's message; it holds the lock itself from its first step to its end, failed or not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance, asset, materialize

from dagster_project.resources import WarehouseResource
from dagster_project.run.run_lock import RunLockBusy, guarded_run, job_lock, run_lock


@pytest.fixture
def data(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("HOMELESS_MONITOR_DATA", str(folder))
    monkeypatch.delenv("HOMELESS_MONITOR_WAREHOUSE", raising=False)
    return folder


def _cli_holder(data: Path, warehouse: Path) -> subprocess.Popen:
    """Another process holding the lock the way `homeless-monitor run` does (run_lock in guarded_run)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import time; from pathlib import Path; from dagster_project.run.run_lock import run_lock\n"
                f"with run_lock(Path({str(data)!r}), Path({str(warehouse)!r})):\n"
                "    print('held', flush=True); time.sleep(60)"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def _failure_text(result) -> str:
    return "\n".join(
        str(e.message) + str(getattr(e.event_specific_data, "error", "") or "")
        for e in result.all_events
        if e.is_failure or e.event_type_value.endswith("FAILURE")
    )


def test_a_ui_launched_monitoring_release_is_refused_while_a_cli_run_holds_the_lock(data, tmp_path):
    from dagster_project.definitions import defs

    warehouse = data / "warehouse" / "work.duckdb"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    holder = _cli_holder(data, warehouse)
    try:
        job = defs.resolve_job_def("monitoring_release")
        run_config = {"resources": {"warehouse": {"config": {"inbox_dir": str(inbox), "work_path": str(warehouse)}}}}
        with DagsterInstance.ephemeral() as instance:
            result = job.execute_in_process(run_config=run_config, instance=instance, raise_on_error=False)
            assert not result.success
            text = _failure_text(result)
            assert f"another run holds the warehouse {warehouse.resolve()} since " in text
            assert f"pid {holder.pid}" in text
            # no step ran: nothing was loaded, no warehouse was created
            assert not [e for e in result.all_events if e.event_type_value == "STEP_SUCCESS"]
        assert not warehouse.exists()
    finally:
        holder.kill()
        holder.wait()


def test_materializing_one_asset_from_the_ui_is_refused_too(data, tmp_path):
    """The Materialize button on a single asset (here the report, which needs only the release resource)."""
    from dagster_project.definitions import defs

    holder = _cli_holder(data, data / "warehouse" / "work.duckdb")
    try:
        job = defs.resolve_implicit_global_asset_job_def()  # what the Materialize button launches
        with DagsterInstance.ephemeral() as instance:
            result = job.execute_in_process(
                instance=instance, asset_selection=[AssetKey(["report", "monitoring_report"])], raise_on_error=False
            )
        assert not result.success
        assert "another run holds the warehouse" in _failure_text(result)
    finally:
        holder.kill()
        holder.wait()


def test_a_run_holds_the_lock_during_its_steps_and_frees_it_at_the_end_even_when_it_fails(data, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    seen: list[str] = []

    @asset
    def probe(warehouse: WarehouseResource) -> None:
        try:  # what a CLI run started now would meet
            with run_lock(data, warehouse.work_file):
                seen.append("free")
        except RunLockBusy as busy:
            seen.append(str(busy))

    @asset(deps=[probe])
    def fails(warehouse: WarehouseResource) -> None:
        raise RuntimeError("a step that fails")

    resources = {"warehouse": WarehouseResource(work_path=str(warehouse))}
    with DagsterInstance.ephemeral() as instance:
        assert not materialize([probe, fails], instance=instance, resources=resources, raise_on_error=False).success
    assert len(seen) == 1 and seen[0].startswith(f"another run holds the warehouse {warehouse.resolve()}")
    with run_lock(data, warehouse):  # freed after the failed run
        pass


def test_the_cli_run_enters_its_own_job_but_a_second_job_in_its_process_is_refused(data, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    outcomes: list[str] = []

    def body() -> int:
        with job_lock("run-1", data, warehouse):  # the CLI's own job: allowed under its lock
            outcomes.append("first job ran")
            try:
                with job_lock("run-2", data, warehouse):
                    outcomes.append("second job ran")
            except RunLockBusy as busy:
                outcomes.append(f"second job refused: {busy}")
        return 0

    assert guarded_run(data, warehouse, data / "published", body) == 0
    assert outcomes[0] == "first job ran"
    assert outcomes[1].startswith("second job refused: another run holds the warehouse")


def test_sensors_build_the_resources_without_taking_the_lock(data, tmp_path):
    from dagster import build_sensor_context

    from dagster_project.sensors import inbox_sensor

    warehouse = tmp_path / "w.duckdb"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with run_lock(data, warehouse):  # a run is going on: the sensor still looks (and skips)
        with build_sensor_context(
            resources={"warehouse": WarehouseResource(inbox_dir=str(inbox), work_path=str(warehouse))}
        ) as context:
            result = inbox_sensor(context)
    assert "no new deliveries" in str(result.skip_message if hasattr(result, "skip_message") else result)
