"""Specifications of incremental checks: a run validates only new deliveries and the years the dbt
builds since recomputed, carries every other verdict forward, marked as such, and a blocking
failure carried forward still blocks publication. Tiny hand-made warehouses, no dbt."""

from __future__ import annotations

import duckdb
import pytest
from quality_fixtures import STAYS_FILE, stay_rows, write_stays

from dagster_project.dbt_build.dbt_build_plan import BuildPlan, record_build
from homeless_monitor.quality import store
from homeless_monitor.quality.page import render_page
from homeless_monitor.quality.runner import GxProject
from homeless_monitor.quality.severity import FAILED, PASSED, tally
from homeless_monitor.quality.stages import run_delivery_stage, run_sql_stage
from homeless_monitor.quality.suites import load_suites
from ingestion.loader import load_inbox

KEY = b"k" * 32
NEW_FILE = "patversmes_uzturesanas_2023_liepaja.csv"


class Spy:
    """A GX project that remembers which frames it was asked to validate."""

    def __init__(self, project: GxProject):
        self.project, self.frames = project, []

    def run(self, spec, frame):
        self.frames.append((spec.name, frame.copy()))
        return self.project.run(spec, frame)


@pytest.fixture(scope="module")
def gx_project(tmp_path_factory):
    return GxProject(tmp_path_factory.mktemp("quality"))


def _delivery_run(con, inbox, project, run_id):
    """One delivery check step: validate, then save as the asset does (the next run carries from it)."""
    outcomes = [
        o
        for group in run_delivery_stage(con, inbox, project, sources=["shelter_stays"], run_id=run_id).values()
        for o in group
    ]
    store.save(con, run_id, "delivery", outcomes)
    return outcomes


def _inbox_with_stays(tmp_path, rows):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_stays(inbox, rows)
    return inbox


def test_a_second_run_with_no_new_delivery_validates_nothing_and_carries_every_outcome(tmp_path, gx_project):
    inbox = _inbox_with_stays(tmp_path, stay_rows(12))
    load_inbox(inbox, tmp_path / "w.duckdb", KEY)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        first = _delivery_run(con, inbox, Spy(gx_project), "run-1")
        spy = Spy(gx_project)
        second = _delivery_run(con, inbox, spy, "run-2")
        stored = store.load(con, "run-2")
    assert spy.frames == []  # nothing validated anew
    assert first and all(o.carried_from is None for o in first)
    assert all(o.carried_from == "run-1" for o in second) and len(stored) == len(second)
    assert sorted((o.rule, o.status) for o in second) == sorted((o.rule, o.status) for o in first)
    assert tally(second) == tally(first)
    page = render_page("run-2", stored, "")
    assert page.count("carried forward from run run-1") == len(second)
    assert "0 validated in this run" in page


def test_raw_rows_changed_behind_the_receipt_make_the_file_validated_again(tmp_path, gx_project):
    inbox = _inbox_with_stays(tmp_path, stay_rows(12))
    load_inbox(inbox, tmp_path / "w.duckdb", KEY)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        _delivery_run(con, inbox, gx_project, "run-1")
        con.execute("DELETE FROM raw.shelter_stays WHERE _source_row_number = 2")  # same file, same load
        spy = Spy(gx_project)
        second = _delivery_run(con, inbox, spy, "run-2")
    assert [list(frame.file_name) for _, frame in spy.frames] == [[STAYS_FILE]]
    assert [(o.rule, o.carried_from) for o in second if o.blocks] == [("raw_rows_differ_from_receipt", None)]


def test_a_new_delivery_is_validated_and_the_earlier_one_carried(tmp_path, gx_project):
    inbox = _inbox_with_stays(tmp_path, stay_rows(12))
    load_inbox(inbox, tmp_path / "w.duckdb", KEY)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        _delivery_run(con, inbox, gx_project, "run-1")
    rows = stay_rows(12, 2023)
    rows[4]["service_type"] = "viesnīca"  # not in the code list: line 6 of the new file quarantined
    write_stays(inbox, rows, name=NEW_FILE)
    load_inbox(inbox, tmp_path / "w.duckdb", KEY)
    spy = Spy(gx_project)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        outcomes = _delivery_run(con, inbox, spy, "run-2")
    [(suite, frame)] = spy.frames
    assert suite == "delivery__shelter_stays" and list(frame.file_name) == [NEW_FILE]
    fresh = [o for o in outcomes if o.carried_from is None]
    carried = [o for o in outcomes if o.carried_from == "run-1"]
    assert fresh and carried and len(fresh) + len(carried) == len(outcomes)
    [unknown] = [o for o in fresh if o.rule == "unknown_code"]
    assert (unknown.status, unknown.file_name, unknown.rows) == (FAILED, NEW_FILE, "lines 6")
    assert not [o for o in carried if o.status != PASSED]  # the first file passed everything in run-1
    assert all(
        o.extra["carried_units"] == [STAYS_FILE] or o.extra["carried_units"][0].startswith(STAYS_FILE) for o in carried
    )


def test_a_blocking_delivery_failure_carried_forward_still_blocks_until_the_file_is_corrected(tmp_path, gx_project):
    rows = stay_rows(12)
    for row in rows[:7]:  # 7 of 12 rows quarantined: above the ministry's 50 % block threshold
        row["service_type"] = "viesnīca"
    inbox = _inbox_with_stays(tmp_path, rows)
    load_inbox(inbox, tmp_path / "w.duckdb", KEY)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        first = _delivery_run(con, inbox, gx_project, "run-1")
        second = _delivery_run(con, inbox, gx_project, "run-2")
        gate = store.load(con, "run-2")  # what release_tiers and `release approve` read
    assert [o.rule for o in first if o.blocks] == ["quarantined_share_blocking"]
    [blocker] = [o for o in gate if o.blocks]
    assert (blocker.rule, blocker.file_name, blocker.carried_from) == (
        "quarantined_share_blocking",
        STAYS_FILE,
        "run-1",
    )
    assert tally(second)["blocked"] == 1
    assert "carried forward from run run-1" in blocker.line()
    # the provider's corrected file (same name, new bytes) is validated anew and no longer blocks
    write_stays(inbox, stay_rows(12))
    load_inbox(inbox, tmp_path / "w.duckdb", KEY)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        third = _delivery_run(con, inbox, gx_project, "run-3")
    assert not [o for o in third if o.blocks] and all(o.carried_from is None for o in third)


# --- staging and mart suites: the years the dbt builds recomputed ------------------------------------

FLOW = next(s for s in load_suites("marts") if s.name == "marts__mart_homeless_flow_yearly")


def _flow_mart(con, national: dict[int, int]) -> None:
    """The flow mart with one national row per year and two municipal rows of 20 and 25 persons."""
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    con.execute("""CREATE OR REPLACE TABLE marts.mart_homeless_flow_yearly (year INTEGER, geo_level VARCHAR,
        municipality_atvk VARCHAR, ethos_light_category VARCHAR, sex VARCHAR, age_group VARCHAR,
        persons BIGINT, population BIGINT, rate_per_10000 DOUBLE)""")
    for year, persons in national.items():
        for level, atvk, n in (
            ("national", "ALL", persons),
            ("municipality", "0001000", 20),
            ("municipality", "0002000", 25),
        ):
            con.execute(
                "INSERT INTO marts.mart_homeless_flow_yearly VALUES (?, ?, ?, 'ALL', 'ALL', 'ALL', ?, ?, ?)",
                [year, level, atvk, n, 100_000, n * 10000 / 100_000],
            )


def _build(con, build_id: str, full_refresh: bool = False, from_year: int | None = None, loads=("l1",)):
    con.execute("CREATE SCHEMA IF NOT EXISTS ingest")
    record_build(con, BuildPlan(full_refresh, from_year, "test", tuple(loads), "project"), build_id)


def _mart_run(con, project, run_id):
    outcomes = [
        o for group in run_sql_stage(con, "marts", project, suites=[FLOW], run_id=run_id).values() for o in group
    ]
    store.save(con, run_id, "mart", outcomes)
    return outcomes


def _years(spy: Spy) -> list[list[int]]:
    return [sorted(int(y) for y in frame.year) for _, frame in spy.frames]


def test_only_the_years_a_build_recomputed_are_validated_again_and_a_carried_block_still_blocks(tmp_path, gx_project):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        _flow_mart(con, {2022: 40, 2023: 40, 2024: 40})
        _build(con, "b1", full_refresh=True)
        spy = Spy(gx_project)
        first = _mart_run(con, spy, "run-1")
        assert _years(spy) == [[2022, 2023, 2024]] and not [o for o in first if o.failed]

        # the next build recomputes 2024 on: 2024's national count now exceeds the municipal sum (50 > 45)
        _flow_mart(con, {2022: 40, 2023: 40, 2024: 50})
        _build(con, "b2", from_year=2024, loads=("l1", "l2"))
        spy = Spy(gx_project)
        second = _mart_run(con, spy, "run-2")
        assert _years(spy) == [[2024]]
        [broken] = [o for o in second if o.failed]
        assert (broken.rule, broken.rows, broken.carried_from, broken.blocks) == (
            "national_exceeds_municipal_sum",
            "year=2024",
            None,
            True,
        )
        carried = [o for o in second if o.carried_from]
        assert carried and all(o.carried_from == "run-1" and o.status == PASSED for o in carried)
        assert carried[0].extra["carried_units"] == ["year=2022", "year=2023"]

        # no build since: nothing is validated, and the 2024 failure, carried forward, still blocks
        spy = Spy(gx_project)
        third = _mart_run(con, spy, "run-3")
        gate = [o for o in store.load(con, "run-3") if o.blocks]
    assert spy.frames == []
    assert [(o.rows, o.carried_from) for o in gate] == [("year=2024", "run-2")]
    # the same verdicts; passes carried from two runs are listed once per expectation
    assert {(o.rule, o.status, o.rows) for o in third} == {(o.rule, o.status, o.rows) for o in second}
    assert {o.rule for o in third if o.status == PASSED} == {e["meta"]["rule"] for e in FLOW.expectations}


def test_a_full_refresh_or_a_build_of_new_loads_over_every_year_validates_every_year(tmp_path, gx_project):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        _flow_mart(con, {2023: 40, 2024: 40})
        _build(con, "b1", full_refresh=True)
        _mart_run(con, gx_project, "run-1")
        _build(con, "b2", from_year=None, loads=("l1",))  # every year recomputed, same loads: same tables
        spy = Spy(gx_project)
        _mart_run(con, spy, "run-2")
        assert spy.frames == []
        _build(con, "b3", from_year=None, loads=("l1", "l2"))  # every year recomputed from a new load
        spy = Spy(gx_project)
        _mart_run(con, spy, "run-3")
        assert _years(spy) == [[2023, 2024]]
        _build(con, "b4", full_refresh=True, loads=("l1", "l2"))
        spy = Spy(gx_project)
        outcomes = _mart_run(con, spy, "run-4")
        assert _years(spy) == [[2023, 2024]] and all(o.carried_from is None for o in outcomes)
        # no recorded build since, but the run rebuilt models without recording one (a partial selection)
        spy = Spy(gx_project)
        run_sql_stage(con, "marts", spy, suites=[FLOW], run_id="run-5", everything="a partial selection")
    assert _years(spy) == [[2023, 2024]]
