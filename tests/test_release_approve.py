"""An operator releases a blocked run after review; the manifest says who, when, why and what.

Only a run that checks blocked can be approved: not one whose build failed, not one still running,
not one after which another run has changed the warehouse, not one the run history does not know.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest
from dagster import DagsterInstance, Failure, job, op

from dagster_project.run.approve import NothingToApprove, approve_release
from homeless_monitor.quality import store
from homeless_monitor.quality.severity import Outcome, Severity
from homeless_monitor.release.tiers import MANIFEST_FILE


@op
def raw__shelter_stays():
    """Stands for the load."""


@op(name="delivery_checks")
def blocking_delivery_checks(_after):
    raise Failure(description="Blocking check file_rejected failed")


@op(name="warehouse_dbt_models")
def dbt_out_of_memory(_after):
    raise RuntimeError("Out of Memory Error: failed to allocate data of size 2.0 MiB")


@job(name="monitoring_release")
def blocked_by_a_check():
    blocking_delivery_checks(raw__shelter_stays())


@job(name="monitoring_release")
def dbt_build_failed():
    dbt_out_of_memory(raw__shelter_stays())


def _run(instance: DagsterInstance, pipeline=blocked_by_a_check) -> str:
    return pipeline.execute_in_process(instance=instance, raise_on_error=False).run_id


def _blocked_work_file(path, run_id):
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS ingest")
        con.execute(
            "CREATE OR REPLACE TABLE ingest.receipts AS SELECT 'shelter_stays' AS source, 'f.csv' AS file_name, "
            "'abc' AS file_sha256, 3 AS rows_loaded, 0 AS rows_quarantined, 'L1' AS load_id, "
            "TIMESTAMP '2025-01-01' AS loaded_at, 'loaded' AS status"
        )
        con.execute("CREATE SCHEMA IF NOT EXISTS marts")
        con.execute("CREATE OR REPLACE TABLE marts.mart_thing AS SELECT 2024 AS year, 10 AS persons")
        store.save(
            con,
            run_id,
            "delivery",
            [
                Outcome(
                    stage="delivery",
                    suite="s",
                    asset="raw/shelter_stays",
                    rule="file_rejected",
                    status="failed",
                    severity=Severity.BLOCK,
                    source="shelter_stays",
                    file_name="g.csv",
                )
            ],
        )


@pytest.fixture
def instance():
    with DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


def test_an_approved_blocked_run_is_published_with_who_when_why_and_what(tmp_path, instance):
    work = tmp_path / "work.duckdb"
    run_id = _run(instance)
    _blocked_work_file(work, run_id)
    now = dt.datetime(2025, 1, 15, 9, 30, tzinfo=dt.UTC)
    release = approve_release(
        work,
        tmp_path / "published",
        run_id,
        "g.csv is a test file; reviewed",
        approved_by="operator",
        now=now,
        instance=instance,
    )
    manifest = json.loads((release / MANIFEST_FILE).read_text())
    assert manifest["approval"]["approved_by"] == "operator"
    assert manifest["approval"]["approved_at"] == "2025-01-15T09:30:00+00:00"
    assert manifest["approval"]["reason"] == "g.csv is a test file; reviewed"
    assert len(manifest["approval"]["overridden_checks"]) == 1
    assert "file_rejected" in manifest["approval"]["overridden_checks"][0]
    assert json.loads((tmp_path / "published" / MANIFEST_FILE).read_text()) == manifest


def test_an_approval_needs_a_reason_a_run_the_history_knows_and_its_check_results(tmp_path, instance):
    work = tmp_path / "work.duckdb"
    run_id = _run(instance)
    _blocked_work_file(work, run_id)
    with pytest.raises(ValueError):
        approve_release(work, tmp_path / "published", run_id, "  ", instance=instance)
    with pytest.raises(NothingToApprove, match="not in the run history"):
        approve_release(work, tmp_path / "published", "run-unknown", "reviewed", instance=instance)
    later = _run(instance)
    with pytest.raises(NothingToApprove, match="no check results"):
        approve_release(work, tmp_path / "published", later, "reviewed", instance=instance)
    assert not (tmp_path / "published").exists()


def test_a_run_whose_dbt_build_failed_cannot_be_approved(tmp_path, instance):
    """Its checks may have blocked too, but the warehouse it leaves was never built."""
    work = tmp_path / "work.duckdb"
    run_id = _run(instance, dbt_build_failed)
    _blocked_work_file(work, run_id)
    with pytest.raises(NothingToApprove, match="warehouse_dbt_models failed: RuntimeError: Out of Memory") as refused:
        approve_release(work, tmp_path / "published", run_id, "reviewed", instance=instance)
    assert "fix the cause and run again" in str(refused.value)
    assert not (tmp_path / "published").exists()


def test_a_blocked_run_cannot_be_approved_once_a_later_run_has_changed_the_warehouse(tmp_path, instance):
    work = tmp_path / "work.duckdb"
    first = _run(instance)
    _blocked_work_file(work, first)
    second = _run(instance)
    with pytest.raises(NothingToApprove, match=f"run {second} started after run {first}"):
        approve_release(work, tmp_path / "published", first, "reviewed", instance=instance)
    _blocked_work_file(work, second)
    assert approve_release(work, tmp_path / "published", second, "reviewed", instance=instance).exists()


def test_the_cli_approves_a_blocked_run_of_the_data_folder_and_refuses_a_broken_or_unknown_one(
    tmp_path, capsys, monkeypatch
):
    from dagster_project.run.cli import main

    data = tmp_path / "data"
    work = data / "warehouse" / "work.duckdb"
    work.parent.mkdir(parents=True)
    (data / "dagster_home").mkdir()
    with DagsterInstance.local_temp(tempdir=str(data / "dagster_home")) as history:
        broken = _run(history, dbt_build_failed)
        _blocked_work_file(work, broken)
        blocked = _run(history)
        _blocked_work_file(work, blocked)
    # set after the runs: Dagster writes under $DAGSTER_HOME while a job runs (a relative "unused"
    # folder in the working directory otherwise)
    for name in ("HOMELESS_MONITOR_DATA", "DAGSTER_HOME", "HOMELESS_MONITOR_WAREHOUSE", "HOMELESS_MONITOR_INBOX"):
        monkeypatch.setenv(name, "unused")  # --data-dir rewrites them; monkeypatch restores them afterwards
    assert main(["release", "approve", broken, "--reason", "x", "--data-dir", str(data)]) == 1
    assert f"not released: run {broken} did not build the warehouse" in capsys.readouterr().err
    assert main(["release", "approve", blocked, "--reason", "reviewed with the provider", "--data-dir", str(data)]) == 0
    manifest = json.loads((data / "published" / MANIFEST_FILE).read_text())
    assert manifest["approval"]["reason"] == "reviewed with the provider"
    assert manifest["dagster_run_id"] == blocked
    assert f"released run {blocked}" in capsys.readouterr().out
    assert main(["release", "approve", "run-8", "--reason", "x", "--data-dir", str(data)]) == 1
    assert "not released: run run-8 is not in the run history" in capsys.readouterr().err
