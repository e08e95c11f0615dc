"""Injected delivery faults, one per faulty row, so the loader's verdict is predictable.

The loader gives each row the FIRST failing rule in this order:
duplicate_row, missing_required, invalid_date, invalid_number, invalid_boolean,
unknown_code, out_of_range, date_order, duplicate_key. A faulty row here carries exactly
one fault and every other row is clean, so the expected rule is unambiguous. Invalid
personal codes are not quarantined (the row loads under a source-local pseudonym); they
are counted by `ingestion.personal_code` status instead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from ingestion.contracts import Column, Contract
from ingestion.personal_code import BAD_CHECK_DIGIT, BAD_FORMAT, IMPLAUSIBLE_BIRTH_DATE, NEW_FORMAT, validate

from .formatting import Columns

QUARANTINE_RULES = (
    "duplicate_row",
    "missing_required",
    "invalid_date",
    "invalid_number",
    "invalid_boolean",
    "unknown_code",
    "out_of_range",
    "date_order",
    "duplicate_key",
)
CODE_FAULTS = (BAD_CHECK_DIGIT, BAD_FORMAT, IMPLAUSIBLE_BIRTH_DATE)
#: Values that no contract code list holds (checked per column before use).
_FOREIGN_CODES = ("nav norādīts", "99", "X", "cits variants")


@dataclass(frozen=True)
class FaultRates:
    """Share of a file's rows given each fault (0 = never)."""

    rates: dict[str, float] = field(default_factory=dict)

    @classmethod
    def person_level(cls) -> FaultRates:
        """Person-level deliveries: each fault on the order of 0.1-0.5% of rows."""
        return cls(
            {
                "duplicate_row": 0.002,
                "missing_required": 0.001,
                "invalid_date": 0.001,
                "invalid_number": 0.0005,
                "invalid_boolean": 0.0005,
                "unknown_code": 0.001,
                "out_of_range": 0.0005,
                "date_order": 0.001,
                "duplicate_key": 0.0005,
                BAD_CHECK_DIGIT: 0.0015,
                BAD_FORMAT: 0.0005,
                IMPLAUSIBLE_BIRTH_DATE: 0.0005,
            }
        )

    @classmethod
    def few(cls) -> FaultRates:
        """Small programme files: a few faults of a few kinds."""
        return cls({"duplicate_row": 0.01, "date_order": 0.01, "out_of_range": 0.005, "unknown_code": 0.005})

    @classmethod
    def none(cls) -> FaultRates:
        return cls({})


@dataclass
class FaultLog:
    """What was injected into one file: rule -> 0-based data-row positions; code status -> count."""

    quarantine: dict[str, list[int]] = field(default_factory=dict)
    personal_codes: Counter = field(default_factory=Counter)

    def shift(self, offset: int) -> FaultLog:
        return FaultLog(
            {r: [p + offset for p in ps] for r, ps in self.quarantine.items()}, Counter(self.personal_codes)
        )

    def merge(self, other: FaultLog) -> None:
        for rule, positions in other.quarantine.items():
            self.quarantine.setdefault(rule, []).extend(positions)
        self.personal_codes.update(other.personal_codes)


class _Injector:
    def __init__(self, contract: Contract, cols: Columns, rng: np.random.Generator):
        self.contract, self.cols, self.rng = contract, cols, rng
        self.n = len(next(iter(cols.values())))
        self.used = np.zeros(self.n, dtype=bool)
        self.log = FaultLog()
        self.pk = set(contract.primary_key)

    # -- helpers -------------------------------------------------------------------
    def count(self, rate: float) -> int:
        return int(self.rng.binomial(self.n, rate)) if rate > 0 and self.n > 20 else 0

    def pick(self, k: int, ok) -> list[int]:
        """Up to k unused rows satisfying ok(row), in random order; marks them used."""
        chosen: list[int] = []
        if k <= 0:
            return chosen
        for i in self.rng.permutation(self.n).tolist():
            if not self.used[i] and ok(i):
                self.used[i] = True
                chosen.append(i)
                if len(chosen) == k:
                    break
        return chosen

    def columns_of(self, *types: str) -> list[Column]:
        return [c for c in self.contract.columns if c.type in types]

    def value(self, name: str, i: int) -> str:
        return self.cols[name][i]

    def record(self, rule: str, i: int) -> None:
        self.log.quarantine.setdefault(rule, []).append(i)

    # -- faults that keep the row count -------------------------------------------------
    def duplicate_key(self, k: int) -> None:
        names = [c.name for c in self.contract.columns]
        for v in self.pick(k, lambda i: i > 0):
            earlier = [t for t in range(v - 1, max(-1, v - 50), -1) if not self.used[t]]
            same_content = earlier and all(
                self.value(c, earlier[0]) == self.value(c, v) for c in names if c not in self.pk
            )
            if not earlier or same_content:
                self.used[v] = False
                continue
            t = earlier[0]
            self.used[t] = True  # the earlier row must stay clean so it is the one that loads
            for c in self.pk:
                self.cols[c][v] = self.value(c, t)
            self.record("duplicate_key", v)

    def missing_required(self, k: int) -> None:
        targets = [c.name for c in self.contract.columns if c.required and c.name not in self.pk]
        if not targets:
            return
        for i in self.pick(k, lambda i: True):
            self.cols[targets[self.rng.integers(len(targets))]][i] = ""
            self.record("missing_required", i)

    def _replace(self, rule: str, k: int, columns: list[Column], bad_value) -> None:
        """Give k rows a bad value in one non-empty column of the given kind."""
        if not columns:
            return
        for i in self.pick(k, lambda i: any(self.value(c.name, i) for c in columns)):
            present = [c for c in columns if self.value(c.name, i)]
            column = present[self.rng.integers(len(present))]
            self.cols[column.name][i] = bad_value(column, self.value(column.name, i))
            self.record(rule, i)

    def invalid_date(self, k: int) -> None:
        fmt = self.contract.file.date_format

        def bad(column: Column, text: str) -> str:
            day = datetime.strptime(text, fmt)
            options = [f"{day:%Y-%m-%d}", f"31.02.{day:%Y}", f"{day:%d}.13.{day:%Y}", f"00.{day:%m}.{day:%Y}"]
            options = [o for o in options if not _parses(o, fmt)]
            return options[self.rng.integers(len(options))]

        self._replace("invalid_date", k, self.columns_of("date"), bad)

    def invalid_number(self, k: int) -> None:
        self._replace("invalid_number", k, self.columns_of("integer", "decimal"), lambda c, t: t[:-1] + "O")

    def invalid_boolean(self, k: int) -> None:
        self._replace("invalid_boolean", k, self.columns_of("boolean"), lambda c, t: "x")

    def unknown_code(self, k: int) -> None:
        def bad(column: Column, text: str) -> str:
            known = {v.casefold() for v in column.codes}
            options = [o for o in _FOREIGN_CODES if o.casefold() not in known]
            return options[self.rng.integers(len(options))]

        self._replace("unknown_code", k, self.columns_of("code"), bad)

    def out_of_range(self, k: int) -> None:
        bounded = [c for c in self.columns_of("integer", "decimal") if c.min is not None or c.max is not None]
        decimal = self.contract.file.decimal

        def bad(column: Column, text: str) -> str:
            value = (
                (column.min - 1 - int(self.rng.integers(10)))
                if column.min is not None
                else column.max + 1 + int(self.rng.integers(10))
            )
            if column.type == "integer":
                return str(int(value))
            return f"{value:.2f}".replace(".", decimal)

        self._replace("out_of_range", k, bounded, bad)

    def date_order(self, k: int) -> None:
        fmt = self.contract.file.date_format
        rules = [r for r in self.contract.row_rules if r.rule == "date_order"]
        if not rules:
            return

        def swappable(i: int, r) -> bool:
            a, b = self.value(r.first, i), self.value(r.then, i)
            return bool(a and b) and datetime.strptime(b, fmt) > datetime.strptime(a, fmt)

        for i in self.pick(k, lambda i: any(swappable(i, r) for r in rules)):
            # Swapping two ordered dates breaks only that rule (chained rules still hold).
            rule = next(r for r in rules if swappable(i, r))
            a, b = self.value(rule.first, i), self.value(rule.then, i)
            self.cols[rule.first][i], self.cols[rule.then][i] = b, a
            self.record("date_order", i)

    def personal_codes(self, status: str, k: int) -> None:
        column = self.contract.personal_code_column
        if column is None:
            return
        name = column.name

        def ok(i: int) -> bool:
            code = self.value(name, i)
            return bool(code) and not NEW_FORMAT.match(code)

        for i in self.pick(k, ok):
            code = self.value(name, i)
            bad = _corrupt_code(code, status, self.rng)
            if validate(bad).status != status:
                raise AssertionError(f"corrupting {status} gave {validate(bad).status}")
            self.cols[name][i] = bad
            self.log.personal_codes[status] += 1

    # -- the fault that adds rows ---------------------------------------------------------
    def duplicate_rows(self, k: int) -> np.ndarray:
        """Order of output rows: each chosen clean row is followed, a little later, by its copy."""
        sources = self.pick(k, lambda i: True)
        keys = np.arange(self.n, dtype=float)
        copy_keys = np.array([s + int(self.rng.integers(1, 40)) + 0.5 for s in sources])
        order = np.concatenate([np.arange(self.n), np.asarray(sources, dtype=np.int64)])
        position = np.argsort(np.concatenate([keys, copy_keys]), kind="stable")
        order = order[position]
        copies = np.flatnonzero(position >= self.n)
        self.log.quarantine["duplicate_row"] = copies.tolist() if len(sources) else []
        return order


def _parses(text: str, fmt: str) -> bool:
    try:
        datetime.strptime(text, fmt)
        return True
    except ValueError:
        return False


def _corrupt_code(code: str, status: str, rng: np.random.Generator) -> str:
    """A realistic wrong code with a known validation status."""
    hyphen = "-" in code
    digits = code.replace("-", "")

    def joined(d: str) -> str:
        return f"{d[:6]}-{d[6:]}" if hyphen else d

    if status == BAD_CHECK_DIGIT:  # a typo in the last digit
        return joined(digits[:10] + str((int(digits[10]) + int(rng.integers(1, 10))) % 10))
    if status == BAD_FORMAT:  # a digit dropped, or a letter O typed for a zero
        return joined(digits[:10]) if rng.random() < 0.5 else joined(digits[:4] + "O" + digits[5:])
    if status == IMPLAUSIBLE_BIRTH_DATE:  # day and month swapped into an impossible date
        return joined("3102" + digits[4:])
    raise ValueError(status)


def inject(contract: Contract, cols: Columns, rates: FaultRates, rng: np.random.Generator) -> tuple[Columns, FaultLog]:
    """Inject faults into one chunk of delivered strings; returns the rows in output order."""
    injector = _Injector(contract, {k: v.copy() for k, v in cols.items()}, rng)
    r = rates.rates
    # Rows that other faults point at are chosen first so they stay clean.
    injector.duplicate_key(injector.count(r.get("duplicate_key", 0)))
    for status in CODE_FAULTS:
        injector.personal_codes(status, injector.count(r.get(status, 0)))
    injector.missing_required(injector.count(r.get("missing_required", 0)))
    injector.invalid_date(injector.count(r.get("invalid_date", 0)))
    injector.invalid_number(injector.count(r.get("invalid_number", 0)))
    injector.invalid_boolean(injector.count(r.get("invalid_boolean", 0)))
    injector.unknown_code(injector.count(r.get("unknown_code", 0)))
    injector.out_of_range(injector.count(r.get("out_of_range", 0)))
    injector.date_order(injector.count(r.get("date_order", 0)))
    order = injector.duplicate_rows(injector.count(r.get("duplicate_row", 0)))
    # Positions of row-keeping faults move with the inserted copies.
    new_position = np.empty(injector.n, dtype=np.int64)
    is_copy = np.zeros(order.size, dtype=bool)
    is_copy[injector.log.quarantine.get("duplicate_row", [])] = True
    new_position[order[~is_copy]] = np.flatnonzero(~is_copy)
    log = injector.log
    for rule, positions in log.quarantine.items():
        if rule != "duplicate_row":
            log.quarantine[rule] = sorted(new_position[positions].tolist())
    out = {name: values[order] for name, values in injector.cols.items()}
    return out, log
