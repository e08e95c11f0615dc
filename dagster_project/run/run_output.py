"""What `homeless-monitor run` prints: one line per stage (a Dagster step) with its result and time.

Everything else a run produces — Dagster's event lines, dbt's per-model lines, warnings, stack
traces, DEBUG — goes to one log file per run under the data folder (`logs/run-<run id>.log`),
so the console shows each thing once. The lines come from the Dagster instance's event stream
for the run (`DagsterInstance.add_event_listener`), so they appear as each stage finishes.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from dagster import DagsterEventType

from dagster_project.run.run_failure import failure_text

#: The bound tests/test_run_output.py holds a small run's console output to (lines).
MAX_CONSOLE_LINES = 80
#: The dbt asset's log line that says which years the build recomputes (dagster_project/assets/dbt.py).
PLAN_PREFIX = "dbt build plan: "


def _metadata(event) -> dict[str, Any]:
    data = event.event_specific_data
    materialization = getattr(data, "materialization", None)
    meta = materialization.metadata if materialization is not None else {}
    return {k: getattr(v, "value", v) for k, v in meta.items()}


class StageLines:
    """Listens to a run's events and prints one line per finished step."""

    def __init__(self, out: IO[str], total_steps: int):
        self.out, self.total, self.done = out, total_steps, 0
        self.started: dict[str, float] = {}
        self.stats: dict[str, dict[str, int]] = {}
        self.notes: dict[str, list[str]] = {}
        self._progress_shown = False
        self._tty = hasattr(out, "isatty") and out.isatty()

    def __call__(self, entry) -> None:
        event = entry.get_dagster_event() if entry.is_dagster_event else None
        if event is None:  # a step's own log line: the dbt asset's build plan goes on its stage line
            message = getattr(entry, "user_message", "") or ""
            if entry.step_key and message.startswith(PLAN_PREFIX):
                self.notes.setdefault(entry.step_key, []).append(message)
            return
        if event.step_key is None:
            return
        step, kind = event.step_key, event.event_type
        stats = self.stats.setdefault(
            step,
            {
                "assets": 0,
                "checks_passed": 0,
                "checks_failed": 0,
                "checks_blocking": 0,
                "files": 0,
                "rows": 0,
                "quarantined": 0,
                "rejected": 0,
            },
        )
        if kind == DagsterEventType.STEP_START:
            self.started[step] = time.perf_counter()
        elif kind == DagsterEventType.ASSET_MATERIALIZATION:
            stats["assets"] += 1
            meta = _metadata(event)
            stats["files"] += int(meta.get("files_loaded", 0) or 0)
            stats["rows"] += int(meta.get("rows_loaded", 0) or 0)
            stats["quarantined"] += int(meta.get("rows_quarantined", 0) or 0)
            stats["rejected"] += int(meta.get("files_rejected", 0) or 0)
            if "release_id" in meta:
                self.notes.setdefault(step, []).append(f"release {meta['release_id']}")
            self._progress(step, stats)
        elif kind == DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if evaluation.passed:
                stats["checks_passed"] += 1
            else:
                stats["checks_failed"] += 1
                stats["checks_blocking"] += evaluation.severity.value == "ERROR"
            self._progress(step, stats)
        elif kind in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE, DagsterEventType.STEP_SKIPPED):
            self._finish(step, kind, event, stats)

    def _progress(self, step: str, stats: dict[str, int]) -> None:
        """On a terminal, a live count on long stages (dbt), overwritten by the stage's line."""
        if self._tty:
            self.out.write(
                f"\r  … {step}: {stats['assets']} assets, "
                f"{stats['checks_passed'] + stats['checks_failed']} checks so far\x1b[K"
            )
            self.out.flush()
            self._progress_shown = True

    def _finish(self, step: str, kind, event, stats: dict[str, int]) -> None:
        self.done += 1
        seconds = time.perf_counter() - self.started.get(step, time.perf_counter())
        word = {
            DagsterEventType.STEP_SUCCESS: "ok",
            DagsterEventType.STEP_FAILURE: "FAILED",
            DagsterEventType.STEP_SKIPPED: "skipped",
        }[kind]
        parts = []
        if stats["files"] or stats["rejected"]:
            parts.append(
                f"{stats['files']} file{'s' if stats['files'] != 1 else ''}, {stats['rows']:,} rows loaded, {stats['quarantined']:,} quarantined"
                + (f", {stats['rejected']} REJECTED" if stats["rejected"] else "")
            )
        elif stats["assets"] > 1:
            parts.append(f"{stats['assets']} assets")
        checks = stats["checks_passed"] + stats["checks_failed"]
        if checks:
            flagged = stats["checks_failed"] - stats["checks_blocking"]
            parts.append(f"{checks} checks: {stats['checks_blocking']} failed (blocking), {flagged} flagged")
        parts += list(dict.fromkeys(self.notes.get(step, [])))  # a multi-asset step notes its release once
        if kind == DagsterEventType.STEP_FAILURE:
            error = getattr(event.event_specific_data, "error", None)
            parts.append(failure_text(error.message if error is not None else ""))
        if self._progress_shown:
            self.out.write("\r\x1b[K")
            self._progress_shown = False
        width = len(str(self.total))
        self.out.write(
            f"[{self.done:>{width}}/{self.total}] {step:<34} {word:<7} {'; '.join(parts)}"
            f"{' ' if parts else ''}({seconds:.1f} s)\n"
        )
        self.out.flush()


@contextlib.contextmanager
def quiet_run(log_path: Path) -> Iterator[IO[str]]:
    """Send stdout, stderr, Python logging and warnings to the run's log file; yield the console.

    The console stream yielded is the one the process had, for the stage lines and the summary.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    console = sys.stdout
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    with open(log_path, "a", encoding="utf-8", buffering=1) as log:
        handler = logging.StreamHandler(log)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.handlers = [handler]
        root.setLevel(logging.INFO)
        logging.captureWarnings(True)
        try:
            with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
                yield console
        finally:
            logging.captureWarnings(False)
            root.handlers, root.level = saved_handlers, saved_level
