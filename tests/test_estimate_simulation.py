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

from dagster_project.estimation.mse import estimate_population

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
