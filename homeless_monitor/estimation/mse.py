"""Multiple-systems estimation (capture-recapture) of a closed population from overlapping lists.

Log-linear Poisson models over the 2^L - 1 observable capture patterns, as R's Rcapture fits them
(Baillargeon & Rivest 2007): log E[count of pattern w] = b0 + sum_i b_i w_i + sum_(i<j) l_ij w_i w_j
over a chosen set of pairwise list interactions. The unobserved pattern (on no list) is exp(b0), so
the total is n + exp(b0). Models are chosen by forward stepwise selection of interactions on an
information criterion; the 95% interval is the multinomial profile likelihood interval (Cormack
1992; Rcapture's closedpCI.t); Chao's lower bound n + f1^2 / (2 f2) sits beside it as a floor that
holds under capture heterogeneity.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln
from scipy.stats import chi2

#: IRLS converges in under ten iterations on a well-posed model; an interaction over an empty overlap
#: runs towards minus infinity and would use them all (its fit is reported as not converged).
MAX_IRLS_ITERATIONS = 40

Pattern = tuple[int, ...]
Pair = tuple[int, int]


@dataclass(frozen=True)
class ModelFit:
    """One log-linear model fitted to the observed patterns (Rcapture's 'Poisson estimation')."""

    interactions: tuple[Pair, ...]
    estimate: float  # n + exp(intercept)
    stderr: float
    deviance: float
    df: int
    aic: float
    bic: float
    converged: bool

    def criterion(self, name: str) -> float:
        return {"aic": self.aic, "bic": self.bic}[name]


@dataclass(frozen=True)
class Estimate:
    """The chosen model with its profile-likelihood interval and Chao's lower bound."""

    observed: int
    model: ModelFit
    estimate: float  # multinomial profile maximum
    lower: float
    upper: float  # inf when the likelihood does not fall far enough within the search range
    chao_lower_bound: float
    criterion: str
    candidates: tuple[ModelFit, ...]

    def model_name(self, list_names: Sequence[str]) -> str:
        if not self.model.interactions:
            return "independence"
        return "independence + " + ", ".join(f"{list_names[i]}:{list_names[j]}" for i, j in self.model.interactions)


def observable_patterns(lists: int) -> list[Pattern]:
    """All 2^L - 1 patterns of capture on at least one list, in a fixed order."""
    return [p for p in itertools.product((0, 1), repeat=lists) if any(p)]


def _design(patterns: Sequence[Pattern], interactions: Sequence[Pair]) -> np.ndarray:
    rows = np.array(patterns, dtype=float)
    cols = [np.ones(len(patterns)), *rows.T, *(rows[:, i] * rows[:, j] for i, j in interactions)]
    return np.column_stack(cols)


def _counts(freqs: Mapping[Pattern, float], patterns: Sequence[Pattern]) -> np.ndarray:
    return np.array([float(freqs.get(p, 0)) for p in patterns])


def _glm(y: np.ndarray, x: np.ndarray):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.GLM(y, x, family=sm.families.Poisson()).fit(maxiter=MAX_IRLS_ITERATIONS)


def fit_model(freqs: Mapping[Pattern, float], lists: int, interactions: Sequence[Pair] = ()) -> ModelFit:
    """Fit one model to the observed pattern counts (patterns missing from freqs count 0)."""
    patterns = observable_patterns(lists)
    y = _counts(freqs, patterns)
    x = _design(patterns, interactions)
    fit = _glm(y, x)
    n = y.sum()
    b0 = float(fit.params[0])
    var_b0 = float(fit.cov_params()[0, 0])
    unseen = math.exp(b0) if b0 < 700 else math.inf
    # Rcapture's stderr: delta method on n + exp(b0), plus the Poisson variance of the unseen cell
    stderr = math.sqrt(unseen + unseen**2 * var_b0) if math.isfinite(unseen) else math.inf
    k = x.shape[1]
    loglik = float(np.sum(y * np.log(np.maximum(fit.fittedvalues, 1e-300)) - fit.fittedvalues - gammaln(y + 1)))
    converged = bool(getattr(fit, "converged", True)) and math.isfinite(unseen)
    return ModelFit(
        tuple(interactions),
        n + unseen,
        stderr,
        float(fit.deviance),
        len(patterns) - k,
        -2 * loglik + 2 * k,
        -2 * loglik + k * math.log(n),
        converged,
    )


def _profile_loglik(y_obs: np.ndarray, x_full: np.ndarray, n: float, total: float) -> float:
    """Multinomial log-likelihood of total N, maximised over the model's other parameters."""
    y = np.append(y_obs, total - n)
    fit = _glm(y, x_full)
    mu = fit.fittedvalues
    poisson = float(np.sum(y * np.log(np.maximum(mu, 1e-300)) - mu - gammaln(y + 1)))
    return poisson - (total * math.log(total) - total - float(gammaln(total + 1)))


def profile_interval(
    freqs: Mapping[Pattern, float],
    lists: int,
    interactions: Sequence[Pair] = (),
    level: float = 0.95,
    start: float | None = None,
) -> tuple[float, float, float]:
    """(multinomial estimate, lower, upper) of N by profile likelihood (Rcapture closedpCI.t)."""
    patterns = observable_patterns(lists)
    y = _counts(freqs, patterns)
    n = float(y.sum())
    x_full = np.vstack([_design(patterns, interactions), _design([(0,) * lists], interactions)])
    guess = start if start and math.isfinite(start) else 2 * n
    cap = max(100 * n, 10 * guess)

    def ll(total: float) -> float:
        return _profile_loglik(y, x_full, n, total)

    best = minimize_scalar(
        lambda t: -ll(t), bounds=(n, min(1.5 * guess + 1, cap)), method="bounded", options={"xatol": 1e-4 * n}
    )
    n_hat, l_max = float(best.x), -float(best.fun)
    drop = chi2.ppf(level, 1) / 2

    def gap(total: float) -> float:
        return ll(total) - (l_max - drop)

    lower = n if gap(n) >= 0 else brentq(gap, n, n_hat, xtol=1e-3)
    upper, hi = math.inf, n_hat
    while hi < cap:  # step out until the likelihood has fallen far enough
        nxt = min(cap, n + (hi - n) * 2 + 1)
        if gap(nxt) < 0:
            upper = brentq(gap, hi, nxt, xtol=1e-3)
            break
        hi = nxt
    return n_hat, float(lower), float(upper)


def chao_lower_bound(freqs: Mapping[Pattern, float]) -> float:
    """Chao's lower bound n + f1^2 / (2 f2), f_k = persons on exactly k lists (f2 = 0: n + f1(f1-1)/2)."""
    n = sum(freqs.values())
    f1 = sum(c for p, c in freqs.items() if sum(p) == 1)
    f2 = sum(c for p, c in freqs.items() if sum(p) == 2)
    return float(n + (f1 * f1 / (2 * f2) if f2 > 0 else f1 * (f1 - 1) / 2))


def select_model(freqs: Mapping[Pattern, float], lists: int, criterion: str = "bic") -> tuple[ModelFit, list[ModelFit]]:
    """Forward stepwise: from independence, add the pairwise interaction that lowers the criterion most.

    Models that do not converge or give no finite total (an empty overlap makes an interaction
    run to minus infinity) are never chosen.
    """
    pairs = list(itertools.combinations(range(lists), 2))
    current = fit_model(freqs, lists, ())
    tried = [current]
    while True:
        options = [fit_model(freqs, lists, (*current.interactions, p)) for p in pairs if p not in current.interactions]
        tried.extend(options)
        usable = [m for m in options if m.converged and math.isfinite(m.estimate) and m.df >= 0]
        if not usable:
            return current, tried
        best = min(usable, key=lambda m: m.criterion(criterion))
        if best.criterion(criterion) >= current.criterion(criterion):
            return current, tried
        current = best


def estimate_population(
    freqs: Mapping[Pattern, float],
    lists: int,
    criterion: str = "bic",
    interactions: Sequence[Pair] | None = None,
    level: float = 0.95,
) -> Estimate:
    """The total population behind the lists: chosen (or given) model, profile interval, Chao's bound."""
    if interactions is None:
        model, tried = select_model(freqs, lists, criterion)
    else:
        model = fit_model(freqs, lists, tuple(interactions))
        tried = [model]
    n_hat, lower, upper = profile_interval(freqs, lists, model.interactions, level, start=model.estimate)
    return Estimate(
        int(round(sum(freqs.values()))), model, n_hat, lower, upper, chao_lower_bound(freqs), criterion, tuple(tried)
    )
