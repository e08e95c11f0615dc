"""What a release is built from: input files and their SHA-256, code version, check results."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import duckdb

from homeless_monitor.quality.queries import raw_volume
from homeless_monitor.quality.severity import Outcome, tally
from ingestion.paths import PROJECT_ROOT


def new_release_id(now: dt.datetime, reporting_year: str | None = None) -> str:
    """Sortable and unique per run: `<reporting year>-<UTC timestamp>` (or just the timestamp)."""
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{reporting_year}-{stamp}" if reporting_year else stamp


def code_version() -> dict:
    """The git commit of the code that built the release, if the project is a git checkout."""

    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    return {"git_commit": commit, "dirty": bool(git("status", "--porcelain")) if commit else None}


def input_files(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every file whose rows are in the warehouse: the loaded receipts (re-deliveries skipped)."""
    rows = con.execute("""
        SELECT source, file_name, file_sha256, rows_loaded, rows_quarantined, load_id, loaded_at
        FROM ingest.receipts WHERE status = 'loaded' ORDER BY source, file_name, loaded_at""").fetchall()
    return [
        {
            "source": s,
            "file_name": f,
            "sha256": h,
            "rows_loaded": n,
            "rows_quarantined": q,
            "load_id": lid,
            "loaded_at": str(at),
        }
        for s, f, h, n, q, lid, at in rows
    ]


def build_manifest(
    work_file: Path,
    release_id: str,
    created_at: dt.datetime,
    run_id: str,
    outcomes: list[Outcome],
    reporting_year: str | None = None,
    data_docs: Path | None = None,
) -> dict:
    with duckdb.connect(str(work_file), read_only=True) as con:
        files = input_files(con)
        volume = raw_volume(con)
    return {
        "release_id": release_id,
        "created_at": created_at.isoformat(timespec="seconds"),
        "reporting_year": reporting_year,
        "dagster_run_id": run_id,
        "code_version": code_version(),
        "input_files": files,
        "raw_volume": volume,  # rows per raw source and year: the next run's volume check compares with them
        "checks": {
            "summary": tally(outcomes),
            "not_passed": [o.as_record() for o in outcomes if o.status != "passed"],
        },
        "data_docs": str(data_docs) if data_docs else None,
    }
