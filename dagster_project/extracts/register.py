"""The register of issued extracts and the drill-down access log.

Published release files are read-only (0444), so both live in one separate, writable DuckDB file in
the restricted area: `<published>/restricted_register.duckdb`, mode 0600 (only the operator's account
reads it). It holds no person identifier: an extract's id, spec hash, recipient and date; who asked to
drill into which mart cell, when, and how many persons were listed.
"""
from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from pathlib import Path

import duckdb

REGISTER_FILE = "restricted_register.duckdb"

_DDL = """
create table if not exists extracts_register (
    extract_id varchar primary key, spec_name varchar, spec_sha256 varchar, release_id varchar,
    recipient varchar, purpose varchar, issued_at timestamptz, issued_by varchar, rows_written bigint,
    k_achieved integer, output_sha256 varchar, times_issued integer
);
create table if not exists drill_access_log (
    asked_at timestamptz, asked_by varchar, release_id varchar, mart varchar, cell varchar,
    persons_listed bigint
);
"""


def register_path(published: Path) -> Path:
    return published / REGISTER_FILE


def _connect(published: Path) -> duckdb.DuckDBPyConnection:
    path = register_path(published)
    path.parent.mkdir(parents=True, exist_ok=True)
    old_umask = os.umask(0o077)  # created 0600, never readable by others even for a moment
    try:
        con = duckdb.connect(str(path))
    finally:
        os.umask(old_umask)
    con.execute(_DDL)
    path.chmod(0o600)
    return con


def _who() -> str:
    return os.environ.get("HOMELESS_MONITOR_USER") or getpass.getuser()


def record_extract(published: Path, manifest: dict, output_sha256: str) -> None:
    """Register an issued extract; the same extract taken again is counted, not duplicated."""
    with _connect(published) as con:
        con.execute("""
            insert into extracts_register values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
            on conflict (extract_id) do update set times_issued = times_issued + 1, issued_at = excluded.issued_at
        """, [manifest["extract_id"], manifest["spec"]["name"], manifest["spec"]["sha256"], manifest["release_id"],
              manifest["spec"]["recipient"], manifest["spec"]["purpose"], dt.datetime.now(dt.UTC), _who(),
              sum(manifest["rows"].values()) if isinstance(manifest["rows"], dict) else manifest["rows"],
              manifest["protection"]["k_achieved"], output_sha256])


def log_access(published: Path, release_id: str, mart: str, cell: dict, persons_listed: int) -> None:
    with _connect(published) as con:
        con.execute("insert into drill_access_log values (?, ?, ?, ?, ?, ?)",
                    [dt.datetime.now(dt.UTC), _who(), release_id, mart, json.dumps(cell, sort_keys=True),
                     persons_listed])
