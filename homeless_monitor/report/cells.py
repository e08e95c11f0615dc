"""A figure of the report that names where it comes from: public table, column, row key and release.

Every number printed in the report is a Cell. A public Cell is read from one row of one public table;
a derived Cell (e.g. change against the previous year) names its operation and the public cells it is
computed from. The HTML carries these names as data attributes, so a reader (or a test) can check
each printed number against the public tier without running this code again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from homeless_monitor.report.public import PublicTier, is_suppressed

#: How each kind of value is shown: counts whole, shares (0-1) and percents (0-100) as %, others 1 decimal.
KINDS = ("count", "rate", "share", "pct", "pp", "mean", "eur", "eur_day", "eur_mln", "nights", "score", "number")


@dataclass(frozen=True)
class Cell:
    table: str | None
    column: str | None
    key: tuple[tuple[str, str], ...]
    value: float | int | None
    kind: str
    suppressed: bool = False
    missing: bool = False
    op: str | None = None
    args: tuple[Cell, ...] = field(default=())

    @property
    def key_dict(self) -> dict[str, str]:
        return dict(self.key)

    @property
    def shown(self) -> bool:
        return not (self.suppressed or self.missing) and self.value is not None


def _plain(value, kind: str = "") -> float | int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, bool):
        return int(value)
    try:
        as_float = float(value)
    except (TypeError, ValueError):
        return None
    whole = kind in ("count", "number") or not isinstance(value, float)  # counts read as doubles stay counts
    return int(as_float) if as_float.is_integer() and whole else as_float


def cell(tier: PublicTier, table: str, column: str, kind: str, **key) -> Cell:
    """The public value of `column` in the single row of `table` matching `key` (missing when none)."""
    k = tuple(sorted((c, str(v)) for c, v in key.items()))
    rows = tier.rows(table, **key)
    if rows.empty or column not in rows.columns:
        return Cell(table, column, k, None, kind, missing=True)
    if len(rows) > 1:
        raise ValueError(f"{table}: {len(rows)} rows match {key}; a cell must name one row")
    row = rows.iloc[0]
    suppressed = is_suppressed(row, column)
    value = None if suppressed else _plain(row[column], kind)
    return Cell(table, column, k, value, kind, suppressed=suppressed, missing=value is None and not suppressed)


def _printed(c: Cell) -> float:
    """A cell's value as the report prints it (rounded to its kind's decimals; shares as percent)."""
    from homeless_monitor.report.fmt import printed

    value = float(printed(c.value, c.kind))
    return value / 100 if c.kind in ("share", "pp") else value * 1_000_000 if c.kind == "eur_mln" else value


def pct_change(new: Cell, old: Cell, absolute: bool = False) -> Cell:
    """100 x (new - old) / old from the values as printed (rounded), so a reader can recompute it; hidden when
    either side is hidden or the old printed value is 0. `absolute`: the size of the change (for sentences
    that say "more" or "fewer")."""
    hidden = not (new.shown and old.shown) or _printed(old) == 0
    value = None if hidden else 100.0 * (_printed(new) - _printed(old)) / _printed(old)
    if value is not None and absolute:
        value = abs(value)
    return Cell(
        None,
        None,
        (),
        value,
        "pct",
        suppressed=(new.suppressed or old.suppressed),
        missing=hidden and not (new.suppressed or old.suppressed),
        op="abs_pct_change" if absolute else "pct_change",
        args=(new, old),
    )


def diff(new: Cell, old: Cell) -> Cell:
    """new - old from the values as printed, in the kind of its operands."""
    hidden = not (new.shown and old.shown)
    value = None if hidden else _printed(new) - _printed(old)
    return Cell(
        None,
        None,
        (),
        value,
        new.kind,
        suppressed=(new.suppressed or old.suppressed),
        missing=hidden and not (new.suppressed or old.suppressed),
        op="diff",
        args=(new, old),
    )


def not_computable(c: Cell) -> Cell:
    """A published cell that cannot be read as what it says (e.g. the start of a series): shown as "–"."""
    return Cell(c.table, c.column, c.key, None, c.kind, suppressed=False, missing=True, op=c.op, args=c.args)
