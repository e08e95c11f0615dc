"""Smoke run of benchmarks/run.py at a tiny scale: it runs the pipeline and prints its tables.

Not a timed test: no figure is asserted, only that the script works end to end.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_prints_its_tables(tmp_path: Path) -> None:
    results = tmp_path / "results"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--scale",
            "0.01",
            "--years",
            "2024-2024",
            "--workdir",
            str(tmp_path / "work"),
            "--results",
            str(results),
            "--worktree",
            "--no-add-year",
            "--no-tiny",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    out = done.stdout
    assert done.returncode == 0, out[-3000:] + done.stderr[-3000:]
    assert "| stage | wall time | CPU time | rows/s | peak RSS (tree) | DuckDB file after |" in out
    assert "| load |" in out and "| dbt build |" in out and "pipeline end to end" in out
    assert "| loader vs floor (CSV files) |" in out
    assert "### Targets" in out
    assert "| the same job again, nothing new delivered |" in out
    written = list(results.glob("*-scale0.01.json"))
    assert len(written) == 1
    result = json.loads(written[0].read_text())
    assert result["pipeline"]["returncode"] == 0
    assert result["warehouse"]["rows_read"] > 0
    assert result["pipeline"]["peak_rss"] > 0
