"""Start-up parses the dbt project once per fingerprint (issue 17), not once per run or per checkout.

A fingerprint is the project's file contents, the dbt version and the env vars the project reads;
file times do not count. `dbt parse` is replaced by a fake that writes a manifest and counts calls.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import homeless_monitor.dbt_manifest as dp


def _project(root: Path) -> Path:
    (root / "models").mkdir(parents=True)
    (root / "dbt_project.yml").write_text("name: p\n")
    (root / "models" / "a.sql").write_text("select 1 as x\n")
    return root


@pytest.fixture
def parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    calls: list[Path] = []

    def fake_run(args, **kwargs):
        target = Path(kwargs["cwd"]) / "target"
        target.mkdir(exist_ok=True)
        (target / "manifest.json").write_text('{"parsed_in": "%s"}' % kwargs["cwd"])  # noqa: UP031
        calls.append(Path(kwargs["cwd"]))

    monkeypatch.setattr(dp.subprocess, "run", fake_run)
    monkeypatch.setenv("HOMELESS_MONITOR_DBT_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("HM_PG_RESTRICTED_ROLE", raising=False)
    return calls


def _use(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    monkeypatch.setattr(dp, "DBT_PROJECT_DIR", project)


def test_a_second_checkout_of_the_same_project_does_not_parse(tmp_path, monkeypatch, parses):
    first = _project(tmp_path / "checkout1")
    _use(monkeypatch, first)
    dp.ensure_manifest()
    dp.ensure_manifest()  # same checkout, nothing changed
    assert parses == [first]

    second = tmp_path / "checkout2"
    shutil.copytree(first, second, ignore=shutil.ignore_patterns("target"))
    os.utime(second / "models" / "a.sql", (2_000_000_000, 2_000_000_000))  # newer file time, same bytes
    _use(monkeypatch, second)
    manifest = dp.ensure_manifest()
    assert parses == [first]  # no parse: the manifest comes from the cache
    assert manifest == second / "target" / "manifest.json"
    assert manifest.read_text() == (first / "target" / "manifest.json").read_text()


def test_a_changed_model_or_env_var_parses_again(tmp_path, monkeypatch, parses):
    project = _project(tmp_path / "checkout")
    _use(monkeypatch, project)
    dp.ensure_manifest()
    (project / "models" / "a.sql").write_text("select 2 as x\n")
    dp.ensure_manifest()
    assert len(parses) == 2
    monkeypatch.setenv("HM_PG_RESTRICTED_ROLE", "other_role")  # rendered into the manifest's grants
    dp.ensure_manifest()
    assert len(parses) == 3
