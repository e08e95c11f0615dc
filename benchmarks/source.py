"""The code a benchmark measures: a `git archive` snapshot of one commit (or the working tree), and
the `homeless-monitor` command run from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without an installed package too

SRC = ROOT  # the code measured: a `git archive` snapshot of HEAD by default (see --worktree)


def cli(*args: str) -> list[str]:
    """`homeless-monitor …` from the measured source tree (PYTHONPATH=SRC beats the editable install)."""
    return [sys.executable, "-m", "dagster_project.run.cli", *args]


def snapshot(rev: str, workdir: Path) -> Path:
    """Export a commit to a folder, so runs measure one commit, not a working tree in flux."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", rev], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.strip()
    target = workdir / f"src-{commit}"
    if not (target / "pyproject.toml").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit], capture_output=True, cwd=ROOT, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target
