"""The cell key method (consistent perturbation), as a comparison tool for the public tier (issue 22,
item 3c): the ABS TableBuilder's method, used by the ONS for Census 2021 and implemented by R's
`cellKey` / `ptable` packages.

- Every person gets a **record key**, a number uniform in [0, 1), fixed for the person (a keyed hash
  of the pseudonym, so the same person has the same key in every table and every run with the same
  secret). Record keys live only in the work layer (in memory here); they are never written to a
  table, a file or the release.
- A cell's **cell key** is the sum of the record keys of the persons it counts, modulo 1. The same
  persons give the same cell key, so the same cell in two tables (HC3.1's national flow and the flow
  mart's national total) gets the same perturbation: consistency, no averaging attack.
- A **perturbation table** (ptable) gives, for each original count n, a distribution over the
  perturbed count n + d with |d| <= D (maximum perturbation), mean 0 (unbiased) and variance V where
  reachable; with `js` (here k - 1) no perturbed count of 1..js is ever published (a small cell becomes
  0 or at least js + 1), and 0 stays 0. The distribution is the maximum-entropy one with those two
  moments (as `ptable`'s default); where V cannot be met (small n, where the support is cut), the
  variance closest to V that the support allows.
- The cell key picks the perturbation: the row's cumulative probabilities cut [0, 1) into intervals,
  one per d; the cell key falls into one.

What the method gives up: exact additivity (a perturbed total is not the sum of its perturbed parts),
and exact published figures (every figure may be off by up to D).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linprog, minimize

_VARIANCE_SLACK = 1e-6


def record_keys(person_ids: Iterable[str], secret: bytes) -> pd.Series:
    """A record key per person in [0, 1): BLAKE2b of the pseudonym keyed with `secret`, its first 8
    bytes over 2**64. Same person, same secret -> same key."""
    ids = sorted(set(person_ids))
    keys = np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(str(i).encode(), key=secret, digest_size=8).digest(), "big") / 2.0**64
            for i in ids
        ),
        dtype=np.float64,
        count=len(ids),
    )
    return pd.Series(keys, index=pd.Index(ids, name="person_id"), name="record_key")


def cell_keys(membership: pd.DataFrame, keys: pd.Series) -> pd.Series:
    """{cell: (sum of its persons' record keys) mod 1}: membership has columns `cell` and `person_id`
    (a person counted twice in a cell counts once)."""
    rows = membership[["cell", "person_id"]].drop_duplicates()
    summed = keys.reindex(rows["person_id"]).to_numpy().astype(np.float64)
    if np.isnan(summed).any():
        raise ValueError("a person in the membership has no record key")
    return pd.Series(summed, index=rows["cell"].to_numpy()).groupby(level=0).sum().mod(1.0)


@dataclass(frozen=True)
class PTableRow:
    """For original count n: the perturbations d (ascending) and their probabilities."""

    n: int
    d: np.ndarray
    p: np.ndarray
    cumulative: np.ndarray = field(repr=False)

    @property
    def variance(self) -> float:
        return float(np.sum(self.p * self.d.astype(float) ** 2))

    @property
    def mean(self) -> float:
        return float(np.sum(self.p * self.d))


def _support(n: int, D: int, js: int) -> np.ndarray:
    targets = np.arange(max(0, n - D), n + D + 1)
    targets = targets[(targets == 0) | (targets > js)]
    return targets - n


def _moment_bounds(d: np.ndarray) -> tuple[float, float, np.ndarray, np.ndarray]:
    """The least and the greatest variance of an unbiased distribution on d (two LPs, HiGHS)."""
    sq = d.astype(float) ** 2
    a_eq = np.vstack([np.ones_like(sq), d.astype(float)])
    b_eq = np.array([1.0, 0.0])
    low = linprog(sq, A_eq=a_eq, b_eq=b_eq, bounds=(0, 1), method="highs")
    high = linprog(-sq, A_eq=a_eq, b_eq=b_eq, bounds=(0, 1), method="highs")
    if not (low.success and high.success):
        raise ValueError(f"no unbiased perturbation on support {d.tolist()}")
    return float(low.fun), float(-high.fun), low.x, high.x


def _max_entropy(d: np.ndarray, variance: float) -> np.ndarray:
    """p_i proportional to exp(a d_i + b d_i^2) with mean 0 and the given variance (the convex dual)."""
    x = d.astype(float)

    def dual(theta):
        z = theta[0] * x + theta[1] * x**2
        top = z.max()
        w = np.exp(z - top)
        s = w.sum()
        p = w / s
        value = top + np.log(s) - theta[1] * variance
        grad = np.array([np.sum(p * x), np.sum(p * x**2) - variance])
        return value, grad

    res = minimize(dual, np.zeros(2), jac=True, method="BFGS", options={"gtol": 1e-10, "maxiter": 500})
    z = res.x[0] * x + res.x[1] * x**2
    p = np.exp(z - z.max())
    return p / p.sum()


def ptable_row(n: int, D: int, V: float, js: int) -> PTableRow:
    if n == 0:
        d, p = np.array([0]), np.array([1.0])
    else:
        d = _support(n, D, js)
        v_low, v_high, p_low, p_high = _moment_bounds(d)
        if v_high - v_low < 1e-9:
            p = p_low
        elif V <= v_low + _VARIANCE_SLACK:
            p = p_low
        elif V >= v_high - _VARIANCE_SLACK:
            p = p_high
        else:
            p = _max_entropy(d, V)
        p = np.clip(p, 0.0, None)
        p = p / p.sum()
    keep = p > 1e-12
    d, p = d[keep], p[keep]
    return PTableRow(n, d, p, np.cumsum(p))


@dataclass(frozen=True)
class PTable:
    """The perturbation table: rows for n = 0..n_max; a count above n_max perturbs like n_max (its
    support is no longer cut by 0 or by 1..js)."""

    D: int
    V: float
    js: int
    rows: tuple[PTableRow, ...]

    @classmethod
    def build(cls, D: int, V: float, js: int) -> PTable:
        if D < 1 or V <= 0 or js < 0:
            raise ValueError("a ptable needs D >= 1, V > 0, js >= 0")
        n_max = js + D + 1
        return cls(D, V, js, tuple(ptable_row(n, D, V, js) for n in range(n_max + 1)))

    def row(self, n: int) -> PTableRow:
        return self.rows[min(int(n), len(self.rows) - 1)]

    def perturbation(self, n: int, key: float) -> int:
        """d for original count n and cell key in [0, 1)."""
        if n <= 0:
            return 0
        row = self.row(n)
        i = int(np.searchsorted(row.cumulative, key, side="right"))
        return int(row.d[min(i, len(row.d) - 1)])

    def perturb(self, counts: pd.Series, keys: pd.Series) -> pd.Series:
        """Perturbed counts (same index as counts; keys aligned by index)."""
        aligned = keys.reindex(counts.index)
        if aligned.isna().any():
            raise ValueError("a cell has no cell key")
        return pd.Series(
            [int(n) + self.perturbation(int(n), float(k)) for n, k in zip(counts, aligned, strict=True)],
            index=counts.index,
            dtype="int64",
        )

    def frame(self) -> pd.DataFrame:
        """The ptable as R's ptable prints it: n, d, p, cumulative."""
        return pd.DataFrame(
            [
                {"n": r.n, "d": int(d), "target": r.n + int(d), "p": float(p), "p_cumulative": float(c)}
                for r in self.rows
                for d, p, c in zip(r.d, r.p, r.cumulative, strict=True)
            ]
        )
