"""Lists split by half-year, so that the capture history carries exposure (a candidate method, issue 24).

A person homeless for two weeks in March can be caught only in the first half of the year; on the
yearly lists that person is simply rarely caught, and every list's rarity comes from the same short
spell, so the lists look positively dependent and every model of the yearly table falls short (the
harness's part-year exposure scenario: -5 %). Splitting each crisis list into its first-half and
second-half contacts (a person is on "ambulance, first half" when a flagged call falls between 1 January
and 30 June) lets the data show who was present when: a temporary-emigration model of a closed
population with two secondary periods (Kendall, Nichols & Hines 1997), in its simplest latent-class form:

  persons present in the first half only (share a), in the second half only (b), in both (c = 1 - a - b);
  within each class the occasions are independent, with the class's own catchability on each occasion
  (0 on the occasions of a half the class is absent from); an occasion with no half (the prison list:
  releases) has one catchability for everyone.

  E[y(w)] = N sum_k share_k prod_j p_kj^w_j (1 - p_kj)^(1 - w_j)

fitted to the observed cells by Poisson maximum likelihood (statsmodels' GenericLikelihoodModel, BFGS;
its numerical Hessian gives the covariance). Beside it the same likelihood with everyone present in both
halves (c = 1: the occasions independent), and the two are averaged on AIC weights (Burnham & Anderson's
unconditional standard error, as averaging.average does), so a year with no part-year homelessness is not
forced into three classes. The interval is averaging's log-normal one on the unseen persons, widened to
hold each model's own interval.

Not wired into the marts: the overlap mart carries yearly patterns only (see the issue-24 round-3 note for
what the mart would need: each crisis list's first and last flagged day per person and year).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
from scipy.special import expit, gammaln
from statsmodels.base.model import GenericLikelihoodModel
from statsmodels.tools.numdiff import approx_fprime

from .averaging import Averaged, Fit, Spec, Table, averaged_over

#: the two models averaged: everyone present in both halves, or three presence classes
MODELS = ("both_halves", "part_year_presence")
#: a fit whose unseen persons exceed this multiple of the observed ones ran to a boundary (an empty class
#: of near-uncatchable persons) and is not used
MAX_UNSEEN_RATIO = 10.0
MAX_BFGS_ITERATIONS = 3000


class _Presence(GenericLikelihoodModel):
    """Poisson likelihood of the observed cells under the presence classes; `halves[j]` is 1, 2 or 0 (both)."""

    def __init__(self, y: np.ndarray, w: np.ndarray, halves: Sequence[int], classes: bool):
        self.w = w
        self.halves = np.asarray(halves)
        self.classes = classes
        super().__init__(y, np.ones((len(y), 1)))

    def split(self, params: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """(log N, class shares, catchability [class, occasion]) from the parameter vector.

        Parameters: log N; with classes the log-odds of 'first half only' and 'second half only' against
        'both'; then the logit catchability of each occasion for the 'both' class, and with classes of the
        first-half occasions for 'first half only' and of the second-half ones for 'second half only'.
        Occasions of no half share the 'both' class's catchability in every class.
        """
        j = self.w.shape[1]
        first, second = self.halves == 1, self.halves == 2
        both_p = expit(params[-j:]) if not self.classes else expit(params[3 : 3 + j])
        if not self.classes:
            return params[0], np.array([1.0]), both_p[None, :]
        odds = np.exp(np.array([params[1], params[2], 0.0]))
        shares = odds / odds.sum()
        rest = params[3 + j :]
        p_first, p_second = both_p.copy(), both_p.copy()
        p_first[first] = expit(rest[: first.sum()])
        p_first[second] = 0.0
        p_second[second] = expit(rest[first.sum() :])
        p_second[first] = 0.0
        return params[0], shares, np.vstack([p_first, p_second, both_p])

    def cells(self, params: np.ndarray, w: np.ndarray) -> np.ndarray:
        log_n, shares, p = self.split(params)
        # an occasion a class is absent from: caught with probability 0 (w = 1 impossible, w = 0 certain);
        # log 0 as a large finite negative so that 0 x log 0 stays 0 in the product
        log_p = np.log(np.maximum(p, 1e-300))
        log_lik = w @ np.where(p > 0, log_p, -1e4).T + (1 - w) @ np.log1p(-p).T
        return np.exp(log_n) * (np.exp(log_lik) @ shares)

    def loglike(self, params: np.ndarray) -> float:
        mu = self.cells(params, self.w)
        return float(np.sum(self.endog * np.log(np.maximum(mu, 1e-300)) - mu - gammaln(self.endog + 1)))

    def unseen(self, params: np.ndarray) -> float:
        return float(self.cells(params, np.zeros((1, self.w.shape[1])))[0])


def fit_presence(table: Table, halves: Sequence[int], classes: bool) -> Fit:
    """One model on the table collapsed over strata; Fit.spec names it (heterogeneity = the model's key)."""
    spec = Spec((), MODELS[int(classes)])
    y = np.zeros(2**table.lists - 1)
    index = {p: i for i, p in enumerate(sorted({tuple(int(v) for v in r) for r in table.w}))}
    w = np.array(sorted(index), dtype=float)
    for pattern, count in zip(table.w, table.y):
        y[index[tuple(int(v) for v in pattern)]] += count
    n = float(y.sum())
    failed = Fit(spec, math.inf, math.inf, math.inf, 0, math.inf, math.inf, False)
    if n <= 0:
        return failed
    model = _Presence(y, w, halves, classes)
    # start: every occasion's share of the observed persons x 0.5 as catchability, N = 1.5 x observed
    rate = np.clip(w.T @ y / (1.5 * n), 1e-3, 0.9)
    logit = np.log(rate / (1 - rate))
    halves_ = np.asarray(halves)
    start = [math.log(1.5 * n)]
    if classes:
        start += [-1.0, -1.0, *logit, *logit[halves_ == 1], *logit[halves_ == 2]]
    else:
        start += list(logit)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            res = model.fit(start_params=np.array(start), method="bfgs", maxiter=MAX_BFGS_ITERATIONS, disp=0)
            params = np.asarray(res.params)
            cov = np.asarray(res.cov_params())
            unseen = model.unseen(params)
            grad = approx_fprime(params, model.unseen, centered=True)
        except Exception:  # noqa: BLE001 - a singular Hessian is a model that cannot be fitted
            return failed
    var = float(grad @ cov @ grad) + unseen
    loglik = float(model.loglike(params))
    k = len(params)
    usable = (
        len(y) >= k
        and bool(res.mle_retvals.get("converged", True))
        and bool(np.all(np.isfinite(params)))
        and math.isfinite(var)
        and var >= 0
        and unseen <= MAX_UNSEEN_RATIO * n
    )
    saturated = float(np.sum(y * np.log(np.maximum(y, 1e-300)) - y - gammaln(y + 1)))
    return Fit(
        spec,
        n + unseen,
        math.sqrt(max(var, 0.0)),
        2 * (saturated - loglik),
        len(y) - k,
        -2 * loglik + 2 * k,
        -2 * loglik + k * math.log(max(n, 2)),
        usable,
    )


def average_presence(table: Table, halves: Sequence[int]) -> Averaged:
    """AIC-weighted average of the both-halves and the presence-class models; the interval holds each one's."""
    fits = [fit_presence(table, halves, classes) for classes in (False, True)]
    usable = [f for f in fits if f.usable]
    return averaged_over(table.n, usable, fits, lambda _: usable)


def half_occasions(names: Sequence[str], split: Sequence[str]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The occasions of lists `names` with the lists in `split` in two halves: (occasion names, half of each)."""
    occasions, halves = [], []
    for name in names:
        if name in split:
            occasions += [f"{name} (first half)", f"{name} (second half)"]
            halves += [1, 2]
        else:
            occasions.append(name)
            halves.append(0)
    return tuple(occasions), tuple(halves)
