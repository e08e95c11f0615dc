"""Publication of a release in three tiers, atomically, only when the disclosure audit passes.

A release is built in `releases/.<id>.tmp/` (public/, analyst.duckdb, analyst_parquet/,
restricted.duckdb, manifest.json with every file's SHA-256), made read-only (0444) and renamed to
`releases/<id>/`. The current release at the top of the published folder is a set of relative
symbolic links (`public`, `analyst.duckdb`, `analyst_parquet`, `restricted.duckdb`, `manifest.json`),
each swapped in with `os.replace`, which is atomic on one file system. Nothing is touched when the
gate or the audit blocks, so the last good release stays in place. The work file (raw, staging,
ingest) is never published.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import duckdb

from homeless_monitor.disclosure.control import Controlled, control
from homeless_monitor.disclosure.definitions import public_definitions
from homeless_monitor.disclosure.independent import audit_release
from homeless_monitor.disclosure.primary import DEFAULT_K
from homeless_monitor.disclosure.reuse import load_patterns, store_patterns
from homeless_monitor.duckdb_limits import bound
from homeless_monitor.release.analyst import write_analyst
from homeless_monitor.release.parquet import export_marts
from homeless_monitor.release.public import write_public
from homeless_monitor.release.restricted import write_restricted
from homeless_monitor.release.tiers import (
    ANALYST_FILE,
    ANALYST_PARQUET_DIR,
    MANIFEST_FILE,
    PUBLIC_DIR,
    RELEASES_DIR,
    RESTRICTED_FILE,
)
from ingestion.loader import file_sha256

CURRENT_LINKS = (PUBLIC_DIR, ANALYST_FILE, ANALYST_PARQUET_DIR, RESTRICTED_FILE, MANIFEST_FILE)
LEGACY_FILES = ("warehouse.duckdb",)  # the old full copy leaked raw, staging and quarantine rows
READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH  # 0444


class DisclosureAuditFailed(Exception):
    """A suppressed cell an attacker could narrow down (or, from the independent audit of the public
    files, an implicit cell or a derived number giving a small count away): names the table and cell."""

    def __init__(self, controlled: Controlled, independent: bool = False):
        self.controlled = controlled
        lines = [e.line() for e in controlled.exposures]
        if independent:
            super().__init__(
                f"independent disclosure audit of the public files failed: {len(lines)} finding(s); first: {lines[0]}"
            )
        else:
            super().__init__(f"disclosure audit failed: {len(lines)} suppressed cell(s) recoverable; first: {lines[0]}")


def checkpoint(work_file: Path) -> None:
    """Fold DuckDB's write-ahead log into the file before other connections read it."""
    with duckdb.connect(str(work_file)) as con:
        con.execute("CHECKPOINT")


def file_list(release: Path) -> list[dict]:
    """Every file of the release (the manifest aside) with its size and SHA-256."""
    return [
        {"path": str(p.relative_to(release)), "bytes": p.stat().st_size, "sha256": file_sha256(p)}
        for p in sorted(release.rglob("*"))
        if p.is_file() and p.name != MANIFEST_FILE
    ]


def tier_sizes(files: list[dict]) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for f in files:
        tier = f["path"].split("/")[0]
        sizes[tier] = sizes.get(tier, 0) + f["bytes"]
    return sizes


def _make_read_only(root: Path) -> None:
    for p in root.rglob("*"):
        if p.is_file():
            os.chmod(p, READ_ONLY)


def _swap_link(published: Path, name: str, target: str) -> None:
    link = published / name
    tmp = published / f".{name}.link-tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    if link.exists() and not link.is_symlink():  # a folder or file from an older layout
        shutil.rmtree(link) if link.is_dir() else link.unlink()
    os.replace(tmp, link)


def publish(work_file: Path, published_dir: Path, manifest: dict, k: int = DEFAULT_K) -> Path:
    """Build the three tiers of a release from the work file and make it the current release.
    Raises DisclosureAuditFailed (publishing nothing) when a suppressed cell could be recovered."""
    release_id = manifest["release_id"]
    checkpoint(work_file)
    with duckdb.connect(str(work_file), read_only=True) as con:
        bound(con)
        controlled = control(con, k, kept=load_patterns(con))
    if not controlled.passed:
        raise DisclosureAuditFailed(controlled)
    with duckdb.connect(str(work_file)) as con:  # for the next publication (work file only, never a tier)
        store_patterns(con, controlled.patterns)

    releases = published_dir / RELEASES_DIR
    releases.mkdir(parents=True, exist_ok=True)
    staging = releases / f".{release_id}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    public = write_public(staging, controlled)
    # the blocking independent audit: the public files and the written definitions only
    independent = audit_release(staging / PUBLIC_DIR, public_definitions(), k)
    if not independent.passed:
        shutil.rmtree(staging, ignore_errors=True)
        controlled.exposures = list(independent.findings)
        raise DisclosureAuditFailed(controlled, independent=True)
    tiers = {
        "public": public,
        "analyst": write_analyst(work_file, staging / ANALYST_FILE, controlled.tables, controlled.specs),
        "restricted": write_restricted(work_file, staging / RESTRICTED_FILE),
    }
    parquet = export_marts(staging / ANALYST_FILE, staging / ANALYST_PARQUET_DIR)
    files = file_list(staging)
    manifest = {
        **manifest,
        "tiers": tiers,
        "analyst_parquet": parquet,
        "disclosure_control": {**controlled.summary(), "independent_audit": independent.summary()},
        "tier_bytes": tier_sizes(files),
        "files": files,
    }
    (staging / MANIFEST_FILE).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    _make_read_only(staging)
    final = releases / release_id
    os.replace(staging, final)

    from homeless_monitor.release.operator import current_release_id, log_event

    previous = current_release_id(published_dir)
    for name in CURRENT_LINKS:
        _swap_link(published_dir, name, f"{RELEASES_DIR}/{release_id}/{name}")
    for legacy in LEGACY_FILES:  # at the top and in older release folders
        for path in [published_dir / legacy, *releases.glob(f"*/{legacy}")]:
            path.unlink(missing_ok=True)
    approval = manifest.get("approval") or {}
    log_event(
        published_dir,
        "approve" if approval else "publish",
        release_id,
        previous,
        approval.get("reason", ""),
        run_id=manifest.get("dagster_run_id"),
    )
    return final


def add_to_manifest(release: Path, path: Path) -> None:
    """List a file written into a published release after it (the dbt docs page) in its manifest, with
    its SHA-256, so the manifest still names every file of the release; swapped in atomically, read-only."""
    manifest_path = release / MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    relative = str(path.relative_to(release))
    manifest["files"] = sorted(
        [f for f in manifest["files"] if f["path"] != relative]
        + [{"path": relative, "bytes": path.stat().st_size, "sha256": file_sha256(path)}],
        key=lambda f: f["path"],
    )
    tmp = release / f".{MANIFEST_FILE}.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    os.chmod(tmp, READ_ONLY)
    os.replace(tmp, manifest_path)


def current_manifest(published_dir: Path) -> dict | None:
    path = published_dir / MANIFEST_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
