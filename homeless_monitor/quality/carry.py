"""Carrying earlier verdicts forward, so a run validates only what changed.

A unit is what a verdict is about: a delivered file (name, content, load) for the delivery suites,
a year for the per-year staging and mart suites. When a unit was validated before under the same
suite fingerprint and has not changed since, its outcomes from that run are copied into this run,
marked `carried_from` (the run that validated it): they count as before, so a blocking failure
carried forward still blocks publication. Passes about no particular unit (GX reports one passed
expectation for all rows) are carried once per expectation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import duckdb

from homeless_monitor.quality import store
from homeless_monitor.quality.severity import PASSED, Outcome
from homeless_monitor.quality.suites import SuiteSpec


def fingerprint(spec: SuiteSpec, *context: str) -> str:
    """The suite as it is (its expectations, limits and query) plus anything else its verdicts depend on."""
    digest = hashlib.sha256(spec.to_json().encode())
    for part in context:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


def carry_forward(
    con: duckdb.DuckDBPyConnection, suite: str, owner: dict[str, str], unit_of: Callable[[Outcome], str | None]
) -> list[Outcome]:
    """The stored outcomes of the units in `owner` (unit -> run that last validated it), marked carried.

    An outcome about a unit is carried from the run that owns the unit (not from an older or newer
    validation of it); one about no unit is carried from every owning run, passes once per expectation.
    """
    carried: list[Outcome] = []
    passes: dict[tuple[str, str, str], Outcome] = {}
    for run_id in sorted(set(owner.values())):
        for outcome in store.fresh_outcomes(con, run_id, suite):
            unit = unit_of(outcome)
            if unit is not None and owner.get(unit) != run_id:
                continue  # about a unit validated again since, validated anew now, or gone
            outcome.carried_from = run_id
            if unit is None and outcome.status == PASSED:
                key = (outcome.asset, outcome.rule, outcome.expectation)
                kept = passes.setdefault(key, outcome)
                kept.extra.setdefault("carried_runs", [kept.carried_from])
                if kept is not outcome:
                    kept.extra["carried_runs"].append(run_id)
                continue
            carried.append(outcome)
    for outcome in passes.values():  # which files or years a carried pass speaks for
        runs = set(outcome.extra["carried_runs"])
        units = sorted(u for u, r in owner.items() if r in runs and u != "*")
        outcome.extra["carried_units"] = units[:30] + ([f"… {len(units) - 30} more"] if len(units) > 30 else [])
    return carried + list(passes.values())
