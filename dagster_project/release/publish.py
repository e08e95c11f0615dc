"""Atomic publication: an analyst reading `published/warehouse.duckdb` never sees a partial file.

The versioned copy is written first (to a temporary folder, then renamed); the current release is
then swapped in with `os.replace` from a temporary file in the same folder, which is atomic on one
file system. Nothing is touched when the gate blocks, so the last good release stays in place.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb

from dagster_project.release.parquet import export_marts

PUBLISHED_FILE = "warehouse.duckdb"
MANIFEST_FILE = "manifest.json"
RELEASES_DIR = "releases"
PARQUET_DIR = "parquet"


def _fsync_copy(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)
    with open(dst, "rb") as f:
        os.fsync(f.fileno())


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def checkpoint(work_file: Path) -> None:
    """Fold DuckDB's write-ahead log into the file so one file is the whole warehouse."""
    with duckdb.connect(str(work_file)) as con:
        con.execute("CHECKPOINT")


def publish(work_file: Path, published_dir: Path, manifest: dict) -> Path:
    """Copy the work file to `releases/<id>/` with its marts as Parquet and its manifest, then swap it
    in as the current release."""
    release_id = manifest["release_id"]
    published_dir.mkdir(parents=True, exist_ok=True)
    releases = published_dir / RELEASES_DIR
    releases.mkdir(exist_ok=True)
    checkpoint(work_file)

    final = releases / release_id
    staging = releases / f".{release_id}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    _fsync_copy(work_file, staging / PUBLISHED_FILE)
    manifest = {**manifest, "parquet": export_marts(staging / PUBLISHED_FILE, staging / PARQUET_DIR / "marts")}
    (staging / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(staging, final)

    current_tmp = published_dir / f".{PUBLISHED_FILE}.tmp-{release_id}"
    _fsync_copy(final / PUBLISHED_FILE, current_tmp)
    os.replace(current_tmp, published_dir / PUBLISHED_FILE)
    _write_atomic(published_dir / MANIFEST_FILE, json.dumps(manifest, ensure_ascii=False, indent=2))
    return published_dir / PUBLISHED_FILE


def current_manifest(published_dir: Path) -> dict | None:
    path = published_dir / MANIFEST_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
