"""The console output of `homeless-monitor run`: one line per stage, then the summary; the rest in a log file."""

from __future__ import annotations

import re
from collections import Counter

from dagster_project.run.run_output import MAX_CONSOLE_LINES


def test_a_small_run_prints_a_bounded_number_of_lines_none_twice(national_run):
    lines = [line for line in national_run.output.splitlines() if line.strip()]
    assert national_run.returncode == 0, national_run.output[-3000:]
    assert len(lines) <= MAX_CONSOLE_LINES, "\n".join(lines)
    assert [line for line, n in Counter(lines).items() if n > 1] == []


def test_each_stage_has_one_line_with_its_result_and_time_and_no_dbt_or_warning_lines(national_run):
    stage_lines = [line for line in national_run.output.splitlines() if re.match(r"\[\s*\d+/\d+\] ", line)]
    total = int(re.match(r"\[\s*\d+/(\d+)\]", stage_lines[0]).group(1))
    assert len(stage_lines) == total
    assert all(re.search(r" (ok|FAILED|skipped) .*\(\d+\.\d s\)$", line) for line in stage_lines)
    assert any("warehouse_dbt_models" in line for line in stage_lines)
    for noise in ("START sql", " PASS ", "Running with dbt", "Warning", "Traceback", " - dagster - "):
        assert noise not in national_run.output


def test_dbt_per_model_lines_and_debug_go_to_the_run_log_under_the_data_folder(national_run):
    [log_line] = [line for line in national_run.output.splitlines() if line.startswith("log ")]
    log = national_run.data_dir / "logs" / log_line.rsplit("/", 1)[1]
    assert log.exists() and log.parent == national_run.data_dir / "logs"
    text = log.read_text(encoding="utf-8")
    assert "Running with dbt" in text and " PASS " in text and "DEBUG" in text


def test_a_steps_build_plan_log_line_goes_on_its_stage_line():
    """The dbt asset logs which years it recomputes; the operator reads it on the dbt stage's line."""
    import io
    import time

    from dagster import EventLogEntry

    from dagster_project.run.run_output import StageLines

    lines = StageLines(io.StringIO(), 1)
    for message in ("dbt build plan: years from 2024 recomputed", "something else"):
        lines(
            EventLogEntry(
                error_info=None,
                level=20,
                user_message=message,
                run_id="r",
                timestamp=time.time(),
                step_key="warehouse_dbt_models",
                job_name="monitoring_release",
                dagster_event=None,
            )
        )
    assert lines.notes == {"warehouse_dbt_models": ["dbt build plan: years from 2024 recomputed"]}


def test_a_second_run_with_nothing_new_says_so_and_is_not_reported_as_unpublished(national_run, tmp_path):
    """The same inbox again (on a copy of the run's data folder, so the suite's run stays as it was):
    nothing is loaded, built or republished, and the summary says that in words, not 'NOT published'."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    assert national_run.returncode == 0, national_run.output[-3000:]
    data = tmp_path / "data"
    shutil.copytree(national_run.data_dir, data, symlinks=True)
    env = {**os.environ, "HOMELESS_MONITOR_DATA": str(data), "DAGSTER_HOME": str(data / "dagster_home")}
    cli = Path(sys.executable).with_name("homeless-monitor")
    done = subprocess.run(
        [str(cli), "run", "--inbox", str(national_run.inbox), "--warehouse", str(data / "warehouse" / "work.duckdb")],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "nothing new since the current release: nothing rebuilt or republished" in output
    assert "NOT published" not in output and "release approve" not in output
