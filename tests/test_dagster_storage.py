"""The project's Dagster event log: Dagster's SQLite storage without a disk flush per event (issue 28)."""

import sqlite3

import pytest
import yaml
from dagster import AssetKey, DagsterInstance

from dagster_project.run import cli
from dagster_project.run.dagster_storage import QuickSqliteEventLogStorage, store_materialization

RUN_ID = "12345678-0000-0000-0000-000000000000"


def _materialize(instance: DagsterInstance, name: str) -> None:
    store_materialization(instance, RUN_ID, AssetKey(["marts", name]))


def test_prepare_environment_selects_the_quick_event_log(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    cli.prepare_environment()
    settings = yaml.safe_load((home / "dagster.yaml").read_text())
    assert settings["event_log_storage"]["class"] == "QuickSqliteEventLogStorage"
    assert settings["event_log_storage"]["config"]["base_dir"] == f"{home.resolve()}/history/runs/"
    with DagsterInstance.from_config(str(home)) as instance:
        assert isinstance(instance.event_log_storage, QuickSqliteEventLogStorage)
        _materialize(instance, "fct_a")
        _materialize(instance, "fct_b")
        # Dagster's own reads see both events, in the run's file and in the asset index
        assert len(instance.all_logs(RUN_ID)) == 2
        assert instance.get_latest_materialization_event(AssetKey(["marts", "fct_b"])) is not None
    # the same files as Dagster's default layout (the UI and `dagster` commands read them)
    assert (home / "history" / "runs" / f"{RUN_ID}.db").exists()
    with sqlite3.connect(home / "history" / "runs" / "index.db") as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_operators_storage_or_sync_level_is_kept(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    (home / "dagster.yaml").write_text(
        "storage:\n  sqlite:\n    base_dir: " + str(tmp_path / "elsewhere") + "\n", encoding="utf-8"
    )
    cli.prepare_environment()
    assert "event_log_storage" not in yaml.safe_load((home / "dagster.yaml").read_text())

    (home / "dagster.yaml").write_text("", encoding="utf-8")
    cli.prepare_environment()
    settings = yaml.safe_load((home / "dagster.yaml").read_text())
    settings["event_log_storage"]["config"]["synchronous"] = "FULL"
    (home / "dagster.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    cli.prepare_environment()
    settings = yaml.safe_load((home / "dagster.yaml").read_text())
    assert settings["event_log_storage"]["config"]["synchronous"] == "FULL"
    with DagsterInstance.from_config(str(home)) as instance:
        storage = instance.event_log_storage
        with storage.index_connection() as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_the_sync_level_is_off_by_default_and_checked(tmp_path):
    storage = QuickSqliteEventLogStorage(str(tmp_path / "runs"))
    with storage.index_connection() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").fetchone()[0] == 0  # OFF
    with pytest.raises(ValueError, match="synchronous must be one of"):
        QuickSqliteEventLogStorage(str(tmp_path / "other"), synchronous="sometimes")
