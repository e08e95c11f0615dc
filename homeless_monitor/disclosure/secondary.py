"""Secondary (complementary) suppression as a mixed-integer programme solved by HiGHS.

Per independent component: a binary s_c per cell (1 = suppressed), s_c = 1 for the sensitive cells,
s_c = 0 for a zero (zero is published, so a reader knows every hidden cell is at least 1), minimising
the information lost (number of cells suppressed, ties broken towards smaller values; a national total
costs HEADLINE_COST cells, a required headline total - national, NUTS3 and Rīga totals of the headline
measures - REQUIRED_COST: hidden only where no other pattern exists).
Every relation total = sum(parts) is treated as an equality (conservative for the "cover" ones). Along
one relation, a hidden part p can move down to 1 and up by what the other hidden parts can give (their
values less 1) or without limit when the total is hidden too; a hidden total moves with any hidden part:

    sum_{other parts c} min(v_c - 1, need_p) * s_c + need_p * s_total  >=  need_p * s_p,
    need_p = k - v_p + 1 (no row when v_p - 1 >= k: the part moves down far enough)
    sum_{parts c} s_c  >=  s_total

Implicit cells: where a part and its total differ by 1..k-1 (entering - first-time, ALL - '1+2+3', a
region - its only big town, ...) the difference is itself a small count, so at least one of the two is
hidden: s_total + s_part >= 1. The pattern is then audited with the attacker's LPs; a cell still exposed adds a cut (hide at least one of the
published cells that bind its interval: the attacker LP's cells with a non-zero reduced cost; hiding
none of them leaves the interval as it is, so the cut removes no protecting pattern) and the MIP is
solved again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy
import numpy as np

from homeless_monitor.disclosure.attacker import Exposure, exposures
from homeless_monitor.disclosure.primary import primary_cells
from homeless_monitor.disclosure.problem import Problem
from homeless_monitor.disclosure.reuse import fingerprint

MAX_ROUNDS = 30


@dataclass
class Protection:
    suppressed: set[int] = field(default_factory=set)
    primary: set[int] = field(default_factory=set)
    rounds: int = 0
    fallbacks: int = 0  # components suppressed whole because no smaller pattern was found
    exposed: list[Exposure] = field(default_factory=list)  # the attacker's check of the final pattern
    patterns: dict[str, list[str]] = field(default_factory=dict)  # component fingerprint -> hidden labels
    reused: int = 0  # components whose kept pattern still protected them (no MIP solved)
    required_fallbacks: int = 0  # components protected only by hiding a required total of k or more
    need_required: list[int] = field(default_factory=list)  # their cells no other pattern protects

    @property
    def secondary(self) -> set[int]:
        return self.suppressed - self.primary


#: What hiding a national total costs against hiding any other cell (1): the same cell count with the
#: national figure published always wins (a cost per cell alone hid the 2024 reference-night total at
#: scale 1: one hidden total protects small cells in several breakdowns at once).
HEADLINE_COST = 50.0
#: A required total (national, NUTS3, Rīga of a headline measure) is hidden only where nothing else can
#: protect a small cell (e.g. the reference night's persons of unknown municipality, 3, are the nation
#: minus every region): it costs more than any pattern of ordinary cells, a national or Rīga total ten
#: times more than a region's.
REQUIRED_COST = 10_000.0
MIP_SECONDS = 5.0  # per solve: a feasible pattern found by then is used (the audit checks it anyway)


class _Design:
    """The MIP of one component, kept across rounds: each round adds the attacker's cuts."""

    def __init__(self, problem: Problem, cells: list[int], fixed: set[int], k: int, locked: set[int] = frozenset()):
        self.cells = cells
        self.index = index = {c: i for i, c in enumerate(cells)}
        values = problem.values
        top = max([values[c] for c in cells] + [1])
        n = len(cells)
        self.h = h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", 1e-2)  # the objective counts cells: 1% is a cell or so
        h.setOptionValue("time_limit", MIP_SECONDS)
        inf = highspy.kHighsInf
        cost = np.array(
            [
                1.0
                + values[c] / (10.0 * top)
                + (HEADLINE_COST if c in problem.headline else 0.0)
                + (REQUIRED_COST * (10 if c in problem.headline else 1) if c in problem.required else 0.0)
                for c in cells
            ]
        )
        lower = np.array([1.0 if c in fixed else 0.0 for c in cells])
        upper = np.array([1.0 if c in fixed or (values[c] > 0 and c not in locked) else 0.0 for c in cells])
        h.addVars(n, lower, upper)
        h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n))
        scope = set(cells)
        for relation in problem.relations:
            if relation.kind == "subset" or relation.total not in scope:
                continue
            total, parts = relation.total, relation.parts
            # a hidden total moves with any hidden part (up without limit, down by the parts' values)
            idx = [index[total]] + [index[c] for c in parts]
            h.addRow(0.0, inf, len(idx), np.array(idx, dtype=np.int32), np.array([-1.0] + [1.0] * len(parts)))
            # a hidden part moves up against another part's value or a hidden total, down to zero
            for p in parts:
                need = k - values[p] + 1  # its own way down (to 1) is values[p] - 1
                if need <= 0:
                    continue
                idx, val = [index[p], index[total]], [-float(need), float(need)]
                for c in parts:
                    if c != p and values[c] > 1:
                        idx.append(index[c])
                        val.append(float(min(values[c] - 1, need)))
                h.addRow(0.0, inf, len(idx), np.array(idx, dtype=np.int32), np.array(val))
        for total, part in implicit_pairs(problem, k, scope):
            h.addRow(1.0, inf, 2, np.array([index[total], index[part]], dtype=np.int32), np.array([1.0, 1.0]))
        for a, b in problem.ties:
            if a in scope and b in scope:
                h.addRow(0.0, 0.0, 2, np.array([index[a], index[b]], dtype=np.int32), np.array([1.0, -1.0]))

    def cut(self, cells: set[int], exposed: int | None = None) -> None:
        """At least one of these cells must be hidden too - if `exposed` is hidden (a complementary cell
        that is exposed may instead be published again: the cut is s_exposed <= sum s_binding)."""
        if exposed is None or exposed in cells:
            idx = np.array([self.index[c] for c in cells], dtype=np.int32)
            self.h.addRow(1.0, highspy.kHighsInf, len(idx), idx, np.ones(len(idx)))
            return
        idx = np.array([self.index[c] for c in cells] + [self.index[exposed]], dtype=np.int32)
        self.h.addRow(0.0, highspy.kHighsInf, len(idx), idx, np.array([1.0] * len(cells) + [-1.0]))

    def solve(self) -> set[int] | None:
        h = self.h
        h.run()
        status = h.getModelStatus()
        feasible = status == highspy.HighsModelStatus.kOptimal or (
            status == highspy.HighsModelStatus.kTimeLimit and h.getInfo().primal_solution_status == 2
        )
        if not feasible:
            return None
        x = h.getSolution().col_value
        return {c for c in self.cells if x[self.index[c]] > 0.5}


def implicit_pairs(problem: Problem, k: int, scope: set[int] | None = None) -> set[tuple[int, int]]:
    """(total, part) of every relation whose difference is a count of 1..k-1 (an implicit cell)."""
    values = problem.values
    pairs = set()
    for r in problem.relations:
        if scope is not None and r.total not in scope:
            continue
        for p in r.parts:
            if 0 < values[r.total] - values[p] < k:
                pairs.add((r.total, p))
    return pairs


def _kept(problem: Problem, labels: list[str] | None, scope: set[int], k: int) -> set[int] | None:
    """A pattern kept from the last publication, if it names cells of this component and still protects."""
    if labels is None:
        return None
    by_label = {problem.labels[c]: c for c in scope}
    if any(label not in by_label for label in labels):
        return None
    chosen = {by_label[label] for label in labels}
    return None if exposures(problem, chosen, k, sorted(chosen), scope) else chosen


def _complete(
    problem: Problem, chosen: set[int], scope: set[int], hideable: set[int], k: int, rounds: int = 200
) -> set[int]:
    """Hide more until the attacker's check passes: for each exposed cell one more of the published cells
    that bind it (an ordinary cell before a headline or required total; of those the smallest of at
    least 2k, else the largest), and each implicit pair left published loses its part. Hiding more only
    widens the attacker's intervals, so this ends."""
    values = problem.values
    chosen = set(chosen)
    for total, part in implicit_pairs(problem, k, scope):
        options = [c for c in (part, total) if c in hideable]
        if total not in chosen and part not in chosen and options:
            chosen.add(min(options, key=lambda c: c in problem.required))  # the part, unless required

    def rank(c: int) -> tuple:
        return (
            c in problem.required,
            c in problem.headline,
            values[c] < 2 * k,
            values[c] if values[c] >= 2 * k else -values[c],
        )

    for _ in range(rounds):
        exposed = exposures(problem, chosen, k, sorted(chosen), scope)
        added = False
        for e in exposed:
            candidates = [c for c in e.binding if c in hideable and c not in chosen]
            if candidates:
                chosen.add(min(candidates, key=rank))
                added = True
        if not added:
            break
    return chosen


def _pattern(
    problem: Problem, component: list[int], fixed: set[int], hideable: set[int], k: int, result: Protection
) -> tuple[set[int] | None, list[Exposure]]:
    """The MIP with the attacker's cuts over the cells it may hide, completed greedily if it does not
    settle; None (and the cells still exposed) when no pattern of those cells protects the component."""
    scope = set(component)
    design = _Design(problem, component, fixed, k, scope - hideable - fixed)
    chosen, best = None, None
    for _ in range(MAX_ROUNDS):
        result.rounds += 1
        chosen = design.solve()
        if chosen is None:
            break
        best = chosen
        exposed = exposures(problem, chosen, k, sorted(chosen), scope)
        if not exposed:
            return chosen, []
        new_cuts = [(set(e.binding) & hideable, e.cell) for e in exposed]
        if any(not cut and cell in fixed for cut, cell in new_cuts):  # nothing hideable binds it
            break
        for cut, cell in new_cuts:
            if cut:
                design.cut(cut, None if cell in fixed else cell)
            else:  # a complementary cell nothing can protect: publish it again
                design.h.changeColBounds(design.index[cell], 0.0, 0.0)
    # the MIP did not settle: complete its last pattern greedily
    chosen = _complete(problem, (best or set()) | fixed, scope, hideable, k)
    exposed = exposures(problem, chosen, k, sorted(chosen), scope)
    return (None, exposed) if exposed else (chosen, [])


def protect(problem: Problem, k: int, kept: dict[str, list[str]] | None = None) -> Protection:
    """Primary plus secondary suppression such that the attacker's audit passes. A required total of
    k or more (national, NUTS3, Rīga) is never a complementary cell: the pattern hides other cells
    (detail) instead. Only where no such pattern exists - the required totals alone bound a small cell,
    e.g. a nation and its capital 1..k-1 apart - are the component's required totals released to the
    solver (`required_fallbacks`; the manifest lists each total hidden). `kept`: patterns of an earlier
    publication by component fingerprint (disclosure/reuse.py), used where nothing changed."""
    primary = primary_cells(problem.values, k)
    locked = {c for c in problem.required if problem.values[c] >= k}
    result = Protection(primary=set(primary))
    for component in problem.components():
        fixed = primary.intersection(component)
        scope = set(component)
        if not fixed and not implicit_pairs(problem, k, scope):
            continue
        hideable = {c for c in scope if problem.values[c] > 0}
        key = fingerprint(problem, component, fixed, k)
        chosen = _kept(problem, (kept or {}).get(key), scope, k)
        if chosen is not None:
            result.reused += 1
            result.suppressed |= chosen
            result.patterns[key] = [problem.labels[c] for c in chosen]
            continue
        chosen, exposed = _pattern(problem, component, fixed, hideable - locked, k, result)
        if chosen is None and locked & scope:
            result.required_fallbacks += 1
            result.need_required += [e.cell for e in exposed]
            chosen, _ = _pattern(problem, component, fixed, hideable, k, result)
        if chosen is None:  # nothing protects it: hide every hideable cell; the audit says what is left
            result.fallbacks += 1
            chosen = _complete(problem, fixed, scope, hideable, k)
            result.exposed += exposures(problem, chosen, k, sorted(chosen), scope)
        if not result.exposed or not set(e.cell for e in result.exposed) & scope:
            result.patterns[key] = [problem.labels[c] for c in chosen]
        result.suppressed |= chosen
    return result
