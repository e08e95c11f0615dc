"""New deliveries in the inbox start a run: a file whose SHA-256 has no loaded receipt yet.

Running by default (every 5 minutes while `homeless-monitor ui` runs); stop it in the UI under Automation.
"""

import hashlib

import duckdb
from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SkipReason, sensor

from dagster_project.jobs import monitoring_release_job
from dagster_project.resources import WarehouseResource
from ingestion.loader import delivery_files, file_sha256


def new_deliveries(warehouse: WarehouseResource) -> dict[str, str]:
    """SHA-256 -> file name for inbox files that the warehouse has not loaded or rejected yet."""
    inbox = warehouse.inbox
    if not inbox.is_dir():
        return {}
    files = {file_sha256(p): p.name for p in delivery_files(inbox)}
    if not files or not warehouse.work_file.exists():
        return files
    with duckdb.connect(str(warehouse.work_file), read_only=True) as con:
        known = {sha for (sha,) in con.execute(
            "SELECT DISTINCT file_sha256 FROM ingest.receipts WHERE status IN ('loaded', 'rejected')").fetchall()}
    return {sha: name for sha, name in files.items() if sha not in known}


@sensor(job=monitoring_release_job, minimum_interval_seconds=300, default_status=DefaultSensorStatus.RUNNING,
        description="Requests a monitoring release run when the inbox holds files with a new SHA-256.")
def inbox_sensor(context: SensorEvaluationContext, warehouse: WarehouseResource):
    try:
        new = new_deliveries(warehouse)
    except duckdb.IOException as busy:  # a run holds the work file: look again next time
        return SkipReason(f"work file busy: {busy}")
    if not new:
        return SkipReason("no new deliveries in the inbox")
    run_key = hashlib.sha256("".join(sorted(new)).encode()).hexdigest()[:16]
    return RunRequest(run_key=run_key, tags={"homeless_monitor/new_files": str(len(new))})
