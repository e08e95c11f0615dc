"""The register of issued extracts and the drill-down access log.

Published release files are read-only (0444), so both live in one separate, writable DuckDB file in
the restricted area: `<published>/restricted_register.duckdb`, mode 0600 (only the operator's account
reads it). It holds no person identifier: an extract's id, spec hash, recipient and date; who asked to
drill into which mart cell, when, and how many persons were listed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import duckdb

from homeless_monitor.release.compat import PUBLISHED_STORAGE_VERSION, attach_compatible
from homeless_monitor.settings import current

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
alter table extracts_register add column if not exists multiplied_rows_allowed varchar;
alter table drill_access_log add column if not exists purpose varchar;
"""


def register_path(published: Path) -> Path:
    return published / REGISTER_FILE


def _storage_version(con: duckdb.DuckDBPyConnection, alias: str) -> str:
    tags = con.execute("select tags from duckdb_databases() where database_name = ?", [alias]).fetchone()[0]
    return str((tags or {}).get("storage_version", ""))


def _to_compatible_format(path: Path) -> None:
    """A register written by an earlier version in DuckDB 2.0's own format: copied, table by table, into
    the format every DuckDB from 1.0 on opens (release/compat.py), then put in its place."""
    old = path.with_name(path.name + ".v2-format")
    path.rename(old)
    with duckdb.connect() as con:
        attach_compatible(con, path, "register")
        con.execute(f"attach '{old}' as old_register (read_only)")
        con.execute("copy from database old_register to register")
        con.execute("detach old_register")
        con.execute("checkpoint register")
    old.unlink()


def _connect(published: Path) -> duckdb.DuckDBPyConnection:
    """The register, in the storage format DuckDB 1.0 and later open (so the operator's 1.x CLI reads it)."""
    path = register_path(published)
    path.parent.mkdir(parents=True, exist_ok=True)
    old_umask = os.umask(0o077)  # created 0600, never readable by others even for a moment
    try:
        if path.exists():
            with duckdb.connect() as probe:
                probe.execute(f"attach '{path}' as probe (read_only)")
                if not _storage_version(probe, "probe").startswith(PUBLISHED_STORAGE_VERSION):
                    probe.execute("detach probe")
                    _to_compatible_format(path)
        con = duckdb.connect()
        attach_compatible(con, path, "register")
        con.execute("use register")
    finally:
        os.umask(old_umask)
    con.execute(_DDL)
    path.chmod(0o600)
    return con


def _who() -> str:
    return current().user  # HOMELESS_MONITOR_USER, else the login name


def record_extract(published: Path, manifest: dict, output_sha256: str) -> None:
    """Register an issued extract; the same extract taken again is counted, not duplicated."""
    with _connect(published) as con:
        con.execute(
            """
            insert into extracts_register values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
            on conflict (extract_id) do update set times_issued = times_issued + 1, issued_at = excluded.issued_at,
                multiplied_rows_allowed = excluded.multiplied_rows_allowed
        """,
            [
                manifest["extract_id"],
                manifest["spec"]["name"],
                manifest["spec"]["sha256"],
                manifest["release_id"],
                manifest["spec"]["recipient"],
                manifest["spec"]["purpose"],
                dt.datetime.now(dt.UTC),
                _who(),
                sum(manifest["rows"].values()) if isinstance(manifest["rows"], dict) else manifest["rows"],
                manifest["protection"]["k_achieved"],
                output_sha256,
                manifest.get("multiplied_rows_allowed"),
            ],
        )


def log_access(published: Path, release_id: str, mart: str, cell: dict, persons_listed: int, purpose: str) -> None:
    """Log a drill-down (who, when, which cell, how many persons, and why) before anything is shown."""
    with _connect(published) as con:
        con.execute(
            "insert into drill_access_log values (?, ?, ?, ?, ?, ?, ?)",
            [
                dt.datetime.now(dt.UTC),
                _who(),
                release_id,
                mart,
                json.dumps(cell, sort_keys=True),
                persons_listed,
                purpose,
            ],
        )
