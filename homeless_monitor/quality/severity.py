"""Severity tiers and the outcome of one expectation, shared by the checks, the gate and the CLI.

Tiers follow Eva's HMIS data-quality checks (abtassociates/eva `EvaChecks.csv`): its "High
Priority" issues (missing files, incorrect columns or types, nulls where not allowed, duplicate
identifiers, no records) stop the analysis -> **block** here; its "Error" issues (values outside
the code list, future dates, dates outside a period) -> **error**: published, flagged; its
"Warning" issues -> **warning**.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Severity(str, Enum):
    BLOCK = "block"  # stops publication
    ERROR = "error"  # published, flagged in the quality report
    WARNING = "warning"  # noted

    @property
    def gx_severity(self) -> str:
        """GX 1.x's own expectation severity, so Data Docs show the tier too."""
        return {"block": "critical", "error": "warning", "warning": "info"}[self.value]


PASSED, FAILED, NOT_EVALUATED = "passed", "failed", "not_evaluated"


@dataclass
class Outcome:
    """One expectation's verdict, with enough to find the fault: source, file, row and rule."""

    stage: str  # delivery | staging | mart
    suite: str
    asset: str  # the Dagster asset the expectation guards, e.g. raw/shelter_stays
    rule: str  # stable short name from the expectation's meta
    severity: Severity
    status: str  # passed | failed | not_evaluated
    expectation: str = ""  # GX expectation type and column
    source: str | None = None
    file_name: str | None = None
    rows: str | None = None  # e.g. "lines 5, 9" or "year=2024"
    detail: str = ""
    extra: dict = field(default_factory=dict)
    # None: validated in this run; else the run whose validation this is (an unchanged delivery or
    # year carried forward: its verdict counts, a blocking failure still blocks)
    carried_from: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    @property
    def blocks(self) -> bool:
        return self.failed and self.severity is Severity.BLOCK

    def tier(self) -> str:
        """Where this outcome counts in the summary: passed | warning | error | blocked."""
        if self.status == PASSED:
            return "passed"
        if self.status == NOT_EVALUATED:
            return "warning"
        return {"block": "blocked", "error": "error", "warning": "warning"}[self.severity.value]

    def where(self) -> str:
        parts = [
            f"source {self.source}" if self.source else None,
            f"file {self.file_name}" if self.file_name else None,
            f"row {self.rows}" if self.rows else None,
        ]
        return ", ".join(p for p in parts if p) or self.asset

    def line(self) -> str:
        text = f"[{self.severity.value}] {self.stage} {self.rule}: {self.where()}"
        text = f"{text} — {self.detail}" if self.detail else text
        return f"{text} (carried forward from run {self.carried_from})" if self.carried_from else text

    def as_record(self) -> dict:
        record = asdict(self)
        record["severity"] = self.severity.value
        return record


def tally(outcomes: list[Outcome]) -> dict[str, int]:
    counts = {"passed": 0, "warning": 0, "error": 0, "blocked": 0}
    for outcome in outcomes:
        counts[outcome.tier()] += 1
    return counts
