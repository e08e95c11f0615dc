"""Secondary (complementary) suppression as a mixed-integer programme solved by HiGHS.

Per independent component: a binary s_c per cell (1 = suppressed), s_c = 1 for the sensitive cells,
minimising the information lost (number of cells suppressed, ties broken towards smaller values).
Every relation is treated as an equality (conservative for the "cover" ones); for each member p of a
relation, when p is suppressed the other suppressed members must be able to absorb p's uncertainty:

    sum_{c in relation, c != p} min(v_c, need_p) * s_c  >=  need_p * s_p,   need_p = max(1, k - v_p)

(the width an attacker can see along one relation is at most v_p + the others' values). The pattern is
then audited with the attacker's LPs; a cell still exposed adds a cut (one more cell among those that
share a relation with the suppressed ones) and the MIP is solved again.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import highspy
import numpy as np

from dagster_project.disclosure.attacker import exposures
from dagster_project.disclosure.primary import primary_cells
from dagster_project.disclosure.problem import Problem

MAX_ROUNDS = 25


@dataclass
class Protection:
    suppressed: set[int] = field(default_factory=set)
    primary: set[int] = field(default_factory=set)
    rounds: int = 0
    fallbacks: int = 0  # components suppressed whole because no smaller pattern was found

    @property
    def secondary(self) -> set[int]:
        return self.suppressed - self.primary


def _solve_mip(problem: Problem, cells: list[int], fixed: set[int], k: int,
               cuts: list[set[int]]) -> set[int] | None:
    index = {c: i for i, c in enumerate(cells)}
    values = problem.values
    top = max([values[c] for c in cells] + [1])
    n = len(cells)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 1e-4)
    inf = highspy.kHighsInf
    cost = np.array([1.0 + values[c] / (10.0 * top) for c in cells])
    lower = np.array([1.0 if c in fixed else 0.0 for c in cells])
    h.addVars(n, lower, np.ones(n))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                            np.array([highspy.HighsVarType.kInteger] * n))
    scope = set(cells)
    for relation in problem.relations:
        if relation.kind == "subset" or relation.total not in scope:
            continue
        members = relation.members
        for p in members:
            need = max(1, k - values[p])
            idx = [index[p]]
            val = [-float(need)]
            for c in members:
                if c != p and values[c] > 0:
                    idx.append(index[c])
                    val.append(float(min(values[c], need)))
            h.addRow(0.0, inf, len(idx), np.array(idx, dtype=np.int32), np.array(val))
    for cut in cuts:
        idx = [index[c] for c in cut]
        h.addRow(1.0, inf, len(idx), np.array(idx, dtype=np.int32), np.ones(len(idx)))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x = h.getSolution().col_value
    return {c for c in cells if x[index[c]] > 0.5}


def _neighbours(problem: Problem, suppressed: set[int], scope: set[int]) -> set[int]:
    """Published cells that share a relation with a suppressed one: where a cut asks for one more."""
    out = set()
    for relation in problem.relations:
        if relation.total in scope and not suppressed.isdisjoint(relation.members):
            out.update(relation.members)
    return out - suppressed


def protect(problem: Problem, k: int) -> Protection:
    """Primary plus secondary suppression such that the attacker's audit passes (or the component
    is suppressed whole, which the audit then checks like any other pattern)."""
    primary = primary_cells(problem.values, k)
    result = Protection(primary=set(primary))
    for component in problem.components():
        fixed = primary.intersection(component)
        if not fixed:
            continue
        scope = set(component)
        cuts: list[set[int]] = []
        chosen: set[int] | None = None
        for _ in range(MAX_ROUNDS):
            result.rounds += 1
            chosen = _solve_mip(problem, component, fixed, k, cuts)
            if chosen is None:
                break
            exposed = exposures(problem, chosen, k, sorted(chosen), scope)
            if not exposed:
                break
            frontier = _neighbours(problem, chosen, scope)
            if not frontier:
                chosen = None
                break
            cuts.append(frontier)
            chosen = None
        if chosen is None:
            result.fallbacks += 1
            chosen = {c for c in component if problem.values[c] > 0} | fixed
        result.suppressed |= chosen
    return result
