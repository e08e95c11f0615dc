"""The published estimate against an outside check's simulator (homeless_monitor/estimation/stress.py):
register behaviour the project's own harness does not make. Few replicates: what holds, and the known
failure kept as a strict xfail so that a method that fixes it has to say so."""

import pytest

from homeless_monitor.estimation.stress import replicate


def _relative_bias_and_coverage(scenario: str, replicates: int = 2) -> tuple[float, float]:
    rows = [replicate(1000 + i, scenario) for i in range(replicates)]
    bias = sum(r["estimate"] / r["truth"] - 1 for r in rows) / len(rows)
    return bias, sum(r["covers"] for r in rows) / len(rows)


@pytest.mark.parametrize("scenario", ["baseline", "amb_hosp"])
def test_all_year_lists_and_dependence_across_1_july_are_estimated(scenario):
    """Everyone homeless all year, independent lists or an ambulance call leading to a hospital discharge up
    to 10 days later (across the half-year boundary too): nearly unbiased, the interval covers the truth."""
    bias, coverage = _relative_bias_and_coverage(scenario)
    assert abs(bias) <= 0.05 and coverage == 1.0


@pytest.mark.xfail(
    strict=True,
    reason="known (issue 24, outsider's check): half the homeless homeless one to six months; the "
    "short-term persons are hardly catchable and the half-year presence classes do not reach them: ~-13 %",
)
def test_short_part_year_homelessness_is_estimated_within_5_percent():
    bias, _ = _relative_bias_and_coverage("uniform_part")
    assert abs(bias) <= 0.05
