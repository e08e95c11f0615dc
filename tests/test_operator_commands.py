"""Operator commands: release list / show / rollback (logged), the inbox sensor hashing only new or changed
files, the project's Dagster instance without telemetry or the community pop-up, help text on every option."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import pytest
import yaml
from dagster import DagsterInstance, build_sensor_context

from dagster_project.run import cli
from homeless_monitor.release.operator import (
    ReleaseNotFound,
    current_release_id,
    list_releases,
    read_log,
    rollback,
    show_release,
)
from homeless_monitor.release.publish import CURRENT_LINKS, _swap_link
from homeless_monitor.release.tiers import RELEASES_DIR


def _release(published: Path, release_id: str, run_id: str, passed: int) -> None:
    folder = published / RELEASES_DIR / release_id
    (folder / "public").mkdir(parents=True)
    for name in ("analyst.duckdb", "restricted.duckdb"):
        (folder / name).write_bytes(b"x")
    (folder / "manifest.json").write_text(
        json.dumps(
            {
                "release_id": release_id,
                "created_at": f"{release_id[:4]}-01-15T06:00:00+00:00",
                "dagster_run_id": run_id,
                "checks": {"summary": {"passed": passed, "warning": 1, "error": 0, "blocked": 0}},
                "tiers": {"public": ["a"], "analyst": ["a", "b"], "restricted": ["c"]},
                "tier_bytes": {"public": 1_000_000, "analyst.duckdb": 2_500_000},
                "files": [],
            }
        )
    )
    for name in CURRENT_LINKS:
        if (folder / name).exists():
            _swap_link(published, name, f"{RELEASES_DIR}/{release_id}/{name}")


@pytest.fixture
def published(tmp_path, monkeypatch):
    monkeypatch.setenv("HOMELESS_MONITOR_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HOMELESS_MONITOR_USER", "operator.o")
    folder = tmp_path / "data" / "published"
    _release(folder, "20250115T060000Z", "run-a", 500)
    _release(folder, "20260115T060000Z", "run-b", 510)
    return folder


def test_release_list_shows_every_release_newest_first_and_marks_the_current(published, capsys):
    assert [(r["release_id"], r["current"]) for r in list_releases(published)] == [
        ("20260115T060000Z", True),
        ("20250115T060000Z", False),
    ]
    assert cli.main(["release", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("* 20260115T060000Z") and "510 passed, 1 warnings" in lines[1]
    assert "3.5 MB" in lines[1] and lines[2].startswith("  20250115T060000Z")


def test_rollback_repoints_the_current_release_and_logs_it(published, capsys):
    assert cli.main(["release", "rollback", "20250115T060000Z", "--reason", "2026 release used a wrong key"]) == 0
    assert current_release_id(published) == "20250115T060000Z"
    for name in ("public", "analyst.duckdb", "restricted.duckdb", "manifest.json"):
        assert os.readlink(published / name) == f"{RELEASES_DIR}/20250115T060000Z/{name}"
    [entry] = read_log(published)
    assert oct((published / "release_log.jsonl").stat().st_mode & 0o777) == "0o444"  # read-only as every published file
    assert (entry["action"], entry["release_id"], entry["previous_release_id"], entry["by"], entry["reason"]) == (
        "rollback",
        "20250115T060000Z",
        "20260115T060000Z",
        "operator.o",
        "2026 release used a wrong key",
    )
    assert "current release is now 20250115T060000Z (was 20260115T060000Z)" in capsys.readouterr().out
    shown = show_release(published, "20250115T060000Z")
    assert shown.startswith("release 20250115T060000Z (current)")
    assert "rollback by operator.o: 20260115T060000Z -> 20250115T060000Z (2026 release used a wrong key)" in shown


def test_rollback_refuses_the_current_an_unknown_release_and_no_reason(published, capsys):
    with pytest.raises(ValueError, match="already the current release"):
        rollback(published, "20260115T060000Z", "why")
    with pytest.raises(ReleaseNotFound, match="releases: 20260115T060000Z, 20250115T060000Z"):
        rollback(published, "20240115T060000Z", "why")
    with pytest.raises(ValueError, match="--reason"):
        rollback(published, "20250115T060000Z", " ")
    assert read_log(published) == [] and current_release_id(published) == "20260115T060000Z"


def test_rollback_waits_for_no_run(published, tmp_path, capsys):
    from dagster_project.run.run_lock import EXIT_BUSY, run_lock
    from homeless_monitor.settings import current

    with run_lock(current().data_dir, current().warehouse):
        code = cli.main(["release", "rollback", "20250115T060000Z", "--reason", "test"])
    assert code == EXIT_BUSY and "another run holds the warehouse" in capsys.readouterr().err
    assert current_release_id(published) == "20260115T060000Z"


def test_the_sensor_hashes_only_new_or_changed_files(tmp_path, monkeypatch):
    import dagster_project.sensors as sensors
    from dagster_project.resources import WarehouseResource

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("patversmes_uzturesanas_2023.csv", "vp_kontakti_2023.csv"):
        (inbox / name).write_text("a;b\n1;2\n", encoding="utf-8")
    hashed: list[str] = []
    real = sensors.file_sha256
    monkeypatch.setattr(sensors, "file_sha256", lambda p: hashed.append(p.name) or real(p))
    resource = WarehouseResource(inbox_dir=str(inbox), work_path=str(tmp_path / "none.duckdb"))

    def tick(instance, cursor=None):
        with build_sensor_context(instance=instance, resources={"warehouse": resource}, cursor=cursor) as context:
            return sensors.inbox_sensor(context), context.cursor

    with DagsterInstance.ephemeral() as instance:
        first, cursor = tick(instance)
        assert len(first.run_key) == 16 and sorted(hashed) == [
            "patversmes_uzturesanas_2023.csv",
            "vp_kontakti_2023.csv",
        ]
        assert sorted(json.loads(cursor)) == ["patversmes_uzturesanas_2023.csv", "vp_kontakti_2023.csv"]
        hashed.clear()
        tick(instance, cursor)
        assert hashed == []  # same names, sizes and times: nothing read again
        (inbox / "vp_kontakti_2023.csv").write_text("a;b\n1;2\n3;4\n", encoding="utf-8")  # changed
        tick(instance, cursor)
        assert hashed == ["vp_kontakti_2023.csv"]


def test_the_projects_instance_has_no_telemetry_and_no_community_popup(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\nrun_retries:\n  enabled: true\n")  # older
    cli.prepare_environment()
    settings = yaml.safe_load((home / "dagster.yaml").read_text())
    assert settings["telemetry"] == {"enabled": False} and settings["nux"] == {"enabled": False}
    assert settings["run_retries"] == {"enabled": True}  # an operator's own setting stays
    with DagsterInstance.from_config(str(home)) as instance:
        assert instance.nux_enabled is False and instance.telemetry_enabled is False


def test_every_cli_option_has_help_text(monkeypatch):
    parsers: list[argparse.ArgumentParser] = []
    monkeypatch.setattr(
        argparse.ArgumentParser,
        "parse_args",
        lambda self, *a, **k: parsers.append(self) or (_ for _ in ()).throw(SystemExit(0)),
    )
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    missing = []

    def walk(parser, path):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, [*path, name])
            elif not action.help:
                missing.append((" ".join(path), action.option_strings or action.dest))

    walk(parsers[0], ["homeless-monitor"])
    assert missing == []
