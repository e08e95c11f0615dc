"""The relations as linear rows over the suppressed cells (published cells become constants)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from dagster_project.disclosure.problem import Problem, Relation


@dataclass(frozen=True)
class Row:
    coefs: dict[int, float]  # cell -> coefficient (suppressed cells only)
    lower: float
    upper: float


def _row(
    terms: list[tuple[int, float]], suppressed: set[int], values: list[int], lower: float, upper: float
) -> Row | None:
    """sum(coef * cell) in [lower, upper], with the published cells moved to the bounds."""
    coefs: dict[int, float] = {}
    constant = 0.0
    for cell, coef in terms:
        if cell in suppressed:
            coefs[cell] = coefs.get(cell, 0.0) + coef
        else:
            constant += coef * values[cell]
    coefs = {c: v for c, v in coefs.items() if v != 0}
    if not coefs:
        return None
    return Row(coefs, lower - constant, upper - constant)


def relation_rows(relation: Relation, suppressed: set[int], values: list[int]) -> list[Row]:
    """What the attacker knows from one relation, as rows `lower <= a.x <= upper`."""
    total, parts = relation.total, relation.parts
    diff = [(total, 1.0)] + [(p, -1.0) for p in parts]
    rows: list[Row | None] = []
    if relation.kind == "sum":
        rows.append(_row(diff, suppressed, values, 0.0, 0.0))
    else:
        if relation.kind == "cover":
            rows.append(_row(diff, suppressed, values, -math.inf, 0.0))
        rows += [_row([(p, 1.0), (total, -1.0)], suppressed, values, -math.inf, 0.0) for p in parts]
    return [r for r in rows if r is not None]


def problem_rows(problem: Problem, suppressed: set[int], cells: set[int] | None = None) -> list[Row]:
    rows = []
    for relation in problem.relations:
        if cells is not None and relation.total not in cells:
            continue
        if suppressed.isdisjoint(relation.members):
            continue
        rows += relation_rows(relation, suppressed, problem.values)
    return rows
