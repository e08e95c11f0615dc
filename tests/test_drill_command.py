"""The drill command: refuses without a purpose, logs the purpose with the access, survives a reader that
closes the pipe early (`| head`), and keeps its register in a format every DuckDB from 1.0 on opens."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import duckdb
import pandas as pd
import pytest

from homeless_monitor.extracts import cli as extract_cli
from homeless_monitor.extracts.drill import Drill
from homeless_monitor.extracts.register import log_access, register_path
from homeless_monitor.settings import current

PERSONS = pd.DataFrame({"person_id": [f"P{i:05d}" for i in range(5000)], "first_night": "2024-01-01"})


@pytest.fixture
def published(tmp_path, monkeypatch):
    folder = tmp_path / "data" / "published"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"release_id": "R1"}))
    monkeypatch.setenv("HOMELESS_MONITOR_DATA", str(tmp_path / "data"))
    return folder


def _fake_drill(mart, cell, restricted, analyst):
    return Drill(mart, cell, len(PERSONS), PERSONS, PERSONS)


def _log(published) -> list[tuple]:
    with duckdb.connect(str(register_path(published)), read_only=True) as con:
        return con.execute("select mart, persons_listed, purpose from drill_access_log").fetchall()


def test_no_purpose_no_listing(published, monkeypatch, capsys):
    monkeypatch.setattr(extract_cli, "drill", _fake_drill)
    assert extract_cli.drill_command(current(), "mart_homeless_flow_yearly", "year=2024", None, False, "x") == 2
    assert "--purpose" in capsys.readouterr().err
    assert not register_path(published).exists()


def test_the_purpose_is_logged_with_the_access(published, monkeypatch, capsys):
    monkeypatch.setattr(extract_cli, "drill", _fake_drill)
    assert (
        extract_cli.drill_command(
            current(), "mart_homeless_flow_yearly", "year=2024", None, False, "case 2024-117, duplicate check"
        )
        == 0
    )
    assert "5000 persons listed" in capsys.readouterr().out
    assert _log(published) == [("mart_homeless_flow_yearly", 5000, "case 2024-117, duplicate check")]


def test_the_cli_requires_purpose(published, capsys):
    from dagster_project.run.cli import main

    with pytest.raises(SystemExit):
        main(["drill", "mart_homeless_flow_yearly", "--cell", "year=2024"])
    assert "--purpose" in capsys.readouterr().err


def test_a_closed_pipe_ends_quietly(published, tmp_path):
    script = textwrap.dedent("""
        import sys, pandas as pd
        from homeless_monitor.extracts import cli
        from homeless_monitor.extracts.drill import Drill
        from homeless_monitor.settings import current
        persons = pd.DataFrame({"person_id": [f"P{i:05d}" for i in range(20000)]})
        cli.drill = lambda mart, cell, r, a: Drill(mart, cell, len(persons), persons, persons)
        sys.exit(cli.drill_command(current(), "mart_homeless_flow_yearly", "year=2024", None, False, "checking a closed pipe"))
    """)
    env = {**__import__("os").environ, "HOMELESS_MONITOR_DATA": str(tmp_path / "data")}
    result = subprocess.run(
        f"{sys.executable} -c '{script}' | head -n 2", shell=True, capture_output=True, text=True, env=env
    )
    assert len(result.stdout.splitlines()) == 2
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, result.stderr
    assert _log(published) == [("mart_homeless_flow_yearly", 20000, "checking a closed pipe")]


def test_the_register_opens_in_duckdb_1_x_format_and_an_old_one_is_converted(tmp_path):
    old = tmp_path / "published"
    old.mkdir()
    with duckdb.connect(str(register_path(old))) as con:  # as earlier versions wrote it: DuckDB 2.0's format
        con.execute(
            "create table drill_access_log (asked_at timestamptz, asked_by varchar, release_id varchar, "
            "mart varchar, cell varchar, persons_listed bigint)"
        )
        con.execute("insert into drill_access_log values (now(), 'a', 'R0', 'mart_oecd_hc31', '{}', 3)")
    log_access(old, "R1", "mart_homeless_flow_yearly", {"year": "2024"}, 7, "after the conversion")
    with duckdb.connect() as con:
        con.execute(f"attach '{register_path(old)}' as r (read_only)")
        tags = con.execute("select tags from duckdb_databases() where database_name = 'r'").fetchone()[0]
        rows = con.execute("select release_id, purpose from r.drill_access_log order by release_id").fetchall()
    assert tags["storage_version"].startswith("v1.0.0")
    assert rows == [("R0", None), ("R1", "after the conversion")]
    assert [p.name for p in old.iterdir()] == [register_path(old).name]
