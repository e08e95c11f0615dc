"""An operator's release of a blocked run after review: the run's work file is published as any
release, and the manifest records who approved it, when, why and which blocking checks were
overridden. The disclosure audit is never overridden: a release that fails it is not published.

Only a blocked run can be approved: one that finished, whose steps failed only because checks
blocked, and after which no other run has changed the warehouse. A run whose load, dbt model,
publication or report failed left a warehouse that was never built; approving it would publish that.

CLI: `homeless-monitor release approve RUN_ID --reason "..."` (dagster_project/run/cli.py) calls approve_release.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from dagster import DagsterEventType, DagsterInstance, RunsFilter

from dagster_project.run.run_failure import build_failures
from homeless_monitor.quality import store
from homeless_monitor.release.manifest import build_manifest, new_release_id
from homeless_monitor.release.publish import publish
from homeless_monitor.settings import current


class NothingToApprove(Exception):
    pass


#: The jobs that write the warehouse (dagster_project/jobs): a later run of one changes what a blocked
#: run built.
WAREHOUSE_JOBS = ("monitoring_release", "yearly_monitoring_release")


def refuse_unless_blocked(instance: DagsterInstance, run_id: str) -> None:
    """Raise NothingToApprove unless `run_id` is a finished run that only checks stopped."""
    record = next(iter(instance.get_run_records(RunsFilter(run_ids=[run_id]), limit=1)), None)
    if record is None:
        raise NothingToApprove(f"run {run_id} is not in the run history ({instance.root_directory})")
    run = record.dagster_run
    if not run.is_finished:
        raise NothingToApprove(f"run {run_id} has not finished ({run.status.value}); wait for it to end")
    failed = build_failures(
        entry.dagster_event for entry in instance.all_logs(run_id, of_type=DagsterEventType.STEP_FAILURE)
    )
    if failed:
        step, why = failed[0]
        raise NothingToApprove(
            f"run {run_id} did not build the warehouse ({step} failed: {why}); an approval "
            "releases only what checks blocked: fix the cause and run again"
        )
    later = [
        r.dagster_run.run_id
        for name in WAREHOUSE_JOBS
        for r in instance.get_run_records(RunsFilter(job_name=name, created_after=record.create_timestamp), limit=5)
    ]
    later = [other for other in later if other != run_id]
    if later:
        raise NothingToApprove(
            f"run {later[0]} started after run {run_id} and has changed the warehouse since; "
            "approve the latest run instead"
        )


def approve_release(
    work_file: Path,
    published_dir: Path,
    run_id: str,
    reason: str,
    approved_by: str | None = None,
    now: dt.datetime | None = None,
    instance: DagsterInstance | None = None,
) -> Path:
    """Publish the warehouse a blocked run built, with the approval in the manifest."""
    if not reason.strip():
        raise ValueError("an approval needs a reason")
    refuse_unless_blocked(instance or DagsterInstance.get(), run_id)
    now = now or dt.datetime.now(dt.UTC)
    with duckdb.connect(str(work_file), read_only=True) as con:
        outcomes = store.load(con, run_id)
    if not outcomes:
        raise NothingToApprove(f"no check results for run {run_id} in {work_file}")
    blockers = [o for o in outcomes if o.blocks]
    manifest = build_manifest(work_file, new_release_id(now), now, run_id, outcomes)
    manifest["approval"] = {
        "approved_by": approved_by or current().user,
        "approved_at": now.isoformat(timespec="seconds"),
        "reason": reason,
        "overridden_checks": [o.line() for o in blockers],
    }
    return publish(work_file, published_dir, manifest)
