"""The estimate and the cost of homelessness in the public tier, on hand-made marts: what is published
(minimised), at what precision (model outputs to the nearest 10), and how their national person counts
sit in the disclosure problem beside the flow mart's. k = 5."""

from __future__ import annotations

import csv

import duckdb
import pandas as pd
import pytest

from homeless_monitor.disclosure.attacker import audit
from homeless_monitor.disclosure.control import apply_suppression, control
from homeless_monitor.disclosure.secondary import protect
from homeless_monitor.disclosure.tables import PUBLIC_TABLES, build_problem, read_public_frames, round_to

K = 5
ESTIMATE, COST, FLOW = "mart_homelessness_estimate", "mart_cost_of_homelessness", "mart_homeless_flow_yearly"
# The public columns, pinned here and not read from the models: a fit statistic or any other column
# that reached the public tier without a decision must fail these tests.
PUBLIC_ESTIMATE_COLUMNS = (
    "year lists_used list_count observed_persons estimated_persons ci_lower ci_upper hidden_persons"
    " chao_lower_bound model criterion"
).split()
PUBLIC_COST_COLUMNS = (
    "year cost_item unit_cost_eur homeless_persons homeless_cost_per_person_year_eur"
    " general_cost_per_person_year_eur excess_cost_per_person_year_eur excess_cost_national_eur"
    " homeless_cost_per_person_day_eur housing_first_eur_day"
).split()


@pytest.mark.parametrize(
    "value, expected",
    [(1234.5, 1230.0), (1235.0, 1240.0), (1245.0, 1250.0), (2440.0, 2440.0), (4.9, 0.0), (5.0, 10.0), (None, None)],
)
def test_a_model_output_is_rounded_half_up_to_the_nearest_10(value, expected):
    """Half up, as statistical tables round (1245 -> 1250, not the banker's 1240)."""
    assert round_to(value, 10) == expected


def _warehouse(con: duckdb.DuckDBPyConnection) -> None:
    """2023: 3 persons observed (sensitive); 2024: 1604, equal to the flow's national total that year."""
    con.execute("CREATE SCHEMA marts")
    con.execute("""CREATE TABLE marts.mart_homelessness_estimate AS SELECT * FROM (VALUES
        (2023, 'shelter,police', 2, 3, 3.4, 3.0, 9.2, 0.4, 3.5, 'independence', 'bic', 3.4, 0.8, 0.1, 0, 9.1, 9.5),
        (2024, 'shelter,ambulance,police', 3, 1604, 2634.6, 2275.1, 3164.9, 1030.6, 2405.0,
         'independence + shelter:ambulance', 'bic', 2634.6, 121.3, 2.5, 2, 40.1, 52.3))
        t(year, lists_used, list_count, observed_persons, estimated_persons, ci_lower, ci_upper, hidden_persons,
          chao_lower_bound, model, criterion, poisson_estimate, poisson_stderr, deviance, df, aic, bic)""")
    con.execute("""CREATE TABLE marts.mart_cost_of_homelessness AS SELECT * FROM (VALUES
        (2024, 'ambulance_call', 100.0, 1590, 300, 30000.0, 18.87, 999000, 9000, 900000.0, 0.9, 17.97, 28573.0, 0.05, 19.2),
        (2024, 'all', NULL, 1590, NULL, 30000.0, 18.87, 999000, NULL, 900000.0, 0.9, 17.97, 28573.0, 0.05, 19.2))
        t(year, cost_item, unit_cost_eur, homeless_persons, homeless_units, homeless_cost_eur,
          homeless_cost_per_person_year_eur, general_population, general_units, general_cost_eur,
          general_cost_per_person_year_eur, excess_cost_per_person_year_eur, excess_cost_national_eur,
          homeless_cost_per_person_day_eur, housing_first_eur_day)""")
    con.execute("""CREATE TABLE marts.mart_homeless_flow_yearly AS SELECT * FROM (VALUES
        (2024, 'national', 'ALL', 'ALL', 'ALL', 'ALL', 'ALL', 1604, 1870000, 8.58, false))
        t(year, geo_level, nuts3_code, municipality_atvk, ethos_light_category, sex, age_group, persons,
          population, rate_per_10000, below_suppression_threshold)""")


@pytest.fixture
def warehouse(tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        _warehouse(con)
        yield con


def test_the_estimate_publishes_observed_persons_exactly_and_the_model_outputs_to_the_nearest_10(warehouse):
    frame = read_public_frames(warehouse)[ESTIMATE]
    assert list(frame.columns) == PUBLIC_ESTIMATE_COLUMNS
    row = frame[frame.year == 2024].iloc[0]
    assert row.observed_persons == 1604
    assert (row.estimated_persons, row.ci_lower, row.ci_upper) == (2630.0, 2280.0, 3160.0)
    assert (row.hidden_persons, row.chao_lower_bound) == (1030.0, 2410.0)
    assert row.ci_lower <= row.estimated_persons <= row.ci_upper


def test_the_cost_mart_publishes_per_person_year_figures_not_units_or_totals(warehouse):
    frame = read_public_frames(warehouse)[COST]
    assert list(frame.columns) == PUBLIC_COST_COLUMNS


def test_a_year_with_fewer_than_5_observed_persons_hides_its_count_and_every_model_output(warehouse):
    controlled = control(warehouse, K)
    assert controlled.passed
    est = controlled.tables[ESTIMATE].set_index("year")
    assert bool(est.loc[2023, "observed_persons_suppressed"]) and pd.isna(est.loc[2023, "observed_persons"])
    for column in ("estimated_persons", "ci_lower", "ci_upper", "hidden_persons", "chao_lower_bound"):
        assert bool(est.loc[2023, f"{column}_suppressed"]) and pd.isna(est.loc[2023, column])
        assert not bool(est.loc[2024, f"{column}_suppressed"])
    assert not controlled.tables[COST]["homeless_persons_suppressed"].any()


def test_the_cost_mart_counts_one_cell_a_year_within_the_flow_total(warehouse):
    """2024: the cost mart's 1590 linkable persons repeat on each item's row (dbt meta `equal`: one
    variable), at most the flow's 1604 (meta `subset`: linkable persons with a night are among all
    persons with a night). The estimate's observed persons, 1604 too, are their own cell: its lists
    also hold persons with no homeless night that year, so no written relation ties it to the flow."""
    frames = read_public_frames(warehouse)
    cm = build_problem(frames)
    flow_total = cm.cells[(FLOW, 0, "persons")]
    estimate_2024 = frames[ESTIMATE].index[frames[ESTIMATE].year == 2024][0]
    estimate_cell = cm.cells[(ESTIMATE, estimate_2024, "observed_persons")]
    assert estimate_cell != flow_total
    assert not [r for r in cm.problem.relations if estimate_cell in r.members]
    cost_cells = {cm.cells[(COST, position, "homeless_persons")] for position in range(len(frames[COST]))}
    assert len(cost_cells) == 1 and flow_total not in cost_cells
    (cost_cell,) = cost_cells
    assert [(r.kind, r.total, r.parts) for r in cm.problem.relations if cost_cell in r.members] == [
        ("subset", flow_total, (cost_cell,))
    ]


def test_hiding_the_flow_total_hides_the_estimate_s_equal_observed_persons():
    """A flow national total of 3 (sensitive) is the estimate's observed persons: both hidden."""
    flow = pd.DataFrame(
        [
            {
                "year": 2024,
                "geo_level": "national",
                "nuts3_code": "ALL",
                "municipality_atvk": "ALL",
                "ethos_light_category": "ALL",
                "sex": "ALL",
                "age_group": "ALL",
                "persons": 3,
                "rate_per_10000": 0.1,
            }
        ]
    )
    estimate = pd.DataFrame(
        [
            {
                "year": 2024,
                "observed_persons": 3,
                "estimated_persons": 10.0,
                "ci_lower": 0.0,
                "ci_upper": 20.0,
                "hidden_persons": 10.0,
                "chao_lower_bound": 10.0,
            }
        ]
    )
    tables = tuple(t for t in PUBLIC_TABLES if t.name in (FLOW, ESTIMATE))
    frames = {FLOW: flow, ESTIMATE: estimate}
    cm = build_problem(frames, tables)
    result = protect(cm.problem, K)
    out, _ = apply_suppression(frames, cm, result.suppressed, result.primary, K, tables)
    assert out[FLOW]["persons_suppressed"].tolist() == [True]
    assert out[ESTIMATE]["observed_persons_suppressed"].tolist() == [True]
    assert out[ESTIMATE]["estimated_persons_suppressed"].tolist() == [True]
    assert audit(cm.problem, result.suppressed, K) == []


def test_the_dictionary_says_which_figures_are_rounded_model_outputs(warehouse, tmp_path, monkeypatch):
    from homeless_monitor.release import public

    monkeypatch.setattr(public, "describe", lambda model: f"{model} (docs)")
    monkeypatch.setattr(public, "describe_column", lambda model, column: f"{column} (docs)")
    controlled = control(warehouse, K)
    with duckdb.connect() as con:
        public.write_table(con, tmp_path, ESTIMATE, controlled.tables[ESTIMATE], controlled.specs[ESTIMATE], K)
    with (tmp_path / f"{ESTIMATE}.dictionary.csv").open(encoding="utf-8") as f:
        protection = {row["column"]: row["protection"] for row in csv.DictReader(f)}
    assert "nearest 10" in protection["estimated_persons"] and "nearest 10" in protection["ci_upper"]
    assert protection["observed_persons"].startswith("count: 1 to 4 suppressed")
    assert "nearest" not in protection["observed_persons"] and "poisson_stderr" not in protection
    assert "nearest 10" in protection["(table)"]
