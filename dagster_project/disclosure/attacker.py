"""The attacker's audit: for every suppressed cell, minimise and maximise it by linear programming
given every published value and every relation (cells >= 0). The interval [low, high] is what an
attacker can learn; publication is blocked when any is narrower than the protection level k.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import highspy
import numpy as np

from dagster_project.disclosure.linear import problem_rows
from dagster_project.disclosure.problem import Problem

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Exposure:
    cell: int
    label: str
    value: int
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low

    def line(self) -> str:
        return f"{self.label}: attacker interval [{self.low:g}, {self.high:g}] (width {self.width:g})"


def _highs() -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


def intervals(problem: Problem, suppressed: set[int], cells: list[int] | None = None,
              scope: set[int] | None = None) -> dict[int, tuple[float, float]]:
    """The attacker's [min, max] of each suppressed cell (of `cells`, default all suppressed), from the
    relations within `scope` (a component of the problem; default all)."""
    targets = sorted(suppressed if cells is None else set(cells) & suppressed)
    if not targets:
        return {}
    rows = problem_rows(problem, suppressed, scope)
    columns = sorted({c for r in rows for c in r.coefs} | set(targets))
    index = {c: i for i, c in enumerate(columns)}
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = len(columns)
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.zeros(len(columns))
    lp.col_lower_ = np.zeros(len(columns))
    lp.col_upper_ = np.full(len(columns), inf)
    lp.row_lower_ = np.array([-inf if math.isinf(r.lower) else r.lower for r in rows], dtype=float)
    lp.row_upper_ = np.array([inf if math.isinf(r.upper) else r.upper for r in rows], dtype=float)
    starts, idx, vals = [0], [], []
    for r in rows:
        for c, coef in r.coefs.items():
            idx.append(index[c])
            vals.append(coef)
        starts.append(len(idx))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(idx, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(vals, dtype=float)
    h = _highs()
    h.passModel(lp)
    out: dict[int, tuple[float, float]] = {}
    for cell in targets:
        i = index[cell]
        h.changeColCost(i, 1.0)
        bounds = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            h.changeObjectiveSense(sense)
            h.run()
            status = h.getModelStatus()
            if status == highspy.HighsModelStatus.kOptimal:
                bounds.append(h.getInfo().objective_function_value)
            elif status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
                bounds.append(math.inf if sense == highspy.ObjSense.kMaximize else 0.0)
            else:
                raise RuntimeError(f"attacker LP for {problem.labels[cell]}: {h.modelStatusToString(status)}")
        h.changeColCost(i, 0.0)
        out[cell] = (max(bounds[0], 0.0), bounds[1])
    return out


def exposures(problem: Problem, suppressed: set[int], k: int, cells: list[int] | None = None,
              scope: set[int] | None = None) -> list[Exposure]:
    """Suppressed cells whose attacker interval is narrower than k: each one blocks publication."""
    found = []
    for cell, (low, high) in intervals(problem, suppressed, cells, scope).items():
        if high - low < k - TOLERANCE:
            found.append(Exposure(cell, problem.labels[cell], problem.values[cell], low, high))
    return found


def audit(problem: Problem, suppressed: set[int], k: int) -> list[Exposure]:
    """The blocking audit, per independent component (small LPs)."""
    found = []
    for component in problem.components():
        hidden = suppressed.intersection(component)
        if hidden:
            found += exposures(problem, suppressed, k, sorted(hidden), set(component))
    return found
