"""Suites kept as JSON in `expectations/`: reading, writing, and turning them into GX objects.

The JSON is GX's own suite form (`name`, `meta`, `expectations` of `type`/`kwargs`/`meta`), minus
the ids GX assigns, so a diff shows only real changes. `meta` on the suite says what DataFrame the
suite validates (a SQL `query` over the work file); `meta` on each expectation carries its `rule`
name and `severity` tier.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from homeless_monitor.quality.severity import Severity
from ingestion.paths import PROJECT_ROOT

if TYPE_CHECKING:
    import great_expectations as gx

EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"


@dataclass(frozen=True)
class SuiteSpec:
    """A suite as data: its name, its meta, and its expectations as plain dicts."""

    name: str
    meta: dict[str, Any]
    expectations: tuple[dict[str, Any], ...]

    @property
    def stage(self) -> str:
        return self.meta["stage"]

    def to_json(self) -> str:
        body = {"name": self.name, "meta": self.meta, "expectations": list(self.expectations)}
        return json.dumps(body, ensure_ascii=False, indent=2) + "\n"

    def gx_suite(self) -> gx.ExpectationSuite:
        """GX's suite from copies: GX writes into a suite's meta (its version), which must not change the
        spec (its JSON is the fingerprint incremental checks compare).

        Great Expectations is imported here, not at the top: loading the definitions reads suites as
        data only, and a run that validates nothing (nothing new, the UI, other commands) never pays
        GX's import (docs/performance.md, issue 28 fourth pass)."""
        import great_expectations as gx

        return gx.ExpectationSuite(
            name=self.name,
            meta=copy.deepcopy(self.meta),
            expectations=[gx_expectation(copy.deepcopy(e)) for e in self.expectations],
        )


def expectation(type_: str, rule: str, severity: Severity, description: str, **kwargs: Any) -> dict[str, Any]:
    """One expectation as a dict, its tier in `meta` (and mirrored in GX's own `severity`)."""
    return {
        "type": type_,
        "kwargs": kwargs,
        "meta": {"rule": rule, "severity": severity.value, "description": description},
    }


def gx_expectation(spec: dict[str, Any]):
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    severity = Severity(spec["meta"]["severity"])
    config = ExpectationConfiguration(
        type=spec["type"], kwargs=spec["kwargs"], meta=spec["meta"], severity=severity.gx_severity
    )
    return config.to_domain_obj()


def load_suite(path: Path) -> SuiteSpec:
    data = json.loads(path.read_text(encoding="utf-8"))
    return SuiteSpec(name=data["name"], meta=data.get("meta", {}), expectations=tuple(data["expectations"]))


def load_suites(stage_dir: str) -> list[SuiteSpec]:
    """Every suite in `expectations/<stage_dir>/`, in name order."""
    return [load_suite(p) for p in sorted((EXPECTATIONS_DIR / stage_dir).glob("*.json"))]
