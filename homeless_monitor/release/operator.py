"""Operator commands on releases: list them, show one, roll the current release back to an earlier one.

Every release stays in `releases/<id>/`, read-only, with its manifest (which is hashed and never edited
after publication). The current release is the set of links at the top of the published folder; a
roll-back re-points them at another release with the same atomic swap publication uses, under the run
lock (so it never races a run that is publishing). Every publication and every roll-back is appended to
`release_log.jsonl` beside the releases: when, who, what, from which release to which, and why.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from homeless_monitor.release.tiers import MANIFEST_FILE, RELEASES_DIR
from homeless_monitor.settings import current

LOG_FILE = "release_log.jsonl"


class ReleaseNotFound(LookupError):
    """No release of that id; the message lists the ones there are."""


def log_path(published: Path) -> Path:
    return Path(published) / LOG_FILE


def _who() -> str:
    return current().user  # HOMELESS_MONITOR_USER, else the login name


def log_event(published: Path, action: str, release_id: str, previous: str | None, reason: str = "", **more) -> dict:
    """Append one line to the release log (one JSON object per line). Read-only (0444) like every published
    file: made writable only for the append."""
    entry = {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "by": _who(),
        "action": action,
        "release_id": release_id,
        "previous_release_id": previous,
        "reason": reason,
        **more,
    }
    path = log_path(published)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.chmod(0o644)
    try:
        with open(path, "a", encoding="utf-8") as log:
            log.write(json.dumps(entry, ensure_ascii=False) + "\n")
    finally:
        path.chmod(0o444)
    return entry


def read_log(published: Path) -> list[dict]:
    path = log_path(published)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def checks_text(summary: dict | None) -> str:
    if not summary:
        return "-"
    return (
        f"{summary.get('passed', 0)} passed, {summary.get('warning', 0)} warnings, "
        f"{summary.get('error', 0)} errors, {summary.get('blocked', 0)} blocked"
    )


def current_release_id(published: Path) -> str | None:
    link = Path(published) / MANIFEST_FILE
    if not link.exists():
        return None
    return json.loads(link.read_text(encoding="utf-8")).get("release_id")


def _manifest(published: Path, release_id: str) -> dict:
    path = Path(published) / RELEASES_DIR / release_id / MANIFEST_FILE
    if not path.is_file():
        known = [r["release_id"] for r in list_releases(published)]
        raise ReleaseNotFound(
            f"no release {release_id!r} in {Path(published) / RELEASES_DIR}; releases: {', '.join(known) or 'none'}"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def list_releases(published: Path) -> list[dict]:
    """Every published release, newest first: id, when, run, checks, approval, size, current or not."""
    folder = Path(published) / RELEASES_DIR
    current = current_release_id(published)
    found = []
    for release in sorted(folder.iterdir() if folder.is_dir() else [], reverse=True):
        path = release / MANIFEST_FILE
        if release.name.startswith(".") or not path.is_file():
            continue
        manifest = json.loads(path.read_text(encoding="utf-8"))
        checks = manifest.get("checks") or {}
        found.append(
            {
                "release_id": manifest.get("release_id", release.name),
                "current": release.name == current,
                "created_at": manifest.get("created_at"),
                "run_id": manifest.get("dagster_run_id"),
                "reporting_year": manifest.get("reporting_year"),
                "approved": bool(manifest.get("approval")),
                "checks": checks.get("summary") if isinstance(checks, dict) else None,
                "bytes": sum((manifest.get("tier_bytes") or {}).values()),
            }
        )
    return found


def show_release(published: Path, release_id: str | None = None) -> str:
    """A release described for an operator (the current one without an id)."""
    release_id = release_id or current_release_id(published)
    if release_id is None:
        raise ReleaseNotFound(f"no current release in {published}: publish one with `homeless-monitor run`")
    m = _manifest(published, release_id)
    current = current_release_id(published)
    lines = [
        f"release {release_id}" + (" (current)" if release_id == current else ""),
        f"  created       {m.get('created_at')}",
        f"  run           {m.get('dagster_run_id')}",
        f"  code          {(m.get('code_version') or {}).get('git_commit', '?')}"
        + (" (uncommitted changes)" if (m.get("code_version") or {}).get("dirty") else ""),
        f"  reporting year {m.get('reporting_year') or '-'}",
        f"  input files   {len(m.get('input_files') or [])}",
    ]
    checks = m.get("checks") or {}
    if isinstance(checks, dict) and checks.get("summary"):
        lines.append(f"  checks        {checks_text(checks['summary'])}")
    if m.get("approval"):
        a = m["approval"]
        lines.append(f"  approved      by {a.get('approved_by')} at {a.get('approved_at')}: {a.get('reason')}")
    for tier, tables in (m.get("tiers") or {}).items():
        lines.append(f"  {tier:<13} {len(tables) if hasattr(tables, '__len__') else tables} tables")
    for name, size in (m.get("tier_bytes") or {}).items():
        lines.append(f"  {name:<24} {size / 1e6:,.1f} MB")
    lines.append(f"  files         {len(m.get('files') or [])} (each with its SHA-256 in the manifest)")
    history = [e for e in read_log(published) if release_id in (e.get("release_id"), e.get("previous_release_id"))]
    for e in history:
        lines.append(
            f"  log           {e['at']} {e['action']} by {e['by']}: {e.get('previous_release_id') or '-'}"
            f" -> {e['release_id']}" + (f" ({e['reason']})" if e.get("reason") else "")
        )
    return "\n".join(lines)


def rollback(published: Path, release_id: str, reason: str) -> dict:
    """Make an earlier release the current one again; the roll-back is logged. Raises ReleaseNotFound,
    or ValueError when the release is already current or no reason is given."""
    from homeless_monitor.release.publish import CURRENT_LINKS, _swap_link

    if not reason or not reason.strip():
        raise ValueError("say why with --reason (it is written to the release log)")
    _manifest(published, release_id)  # exists, with a manifest
    previous = current_release_id(published)
    if previous == release_id:
        raise ValueError(f"release {release_id} is already the current release")
    for name in CURRENT_LINKS:
        if (Path(published) / RELEASES_DIR / release_id / name).exists():
            _swap_link(Path(published), name, f"{RELEASES_DIR}/{release_id}/{name}")
    return log_event(published, "rollback", release_id, previous, reason.strip())
