"""An operator releases a blocked run after review; the manifest says who, when, why and what."""
from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest

from dagster_project.quality import store
from dagster_project.quality.severity import Outcome, Severity
from dagster_project.release.approve import NothingToApprove, approve_release
from dagster_project.release.tiers import MANIFEST_FILE


def _blocked_work_file(path, run_id):
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA ingest")
        con.execute("CREATE TABLE ingest.receipts AS SELECT 'shelter_stays' AS source, 'f.csv' AS file_name, "
                    "'abc' AS file_sha256, 3 AS rows_loaded, 0 AS rows_quarantined, 'L1' AS load_id, "
                    "TIMESTAMP '2025-01-01' AS loaded_at, 'loaded' AS status")
        con.execute("CREATE SCHEMA marts")
        con.execute("CREATE TABLE marts.mart_thing AS SELECT 2024 AS year, 10 AS persons")
        store.save(con, run_id, "delivery", [Outcome(stage="delivery", suite="s", asset="raw/shelter_stays",
                                                     rule="file_rejected", status="failed",
                                                     severity=Severity.BLOCK, source="shelter_stays",
                                                     file_name="g.csv")])


def test_an_approved_blocked_run_is_published_with_who_when_why_and_what(tmp_path):
    work = tmp_path / "work.duckdb"
    _blocked_work_file(work, "run-1")
    now = dt.datetime(2025, 1, 15, 9, 30, tzinfo=dt.UTC)
    release = approve_release(work, tmp_path / "published", "run-1", "g.csv is a test file; reviewed",
                              approved_by="operator", now=now)
    manifest = json.loads((release / MANIFEST_FILE).read_text())
    assert manifest["approval"]["approved_by"] == "operator"
    assert manifest["approval"]["approved_at"] == "2025-01-15T09:30:00+00:00"
    assert manifest["approval"]["reason"] == "g.csv is a test file; reviewed"
    assert len(manifest["approval"]["overridden_checks"]) == 1
    assert "file_rejected" in manifest["approval"]["overridden_checks"][0]
    assert json.loads((tmp_path / "published" / MANIFEST_FILE).read_text()) == manifest


def test_an_approval_needs_a_reason_and_a_known_run(tmp_path):
    work = tmp_path / "work.duckdb"
    _blocked_work_file(work, "run-1")
    with pytest.raises(ValueError):
        approve_release(work, tmp_path / "published", "run-1", "  ")
    with pytest.raises(NothingToApprove):
        approve_release(work, tmp_path / "published", "run-2", "reviewed")


def test_the_cli_approves_a_blocked_run_of_the_data_folder_and_refuses_without_a_known_run(tmp_path, capsys,
                                                                                          monkeypatch):
    from dagster_project.cli import main

    for name in ("HOMELESS_MONITOR_DATA", "DAGSTER_HOME", "HOMELESS_MONITOR_WAREHOUSE", "HOMELESS_MONITOR_INBOX"):
        monkeypatch.setenv(name, "unused")  # --data-dir rewrites them; monkeypatch restores them afterwards

    data = tmp_path / "data"
    work = data / "warehouse" / "work.duckdb"
    work.parent.mkdir(parents=True)
    _blocked_work_file(work, "run-7")
    assert main(["release", "approve", "run-7", "--reason", "reviewed with the provider",
                 "--data-dir", str(data)]) == 0
    manifest = json.loads((data / "published" / MANIFEST_FILE).read_text())
    assert manifest["approval"]["reason"] == "reviewed with the provider"
    assert manifest["dagster_run_id"] == "run-7"
    assert "released run run-7" in capsys.readouterr().out
    assert main(["release", "approve", "run-8", "--reason", "x", "--data-dir", str(data)]) == 1
    assert "not released: no check results for run run-8" in capsys.readouterr().err
