"""The dbt project's parsed manifest, never stale, without Dagster: read by the Dagster layer's dbt assets
and by the plain packages that read the dbt docs (release/docs.py, disclosure/definitions.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from homeless_monitor.settings import current
from ingestion.paths import DBT_PROJECT_DIR


def dbt_executable() -> str:
    """The dbt installed beside this interpreter (works without an activated virtualenv)."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


#: What `dbt parse` reads besides the project's files: env_var() values rendered into the manifest
#: (grants roles, the profile's path and memory limit) and the dbt version.
PARSE_ENV_PREFIXES = ("HM_PG_", "HOMELESS_MONITOR_WAREHOUSE", "HOMELESS_MONITOR_DUCKDB_MEMORY")
FINGERPRINT_FILE = "manifest.fingerprint"


def _project_files() -> list[Path]:
    paths = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml", DBT_PROJECT_DIR / "packages.yml"]
    for folder in ("models", "macros", "tests", "seeds", "snapshots", "analyses"):
        paths += [p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file()]
    return sorted(p for p in paths if p.exists() and "__pycache__" not in p.parts)


def parse_fingerprint() -> str:
    """SHA-256 of what a parse depends on: every project file's path and bytes, the dbt version and
    the env vars the project reads. Content, not mtimes: a fresh checkout or snapshot of the same
    project is the same project."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256(f"dbt-core {version('dbt-core')}\n".encode())
    for path in _project_files():
        digest.update(str(path.relative_to(DBT_PROJECT_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    for name in sorted(k for k in os.environ if k.startswith(PARSE_ENV_PREFIXES)):
        digest.update(f"{name}={os.environ[name]}\0".encode())
    return digest.hexdigest()


def manifest_cache_dir() -> Path:
    """Parsed manifests by fingerprint, outside the checkout, so every checkout of one project
    (deployments, CI, benchmark snapshots) parses it once (settings: HOMELESS_MONITOR_DBT_CACHE)."""
    return current().dbt_cache


def ensure_manifest() -> Path:
    """The manifest of the project as it is: `dbt parse` only when no manifest of this fingerprint
    exists here or in the cache (issue 17: start-up without a parse per run or per checkout)."""
    import shutil

    manifest = DBT_PROJECT_DIR / "target" / "manifest.json"  # where dagster-dbt's DbtProject reads it
    stamp = manifest.with_name(FINGERPRINT_FILE)
    fingerprint = parse_fingerprint()
    if manifest.exists() and stamp.exists() and stamp.read_text().strip() == fingerprint:
        return manifest
    cached = manifest_cache_dir() / f"{fingerprint}.json"
    manifest.parent.mkdir(parents=True, exist_ok=True)
    if cached.exists():
        shutil.copyfile(cached, manifest)
    else:
        subprocess.run(
            [
                dbt_executable(),
                "parse",
                "--quiet",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
            ],
            check=True,
            cwd=DBT_PROJECT_DIR,
        )
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            shutil.copyfile(manifest, tmp)
            os.replace(tmp, cached)
        except OSError:  # a read-only home: the checkout's own manifest still serves
            pass
    stamp.write_text(fingerprint + "\n")
    return manifest
