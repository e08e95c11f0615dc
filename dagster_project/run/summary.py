"""The short summary `homeless-monitor run` prints: checks by tier, what blocked, and whether the
run published. GX outcomes come from the warehouse; dbt tests from the run's asset-check events."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dagster_project.run.run_failure import build_failures
from homeless_monitor.quality import store
from homeless_monitor.quality.report import summary_line
from homeless_monitor.quality.severity import Outcome, tally

GE_CHECK_PREFIX = "ge_"  # ge_<stage> (blocking) and ge_<stage>_error_warning (non-blocking)
RELEASE_KEY = ("release", "public_tier")
MAX_LISTED = 15


def dbt_test_tiers(result) -> dict[str, int]:
    """dbt tests as dagster-dbt reports them: passed, or failed with WARN (warning) / ERROR (blocked)."""
    counts = {"passed": 0, "warning": 0, "error": 0, "blocked": 0}
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.check_name.startswith(GE_CHECK_PREFIX):
            continue
        if evaluation.passed:
            counts["passed"] += 1
        else:
            counts["blocked" if evaluation.severity.value == "ERROR" else "warning"] += 1
    return counts


def published_release_id(result) -> str | None:
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        if tuple(materialization.asset_key.path) == RELEASE_KEY:
            return str(materialization.metadata["release_id"].value)
    return None


def ge_outcomes(work_file: Path, run_id: str) -> list[Outcome]:
    if not work_file.exists():
        return []
    with duckdb.connect(str(work_file), read_only=True) as con:
        return store.load(con, run_id)


def _carried_note(outcomes: list[Outcome]) -> str:
    """How many verdicts this run carried forward (unchanged deliveries and years), if any."""
    carried = sum(1 for o in outcomes if o.carried_from)
    return f" ({carried} of {len(outcomes)} carried forward from earlier runs)" if carried else ""


def run_summary(result, work_file: Path, published_dir: Path, quality_dir: Path) -> str:
    outcomes = ge_outcomes(work_file, result.run_id)
    ge, dbt = tally(outcomes), dbt_test_tiers(result)
    total = {k: ge[k] + dbt[k] for k in ge}
    lines = [
        "quality checks: " + summary_line(total),
        f"  Great Expectations: {summary_line(ge)}{_carried_note(outcomes)}",
        f"  dbt tests:          {summary_line(dbt)}",
    ]
    for tier in ("blocked", "error"):
        hits = [o for o in outcomes if o.tier() == tier]
        for o in hits[:MAX_LISTED]:
            lines.append(f"  {tier.upper()}: {o.line()}")
        if len(hits) > MAX_LISTED:
            lines.append(f"  … and {len(hits) - MAX_LISTED} more {tier} (see the quality report)")
    if dbt["blocked"]:
        failed = [
            e
            for e in result.get_asset_check_evaluations()
            if not e.check_name.startswith(GE_CHECK_PREFIX) and not e.passed and e.severity.value == "ERROR"
        ]
        for e in failed[:MAX_LISTED]:
            lines.append(f"  BLOCKED: dbt test {e.check_name} on {e.asset_key.to_user_string()}")
    release_id = published_release_id(result)
    if release_id:
        lines.append(f"published release {release_id} -> {published_dir} (public/, analyst.duckdb, restricted.duckdb)")
    elif not total["blocked"] and not result.get_step_failure_events():
        # nothing blocked and nothing failed, yet no release: the run found nothing new to build or publish
        lines.append(f"nothing new since the current release: nothing rebuilt or republished ({published_dir})")
    else:
        lines.append(f"NOT published: the last good release in {published_dir} stays in place")
        broken = build_failures(result.get_step_failure_events())
        for step, text in broken:
            lines.append(f"  because {step} failed: {text}")
        if broken:
            lines.append("  nothing to approve: fix the cause and run again")
        else:
            lines.append(
                f"  after review, publish this run with: homeless-monitor release approve {result.run_id} "
                f'--reason "..."'
            )
    lines.append(f"quality page: {quality_dir / 'reports' / (result.run_id + '.html')} (works offline)")
    lines.append(
        f"quality report: {quality_dir / 'reports' / (result.run_id + '.md')}; "
        f"GE Data Docs: {quality_dir / 'data_docs' / 'index.html'}"
    )
    return "\n".join(lines)
