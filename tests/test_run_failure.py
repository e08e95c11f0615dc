"""A failed run says why in words an operator can act on, and offers an approval only when a quality
check blocked it (a model dbt could not build is not something to approve)."""

from dagster_project.run.run_failure import failure_text, is_build_failure, model_errors

DBT_OOM = """The dbt CLI process with command

`/venv/bin/dbt build --full-refresh --select fqn:*`

failed with exit code `1`. Check the stdout in the Dagster compute logs for the full information about the error.

Errors parsed from dbt logs:

318 of 337 ERROR creating sql incremental model marts.mart_length_of_homelessness  [\x1b[31mERROR\x1b[0m in 50.40s]

\x1b[31mFailure in model mart_length_of_homelessness (models/marts/mart_length_of_homelessness.sql)\x1b[0m

  Runtime Error in model mart_length_of_homelessness (models/marts/mart_length_of_homelessness.sql)
  Out of Memory Error: failed to allocate data of size 2.0 MiB (953.6 MiB/953.6 MiB used)
"""

DBT_TEST_FAILED = """The dbt CLI process with command

`/venv/bin/dbt build`

failed with exit code `1`.

Errors parsed from dbt logs:

\x1b[31mFailure in test not_null_dim_person_person_id (models/marts/_marts__models.yml)\x1b[0m
  Got 3 results, configured to fail if != 0
"""


def test_a_model_out_of_memory_is_named_with_the_setting_to_change():
    assert model_errors(DBT_OOM) == [
        "mart_length_of_homelessness: Out of Memory Error: failed to allocate data of size 2.0 MiB "
        "(953.6 MiB/953.6 MiB used) — raise HOMELESS_MONITOR_DUCKDB_MEMORY (DuckDB's memory limit for dbt, "
        "see dbt/profiles.yml)"
    ]
    assert failure_text(DBT_OOM, width=400).startswith("mart_length_of_homelessness: Out of Memory Error")


def test_a_model_dbt_could_not_build_cannot_be_approved():
    assert is_build_failure("warehouse_dbt_models", DBT_OOM)


def test_a_failing_dbt_test_or_a_blocking_check_can_be_approved_after_review():
    assert not is_build_failure("warehouse_dbt_models", DBT_TEST_FAILED)
    assert not is_build_failure("delivery_checks", "Blocking check quarantined_share_blocking failed")


def test_any_other_error_is_a_build_failure_and_shows_its_first_line():
    assert is_build_failure("release_tiers", "RuntimeError: disk full\nTraceback ...")
    assert failure_text("\n\nRuntimeError: disk full\nmore") == "RuntimeError: disk full"


def test_the_release_gate_stopped_by_blocking_checks_can_be_approved_but_not_its_other_failures():
    """The gate raises with BLOCKED_GATE's words (dagster_project/assets/release.py) when checks block."""
    assert not is_build_failure(
        "release_tiers", "Failure: not published: 2 blocking check(s) failed; the last good release stays. First: …"
    )
    assert is_build_failure("release_tiers", "Failure: not published: disclosure audit failed: 3 cells exposed")
