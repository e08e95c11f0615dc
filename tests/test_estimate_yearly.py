"""The yearly estimate table (dagster_project/estimation/yearly.py) on hand-made overlap tables."""
from __future__ import annotations

import pandas as pd
import pytest

from dagster_project.estimation.yearly import yearly_estimates


def _cells(year: int, rows: list[tuple[int, int, int, int, int, int]]) -> list[dict]:
    names = ["on_shelter", "on_ambulance", "on_police", "on_prison", "on_hospital"]
    return [{"year": year, **{n: bool(v) for n, v in zip(names, r[:5])}, "persons": r[5]} for r in rows]


def test_two_lists_give_lincoln_petersen_and_empty_lists_are_left_out():
    # 2021: 60 only in shelters, 40 only seen by the ambulance, 20 on both; no one on the other
    # lists. Independence of two lists: unseen = 60 x 40 / 20 = 120, so N = 120 + 120 = 240.
    # Chao: f1 = 100, f2 = 20: 120 + 100^2 / 40 = 370. 2022 has one list only: no estimate.
    overlaps = pd.DataFrame(
        _cells(2021, [(1, 0, 0, 0, 0, 60), (0, 1, 0, 0, 0, 40), (1, 1, 0, 0, 0, 20)])
        + _cells(2022, [(1, 0, 0, 0, 0, 90)]))
    table = yearly_estimates(overlaps)
    assert table["year"].tolist() == [2021]
    row = table.iloc[0]
    assert row["lists_used"] == "shelter,ambulance" and row["list_count"] == 2
    assert row["observed_persons"] == 120
    assert row["poisson_estimate"] == 240
    assert row["model"] == "independence"  # the 1:2 interaction leaves nothing to estimate the unseen cell
    assert row["chao_lower_bound"] == 370
    assert row["ci_lower"] <= row["estimated_persons"] <= row["ci_upper"]
    assert row["ci_lower"] > row["observed_persons"]
    assert row["hidden_persons"] == row["estimated_persons"] - 120


def test_a_dependent_pair_is_chosen_when_the_data_call_for_it():
    # three lists; shelter and police share far more people than independence implies
    rows = [(1, 0, 0, 0, 0, 400), (0, 1, 0, 0, 0, 300), (0, 0, 1, 0, 0, 200), (1, 1, 0, 0, 0, 60),
            (1, 0, 1, 0, 0, 200), (0, 1, 1, 0, 0, 30), (1, 1, 1, 0, 0, 40)]
    row = yearly_estimates(pd.DataFrame(_cells(2024, rows))).iloc[0]
    assert row["lists_used"] == "shelter,ambulance,police"
    assert "shelter:police" in row["model"]
    assert row["df"] >= 0


@pytest.mark.parametrize("criterion", ["aic", "bic"])
def test_criterion_is_reported(criterion):
    overlaps = pd.DataFrame(_cells(2021, [(1, 0, 0, 0, 0, 60), (0, 1, 0, 0, 0, 40), (1, 1, 0, 0, 0, 20)]))
    assert yearly_estimates(overlaps, criterion=criterion)["criterion"].tolist() == [criterion]
