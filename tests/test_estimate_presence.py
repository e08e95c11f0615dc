"""Lists split by half-year (homeless_monitor/estimation/presence.py), on tables worked out by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from homeless_monitor.estimation.averaging import Table
from homeless_monitor.estimation.presence import average_presence, fit_presence, half_occasions


def test_the_occasions_split_only_the_named_lists():
    assert half_occasions(["shelter", "ambulance", "prison"], ["ambulance"]) == (
        ("shelter", "ambulance (first half)", "ambulance (second half)", "prison"),
        (0, 1, 2, 0),
    )


def test_one_list_in_two_halves_is_lincoln_petersen():
    """First half only 60, second half only 40, both 20: n1 = 80, n2 = 60, m = 20, N = 80 x 60 / 20 = 240.
    The presence classes have more parameters than the 3 cells and are left out."""
    table = Table({("all", (1, 0)): 60, ("all", (0, 1)): 40, ("all", (1, 1)): 20}, 2)
    assert not fit_presence(table, (1, 2), classes=True).usable
    avg = average_presence(table, (1, 2))
    assert avg.estimate == pytest.approx(240, rel=1e-4)
    assert avg.lower <= 240 <= avg.upper


def test_presence_classes_recover_a_part_year_population_that_independence_misses():
    """1,000 persons: 200 present in the first half only, 200 in the second only, 600 in both; two lists
    split by half, every present person caught with probability 1/2 on each occasion. The table holds the
    exact expected counts; persons on no occasion: 200 x 1/4 + 200 x 1/4 + 600 x 1/16 = 137.5, so 862.5 seen.
    Fitted to its own expectation the presence model returns N = 1,000; the occasions taken as independent
    (everyone present all year) fall short, since the first-half-only persons make the first-half
    occasions look dependent."""
    halves = (1, 2, 1, 2)  # list A first half, A second half, list B first half, B second half
    freqs = {}
    for w in itertools.product((0, 1), repeat=4):
        if not any(w):
            continue
        first, second = sum(w[i] for i in (0, 2)), sum(w[i] for i in (1, 3))
        mu = 200 * 0.5**2 * (second == 0) + 200 * 0.5**2 * (first == 0) + 600 * 0.5**4
        freqs[("all", w)] = mu
    table = Table(freqs, 4)
    assert table.n == pytest.approx(862.5)
    presence = fit_presence(table, halves, classes=True)
    both = fit_presence(table, halves, classes=False)
    assert presence.usable
    assert presence.estimate == pytest.approx(1000, rel=1e-3)
    assert both.estimate < 990  # 985
    avg = average_presence(table, halves)
    assert avg.weights[0][0].spec.heterogeneity == "part_year_presence"
    assert avg.lower <= 1000 <= avg.upper


def test_harness_part_year_presence_covers_and_is_nearly_unbiased():
    """A few harness replicates of the part-year scenario (the full table: simulation.py --presence)."""
    from homeless_monitor.estimation.simulation import PRESENCE, SCENARIOS, run

    scenario = next(s for s in SCENARIOS if s.name == "part-year exposure")
    (row,) = run([scenario], replicates=4, seed=99, compare=False, methods=(PRESENCE,))
    print(row)
    assert row["coverage"] >= 0.75
    assert abs(row["bias"]) <= 0.05
    assert np.isfinite(row["width"])
