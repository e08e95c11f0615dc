"""No mart shows a year before the deliveries begin: a prior-situation night before the first check-in,
or a prison release from a spell delivered with the first year, is not a year of data (issue 14's trap)."""

import duckdb
import pytest

YEAR_KEYED_MARTS = (
    "mart_homeless_flow_yearly",
    "mart_homeless_point_in_time",
    "mart_first_time_homeless",
    "mart_oecd_hc31",
    "mart_length_of_homelessness",
    "mart_epoch_indicators",
    "mart_homelessness_list_overlaps",
    "mart_homelessness_estimate",
    "mart_cost_of_homelessness",
)


@pytest.mark.parametrize("mart", YEAR_KEYED_MARTS)
def test_no_year_before_the_first_delivered_year(national_run, mart):
    first = min(national_run.manifest["years"])  # the generator's first year of deliveries
    with duckdb.connect(str(national_run.warehouse), read_only=True) as con:
        years = {y for (y,) in con.execute(f"SELECT DISTINCT year FROM marts.{mart}").fetchall()}
    assert years and min(years) >= first, sorted(years)
