"""Specifications of the GX suites and the stage runners, on tiny hand-made warehouses (no dbt)."""

from __future__ import annotations

import re
import subprocess
import sys

import duckdb
import pytest
from quality_fixtures import STAYS_FILE, small_inbox, stay_rows, write_stays

from homeless_monitor.quality.contract_suites import DELIVERY_DIR, delivery_suites
from homeless_monitor.quality.runner import GxProject, strip_remote_assets
from homeless_monitor.quality.severity import FAILED, NOT_EVALUATED, Severity
from homeless_monitor.quality.stages import run_delivery_stage, run_sql_stage
from homeless_monitor.quality.suites import load_suite, load_suites
from ingestion.loader import load_inbox

KEY = b"k" * 32
# a tag that loads from the internet, or a style that does (GX's index page draws its logo from S3)
REMOTE_ASSET = re.compile(r'<(link|script|img)[^>]+(href|src)="https?://|url\(\s*[\'"]?(https?:)?//', re.I)


@pytest.fixture()
def project(tmp_path):
    return GxProject(tmp_path / "quality")


def _flat(results):
    return [o for outcomes in results.values() for o in outcomes]


def test_delivery_suites_in_expectations_are_exactly_what_the_contracts_generate():
    stored = {p.stem: load_suite(p) for p in DELIVERY_DIR.glob("*.json")}
    generated = delivery_suites()
    assert set(stored) == set(generated)
    for source, suite in generated.items():
        assert stored[source].to_json() == suite.to_json(), (
            f"regenerate: python -m homeless_monitor.quality.contract_suites ({source})"
        )


def test_every_expectation_carries_a_rule_and_a_severity_tier():
    suites = list(delivery_suites().values()) + load_suites("staging") + load_suites("marts")
    for suite in suites:
        assert suite.meta["stage"] in {"delivery", "staging", "mart"}
        for e in suite.expectations:
            assert e["meta"]["rule"]
            Severity(e["meta"]["severity"])
        suite.gx_suite()  # every expectation is a valid GX 1.x expectation


def test_a_file_missing_a_required_column_is_an_error_naming_source_file_row_and_rule(tmp_path, project):
    """One provider's rejected file does not block the national release: it is named as an error."""
    inbox = small_inbox(tmp_path / "inbox")
    bad = "patversmes_uzturesanas_2023_liepaja.csv"
    write_stays(inbox, stay_rows(4, 2023), name=bad, drop_columns=("check_in_date",))
    load_inbox(inbox, tmp_path / "work.duckdb", KEY)
    with duckdb.connect(str(tmp_path / "work.duckdb")) as con:
        outcomes = _flat(run_delivery_stage(con, inbox, project, sources=["shelter_stays"]))
    assert not [o for o in outcomes if o.blocks]
    [rejected] = [o for o in outcomes if o.failed and o.rule.startswith("file_rejected")]
    assert (rejected.source, rejected.file_name, rejected.rows, rejected.rule, rejected.severity) == (
        "shelter_stays",
        bad,
        "header (line 1)",
        "file_rejected:missing_columns",
        Severity.ERROR,
    )
    assert "Ierašanās datums" in rejected.detail
    assert not [o for o in outcomes if o.failed and o.file_name == STAYS_FILE]


def test_a_high_share_of_quarantined_rows_is_an_error_that_names_the_lines(tmp_path, project):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rows = stay_rows(12)
    rows[4]["service_type"] = "viesnīca"  # not in the code list: quarantined as unknown_code, line 6
    write_stays(inbox, rows)
    load_inbox(inbox, tmp_path / "work.duckdb", KEY)
    with duckdb.connect(str(tmp_path / "work.duckdb")) as con:
        outcomes = _flat(run_delivery_stage(con, inbox, project, sources=["shelter_stays"]))
    failed = {o.rule: o for o in outcomes if o.failed}
    assert not any(o.blocks for o in outcomes)
    assert failed["quarantined_share_high"].severity is Severity.ERROR  # 1 of 12 = 8% > 5%
    assert failed["unknown_code"].severity is Severity.WARNING
    assert failed["unknown_code"].rows == "lines 6"


def _flow_mart(con, national: int, municipal: list[int]) -> None:
    con.execute("CREATE SCHEMA marts")
    con.execute("""CREATE TABLE marts.mart_homeless_flow_yearly (year INTEGER, geo_level VARCHAR,
        municipality_atvk VARCHAR, ethos_light_category VARCHAR, sex VARCHAR, age_group VARCHAR,
        persons BIGINT, population BIGINT, rate_per_10000 DOUBLE)""")
    rows = [(2024, "national", "ALL", national, 1_900_000)]
    rows += [(2024, "municipality", f"000{i}000", n, 100_000) for i, n in enumerate(municipal, 1)]
    for year, level, atvk, persons, population in rows:
        con.execute(
            "INSERT INTO marts.mart_homeless_flow_yearly VALUES (?, ?, ?, 'ALL', 'ALL', 'ALL', ?, ?, ?)",
            [year, level, atvk, persons, population, persons * 10000 / population],
        )


def test_national_flow_above_the_sum_of_municipalities_blocks_with_the_year(tmp_path, project):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        _flow_mart(con, national=50, municipal=[20, 25])  # a person cannot count more nationally
        outcomes = _flat(run_sql_stage(con, "marts", project))
    broken = [o for o in outcomes if o.rule == "national_exceeds_municipal_sum"]
    assert broken[0].status == FAILED and broken[0].blocks and broken[0].rows == "year=2024"


def test_a_consistent_flow_mart_passes_its_reconciliations(tmp_path, project):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        _flow_mart(con, national=40, municipal=[20, 25])
        outcomes = _flat(run_sql_stage(con, "marts", project))
    assert not [o for o in outcomes if o.failed]


def test_checks_on_marts_that_do_not_exist_yet_are_not_evaluated_warnings(tmp_path, project):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        outcomes = _flat(run_sql_stage(con, "marts", project))
    assert outcomes and all(o.status == NOT_EVALUATED and o.tier() == "warning" for o in outcomes)


def test_data_docs_are_built_and_load_nothing_from_the_internet(tmp_path, project):
    project.run_name = "run r-17 (mart checks)"
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        _flow_mart(con, national=40, municipal=[20, 25])
        run_sql_stage(con, "marts", project)
    index = project.build_docs()
    pages = list(index.parent.rglob("*.html"))
    assert index.exists() and len(pages) > 1
    pages += list(index.parent.rglob("*.css"))  # not linked by the pages today, but shipped with them
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not REMOTE_ASSET.search(html)
        assert strip_remote_assets(html) == html
    # the scripts and styles the pages need are shipped beside them (the index was empty without jQuery)
    local = re.compile(r'<(?:script|link)[^>]+(?:src|href)="([^"#]+\.(?:js|css))"')
    for page in (index, *[p for p in pages if "validations" in p.parts and p.suffix == ".html"][:1]):
        linked = local.findall(page.read_text(encoding="utf-8"))
        assert any(u.endswith("jquery/jquery.min.js") for u in linked)
        assert any(u.endswith("bootstrap/bootstrap.min.css") for u in linked)
        assert all((page.parent / u).is_file() for u in linked), [u for u in linked if not (page.parent / u).is_file()]
    # a validation page names the table and years it checked and the run, not "None" / "__none__"
    validation = next(p for p in pages if "validations" in p.parts and "mart_homeless_flow_yearly" in p.name)
    html = validation.read_text(encoding="utf-8")
    assert "Data asset: marts.mart_homeless_flow_yearly; years: 2024" in html
    assert "run r-17 (mart checks)" in html and "__none__" not in str(validation)


def _raw_rows_per_year(path, table: str, id_column: str, date_column: str, per_year: dict[int, int]) -> None:
    """raw.<table> with `n` rows dated 1 March of each year (ids: the id column's initial and a number)."""
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS raw")
        con.execute(f"CREATE TABLE raw.{table} ({id_column} VARCHAR, {date_column} DATE)")
        for year, n in per_year.items():
            con.execute(
                f"INSERT INTO raw.{table} SELECT '{id_column[0]}' || i, make_date(?, 3, 1) FROM range(?) t(i)",
                [year, n],
            )


def _stays_per_year(path, per_year: dict[int, int]) -> None:
    _raw_rows_per_year(path, "shelter_stays", "stay_id", "check_in_date", per_year)


def _volume_outcomes(tmp_path, project, published: dict[int, int], now: dict[int, int]):
    """`published`: the work file's rows per year when the last release was made, as its manifest keeps them."""
    from homeless_monitor.quality.queries import raw_volume

    _stays_per_year(tmp_path / "then.duckdb", published)
    with duckdb.connect(str(tmp_path / "then.duckdb"), read_only=True) as then:
        manifest = {"raw_volume": raw_volume(then)}
    suite = next(s for s in load_suites("marts") if s.name == "marts__volume_change")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        _stays_per_year(tmp_path / "w.duckdb", now)
        con.execute("CREATE SCHEMA marts; CREATE TABLE marts.mart_homeless_flow_yearly (year INTEGER)")
        return _flat(run_sql_stage(con, "marts", project, published_manifest=manifest, suites=[suite]))


def test_a_second_year_of_history_is_compared_year_by_year_and_passes(tmp_path, project):
    # the whole table doubles (100 -> 205 rows), but 2023 is unchanged and 2024 is like 2023
    outcomes = _volume_outcomes(tmp_path, project, published={2023: 100}, now={2023: 100, 2024: 105})
    assert outcomes and not [o for o in outcomes if o.failed]


def test_a_published_year_that_doubled_blocks_with_source_and_year(tmp_path, project):
    outcomes = _volume_outcomes(tmp_path, project, published={2023: 100, 2024: 100}, now={2023: 100, 2024: 230})
    failed = [o for o in outcomes if o.failed]
    assert len(failed) == 1 and failed[0].blocks
    assert failed[0].rows == "source=raw.shelter_stays, year=2024"


def test_a_published_year_that_vanished_blocks(tmp_path, project):
    outcomes = _volume_outcomes(tmp_path, project, published={2022: 90, 2023: 100}, now={2023: 100})
    failed = [o for o in outcomes if o.failed]
    assert [o.rows for o in failed] == ["source=raw.shelter_stays, year=2022"]


def test_a_year_the_last_release_held_only_in_part_is_not_compared(tmp_path, project):
    # 2024 held 3 rows (January discharges of 2023 stays); the 2024 file then brings 100
    outcomes = _volume_outcomes(tmp_path, project, published={2023: 100, 2024: 3}, now={2023: 100, 2024: 103})
    assert outcomes and not [o for o in outcomes if o.failed]


def test_the_newest_year_a_release_held_is_compared_like_a_new_year(tmp_path, project):
    # the 2023 file carried 40 spells released in January-March 2024; the 2024 file brings the rest:
    # 2024 is 95 now, 2.4 times what the release held, but like 2023 (95 / 100): passes
    outcomes = _volume_outcomes(tmp_path, project, published={2023: 100, 2024: 40}, now={2023: 100, 2024: 95})
    assert outcomes and not [o for o in outcomes if o.failed]
    # doubled instead (a re-delivery under another name): 2024 / 2023 = 2.1, outside the band
    (tmp_path / "doubled").mkdir()
    outcomes = _volume_outcomes(
        tmp_path / "doubled", project, published={2023: 100, 2024: 40}, now={2023: 100, 2024: 210}
    )
    assert [o.rows for o in outcomes if o.failed] == ["source=raw.shelter_stays, year=2024"]


def test_a_housing_first_programme_source_is_not_held_to_the_yearly_band(tmp_path, project):
    """Programme deliveries follow each programme's enrolment (the 2022-2023 pilot cohort, then a 2024
    programme): 2024 twenty times 2023 is no anomaly, while the national sources stay compared (issue 23)."""
    from homeless_monitor.quality.queries import raw_volume

    def flats(path, per_year):
        _raw_rows_per_year(path, "hf_flats", "flat_id", "tenancy_start", per_year)

    _stays_per_year(tmp_path / "then.duckdb", {2023: 100, 2024: 100})
    flats(tmp_path / "then.duckdb", {2023: 10, 2024: 10})
    with duckdb.connect(str(tmp_path / "then.duckdb"), read_only=True) as then:
        manifest = {"raw_volume": raw_volume(then)}
    assert {r["source"] for r in manifest["raw_volume"]} >= {"raw.hf_flats", "raw.shelter_stays"}
    suite = next(s for s in load_suites("marts") if s.name == "marts__volume_change")
    _stays_per_year(tmp_path / "w.duckdb", {2023: 100, 2024: 230})
    flats(tmp_path / "w.duckdb", {2023: 10, 2024: 200})
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("CREATE SCHEMA marts; CREATE TABLE marts.mart_homeless_flow_yearly (year INTEGER)")
        outcomes = _flat(run_sql_stage(con, "marts", project, published_manifest=manifest, suites=[suite]))
    assert [o.rows for o in outcomes if o.failed] == ["source=raw.shelter_stays, year=2024"]


def test_definitions_load_without_great_expectations() -> None:
    """GX is imported by the step that validates, not when the definitions load (a run that carries
    every verdict forward, the UI and other commands never pay its import: docs/performance.md)."""
    code = "import sys, dagster_project.definitions; print('great_expectations' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"
