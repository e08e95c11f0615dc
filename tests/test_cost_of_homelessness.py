"""The cost of homelessness on the shared pipeline run (issue 15, section 3).

The arithmetic is specified on hand-made rows by the dbt unit test cost_of_homelessness_by_hand;
here the mart's rows add up and the homeless cohort's cost per person-year is above everyone
else's (the generator gives it far higher crisis-service rates).
"""

from __future__ import annotations

import duckdb
import pytest


@pytest.fixture(scope="module")
def cost(national_run):
    with duckdb.connect(str(national_run.warehouse), read_only=True) as con:
        return con.execute(
            "SELECT year, cost_item, homeless_cost_eur, general_cost_eur, homeless_cost_per_person_year_eur, "
            "general_cost_per_person_year_eur, excess_cost_per_person_year_eur, homeless_persons "
            "FROM marts.mart_cost_of_homelessness"
        ).fetchall()


def test_all_row_is_the_sum_of_the_items(cost):
    years = {r[0] for r in cost}
    for year in years:
        items = [r for r in cost if r[0] == year and r[1] != "all"]
        (total,) = [r for r in cost if r[0] == year and r[1] == "all"]
        assert len(items) == 5
        assert total[2] == pytest.approx(sum(r[2] for r in items), abs=0.05)
        assert total[3] == pytest.approx(sum(r[3] for r in items), abs=0.05)


def test_homeless_person_years_cost_more_than_the_general_population(cost, national_run):
    generated = {int(y) for y in national_run.manifest["homeless_truth"]["years"]}
    for year, item, _, _, homeless, general, excess, persons in cost:
        if item == "all" and year in generated:
            assert persons > 0
            assert homeless > general
            assert excess == pytest.approx(homeless - general, abs=0.02)
