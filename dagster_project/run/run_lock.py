"""One run at a time per data folder and per warehouse: lock files a second run finds held, and refuses.

Two runs on one warehouse used to both fail on DuckDB's own file lock, each having loaded part
of the inbox. `fcntl.flock` on `<data>/run.lock` and on `<warehouse>.run.lock` is released by the
kernel when the holder exits or is killed, so a crashed run never leaves a stale lock; the files'
text (pid, since when, which warehouse) only serves the message the second run prints.

The lock is taken inside the job too (`job_lock`, entered by the warehouse and release resources when
a run starts and left when it ends, failed or not), so a run launched from the UI, by the schedule or
by the inbox sensor refuses a second run with the same message as the CLI. The CLI takes the lock
before Dagster starts (it cleans a killed run's leftovers under it); its own job then re-enters the
lock its process holds, once: a second job in the same process is refused like any other.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from homeless_monitor.settings import Settings, current

LOCK_FILE = "run.lock"
EXIT_NO_KEY = 2
EXIT_BUSY = 3


class RunLockBusy(RuntimeError):
    """Another run holds the lock; the message says which and since when."""


def lock_path(data: Path) -> Path:
    return Path(data) / LOCK_FILE


def _holder(fd: int) -> dict:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return json.loads(os.read(fd, 4096).decode("utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def warehouse_lock_path(warehouse: Path) -> Path:
    """The lock beside the warehouse file: two data folders can still name the same warehouse."""
    warehouse = Path(warehouse).resolve()
    return warehouse.with_name(warehouse.name + ".run.lock")


#: lock file -> who holds it in this process: "cli" (guarded_run) and/or a run id (job_lock)
_HELD: dict[str, list[str]] = {}
_HELD_GUARD = threading.Lock()
CLI_HOLDER = "cli"


def _busy_message(holder: dict, warehouse: Path) -> str:
    return (
        f"another run holds the warehouse {holder.get('warehouse', warehouse)} since {holder.get('since', '?')}, "
        f"pid {holder.get('pid', '?')}; nothing was loaded — wait for it to finish, then run again"
    )


def _reenter(path: Path, owner: str) -> bool | None:
    """True when this process already holds `path` for `owner` (or for the CLI whose job `owner` is, and no
    other job is inside it); False when this process holds it for someone else; None when it does not."""
    with _HELD_GUARD:
        owners = _HELD.get(str(path))
        if owners is None:
            return None
        if owner != CLI_HOLDER and (owner in owners or owners == [CLI_HOLDER]):
            owners.append(owner)
            return True
        return False


def _leave(path: Path, owner: str) -> None:
    with _HELD_GUARD:
        owners = _HELD.get(str(path), [])
        if owner in owners:
            del owners[len(owners) - 1 - owners[::-1].index(owner)]  # its latest entry


@contextmanager
def _flock(path: Path, warehouse: Path, owner: str = CLI_HOLDER) -> Iterator[None]:
    path = Path(path).resolve()
    again = _reenter(path, owner)
    if again:
        try:
            yield
        finally:
            _leave(path, owner)
        return
    if again is False:
        fd = os.open(path, os.O_RDONLY)
        try:
            raise RunLockBusy(_busy_message(_holder(fd), warehouse))
        finally:
            os.close(fd)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)  # not inherited by child processes (PEP 446)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunLockBusy(_busy_message(_holder(fd), warehouse)) from None
        text = json.dumps(
            {"pid": os.getpid(), "warehouse": str(warehouse), "since": dt.datetime.now().isoformat(timespec="seconds")}
        )
        os.ftruncate(fd, 0)
        os.pwrite(fd, text.encode("utf-8"), 0)
        with _HELD_GUARD:
            _HELD[str(path)] = [owner]
        try:
            yield
        finally:
            with _HELD_GUARD:
                _HELD.pop(str(path), None)
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def run_lock(data: Path, warehouse: Path, owner: str = CLI_HOLDER) -> Iterator[Path]:
    """Hold the data folder's run lock and the warehouse's for the body; raise RunLockBusy at once
    if another run holds either (the kernel frees both when the holder exits or is killed)."""
    warehouse = Path(warehouse).resolve()
    with _flock(lock_path(data), warehouse, owner), _flock(warehouse_lock_path(warehouse), warehouse, owner):
        yield lock_path(data)


@contextmanager
def job_lock(run_id: str, data: Path, warehouse: Path) -> Iterator[None]:
    """The lock a Dagster run holds from its first step to its end: the data folder's and the
    warehouse's. Re-entered by the same run (two resources) and by the CLI's own job."""
    warehouse = Path(warehouse).resolve()
    with _flock(lock_path(data), warehouse, run_id), _flock(warehouse_lock_path(warehouse), warehouse, run_id):
        yield


def guarded_run(
    data: Path, warehouse: Path, published: Path, body: Callable[[], int], settings: Settings | None = None
) -> int:
    """`homeless-monitor run` under the lock: refuse at once if busy, clean a killed run's leftovers,
    stop before Dagster when production mode has no key (one clear line, not 20 tracebacks).
    `settings` (default: the environment's) say where the key is."""
    from dagster_project.run import cleanup
    from ingestion.pseudonym import MissingKeyError

    try:
        (settings or current()).key()
    except MissingKeyError as error:
        print(f"homeless-monitor: {error}. Nothing was run; the published release is unchanged.", file=sys.stderr)
        return EXIT_NO_KEY
    try:
        with run_lock(data, warehouse):
            previous_marker = os.environ.get(cleanup.RUN_MARKER_ENV)
            previous_handler = signal.getsignal(signal.SIGTERM)
            for note in cleanup.before_run(warehouse, published):
                print(note)
            cleanup.mark_this_run(warehouse)
            if threading.current_thread() is threading.main_thread():
                cleanup.on_sigterm(warehouse, published)
            try:
                return body()
            finally:
                # Dagster turns a SIGTERM during execution into an interrupt (it stops dbt and fails the
                # run): whatever the run left, a child still alive or a temporary copy, goes now
                cleanup.after_run(warehouse, published)
                if threading.current_thread() is threading.main_thread():
                    signal.signal(signal.SIGTERM, previous_handler)
                if previous_marker is None:
                    os.environ.pop(cleanup.RUN_MARKER_ENV, None)
                else:
                    os.environ[cleanup.RUN_MARKER_ENV] = previous_marker
    except RunLockBusy as busy:
        print(f"homeless-monitor: {busy}", file=sys.stderr)
        return EXIT_BUSY
