"""Multiple-systems estimation for lists that behave like real ones: covariates, heterogeneity, averaging.

The observed table holds persons by stratum (a covariate cell: age group x Rīga/other) and capture
pattern over L lists. Every candidate is a log-linear Poisson model (statsmodels GLM) over the
observed cells; the unseen cell of each stratum is exp(its linear predictor at the all-zero pattern):

  log E[y(s, w)] = a_s + sum_i b_i w_i                       stratum and list effects
                   [+ sum_i c_(i,s) w_i]                     "covariates": each list's catchability varies by stratum (CBS)
                   [+ sum_(i<j) l_ij w_i w_j]                pairwise list dependence, chosen stepwise on AIC
                   [+ h * f(w_1 + ... + w_L)]               heterogeneity (Rcapture's Mth): f(k) = 2^k - 1 ("Poisson2")
                                                             or k^2 / 2 ("Darroch")

A heterogeneity model whose coefficient h comes out negative is not a heterogeneity model (Rcapture
drops the term) and is left out. The candidate set is every model fitted on the forward stepwise
paths (AIC) from independence within each family (heterogeneity: none / Poisson2 / Darroch;
covariates: no / yes). Model averaging (Buckland, Burnham & Augustin 1997) weights each candidate by
exp(-dAIC / 2); the averaged estimate's standard error is Burnham & Anderson's (2002, eq. 4.9)
unconditional one, sum_m w_m sqrt(se_m^2 + (N_m - N_avg)^2), so the spread between models widens
the interval. The 95% interval puts a log-normal on the unseen part (Chao 1987; Rcapture does the
same for its heterogeneity models): n + (N - n) / C to n + (N - n) * C, C = exp(1.96 sqrt(log(1 +
se^2 / (N - n)^2))), so it never falls below the persons observed. It is then widened to hold the
own intervals of the models that together carry 95% of the weight and of the best model of every
family (heterogeneity forms are not told apart by the overlaps: Link 2003, Biometrics 59).

Single models (the sensitivity table) get the same log-normal interval from their own standard
error (delta method on the sum of the unseen cells plus their Poisson variance, Rcapture's stderr).
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import statsmodels.api as sm
from scipy.special import gammaln
from scipy.stats import norm

from .mse import MAX_IRLS_ITERATIONS, chao_lower_bound, observable_patterns

Pattern = tuple[int, ...]
Pair = tuple[int, int]
#: heterogeneity term f(k) of the number of lists k a pattern is on (Rcapture closedp's Mth models)
HETEROGENEITY = {"none": None, "poisson2": lambda k: 2.0**k - 1, "darroch": lambda k: k * k / 2.0}
Z95 = float(norm.ppf(0.975))
#: an estimate is published when its interval's half-width is at most this share of the estimate
MAX_RELATIVE_HALF_WIDTH = 0.25
#: ... and at least this many lists and observed persons (no municipal or small-group estimates)
MIN_LISTS_PUBLISHED = 3
MIN_OBSERVED_PUBLISHED = 500
#: the models that together hold this share of the AIC weight form the confidence set of models
CONFIDENCE_SET = 0.95


@dataclass(frozen=True)
class Spec:
    interactions: tuple[Pair, ...] = ()
    heterogeneity: str = "none"
    covariates: bool = False

    def label(self, names: Sequence[str]) -> str:
        parts = ["independence"]
        if self.covariates:
            parts.append("list x stratum")
        parts += [f"{names[i]}:{names[j]}" for i, j in self.interactions]
        if self.heterogeneity != "none":
            parts.append(f"heterogeneity ({self.heterogeneity})")
        return " + ".join(parts)


@dataclass(frozen=True)
class Fit:
    spec: Spec
    estimate: float
    stderr: float
    deviance: float
    df: int
    aic: float
    bic: float
    usable: bool

    def interval(self, observed: float) -> tuple[float, float]:
        return lognormal_interval(observed, self.estimate, self.stderr)


@dataclass(frozen=True)
class Averaged:
    observed: int
    estimate: float
    stderr: float
    lower: float
    upper: float
    weights: tuple[tuple[Fit, float], ...]
    fits: tuple[Fit, ...] = field(repr=False)

    @property
    def top(self) -> Fit:
        return max(self.weights, key=lambda fw: fw[1])[0]


def lognormal_interval(observed: float, estimate: float, stderr: float) -> tuple[float, float]:
    hidden = estimate - observed
    if not (math.isfinite(estimate) and math.isfinite(stderr)):
        return observed, math.inf
    if hidden <= 0:
        return observed, observed
    c = math.exp(Z95 * math.sqrt(math.log(1 + stderr**2 / hidden**2)))
    return observed + hidden / c, observed + hidden * c


class Table:
    """Observed counts by (stratum, pattern) and the design pieces every model shares."""

    def __init__(self, freqs: Mapping[tuple[str, Pattern], float], lists: int):
        self.lists = lists
        self.strata = sorted({s for s, _ in freqs})
        patterns = observable_patterns(lists)
        self.rows = [(s, p) for s in self.strata for p in patterns]
        self.y = np.array([float(freqs.get(r, 0)) for r in self.rows])
        self.n = float(self.y.sum())
        self.w = np.array([p for _, p in self.rows], dtype=float)
        s_index = {s: i for i, s in enumerate(self.strata)}
        self.s = np.array([s_index[s] for s, _ in self.rows])

    def design(self, spec: Spec, w: np.ndarray | None = None, s: np.ndarray | None = None) -> np.ndarray:
        w = self.w if w is None else w
        s = self.s if s is None else s
        k = len(self.strata)
        cols = [np.ones(len(w))]
        dummies = [(s == j).astype(float) for j in range(1, k)]
        cols += dummies
        cols += list(w.T)
        if spec.covariates:
            cols += [w[:, i] * d for i in range(self.lists) for d in dummies]
        cols += [w[:, i] * w[:, j] for i, j in spec.interactions]
        if spec.heterogeneity != "none":
            cols.append(HETEROGENEITY[spec.heterogeneity](w.sum(axis=1)))
        return np.column_stack(cols)

    def unseen_design(self, spec: Spec) -> np.ndarray:
        k = len(self.strata)
        return self.design(spec, np.zeros((k, self.lists)), np.arange(k))

    def fit(self, spec: Spec) -> Fit:
        x = self.design(spec)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                res = sm.GLM(self.y, x, family=sm.families.Poisson()).fit(maxiter=MAX_IRLS_ITERATIONS)
            except Exception:  # noqa: BLE001 - a singular design is a model that cannot be fitted
                return Fit(spec, math.inf, math.inf, math.inf, 0, math.inf, math.inf, False)
        beta = np.asarray(res.params)
        x0 = self.unseen_design(spec)
        eta = x0 @ beta
        usable = bool(np.all(np.isfinite(beta))) and bool(np.all(eta < 50))
        if spec.heterogeneity != "none" and beta[-1] < 0:
            usable = False  # Rcapture: a negative heterogeneity coefficient -> not a heterogeneity model
        mu0 = np.exp(np.minimum(eta, 50))
        cov = np.asarray(res.cov_params())
        grad = mu0 @ x0
        var = float(grad @ cov @ grad) + float(mu0.sum())
        mu = np.asarray(res.fittedvalues)
        loglik = float(np.sum(self.y * np.log(np.maximum(mu, 1e-300)) - mu - gammaln(self.y + 1)))
        p = x.shape[1]
        df = len(self.y) - p
        usable = usable and df >= 0 and bool(getattr(res, "converged", True)) and math.isfinite(var)
        # an interaction over an empty overlap runs to minus infinity: its standard error explodes
        if usable and np.any(np.sqrt(np.maximum(np.diag(cov), 0)) > 50):
            usable = False
        return Fit(
            spec,
            self.n + float(mu0.sum()),
            math.sqrt(max(var, 0.0)),
            float(res.deviance),
            df,
            -2 * loglik + 2 * p,
            -2 * loglik + p * math.log(max(self.n, 2)),
            usable,
        )


def stepwise(table: Table, base: Spec, criterion: str = "aic", cache: dict | None = None) -> tuple[Fit, list[Fit]]:
    """Forward selection of pairwise interactions from `base` on the criterion; every fit is returned."""
    cache = {} if cache is None else cache

    def fit(spec: Spec) -> Fit:
        if spec not in cache:
            cache[spec] = table.fit(spec)
        return cache[spec]

    pairs = list(itertools.combinations(range(table.lists), 2))
    current = fit(base)
    tried = [current]
    while True:
        options = [
            fit(Spec(tuple(sorted((*current.spec.interactions, p))), base.heterogeneity, base.covariates))
            for p in pairs
            if p not in current.spec.interactions
        ]
        tried += options
        usable = [m for m in options if m.usable]
        crit = (lambda m: m.aic) if criterion == "aic" else (lambda m: m.bic)
        if not usable:
            return current, tried
        best = min(usable, key=crit)
        if current.usable and crit(best) >= crit(current):
            return current, tried
        current = best


def families(table: Table) -> list[Spec]:
    covs = (False, True) if len(table.strata) > 1 else (False,)
    return [Spec((), h, c) for c in covs for h in HETEROGENEITY]


def family_best(fits: Sequence[Fit]) -> dict[tuple[str, bool], Fit]:
    """The lowest-AIC usable model of each family (heterogeneity form, covariates or not)."""
    best: dict[tuple[str, bool], Fit] = {}
    for fit in fits:
        key = (fit.spec.heterogeneity, fit.spec.covariates)
        if fit.usable and (key not in best or fit.aic < best[key].aic):
            best[key] = fit
    return best


def aic_weighted(fits: Sequence[Fit], observed: float) -> tuple[np.ndarray, float, float, tuple[float, float]]:
    """(AIC weights, averaged estimate, its unconditional standard error, its log-normal 95% interval)."""
    aic = np.array([f.aic for f in fits])
    w = np.exp(-(aic - aic.min()) / 2)
    w /= w.sum()
    est = np.array([f.estimate for f in fits])
    se = np.array([f.stderr for f in fits])
    n_avg = float(w @ est)
    se_avg = float(w @ np.sqrt(se**2 + (est - n_avg) ** 2))
    return w, n_avg, se_avg, lognormal_interval(observed, n_avg, se_avg)


def averaged_over(
    observed: float, fits: Sequence[Fit], tried: Sequence[Fit], reach: Callable[[np.ndarray], Sequence[Fit]]
) -> Averaged:
    """The AIC average of the usable `fits`; its interval is widened to hold the own interval of every fit that
    reach(weights) returns. `tried`: every fit, usable or not (Averaged.fits)."""
    if not fits:
        return Averaged(int(round(observed)), math.inf, math.inf, observed, math.inf, (), tuple(tried))
    w, n_avg, se_avg, (lower, upper) = aic_weighted(fits, observed)
    for fit in reach(w):
        lo, hi = fit.interval(observed)
        lower, upper = min(lower, lo), max(upper, hi)
    order = np.argsort(-w)
    return Averaged(
        int(round(observed)),
        n_avg,
        se_avg,
        lower,
        upper,
        tuple((fits[i], float(w[i])) for i in order),
        tuple(tried),
    )


def average(table: Table, cache: dict | None = None) -> Averaged:
    """AIC-weighted average over every usable model on the stepwise paths of every family."""
    cache = {} if cache is None else cache
    for base in families(table):
        stepwise(table, base, "aic", cache)
    fits = [f for f in cache.values() if f.usable]

    def reach(w: np.ndarray) -> list[Fit]:
        # the 95% confidence set of models: the best models that together hold 95% of the weight;
        # the interval reaches over each one's own 95% interval (model uncertainty the weights cannot settle)
        order = np.argsort(-w)
        in_set = order[: int(np.searchsorted(np.cumsum(w[order]), CONFIDENCE_SET)) + 1]
        # ... and over the best model of every family (heterogeneity none / Poisson2 / Darroch, with and
        # without covariates): heterogeneous catchability in different forms fits the overlaps alike yet
        # gives different totals (Link 2003), so a small AIC weight does not rule a family out
        return [fits[i] for i in in_set] + list(family_best(fits).values())

    return averaged_over(table.n, fits, list(cache.values()), reach)


def collapse(freqs: Mapping[tuple[str, Pattern], float]) -> dict[Pattern, float]:
    out: dict[Pattern, float] = {}
    for (_, p), c in freqs.items():
        out[p] = out.get(p, 0) + c
    return out


def chao(freqs: Mapping[tuple[str, Pattern], float]) -> float:
    return chao_lower_bound(collapse(freqs))


@dataclass(frozen=True)
class Published:
    """The published method: shelter users counted, persons outside shelters estimated from the other lists."""

    observed: int
    census: int  # persons on the census list (shelter users), all counted
    averaged: Averaged  # over the other lists, persons not on the census list
    lists: tuple[str, ...]  # the lists modelled (the census list not among them)
    #: the same with the persons set aside as likely housed kept (None: nobody set aside)
    kept: Averaged | None = None
    kept_census: int = 0

    @property
    def estimate(self) -> float:
        return self.census + self.averaged.estimate

    @property
    def lower(self) -> float:
        """The interval reaches over the one with the likely housed kept: whether they are housed is not known."""
        own = self.census + self.averaged.lower
        return own if self.kept is None else min(own, self.kept_census + self.kept.lower)

    @property
    def upper(self) -> float:
        own = self.census + self.averaged.upper
        return own if self.kept is None else max(own, self.kept_census + self.kept.upper)

    @property
    def kept_estimate(self) -> float | None:
        return None if self.kept is None else self.kept_census + self.kept.estimate


def split_census(freqs: Mapping[tuple[str, Pattern], float], census: int | None) -> tuple[int, dict]:
    """(persons on the census list, the table of everyone else over the remaining lists)."""
    if census is None:
        return 0, dict(freqs)
    counted = sum(c for (_, p), c in freqs.items() if p[census])
    rest: dict = {}
    for (s, p), c in freqs.items():
        if not p[census]:
            key = (s, p[:census] + p[census + 1 :])
            rest[key] = rest.get(key, 0) + c
    return int(round(counted)), rest


def published(
    freqs: Mapping[tuple[str, Pattern], float],
    names: Sequence[str],
    census: str | None = "shelter",
    cache: dict | None = None,
    set_aside: Mapping[tuple[str, Pattern], float] | None = None,
    estimator: Callable[[Table, tuple[str, ...]], Averaged] | None = None,
) -> Published:
    """Shelter users are a census, not a sample: everyone on no list is by definition outside shelters.

    So the estimate is the shelter users plus the model average over the other lists among persons
    not on the shelter list. With fewer than two other lists every list is modelled.

    set_aside: the cells of persons set aside as likely housed (not in freqs). The estimate leaves them
    out; its interval also reaches over the interval of the same method with them kept, since whether
    they are housed is not known (they may be homeless persons seen once).

    estimator: what estimates the persons outside shelters from their table and the lists it is over (the
    lists this function models: without the census list); default `average`; presence.by_occasion on lists
    split by half-year.
    """
    index = names.index(census) if census in names and len(names) - 1 >= 2 else None
    counted, rest = split_census(freqs, index)
    lists = tuple(n for i, n in enumerate(names) if i != index)
    table = Table(rest, len(lists))
    estimate = estimator or (lambda t, _lists: average(t, cache))
    own = estimate(table, lists)
    out = Published(int(round(sum(freqs.values()))), counted, own, lists)
    if set_aside and sum(set_aside.values()) > 0:
        both = dict(freqs)
        for key, c in set_aside.items():
            both[key] = both.get(key, 0) + c
        kept_counted, kept_rest = split_census(both, index)
        out = replace(out, kept=estimate(Table(kept_rest, len(lists)), lists), kept_census=kept_counted)
    return out
