"""Specifications of the publication gate, run through the real Dagster job (dbt left out for speed:
the gate, the GE checks and the publication are the same with or without the marts)."""

from __future__ import annotations

import hashlib
import json

import duckdb
import pytest
from quality_fixtures import STAYS_FILE, small_inbox, stay_rows, write_stays

from homeless_monitor.release.publish import CURRENT_LINKS, publish
from homeless_monitor.release.tiers import ANALYST_FILE, MANIFEST_FILE, RESTRICTED_FILE
from ingestion.loader import file_sha256


@pytest.fixture()
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("HOMELESS_MONITOR_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    monkeypatch.setenv("HOMELESS_MONITOR_MODE", "demo")
    return tmp_path


def run_job(tmp_path):
    """monitoring_release without the dbt step; returns Dagster's result."""
    from dagster import AssetKey, DagsterInstance

    from dagster_project.definitions import defs
    from dagster_project.run.cli import prepare_environment

    prepare_environment()
    job = defs.resolve_job_def("monitoring_release")
    graph = defs.resolve_asset_graph()
    selection = [
        k
        for k in graph.executable_asset_keys
        if k.path[0] in {"raw", "ingest", "release"} and k != AssetKey(["release", "yearly_release"])
    ]
    config = {
        "resources": {
            "warehouse": {"config": {"inbox_dir": str(tmp_path / "inbox"), "work_path": str(tmp_path / "work.duckdb")}}
        }
    }
    return job.execute_in_process(
        run_config=config, instance=DagsterInstance.ephemeral(), asset_selection=selection, raise_on_error=False
    )


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _published(tmp_path):
    return tmp_path / "data" / "published"


def test_a_blocking_fault_leaves_the_previous_release_untouched_and_names_the_rule(env):
    tmp_path = env
    small_inbox(tmp_path / "inbox")
    first = run_job(tmp_path)
    assert first.success
    published = _published(tmp_path) / ANALYST_FILE
    before, manifest_before = _sha(published), json.loads((_published(tmp_path) / MANIFEST_FILE).read_text())

    with duckdb.connect(str(tmp_path / "work.duckdb")) as con:  # the loaded data no longer match the receipt
        con.execute("DELETE FROM raw.shelter_stays WHERE _source_row_number = 2")
    second = run_job(tmp_path)

    assert not second.success
    assert _sha(published) == before
    assert json.loads((_published(tmp_path) / MANIFEST_FILE).read_text()) == manifest_before
    assert len(list((_published(tmp_path) / "releases").iterdir())) == 1
    failed = [e for e in second.get_asset_check_evaluations() if not e.passed]
    assert [(e.asset_key.path, e.check_name, e.severity.value) for e in failed] == [
        (["raw", "shelter_stays"], "ge_delivery", "ERROR")
    ]
    report = (tmp_path / "data" / "quality" / "reports" / f"{second.run_id}.md").read_text()
    assert f"raw_rows_differ_from_receipt: source shelter_stays, file {STAYS_FILE}" in report
    from dagster_project.run.summary import run_summary

    summary = run_summary(second, tmp_path / "work.duckdb", _published(tmp_path), tmp_path / "data" / "quality")
    assert f"homeless-monitor release approve {second.run_id} --reason" in summary  # the operator's way on


def test_an_error_level_fault_publishes_and_is_in_the_quality_report(env):
    tmp_path = env
    inbox = small_inbox(tmp_path / "inbox", stays=0)
    rows = stay_rows(12)
    rows[4]["service_type"] = "viesnīca"  # 1 of 12 rows quarantined: above the 5% error threshold
    write_stays(inbox, rows)
    result = run_job(tmp_path)
    assert result.success
    manifest = json.loads((_published(tmp_path) / MANIFEST_FILE).read_text())
    assert manifest["checks"]["summary"]["error"] >= 1
    flagged = [c["file_name"] for c in manifest["checks"]["not_passed"] if c["rule"] == "quarantined_share_high"]
    assert flagged == ["patversmes_uzturesanas_2024_riga.csv"]


def test_a_release_manifest_lists_exactly_the_files_it_was_built_from(env):
    tmp_path = env
    inbox = small_inbox(tmp_path / "inbox")
    (inbox / "readme_from_provider.txt").write_text("not a delivery")  # rejected as no_contract, not an input
    assert run_job(tmp_path).success  # the unmatched file gets a rejection receipt; it is not an input
    expected = {
        (p.name, file_sha256(p))
        for p in inbox.iterdir()
        if p.suffix in {".csv", ".xlsx"} and not p.name.endswith(".receipt.json")
    }
    manifest_path = _published(tmp_path) / MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text())
    assert {(f["file_name"], f["sha256"]) for f in manifest["input_files"]} == expected
    release_dir = _published(tmp_path) / "releases" / manifest["release_id"]
    assert json.loads((release_dir / MANIFEST_FILE).read_text()) == manifest
    assert _sha(release_dir / ANALYST_FILE) == _sha(_published(tmp_path) / ANALYST_FILE)
    assert manifest["code_version"]["git_commit"]


def test_publish_swaps_the_current_release_and_leaves_no_temporary_files(tmp_path):
    """The current release is a set of links swapped one by one with os.replace; each versioned
    release stays as it was published; the old full copy of the work file is removed."""
    work = tmp_path / "work.duckdb"
    with duckdb.connect(str(work)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute("CREATE TABLE marts.mart_thing AS SELECT 2024 AS year, 10 AS persons")
    out = tmp_path / "published"
    out.mkdir()
    (out / "warehouse.duckdb").write_text("the old full copy")
    publish(work, out, {"release_id": "r1"})
    with duckdb.connect(str(work)) as con:
        con.execute("INSERT INTO marts.mart_thing VALUES (2025, 12)")
    publish(work, out, {"release_id": "r2"})
    assert sorted(p.name for p in out.iterdir()) == sorted([*CURRENT_LINKS, "releases", "release_log.jsonl"])
    assert sorted(p.name for p in (out / "releases").iterdir()) == ["r1", "r2"]
    with duckdb.connect(str(out / ANALYST_FILE), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM marts.mart_thing").fetchone()[0] == 2
    with duckdb.connect(str(out / "releases" / "r1" / ANALYST_FILE), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM marts.mart_thing").fetchone()[0] == 1
    assert (out / RESTRICTED_FILE).exists()
