"""Drill-down: for cells of the breakdown marts and HC3.1 on the suite's national run, the persons
listed from the person-level rows are exactly as many as the mart's cell says; every drill-down is
logged (who, when, what) in the restricted register; a cell that names no column is refused."""

from __future__ import annotations

import json
import stat

import duckdb
import pytest

from homeless_monitor.extracts.drill import DrillError, drill, parse_cell
from homeless_monitor.extracts.register import log_access, register_path

CELLS = [
    ("mart_homeless_flow_yearly", "year=2024,municipality_atvk=0001000,ethos_light_category=2"),
    ("mart_homeless_flow_yearly", "year=2024,geo_level=national,ethos_light_category=2+3,sex=female"),
    ("mart_homeless_flow_yearly", "year=2023,geo_level=nuts3,nuts3_code=LV006,age_group=25-39"),
    ("mart_homeless_point_in_time", "year=2024,geo_level=national"),
    ("mart_homeless_point_in_time", "year=2024,geo_level=national,ethos_light_category=1+2+3"),
    ("mart_oecd_hc31", "year=2024,count_type=flow,ethos_light_coverage=2+3"),
]


@pytest.fixture(scope="module")
def warehouse(national_run):
    assert national_run.returncode == 0, national_run.output[-3000:]
    return national_run.warehouse


@pytest.mark.parametrize("mart,cell", CELLS, ids=[f"{m}:{c}" for m, c in CELLS])
def test_persons_listed_equal_the_cell(warehouse, mart, cell):
    # the work file holds both the person-level facts and the marts (the tiers split them in a release)
    found = drill(mart, parse_cell(cell), restricted=warehouse, analyst=warehouse)
    assert found.cell_value is not None and found.cell_value > 0
    assert len(found.persons) == found.cell_value
    assert found.persons["person_id"].is_unique
    assert set(found.episodes["person_id"]) == set(found.persons["person_id"])


def test_an_ambiguous_or_unknown_cell_is_refused(warehouse):
    with pytest.raises(DrillError, match="no cell column 'colour'"):
        drill("mart_homeless_flow_yearly", parse_cell("year=2024,colour=red"), warehouse, warehouse)
    with pytest.raises(DrillError, match="defined for"):
        drill("raw_ambulance_calls", parse_cell("year=2024"), warehouse, warehouse)


def test_a_cell_that_is_not_computable_is_refused_not_crashed(warehouse):
    """The suite's set starts in 2023: first-time homelessness of 2024 needs 730 days of history, so the
    mart publishes it as not computable, and drilling into it says so."""
    with pytest.raises(DrillError, match="not computable"):
        drill("mart_first_time_homeless", parse_cell("year=2024,geo_level=national"), warehouse, warehouse)


def test_access_is_logged(tmp_path, monkeypatch):
    monkeypatch.setenv("HOMELESS_MONITOR_USER", "analyst.a")
    log_access(tmp_path, "R1", "mart_homeless_flow_yearly", {"year": "2024"}, 7, "query 2024/17 from the ministry")
    path = register_path(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with duckdb.connect(str(path), read_only=True) as con:
        who, release, mart, cell, listed, purpose = con.execute(
            "select asked_by, release_id, mart, cell, persons_listed, purpose from drill_access_log"
        ).fetchone()
    assert (who, release, mart, json.loads(cell), listed, purpose) == (
        "analyst.a",
        "R1",
        "mart_homeless_flow_yearly",
        {"year": "2024"},
        7,
        "query 2024/17 from the ministry",
    )
