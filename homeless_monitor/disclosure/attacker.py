"""The attacker's audit: for every suppressed cell, minimise and maximise it by linear programming
given every published value and every relation, each suppressed cell at least 1 (zero is published and
the protection never hides a zero, so a reader knows a `c` is not 0). The interval [low, high] is what an
attacker can learn; publication is blocked when any is narrower than the protection level k.

The LP has one column per cell of a component: a published cell is fixed at its value, a suppressed
one ranges over [1, inf). Its reduced costs name the published cells that bind the bound: the cut
the secondary suppression adds when a cell is exposed (hide at least one of them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import highspy
import numpy as np

from homeless_monitor.disclosure.lp import rowwise_highs
from homeless_monitor.disclosure.problem import Problem

TOLERANCE = 1e-6
#: A suppressed cell's least value as a reader knows it: a suppressed cell is never 0.
HIDDEN_LOWER = 1.0


@dataclass(frozen=True)
class Exposure:
    cell: int
    label: str
    value: int
    low: float
    high: float
    binding: frozenset[int] = frozenset()  # published cells whose hiding could widen the interval

    @property
    def width(self) -> float:
        return self.high - self.low

    def line(self) -> str:
        return f"{self.label}: attacker interval [{self.low:g}, {self.high:g}] (width {self.width:g})"


def _relation_rows(problem: Problem, scope: set[int], suppressed: set[int]) -> list[tuple[dict, float, float, set]]:
    """The relations as rows over the suppressed cells: (coefficients, lower, upper, published cells
    moved into the bounds)."""
    inf = math.inf
    values = problem.values
    rows = []

    def row(terms: dict[int, float], lower: float, upper: float) -> None:
        hidden = {c: v for c, v in terms.items() if c in suppressed and v != 0}
        if not hidden:
            return
        shown = {c for c in terms if c not in suppressed}
        constant = sum(v * values[c] for c, v in terms.items() if c not in suppressed)
        rows.append((hidden, lower - constant, upper - constant, shown))

    for r in problem.relations:
        if r.total not in scope or suppressed.isdisjoint(r.members):
            continue
        diff = {r.total: 1.0}
        for p in r.parts:
            diff[p] = diff.get(p, 0.0) - 1.0
        if r.kind == "sum":
            row(diff, 0.0, 0.0)
            continue
        if r.kind == "cover":
            row(diff, -inf, 0.0)
        for p in r.parts:
            row({p: 1.0, r.total: -1.0}, -inf, 0.0)
    return rows


class AttackerLP:
    """The attacker's LP over one component of the problem, for one suppression pattern: a column per
    suppressed cell in [1, inf), the published cells as constants."""

    def __init__(self, problem: Problem, suppressed: set[int], scope: set[int]):
        self.problem = problem
        self.cells = sorted(suppressed & scope)
        self.index = {c: i for i, c in enumerate(self.cells)}
        rows = _relation_rows(problem, scope, suppressed)
        self.row_shown = [shown for *_, shown in rows]
        self.h = rowwise_highs(
            np.full(len(self.cells), HIDDEN_LOWER),
            (({self.index[c]: coef for c, coef in coefs.items()}, lo, up) for coefs, lo, up, _ in rows),
        )
        self.point = None

    def bound(self, cell: int, maximise: bool) -> tuple[float, set[int]]:
        """The attacker's min or max of a cell, and the published cells that bind it: those in the
        rows with a non-zero dual (the optimal point, another table the attacker cannot rule out, is
        kept in `self.point`)."""
        i = self.index[cell]
        h = self.h
        h.changeColCost(i, 1.0)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)
        h.run()
        status = h.getModelStatus()
        objective = h.getInfo().objective_function_value
        solution = h.getSolution()
        duals = np.asarray(solution.row_dual)
        self.point = np.asarray(solution.col_value)
        h.changeColCost(i, 0.0)  # (resets the model status: everything is read above)
        if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            self.point = None
            return (math.inf if maximise else HIDDEN_LOWER), set()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"attacker LP for {self.problem.labels[cell]}: {h.modelStatusToString(status)}")
        binding = set()
        for j in np.flatnonzero(np.abs(duals) > 1e-9):
            binding |= self.row_shown[j]
        return objective, binding


def intervals(
    problem: Problem, suppressed: set[int], cells: list[int] | None = None, scope: set[int] | None = None
) -> dict[int, tuple[float, float]]:
    """The attacker's [min, max] of each suppressed cell (of `cells`, default all suppressed)."""
    return {e.cell: (e.low, e.high) for e in _bounds(problem, suppressed, cells, scope)}


def _per_component(problem: Problem, targets: list[int]) -> list[tuple[list[int], set[int]]]:
    """The targets split by independent component (no relation links two components), with its cells."""
    split = []
    for component in problem.components():
        members = set(component)
        mine = [c for c in targets if c in members]
        if mine:
            split.append((mine, members))
    return split


def _bounds(problem: Problem, suppressed: set[int], cells: list[int] | None, scope: set[int] | None) -> list[Exposure]:
    targets = sorted(suppressed if cells is None else set(cells) & suppressed)
    if not targets:
        return []
    if scope is None:
        return [
            e for mine, members in _per_component(problem, targets) for e in _bounds(problem, suppressed, mine, members)
        ]
    lp = AttackerLP(problem, suppressed, scope)
    out = []
    for cell in targets:
        low, low_binding = lp.bound(cell, maximise=False)
        high, high_binding = lp.bound(cell, maximise=True)
        out.append(
            Exposure(
                cell,
                problem.labels[cell],
                problem.values[cell],
                max(low, HIDDEN_LOWER),
                high,
                frozenset(low_binding | high_binding),
            )
        )
    return out


class _Seen:
    """The range each suppressed cell takes over the feasible tables found so far (the true table
    first): a cell whose range already spans k needs no LP of its own."""

    def __init__(self, lp: AttackerLP, k: int):
        self.lp, self.k = lp, k
        self.low = np.array([lp.problem.values[c] for c in lp.cells], dtype=float)
        self.high = self.low.copy()

    def add(self, point) -> None:
        if point is not None and len(point) == len(self.low):
            np.minimum(self.low, point, out=self.low)
            np.maximum(self.high, point, out=self.high)

    def wide(self, cell: int) -> bool:
        i = self.lp.index[cell]
        return self.high[i] - self.low[i] >= self.k - TOLERANCE


def _push(lp: AttackerLP, seen: _Seen, cells: list[int], k: int, tries: int) -> None:
    """Feasible tables found a batch at a time: push the cells up (each capped at value + k) or down
    (each floored at value - k) with random positive weights."""
    h, values = lp.h, lp.problem.values
    rng = np.random.default_rng(0)
    inf = highspy.kHighsInf
    for attempt in range(tries):
        pending = [c for c in cells if not seen.wide(c)]
        if not pending:
            return
        up = attempt % 2 == 0
        idx = np.array([lp.index[c] for c in pending], dtype=np.int32)
        v = np.array([values[c] for c in pending], dtype=float)
        lower = np.full(len(idx), HIDDEN_LOWER) if up else np.maximum(v - k, HIDDEN_LOWER)
        upper = v + k if up else np.full(len(idx), inf)
        h.changeColsBounds(len(idx), idx, lower, upper)
        h.changeColsCost(len(idx), idx, rng.uniform(0.5, 1.5, len(idx)))
        h.changeObjectiveSense(highspy.ObjSense.kMaximize if up else highspy.ObjSense.kMinimize)
        h.run()
        if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            seen.add(np.asarray(h.getSolution().col_value))
        h.changeColsCost(len(idx), idx, np.zeros(len(idx)))
        h.changeColsBounds(len(idx), idx, np.full(len(idx), HIDDEN_LOWER), np.full(len(idx), inf))


def exposures(
    problem: Problem,
    suppressed: set[int],
    k: int,
    cells: list[int] | None = None,
    scope: set[int] | None = None,
    tries: int = 8,
) -> list[Exposure]:
    """Suppressed cells whose attacker interval is narrower than k: each one blocks publication.
    Exact per-cell LPs, except for cells already seen to range over k in feasible tables found on
    the way (batches first, then every per-cell optimum)."""
    targets = sorted(suppressed if cells is None else set(cells) & suppressed)
    if not targets:
        return []
    if scope is None:
        return [
            e
            for mine, members in _per_component(problem, targets)
            for e in exposures(problem, suppressed, k, mine, members, tries)
        ]
    lp = AttackerLP(problem, suppressed, scope)
    seen = _Seen(lp, k)
    _push(lp, seen, targets, k, tries)
    out = []
    for cell in targets:
        if seen.wide(cell):
            continue
        high, high_binding = lp.bound(cell, maximise=True)
        if math.isinf(high):
            continue
        seen.add(lp.point)
        if seen.wide(cell):
            continue
        low, low_binding = lp.bound(cell, maximise=False)
        seen.add(lp.point)
        low = max(low, HIDDEN_LOWER)
        if high - low < k - TOLERANCE:
            out.append(
                Exposure(
                    cell, problem.labels[cell], problem.values[cell], low, high, frozenset(low_binding | high_binding)
                )
            )
    return out


def audit(problem: Problem, suppressed: set[int], k: int) -> list[Exposure]:
    """The blocking audit, per independent component (small LPs)."""
    return exposures(problem, suppressed, k)
