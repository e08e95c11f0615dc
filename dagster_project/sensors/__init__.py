"""New deliveries in the inbox start a run: a file whose SHA-256 has no loaded receipt yet.

Running by default (every 5 minutes while `homeless-monitor ui` runs); stop it in the UI under Automation.
Each tick looks at the files' names, sizes and modification times first: a file seen before with the same
size and time keeps the SHA-256 computed then (kept in the sensor's cursor), so only new or changed files
are read and hashed, not the whole inbox (593 MiB at national scale) every 5 minutes.
"""

import hashlib
import json
from pathlib import Path

import duckdb
from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SkipReason, sensor

from dagster_project.jobs import monitoring_release_job
from dagster_project.resources import WarehouseResource
from ingestion.loader import delivery_files, file_sha256


def _stamp(path: Path) -> list[int]:
    info = path.stat()
    return [info.st_size, info.st_mtime_ns]


def hashed_inbox(inbox: Path, seen: dict[str, list]) -> tuple[dict[str, str], dict[str, list], int]:
    """(SHA-256 -> file name, the new cursor {name: [size, mtime_ns, sha256]}, how many files were hashed).
    A file whose name, size and modification time match the cursor is not read again."""
    files: dict[str, str] = {}
    cursor: dict[str, list] = {}
    hashed = 0
    for path in delivery_files(inbox):
        stamp = _stamp(path)
        before = seen.get(path.name)
        if before and before[:2] == stamp:
            sha = before[2]
        else:
            sha = file_sha256(path)
            hashed += 1
        files[sha] = path.name
        cursor[path.name] = [*stamp, sha]
    return files, cursor, hashed


def new_deliveries(
    warehouse: WarehouseResource, seen: dict[str, list] | None = None, cursor_out: dict | None = None
) -> dict[str, str]:
    """SHA-256 -> file name for inbox files that the warehouse has not loaded or rejected yet. `seen` is the
    previous tick's cursor; the new one is written into `cursor_out` (with how many files were hashed)."""
    inbox = warehouse.inbox
    if not inbox.is_dir():
        return {}
    files, cursor, hashed = hashed_inbox(inbox, seen or {})
    if cursor_out is not None:
        cursor_out.update({"files": cursor, "hashed": hashed})
    if not files or not warehouse.work_file.exists():
        return files
    with duckdb.connect(str(warehouse.work_file), read_only=True) as con:
        known = {
            sha
            for (sha,) in con.execute(
                "SELECT DISTINCT file_sha256 FROM ingest.receipts WHERE status IN ('loaded', 'rejected')"
            ).fetchall()
        }
    return {sha: name for sha, name in files.items() if sha not in known}


def _read_cursor(text: str | None) -> dict[str, list]:
    try:
        return dict(json.loads(text or "{}"))
    except (ValueError, TypeError):
        return {}


@sensor(
    job=monitoring_release_job,
    minimum_interval_seconds=300,
    default_status=DefaultSensorStatus.RUNNING,
    description="Requests a monitoring release run when the inbox holds files with a new SHA-256 "
    "(hashing only files whose name, size or modification time changed).",
)
def inbox_sensor(context: SensorEvaluationContext, warehouse: WarehouseResource):
    found: dict = {}
    try:
        new = new_deliveries(warehouse, _read_cursor(context.cursor), found)
    except duckdb.IOException as busy:  # a run holds the work file: look again next time
        return SkipReason(f"work file busy: {busy}")
    finally:
        if found.get("files") is not None:
            context.update_cursor(json.dumps(found["files"], sort_keys=True))
    if not new:
        return SkipReason(f"no new deliveries in the inbox ({found.get('hashed', 0)} files hashed this tick)")
    run_key = hashlib.sha256("".join(sorted(new)).encode()).hexdigest()[:16]
    return RunRequest(run_key=run_key, tags={"homeless_monitor/new_files": str(len(new))})
