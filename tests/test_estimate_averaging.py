"""The model-averaging estimator (homeless_monitor/estimation/averaging.py) against Rcapture and by hand."""

from __future__ import annotations

import math

import pytest
from test_estimate_rcapture_hiv import HIV

from homeless_monitor.estimation.averaging import (
    Spec,
    Table,
    average,
    family_best,
    lognormal_interval,
    published,
    split_census,
)
from homeless_monitor.estimation.mse import fit_model


def _one_stratum(freqs):
    return {("all", p): c for p, c in freqs.items()}


@pytest.mark.parametrize("interactions, abundance, stderr", [((), 11124.6, None), (((0, 1),), 12318.5, 1188.7)])
def test_one_stratum_reproduces_rcapture_on_hiv(interactions, abundance, stderr):
    # closedp.t / closedpCI.t on Rcapture's HIV: independence 11,124.6; with c1:c2 12,318.5 (stderr 1,188.7)
    fit = Table(_one_stratum(HIV), 4).fit(Spec(tuple(interactions)))
    reference = fit_model(HIV, 4, interactions)
    assert fit.estimate == pytest.approx(abundance, abs=0.1)
    assert fit.estimate == pytest.approx(reference.estimate, rel=1e-9)
    assert fit.stderr == pytest.approx(reference.stderr, rel=1e-6)
    assert fit.aic == pytest.approx(reference.aic, rel=1e-9) and fit.deviance == pytest.approx(
        reference.deviance, abs=1e-6
    )
    if stderr:
        assert fit.stderr == pytest.approx(stderr, abs=0.1)


def test_list_by_stratum_interactions_are_separate_fits_per_stratum():
    # Two strata of two lists each. Stratum A: 60 on list 1 only, 40 on list 2 only, 20 on both:
    # Lincoln-Petersen 120 + 60 x 40 / 20 = 240. Stratum B: 30, 30, 10: 70 + 30 x 30 / 10 = 160.
    # With list x stratum interactions the model is the two fits side by side: 400 in all.
    freqs = {
        ("A", (1, 0)): 60,
        ("A", (0, 1)): 40,
        ("A", (1, 1)): 20,
        ("B", (1, 0)): 30,
        ("B", (0, 1)): 30,
        ("B", (1, 1)): 10,
    }
    fit = Table(freqs, 2).fit(Spec((), "none", True))
    assert fit.usable and fit.df == 0
    assert fit.estimate == pytest.approx(400, abs=1e-6)


def test_heterogeneity_column_is_rcaptures_poisson2_and_darroch():
    table = Table(_one_stratum(HIV), 4)
    k = table.w.sum(axis=1)
    assert (table.design(Spec((), "poisson2"))[:, -1] == 2.0**k - 1).all()
    assert (table.design(Spec((), "darroch"))[:, -1] == k * k / 2).all()


def test_lognormal_interval_by_hand():
    # n = 100, N = 150, se = 10: C = exp(1.96 sqrt(log(1 + 100 / 2500))) = exp(1.96 x 0.19804) = 1.4743: 100 + 50 / 1.4743 = 133.915, 100 + 50 x 1.4743 = 173.714
    lower, upper = lognormal_interval(100, 150, 10)
    c = math.exp(1.959964 * math.sqrt(math.log(1.04)))
    assert lower == pytest.approx(100 + 50 / c, rel=1e-6) and upper == pytest.approx(100 + 50 * c, rel=1e-6)
    assert lower == pytest.approx(133.915, abs=0.01) and upper == pytest.approx(173.714, abs=0.01)


def test_the_average_weights_sum_to_one_and_the_interval_holds_every_confident_model():
    avg = average(Table(_one_stratum(HIV), 4))
    weights = [w for _, w in avg.weights]
    assert sum(weights) == pytest.approx(1.0) and weights == sorted(weights, reverse=True)
    assert min(f.estimate for f, _ in avg.weights) <= avg.estimate <= max(f.estimate for f, _ in avg.weights)
    held, total = 0.0, 0.0
    for fit, w in avg.weights:  # the models holding 95% of the weight: their own intervals are inside
        if total >= 0.95:
            break
        lo, hi = fit.interval(avg.observed)
        assert avg.lower <= lo + 1e-6 and hi <= avg.upper + 1e-6
        total += w
        held += 1
    assert held >= 1


def test_split_census_counts_the_census_list_and_drops_it_from_the_patterns():
    freqs = {("s", (1, 0, 0)): 5, ("s", (1, 1, 0)): 2, ("s", (0, 1, 0)): 7, ("s", (0, 1, 1)): 3, ("s", (0, 0, 1)): 4}
    counted, rest = split_census(freqs, 0)
    assert counted == 7
    assert rest == {("s", (1, 0)): 7, ("s", (1, 1)): 3, ("s", (0, 1)): 4}
    result = published(freqs, ["shelter", "ambulance", "police"])
    assert result.census == 7 and result.lists == ("ambulance", "police")
    assert result.estimate == pytest.approx(7 + 14 + 7 * 4 / 3, rel=1e-6)  # Lincoln-Petersen on the rest


def test_the_interval_holds_the_best_model_of_every_family():
    avg = average(Table(_one_stratum(HIV), 4))
    best = family_best(avg.fits)
    assert ("none", False) in best  # independence and its stepwise path are always fitted
    for (form, covariates), fit in best.items():
        family = [f for f in avg.fits if f.usable and (f.spec.heterogeneity, f.spec.covariates) == (form, covariates)]
        assert fit.aic == min(f.aic for f in family) and len(family) >= 1
        lo, hi = fit.interval(avg.observed)
        assert avg.lower <= lo + 1e-6 and hi <= avg.upper + 1e-6
