"""A suppression problem: cells (one variable per distinct cell, so a cell published in two tables is
one variable and is suppressed in both or neither) and the relations that tie them.

Relation kinds, as they really hold between counts of unduplicated persons:
- "sum":    total = sum(parts)                       (sex -> ALL, age group -> ALL: one value per person)
- "cover":  total <= sum(parts) and each part <= total (municipality -> region -> nation, category ->
            ALL in the yearly flow: a person can be in two towns or categories in one year)
- "subset": each part <= total                       (first-time persons among persons entering)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["sum", "cover", "subset"]


@dataclass(frozen=True)
class Relation:
    kind: Kind
    total: int
    parts: tuple[int, ...]

    @property
    def members(self) -> tuple[int, ...]:
        return (self.total, *self.parts)


@dataclass
class Problem:
    """Cells with their true values and labels (e.g. `mart_x[year=2024, sex=ALL].persons`)."""

    values: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    ties: list[tuple[int, int]] = field(default_factory=list)  # cells suppressed together (design only)
    #: national totals (every breakdown 'ALL'): the figures the report leads with; the secondary
    #: suppression hides one only when no other pattern protects the small cells
    headline: set[int] = field(default_factory=set)
    #: totals that are published whatever it costs, unless below k (national, NUTS3 and Rīga totals of
    #: the headline measures): the suppression never chooses them as complementary cells
    required: set[int] = field(default_factory=set)
    _index: dict[tuple, int] = field(default_factory=dict)

    def cell(self, key: tuple, value: int, label: str) -> int:
        """The variable of a cell; a key seen before (a linked cell) returns the same variable."""
        if key in self._index:
            return self._index[key]
        self._index[key] = len(self.values)
        self.values.append(int(value))
        self.labels.append(label)
        return self._index[key]

    def link(self, key: tuple, other: tuple) -> None:
        """Make `other` an alias of `key` (the same cell published twice)."""
        self._index[other] = self._index[key]

    def relate(self, kind: Kind, total: int | None, parts: list[int | None]) -> None:
        parts = [p for p in parts if p is not None and p != total]
        if total is None or not parts:
            return
        self.relations.append(Relation(kind, total, tuple(parts)))

    def tie(self, a: int | None, b: int | None) -> None:
        """Suppress two cells together (e.g. a row's nested counts), so that one cannot be bounded by
        the other: a design choice of the secondary suppression, not something the attacker knows."""
        if a is not None and b is not None and a != b:
            self.ties.append((a, b))

    def components(self) -> list[list[int]]:
        """Cells that share no relation can be protected independently: solve per component."""
        parent = list(range(len(self.values)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for a, b in self.ties:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[rb] = ra
        for r in self.relations:
            a = root(r.total)
            for p in r.parts:
                b = root(p)
                if a != b:
                    parent[b] = a
        groups: dict[int, list[int]] = {}
        for i in range(len(self.values)):
            groups.setdefault(root(i), []).append(i)
        return list(groups.values())
