"""The yearly multiple-systems estimate on the shared pipeline run (issue 15, section 2).

The estimator itself is specified by tests/test_estimate_rcapture_hiv.py and
tests/test_estimate_simulation.py; here: the mart is built from the restricted overlap table
and its figures hang together. The generator's truth (_faults.json, homeless_truth) is printed
beside the estimate for the record.
"""

from __future__ import annotations

import duckdb
import pytest


def fetch(national_run, *queries: str) -> list[list[tuple]]:
    """Each query's rows, read from the shared run's warehouse."""
    with duckdb.connect(str(national_run.warehouse), read_only=True) as con:
        return [con.execute(sql).fetchall() for sql in queries]


@pytest.fixture(scope="module")
def rows(national_run):
    estimate, observed = fetch(
        national_run,
        "SELECT year, lists_used, observed_persons, estimated_persons, ci_lower, ci_upper, chao_lower_bound, model "
        "FROM marts.mart_homelessness_estimate ORDER BY year",
        "SELECT year, sum(persons) FROM marts.mart_homelessness_list_overlaps GROUP BY year",
    )
    truth = national_run.manifest["homeless_truth"]["years"]
    for row in estimate:
        print(row, "truth:", truth.get(str(row[0]), {}).get("homeless_persons"))
    return estimate, dict(observed)


def test_every_generated_year_has_an_estimate_from_all_five_lists(rows, national_run):
    estimate, _ = rows
    truth_years = sorted(int(y) for y in national_run.manifest["homeless_truth"]["years"])
    assert [r[0] for r in estimate if r[0] in truth_years] == truth_years
    for year, lists_used, *_ in estimate:
        if year in truth_years:
            assert lists_used == "shelter,ambulance,police,prison,hospital", year


def test_observed_is_the_overlap_table_and_the_interval_holds_the_estimate(rows):
    estimate, observed = rows
    for year, _, seen, estimated, lower, upper, chao, _ in estimate:
        assert seen == observed[year]
        if estimated is not None:  # published: the year meets the minimum precision
            assert seen <= lower <= estimated and (upper is None or estimated <= upper)
        else:
            assert lower is None and upper is None
        assert chao >= seen


def test_unpublished_years_say_why_and_the_sensitivity_table_has_one_chosen_row_per_published_year(national_run):
    years, chosen, keys = fetch(
        national_run,
        "SELECT year, is_published, not_published_reason_en, not_published_reason_lv, "
        "chao_note_en FROM marts.mart_homelessness_estimate",
        "SELECT year, count(*) FILTER (WHERE is_chosen) FROM marts.mart_homelessness_estimate_sensitivity GROUP BY year",
        "SELECT DISTINCT model_key FROM marts.mart_homelessness_estimate_sensitivity",
    )
    chosen, keys = dict(chosen), {k for (k,) in keys}
    assert years
    for year, published, reason_en, reason_lv, chao_note in years:
        assert (reason_en is None) == bool(published) and (reason_lv is None) == bool(published)
        assert chosen[year] == (1 if published else 0)
        assert "floor" in chao_note
    assert {"independence", "bic_stepwise", "aic_stepwise", "model_average", "half_year_presence", "chao"} <= keys
