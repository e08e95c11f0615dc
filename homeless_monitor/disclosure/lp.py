"""HiGHS plumbing shared by the suppression's attacker check (attacker.py) and the independent audit
(independent.py): a linear programme from rows `lower <= a.x <= upper`. Solver glue only - which rows
exist (the constraint model) is each caller's own."""

from __future__ import annotations

import math
from collections.abc import Iterable

import highspy
import numpy as np


def rowwise_highs(col_lower, rows: Iterable[tuple[dict[int, float], float, float]]) -> highspy.Highs:
    """A quiet HiGHS instance over len(col_lower) columns in [col_lower, inf), zero costs, one row per
    (coefficients by column index, lower, upper); infinite bounds may be math.inf."""
    rows = list(rows)
    inf = highspy.kHighsInf
    n = len(col_lower)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.zeros(n)
    lp.col_lower_ = np.asarray(col_lower, dtype=float)
    lp.col_upper_ = np.full(n, inf)
    lp.row_lower_ = np.array([-inf if math.isinf(lo) else lo for _, lo, _ in rows], dtype=float)
    lp.row_upper_ = np.array([inf if math.isinf(up) else up for _, _, up in rows], dtype=float)
    starts, idx, vals = [0], [], []
    for coefs, _, _ in rows:
        idx += list(coefs)
        vals += list(coefs.values())
        starts.append(len(idx))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(idx, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(vals, dtype=float)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    return h
