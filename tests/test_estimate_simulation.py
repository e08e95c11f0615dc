"""Coverage of the estimator's 95% interval on lists drawn from a known population.

Four lists are drawn from N = 2,000 persons with known capture probabilities, 100 seeds each:
(a) independent lists: the chosen model's 95% profile interval must cover N in at least 90 seeds;
(b) lists 1 and 2 positively dependent (on list 1 makes list 2 five times as likely): the chosen
model (interactions selected by BIC) must cover N far more often than the independence model,
which under-estimates when two lists share their people.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from homeless_monitor.estimation.mse import estimate_population

N = 2000
SEEDS = range(100)
P = np.array([0.20, 0.15, 0.25, 0.12])


def _independent(rng: np.random.Generator) -> np.ndarray:
    return rng.random((N, P.size)) < P


def _dependent_pair(rng: np.random.Generator) -> np.ndarray:
    caught = _independent(rng)
    p_second = np.where(caught[:, 0], 0.50, 0.10)  # list 2 given list 1: 0.50, else 0.10
    caught[:, 1] = rng.random(N) < p_second
    return caught


def _patterns(caught: np.ndarray) -> dict[tuple[int, ...], int]:
    seen = caught[caught.any(axis=1)].astype(int)
    return dict(Counter(map(tuple, seen.tolist())))


def _covers(estimate) -> bool:
    return estimate.lower <= N <= estimate.upper


@pytest.fixture(scope="module")
def coverage() -> dict[str, int]:
    counts = Counter()
    for seed in SEEDS:
        independent = _patterns(_independent(np.random.default_rng([seed, 1])))
        counts["independent, chosen"] += _covers(estimate_population(independent, 4))
        dependent = _patterns(_dependent_pair(np.random.default_rng([seed, 2])))
        counts["dependent, chosen"] += _covers(estimate_population(dependent, 4))
        counts["dependent, independence"] += _covers(estimate_population(dependent, 4, interactions=()))
    print(dict(counts))
    return counts


def test_independent_lists_cover_in_at_least_90_of_100_seeds(coverage):
    assert coverage["independent, chosen"] >= 90


def test_dependent_pair_chosen_model_covers_far_more_often_than_independence(coverage):
    assert coverage["dependent, chosen"] >= 80
    assert coverage["dependent, chosen"] >= coverage["dependent, independence"] + 40


# -- the estimation methods on lists that behave like real ones (homeless_monitor/estimation/simulation.py) ------
# A few replicates per scenario in CI (the full table: `python -m homeless_monitor.estimation.simulation
# --replicates 100 --published-only`, pasted in the issue-24 note). Each replicate: 5,800 shelter users and
# 6,300 rough sleepers outside shelters, lists drawn at the generator's rates with one behaviour switched on.
from homeless_monitor.estimation.simulation import (  # noqa: E402
    SCENARIOS,
    presence_published,
    simulate_replicate,
    yearly_published,
)

#: replicates per scenario: the method to publish is held to the bar itself (at least 9 of 10 intervals cover,
#: i.e. 90 %); the yearly method to 4 of 5
PRESENCE_REPLICATES, YEARLY_REPLICATES = 10, 5
SCENARIO = {s.name: s for s in SCENARIOS}


def _results(name: str, presence: bool) -> list[tuple[float, float, float, int]]:
    out = []
    for r in range(PRESENCE_REPLICATES if presence else YEARLY_REPLICATES):
        rep = simulate_replicate(SCENARIO[name], np.random.default_rng([99, r]))
        result = (
            presence_published(rep.halves, rep.halves_aside) if presence else yearly_published(rep.freqs, rep.aside)
        )
        out.append((result.estimate, result.lower, result.upper, rep.truth))
    return out


def _assert_meets_the_bar(results, least_covered: int) -> None:
    covered = sum(lo <= truth <= hi for _, lo, hi, truth in results)
    bias = float(np.mean([est / truth - 1 for est, _, _, truth in results]))
    print(covered, f"{bias:+.3f}")
    assert covered >= least_covered
    assert abs(bias) <= 0.05


@pytest.mark.parametrize("name", list(SCENARIO))
def test_presence_method_covers_the_truth_in_every_scenario(name):
    """The method to publish (half-year presence classes with within-half list dependence): in every named
    scenario, part-year exposure and the dependent pair among them, at least 9 of 10 intervals cover the
    truth and the mean relative bias is within 5 %."""
    _assert_meets_the_bar(_results(name, presence=True), PRESENCE_REPLICATES - 1)


@pytest.mark.parametrize(
    "name",
    [
        "independent lists",
        "one dependent pair (ambulance -> hospital)",
        "log-normal heterogeneity",
        "two classes (chronic rough sleepers)",
        # housed persons flagged once: those with an address within 30 days are set aside, and the interval
        # reaches over the estimate with them kept
        "false positives (default rate)",
        # not part-year exposure: the yearly lists cannot tell a person homeless for two weeks from one rarely
        # caught (issue-24 notes: -5.1 % / 80 % over 100 replicates); the presence method above is the answer
    ],
)
def test_yearly_method_covers_the_truth_without_part_year(name):
    _assert_meets_the_bar(_results(name, presence=False), YEARLY_REPLICATES - 1)


def test_presence_method_finds_the_ambulance_hospital_dependence():
    """Under the dependent pair (a call that ends in a hospital stay puts the person on both lists in the
    same half), the best model of the presence average carries the within-half ambulance x hospital term in
    each of 5 replicates; the split lists are numbered in the order of their first-half occasions."""
    from homeless_monitor.estimation.simulation import HALF_LISTS, HALVES

    split = [name for name, half in zip(HALF_LISTS, HALVES) if half == 1]
    pair = (split.index("ambulance"), split.index("hospital"))
    for r in range(5):
        rep = simulate_replicate(SCENARIO["one dependent pair (ambulance -> hospital)"], np.random.default_rng([99, r]))
        top = presence_published(rep.halves, rep.halves_aside).averaged.top
        assert pair in top.spec.interactions, top.spec
