"""Why a step failed, in words an operator can act on (issue 17: a dbt model out of memory showed
as "DagsterDbtCliRuntimeError: The dbt CLI process with command", and the run summary offered to
approve the run, as if a quality check had blocked it)."""

from __future__ import annotations

import re
from collections.abc import Iterable

ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: dbt's own words for an error that stops a model (not a failing data test).
MODEL_ERROR = re.compile(r"^\s*(?:Runtime|Database|Compilation) Error in (?:model|seed|snapshot|unit_test) (\S+)")
#: How the release gate (dagster_project/assets/release.py) says that blocking checks stopped it.
BLOCKED_GATE = "blocking check(s) failed"
MEMORY_HINT = "raise HOMELESS_MONITOR_DUCKDB_MEMORY (DuckDB's memory limit for dbt, see dbt/profiles.yml)"


def model_errors(message: str) -> list[str]:
    """`model: first line of its error` for every model dbt could not build, from a dbt CLI error."""
    lines = [ANSI.sub("", line) for line in message.splitlines()]
    found = []
    for i, line in enumerate(lines):
        hit = MODEL_ERROR.match(line)
        if hit:
            detail = next((x.strip() for x in lines[i + 1 :] if x.strip()), "")
            text = f"{hit.group(1)}: {detail}"
            if "Out of Memory" in detail:
                text += f" — {MEMORY_HINT}"
            found.append(text)
    return list(dict.fromkeys(found))


def failure_text(message: str, width: int = 200) -> str:
    """One line: the models dbt could not build, or the error's first line."""
    models = model_errors(message)
    if models:
        return "; ".join(models)[:width]
    first = next((ANSI.sub("", x).strip() for x in message.splitlines() if x.strip()), "")
    return first[:width] or "see the log"


def is_build_failure(step_key: str, message: str) -> bool:
    """A failure no approval can release: anything but a blocking quality check or a failing dbt test."""
    if step_key.endswith("_checks"):
        return False
    if step_key == "release_tiers" and BLOCKED_GATE in message:  # the gate itself: checks blocked it
        return False
    if "Errors parsed from dbt logs" in message:
        return bool(model_errors(message))
    return True


def error_chain_text(error) -> str:
    """A step error's messages, the innermost cause first: Dagster wraps what the step raised in
    "Error occurred while executing op …", which says nothing an operator can act on."""
    messages = []
    while error is not None:
        messages.append(error.message)
        error = getattr(error, "cause", None)
    return "\n".join(reversed(messages))


def build_failures(step_failure_events: Iterable) -> list[tuple[str, str]]:
    """(step, why) for every failed step (Dagster STEP_FAILURE events) an approval cannot release."""
    found = []
    for event in step_failure_events:
        message = error_chain_text(getattr(event.event_specific_data, "error", None))
        if is_build_failure(event.step_key, message):
            found.append((event.step_key, failure_text(message)))
    return found
