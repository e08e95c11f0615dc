"""The estimator reproduces the worked example that ships with R's Rcapture: the HIV data set.

Data: Rcapture's `HIV` (four reporting centres in Rome; Abeni, Brancato & Perucci 1994,
Epidemiology 5:410-414), 15 observed capture patterns, 1,896 persons. Frequencies read from the
package's data/HIV.rda (cran/Rcapture, commit 09223d1f69e3e701cb0ebb81e947235c4cf75385). Expected
fits from the package's own example output, tests/Examples/Rcapture-Ex.Rout.save at that commit
(the examples of man/HIV.Rd and man/closedp.custom.Rd):

  closedpCI.t(HIV, dfreq=TRUE, mX= ~ (c1+c2+c3+c4)^2)  abundance 23443.5 stderr 9594.9 deviance 3.037
      df 4 AIC 92.073; multinomial 23269.8, 95% profile CI 10027.6 - 50046.3
  closedpCI.t(HIV, dfreq=TRUE, mX= ~ . + c1:c2)         abundance 12318.5 stderr 1188.7 deviance 7.614
      df 9 AIC 86.65;  multinomial 12308,   95% profile CI 10266 - 14992.3
"""

from __future__ import annotations

import itertools

import pytest

from homeless_monitor.estimation.mse import chao_lower_bound, estimate_population, fit_model, profile_interval

# (c1, c2, c3, c4): frequency, as stored in Rcapture's HIV matrix (the all-four pattern is 0)
HIV = {
    (1, 1, 1, 1): 0,
    (1, 1, 1, 0): 3,
    (1, 1, 0, 1): 1,
    (1, 1, 0, 0): 33,
    (1, 0, 1, 1): 0,
    (1, 0, 1, 0): 20,
    (1, 0, 0, 1): 6,
    (1, 0, 0, 0): 403,
    (0, 1, 1, 1): 3,
    (0, 1, 1, 0): 35,
    (0, 1, 0, 1): 10,
    (0, 1, 0, 0): 545,
    (0, 0, 1, 1): 11,
    (0, 0, 1, 0): 621,
    (0, 0, 0, 1): 205,
}
ALL_PAIRS = tuple(itertools.combinations(range(4), 2))


def test_the_data_are_rcaptures_descriptive_statistics():
    # descriptive(HIV): 1896 units; f1..f4 = 1774, 115, 7, 0; n1..n4 = 466, 630, 693, 236
    assert sum(HIV.values()) == 1896
    assert [sum(c for p, c in HIV.items() if sum(p) == k) for k in (1, 2, 3, 4)] == [1774, 115, 7, 0]
    assert [sum(c for p, c in HIV.items() if p[i]) for i in range(4)] == [466, 630, 693, 236]


@pytest.mark.parametrize(
    "interactions, abundance, stderr, deviance, df, aic, profile",
    [
        (ALL_PAIRS, 23443.5, 9594.9, 3.037, 4, 92.073, (23269.8, 10027.6, 50046.3)),
        (((0, 1),), 12318.5, 1188.7, 7.614, 9, 86.65, (12308, 10266, 14992.3)),
    ],
    ids=["Mt double interaction", "Mt interaction 1,2"],
)
def test_reproduces_rcapture_closedpci(interactions, abundance, stderr, deviance, df, aic, profile):
    fit = fit_model(HIV, 4, interactions)
    assert fit.estimate == pytest.approx(abundance, abs=0.1)
    assert fit.stderr == pytest.approx(stderr, abs=0.1)
    assert fit.deviance == pytest.approx(deviance, abs=0.001)
    assert fit.df == df
    assert fit.aic == pytest.approx(aic, abs=0.01)
    n_hat, lower, upper = profile_interval(HIV, 4, interactions, start=fit.estimate)
    # Rcapture prints the profile figures to 0.1 and approximates the log-factorials (Stirling)
    assert n_hat == pytest.approx(profile[0], rel=2e-4, abs=0.6)
    assert lower == pytest.approx(profile[1], rel=2e-4, abs=0.6)
    assert upper == pytest.approx(profile[2], rel=2e-4, abs=0.6)


def test_the_documented_choice_interaction_1_2_beats_independence_and_all_pairs_on_aic():
    # man/HIV.Rd: "only the [1,2] interaction is important"; Rcapture's AIC 86.65 < 92.073
    chosen = estimate_population(HIV, 4, criterion="aic")
    assert chosen.model.interactions == ((0, 1),)
    assert chosen.model.aic < fit_model(HIV, 4, ALL_PAIRS).aic
    assert chosen.model.aic < fit_model(HIV, 4, ()).aic


def test_chao_lower_bound_by_hand():
    # n + f1^2 / (2 f2) = 1896 + 1774^2 / 230
    assert chao_lower_bound(HIV) == pytest.approx(1896 + 1774**2 / 230)
