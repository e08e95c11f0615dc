"""What a killed run leaves behind, removed by the next run (holding the run lock), on SIGTERM and
whenever a run ends.

- Temporary release copies: `published/releases/.<id>.tmp*` (a full person-level copy of the
  warehouse when a kill hits publication) and `published/.<name>.tmp-*` files. Matched by name
  only: publication writes under a dot-name and renames, so a dot-name `.tmp` is never a release.
- Child processes (the `dbt build` subprocess, which writes to the warehouse) of a run that died:
  the CLI marks its environment with RUN_MARKER_ENV = the warehouse file, which every child
  inherits; a process carrying the mark while this run holds the warehouse's run lock belongs to
  a dead run and is ended (SIGTERM, then SIGKILL).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import time
from pathlib import Path

log = logging.getLogger("homeless_monitor.cleanup")

RUN_MARKER_ENV = "HOMELESS_MONITOR_RUN_WAREHOUSE"
_RELEASE_TMP = re.compile(r"^\..+\.tmp")
_PUBLISHED_TMP = re.compile(r"^\..+\.tmp-")


def leftover_temporaries(published: Path) -> list[Path]:
    """Temporary folders and files of an interrupted publication."""
    found: list[Path] = []
    releases = published / "releases"
    if releases.is_dir():
        found += [p for p in releases.iterdir() if _RELEASE_TMP.match(p.name)]
    if published.is_dir():
        found += [p for p in published.iterdir() if p.is_file() and _PUBLISHED_TMP.match(p.name)]
    return sorted(found)


def remove_temporaries(published: Path) -> list[Path]:
    removed = []
    for path in leftover_temporaries(published):
        try:
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
    return removed


def _environ(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:  # gone, or not ours to read
        return {}
    pairs = (item.partition(b"=") for item in raw.split(b"\0") if item)
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, _, v in pairs}


def marked_processes(warehouse: Path, exclude: set[int] | None = None) -> list[int]:
    """Processes whose environment carries this warehouse's run mark (Linux /proc)."""
    exclude = (exclude or set()) | {os.getpid()}
    target = str(Path(warehouse).resolve())
    pids = []
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if entry.name.isdigit() and int(entry.name) not in exclude:
            if _environ(int(entry.name)).get(RUN_MARKER_ENV) == target:
                pids.append(int(entry.name))
    return sorted(pids)


def end_processes(pids: list[int], grace_seconds: float = 5.0) -> list[int]:
    """SIGTERM, wait up to the grace period, then SIGKILL what is left; return the pids signalled."""
    signalled = []
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
            signalled.append(pid)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace_seconds
    alive = list(signalled)
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [p for p in alive if _alive(p)]
    for pid in alive:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return signalled


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return status.rsplit(")", 1)[-1].split()[0] != "Z"  # a zombie has exited


def mark_this_run(warehouse: Path) -> None:
    """Mark this process's environment so that every child it starts can be found later."""
    os.environ[RUN_MARKER_ENV] = str(Path(warehouse).resolve())


def before_run(warehouse: Path, published: Path) -> list[str]:
    """Called with the run lock held: end a dead run's children, remove its temporary files."""
    notes = []
    ended = end_processes(marked_processes(warehouse))
    if ended:
        notes.append(f"ended {len(ended)} process(es) left by an interrupted run (pid {', '.join(map(str, ended))})")
    removed = remove_temporaries(published)
    if removed:
        notes.append("removed temporary files of an interrupted publication: " + ", ".join(p.name for p in removed))
    for note in notes:
        log.info(note)  # the CLI prints the notes
    return notes


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def after_run(warehouse: Path, published: Path) -> None:
    """Called when the run's body ends, however it ended, lock still held: nothing of it may stay
    (but this process's own multiprocessing helper, which ends with it)."""
    children = [p for p in marked_processes(warehouse) if "multiprocessing.resource_tracker" not in _cmdline(p)]
    end_processes(children, grace_seconds=2.0)
    remove_temporaries(published)


def on_sigterm(warehouse: Path, published: Path) -> None:
    """Install a SIGTERM handler: end this run's children, remove temporaries, then die of SIGTERM."""

    def handler(signum, frame):  # noqa: ARG001 - signal handler signature
        end_processes(marked_processes(warehouse), grace_seconds=2.0)
        remove_temporaries(published)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)

    signal.signal(signal.SIGTERM, handler)
