"""The yearly build plan: which years the next dbt build recomputes, decided from the warehouse."""

import datetime as dt

import duckdb
import pytest

from dagster_project.dbt_build.dbt_build_plan import (
    PRODUCTION_EXCLUDES,
    BuildPlan,
    nothing_to_do,
    plan_build,
    record_build,
    sources_feeding_incremental_models,
)
from ingestion.contracts import all_contracts

# A lineage as dbt's manifest gives it: shelter stays and population feed an incremental model,
# the provider register only a table, ethos light (no period columns) the incremental model.
MANIFEST = {
    "sources": {
        f"source.hm.raw.{s}": {"source_name": "raw", "name": s}
        for s in ("shelter_stays", "ref_providers", "ref_population", "ref_ethos_light", "ambulance_calls")
    },
    "nodes": {
        "model.hm.stg_stays": {"config": {"materialized": "view"}},
        "model.hm.fct_service_days": {"config": {"materialized": "incremental"}, "tags": ["yearly_incremental"]},
        "model.hm.stg_calls": {"config": {"materialized": "incremental"}, "tags": []},  # incremental by load
        "model.hm.dim_provider": {"config": {"materialized": "table"}},
    },
    "child_map": {
        "source.hm.raw.shelter_stays": ["model.hm.stg_stays"],
        "model.hm.stg_stays": ["model.hm.fct_service_days"],
        "source.hm.raw.ref_providers": ["model.hm.dim_provider"],
        "source.hm.raw.ref_population": ["model.hm.fct_service_days"],
        "source.hm.raw.ref_ethos_light": ["model.hm.stg_stays"],
        "source.hm.raw.ambulance_calls": ["model.hm.stg_calls"],
        "model.hm.fct_service_days": [],
        "model.hm.dim_provider": [],
        "model.hm.stg_calls": [],
    },
}


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA ingest; CREATE SCHEMA raw; CREATE SCHEMA intermediate")
    con.execute("CREATE TABLE ingest.receipts (load_id VARCHAR, source VARCHAR, status VARCHAR)")
    con.execute("CREATE TABLE raw.shelter_stays (_load_id VARCHAR, check_in_date DATE, check_out_date DATE)")
    con.execute("CREATE TABLE raw.ref_population (_load_id VARCHAR, year INTEGER)")
    con.execute("CREATE TABLE intermediate.int_person_episodes (end_date DATE, is_open BOOLEAN)")
    return con


def deliver(con, load_id: str, source: str, rows: list[tuple] = ()) -> None:
    con.execute("INSERT INTO ingest.receipts VALUES (?, ?, 'loaded')", [load_id, source])
    for row in rows:
        con.execute(f"INSERT INTO raw.{source} VALUES (?, {', '.join('?' * len(row))})", [load_id, *row])


def built(con, plan: BuildPlan) -> None:
    record_build(con, plan, f"build-{len(plan.load_ids)}")


def test_lineage_names_the_sources_that_feed_year_keyed_models():
    assert sources_feeding_incremental_models(MANIFEST) == {"shelter_stays", "ref_population", "ref_ethos_light"}


def test_first_build_and_a_changed_project_are_full_refreshes(con):
    deliver(con, "L1", "shelter_stays", [(dt.date(2023, 5, 1), dt.date(2023, 5, 9))])
    first = plan_build(con, MANIFEST, "fp-1", all_contracts())
    assert (first.full_refresh, first.dbt_args()) == (True, ["build", *PRODUCTION_EXCLUDES, "--full-refresh"])
    built(con, first)
    changed = plan_build(con, MANIFEST, "fp-2", all_contracts())
    assert changed.full_refresh and "changed" in changed.reason


def test_a_new_year_of_stays_rebuilds_from_the_earliest_year_its_rows_describe(con):
    deliver(con, "L1", "shelter_stays", [(dt.date(2023, 5, 1), dt.date(2023, 5, 9))])
    built(con, plan_build(con, MANIFEST, "fp", all_contracts()))
    # the 2024 file also carries a stay that began on 30 December 2023
    deliver(con, "L2", "shelter_stays", [(dt.date(2024, 3, 1), None), (dt.date(2023, 12, 30), dt.date(2024, 1, 2))])
    plan = plan_build(con, MANIFEST, "fp", all_contracts())
    assert (plan.full_refresh, plan.rebuild_from_year) == (False, 2023)
    assert plan.dbt_args() == ["build", *PRODUCTION_EXCLUDES, "--vars", '{"rebuild_from_year": 2023}']
    assert plan.load_ids == ("L1", "L2")


def test_records_open_at_the_last_build_reach_into_the_following_year(con):
    deliver(con, "L1", "shelter_stays", [(dt.date(2023, 5, 1), None)])
    con.execute("INSERT INTO intermediate.int_person_episodes VALUES ('2023-06-30', true)")
    built(con, plan_build(con, MANIFEST, "fp", all_contracts()))
    deliver(con, "L2", "shelter_stays", [(dt.date(2025, 1, 5), None)])
    assert plan_build(con, MANIFEST, "fp", all_contracts()).rebuild_from_year == 2023


def test_sources_no_year_keyed_model_reads_do_not_widen_the_rebuild(con):
    deliver(con, "L1", "shelter_stays", [(dt.date(2023, 5, 1), dt.date(2023, 5, 9))])
    built(con, plan_build(con, MANIFEST, "fp", all_contracts()))
    deliver(con, "L2", "ref_providers")
    deliver(con, "L3", "shelter_stays", [(dt.date(2024, 2, 1), dt.date(2024, 2, 3))])
    assert plan_build(con, MANIFEST, "fp", all_contracts()).rebuild_from_year == 2024


def test_a_population_revision_rebuilds_from_its_first_year_and_ethos_mapping_every_year(con):
    deliver(con, "L1", "shelter_stays", [(dt.date(2023, 5, 1), dt.date(2023, 5, 9))])
    built(con, plan_build(con, MANIFEST, "fp", all_contracts()))
    deliver(con, "L2", "ref_population", [(2010,), (2024,)])
    assert plan_build(con, MANIFEST, "fp", all_contracts()).rebuild_from_year == 2010
    deliver(con, "L3", "ref_ethos_light")
    plan = plan_build(con, MANIFEST, "fp", all_contracts())
    assert (plan.full_refresh, plan.rebuild_from_year, plan.dbt_args()) == (
        False,
        None,
        ["build", *PRODUCTION_EXCLUDES],
    )
    assert "ref_ethos_light" in plan.reason


def test_nothing_new_recomputes_every_year(con):
    deliver(con, "L1", "shelter_stays", [(dt.date(2023, 5, 1), dt.date(2023, 5, 9))])
    built(con, plan_build(con, MANIFEST, "fp", all_contracts()))
    plan = plan_build(con, MANIFEST, "fp", all_contracts())
    assert (plan.full_refresh, plan.rebuild_from_year) == (False, None)


def test_nothing_new_since_the_published_release_builds_nothing_and_anything_else_builds(con):
    deliver(con, "L1", "shelter_stays", [(dt.date(2023, 5, 1), dt.date(2023, 5, 9))])
    record_build(con, plan_build(con, MANIFEST, "fp", all_contracts()), "run-1", "code-a")
    release = {"release_id": "R1", "dagster_run_id": "run-1", "input_files": [{"load_id": "L1"}]}
    plan = plan_build(con, MANIFEST, "fp", all_contracts())
    assert "R1" in nothing_to_do(con, plan, release, "code-a")
    # each of these needs a build (and so a release): no release yet, one from another run (the last build
    # was not published), other code, another set of loads, a changed dbt project, a new delivery
    assert nothing_to_do(con, plan, None, "code-a") is None
    assert nothing_to_do(con, plan, {**release, "dagster_run_id": "run-0"}, "code-a") is None
    assert nothing_to_do(con, plan, release, "code-b") is None
    assert nothing_to_do(con, plan, {**release, "input_files": []}, "code-a") is None
    assert nothing_to_do(con, plan_build(con, MANIFEST, "other", all_contracts()), release, "code-a") is None
    deliver(con, "L2", "shelter_stays", [(dt.date(2024, 5, 1), dt.date(2024, 5, 9))])
    assert nothing_to_do(con, plan_build(con, MANIFEST, "fp", all_contracts()), release, "code-a") is None


def test_the_code_fingerprint_follows_the_code(tmp_path):
    from dagster_project.dbt_build.dbt_build_plan import code_fingerprint

    (tmp_path / "ingestion").mkdir()
    (tmp_path / "ingestion" / "loader.py").write_text("x = 1")
    first = code_fingerprint(tmp_path)
    assert code_fingerprint(tmp_path) == first
    (tmp_path / "ingestion" / "loader.py").write_text("x = 2")
    assert code_fingerprint(tmp_path) != first


def test_the_job_takes_a_full_refresh_from_run_config_as_the_cli_sends_it():
    from dagster import validate_run_config

    from dagster_project.definitions import defs

    job = defs.get_job_def("monitoring_release")
    config = validate_run_config(job, {"ops": {"warehouse_dbt_models": {"config": {"full_refresh": True}}}})
    assert config["ops"]["warehouse_dbt_models"]["config"]["full_refresh"] is True
    assert validate_run_config(job, {})["ops"]["warehouse_dbt_models"]["config"]["full_refresh"] is False


def test_a_production_build_leaves_the_unit_tests_to_ci():
    """Unit tests check the code on hand-made rows (tests/test_dbt_project.py runs them with every
    change); the data tests, which check what was delivered, stay in every build."""
    for plan in (
        BuildPlan(full_refresh=True, rebuild_from_year=None, reason="first"),
        BuildPlan(full_refresh=False, rebuild_from_year=2024, reason="new year"),
    ):
        args = plan.dbt_args()
        assert args[args.index("--exclude-resource-type") + 1] == "unit_test"
        assert "test" not in args[args.index("--exclude-resource-type") + 1 :]
