"""An operator's release of a blocked run after review: the run's work file is published as any
release, and the manifest records who approved it, when, why and which blocking checks were
overridden. The disclosure audit is never overridden: a release that fails it is not published.

CLI (for the lead to wire in dagster_project/cli.py):
    homeless-monitor release approve RUN_ID --reason "..."  ->  approve_release(...)
"""
from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path

import duckdb

from dagster_project.quality import store
from dagster_project.release.manifest import build_manifest, new_release_id
from dagster_project.release.publish import publish


class NothingToApprove(Exception):
    pass


def approve_release(work_file: Path, published_dir: Path, run_id: str, reason: str,
                    approved_by: str | None = None, now: dt.datetime | None = None) -> Path:
    """Publish the warehouse a blocked run built, with the approval in the manifest."""
    if not reason.strip():
        raise ValueError("an approval needs a reason")
    now = now or dt.datetime.now(dt.UTC)
    with duckdb.connect(str(work_file), read_only=True) as con:
        outcomes = store.load(con, run_id)
    if not outcomes:
        raise NothingToApprove(f"no check results for run {run_id} in {work_file}")
    blockers = [o for o in outcomes if o.blocks]
    manifest = build_manifest(work_file, new_release_id(now), now, run_id, outcomes)
    manifest["approval"] = {
        "approved_by": approved_by or getpass.getuser(),
        "approved_at": now.isoformat(timespec="seconds"),
        "reason": reason,
        "overridden_checks": [o.line() for o in blockers],
    }
    return publish(work_file, published_dir, manifest)
