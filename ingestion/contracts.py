"""Source contracts: the one description of each delivery, kept as YAML data.

The loader, the synthetic generator, the contract docs, the dbt code lists and the Great
Expectations suites all read contracts through this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ingestion.paths import CONTRACTS_DIR

COLUMN_TYPES = {"string", "integer", "decimal", "date", "code", "boolean", "personal_code"}
SOURCE_KINDS = {"person", "programme", "aggregate", "reference"}
#: Delivered spellings of booleans (Latvian exports write jā/nē).
BOOLEAN_VALUES = {"jā": True, "ja": True, "nē": False, "ne": False}
#: Longest text value (string and code columns) a contract accepts unless a column says `max_length`.
DEFAULT_MAX_LENGTH = 255
#: Default plausibility window for dates (`plausible_dates` in a contract overrides it).
DEFAULT_EARLIEST_DATE = date(2000, 1, 1)
DEFAULT_YEARS_AFTER_DELIVERY = 1


@dataclass(frozen=True)
class Column:
    header: str
    name: str
    type: str
    required: bool = False
    description: str = ""
    codes: dict[str, str] = field(default_factory=dict)
    min: float | None = None
    max: float | None = None
    max_length: int = DEFAULT_MAX_LENGTH  # string and code columns: longer values are quarantined


@dataclass(frozen=True)
class FileFormat:
    pattern: str
    format: str
    encoding: str
    delimiter: str
    decimal: str
    date_format: str


@dataclass(frozen=True)
class RowRule:
    """`then` must not be before `first` (date_order). `unknown_end`: an invalid `then` date alone (one
    that does not parse or is implausible) is set to unknown with a field issue and the row loads; the
    warehouse then counts the record's first day only (dbt doc `end_date_unknown`), never as open. An
    end before the start is still a contradiction and quarantines the row."""

    rule: str
    first: str
    then: str
    unknown_end: bool = False


@dataclass(frozen=True)
class PlausibleDates:
    """Dates outside [earliest, delivery date + years_after_delivery] are quarantined (`implausible_date`).

    A single stay in 1850 or 9999 would otherwise make the yearly build recompute a century.
    `columns` gives a column its own earliest date (e.g. a prison admission long before 2000).
    """

    earliest: date = DEFAULT_EARLIEST_DATE
    years_after_delivery: int = DEFAULT_YEARS_AFTER_DELIVERY
    columns: dict[str, date] = field(default_factory=dict)

    def earliest_for(self, column: str) -> date:
        return self.columns.get(column, self.earliest)


@dataclass(frozen=True)
class Contract:
    source: str
    title: str
    kind: str
    sender: str
    description: str
    file: FileFormat
    primary_key: tuple[str, ...]
    expected_rows: tuple[int, int]
    columns: tuple[Column, ...]
    row_rules: tuple[RowRule, ...] = ()
    #: Columns that place a row in the years the monitoring counts (dates, or integer years): a
    #: prison spell by its release, a hospital stay by its discharge. A new delivery makes the
    #: yearly dbt build recompute from the earliest such year on; a source without them, when a
    #: year-keyed model depends on it, makes the build recompute every year.
    period_columns: tuple[str, ...] = ()
    plausible_dates: PlausibleDates = field(default_factory=PlausibleDates)

    @property
    def raw_table(self) -> str:
        return f"raw.{self.source}"

    @property
    def personal_code_column(self) -> Column | None:
        return next((c for c in self.columns if c.type == "personal_code"), None)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def period_years_sql(self) -> list[str]:
        """SQL giving the year of each period column of a raw-table row (integer years as they are)."""
        return [f'"{n}"' if self.column(n).type == "integer" else f'year("{n}")' for n in self.period_columns]

    def matches(self, file_name: str) -> bool:
        return Path(file_name).match(self.file.pattern)


def _parse(data: dict[str, Any]) -> Contract:
    columns = tuple(
        Column(
            header=c["header"],
            name=c["name"],
            type=c["type"],
            required=bool(c.get("required", False)),
            description=c.get("description", ""),
            codes={str(k): str(v) for k, v in (c.get("codes") or {}).items()},
            min=c.get("min"),
            max=c.get("max"),
            max_length=int(c.get("max_length", DEFAULT_MAX_LENGTH)),
        )
        for c in data["columns"]
    )
    contract = Contract(
        source=data["source"],
        title=data["title"],
        kind=data["kind"],
        sender=data.get("sender", ""),
        description=" ".join(str(data.get("description", "")).split()),
        file=FileFormat(**data["file"]),
        primary_key=tuple(data["primary_key"]),
        expected_rows=tuple(data["expected_rows"]),
        columns=columns,
        row_rules=tuple(RowRule(**r) for r in data.get("row_rules") or ()),
        period_columns=tuple(data.get("period_columns") or ()),
        plausible_dates=_plausible_dates(data.get("plausible_dates") or {}),
    )
    _check(contract)
    return contract


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _plausible_dates(data: dict[str, Any]) -> PlausibleDates:
    return PlausibleDates(
        earliest=_as_date(data.get("earliest", DEFAULT_EARLIEST_DATE)),
        years_after_delivery=int(data.get("years_after_delivery", DEFAULT_YEARS_AFTER_DELIVERY)),
        columns={str(k): _as_date(v) for k, v in (data.get("columns") or {}).items()},
    )


def _check(contract: Contract) -> None:
    """A malformed contract is a programming error: fail loudly at load time."""
    names = [c.name for c in contract.columns]
    problems = []
    if contract.kind not in SOURCE_KINDS:
        problems.append(f"unknown kind {contract.kind!r}")
    if len(set(names)) != len(names):
        problems.append("duplicate column names")
    for c in contract.columns:
        if c.type not in COLUMN_TYPES:
            problems.append(f"column {c.name}: unknown type {c.type!r}")
        if c.type == "code" and not c.codes:
            problems.append(f"column {c.name}: type code needs codes")
    for key in contract.primary_key:
        if key not in names:
            problems.append(f"primary key column {key} not in columns")
    for name in contract.period_columns:
        if name not in names or contract.column(name).type not in {"date", "integer"}:
            problems.append(f"period column {name} is not a date or integer column")
    for name in contract.plausible_dates.columns:
        if name not in names or contract.column(name).type != "date":
            problems.append(f"plausible_dates names {name}, which is not a date column")
    for rule in contract.row_rules:
        if rule.first not in names or rule.then not in names:
            problems.append(f"row rule {rule} names an unknown column")
        elif rule.unknown_end and contract.column(rule.then).required:
            problems.append(f"row rule {rule}: unknown_end needs an optional end column")
    if contract.kind == "person" and contract.personal_code_column is None:
        problems.append("a person-level source needs a personal_code column")
    if problems:
        raise ValueError(f"contract {contract.source}: " + "; ".join(problems))


def load_contract(path: Path) -> Contract:
    return _parse(yaml.safe_load(path.read_text(encoding="utf-8")))


@cache
def all_contracts(directory: Path = CONTRACTS_DIR) -> dict[str, Contract]:
    """Every contract in the folder, by source name, in a stable order."""
    contracts = [load_contract(p) for p in sorted(directory.glob("*.yaml"))]
    return {c.source: c for c in contracts}


def contract_for_file(file_name: str, contracts: dict[str, Contract] | None = None) -> Contract | None:
    """The contract whose file pattern the delivered file name matches, if any."""
    for contract in (contracts or all_contracts()).values():
        if contract.matches(file_name):
            return contract
    return None
