"""Where each audience's tier of a release lives: one place, so publication, the report, extracts and
drill-down agree. A release folder `releases/<id>/` holds all three tiers and its manifest; the current
release is mirrored at the top of the published folder (`published/public/`, `published/analyst.duckdb`, ...).

- public/: disclosure-controlled tables for the yearly report and open data (Parquet + CSV + dictionary).
  A suppressed measure `m` is NULL with `m_suppressed = true` in Parquet, empty with `m_flag = 'c'` in CSV.
- analyst.duckdb: aggregate marts and dimensions, no person identifiers, unsuppressed but flagged (schema `marts`).
- restricted.duckdb: pseudonymised person-level facts for authorised analysts (schema `marts`).
"""

from __future__ import annotations

from pathlib import Path

RELEASES_DIR = "releases"
MANIFEST_FILE = "manifest.json"
PUBLIC_DIR = "public"
ANALYST_FILE = "analyst.duckdb"
ANALYST_PARQUET_DIR = "analyst_parquet"
RESTRICTED_FILE = "restricted.duckdb"
SUPPRESSED_SUFFIX = "_suppressed"
CSV_FLAG_SUFFIX = "_flag"
CONFIDENTIAL_FLAG = "c"


def release_dir(published: Path, release_id: str | None = None) -> Path:
    """A release's folder; without an id, the current release (the top of the published folder)."""
    return published / RELEASES_DIR / release_id if release_id else published


def public_table(release: Path, table: str, suffix: str = "parquet") -> Path:
    return release / PUBLIC_DIR / f"{table}.{suffix}"


def analyst_file(release: Path) -> Path:
    return release / ANALYST_FILE


def restricted_file(release: Path) -> Path:
    return release / RESTRICTED_FILE
