"""The yearly multiple-systems estimate on the shared pipeline run (issue 15, section 2).

The estimator itself is specified by tests/test_estimate_rcapture_hiv.py and
tests/test_estimate_simulation.py; here: the mart is built from the restricted overlap table
and its figures hang together. The generator's truth (_faults.json, homeless_truth) is printed
beside the estimate for the record.
"""
from __future__ import annotations

import duckdb
import pytest


@pytest.fixture(scope="module")
def rows(national_run):
    with duckdb.connect(str(national_run.warehouse), read_only=True) as con:
        estimate = con.execute(
            "SELECT year, lists_used, observed_persons, estimated_persons, ci_lower, ci_upper, chao_lower_bound, model "
            "FROM marts.mart_homelessness_estimate ORDER BY year").fetchall()
        observed = dict(con.execute(
            "SELECT year, sum(persons) FROM marts.mart_homelessness_list_overlaps GROUP BY year").fetchall())
    truth = national_run.manifest["homeless_truth"]["years"]
    for row in estimate:
        print(row, "truth:", truth.get(str(row[0]), {}).get("homeless_persons"))
    return estimate, observed


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
        assert seen <= lower <= estimated and (upper is None or estimated <= upper)
        assert chao >= seen
