"""dbt as the tests run it: the project's dbt command, its target and logs in the test's own folder."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

from homeless_monitor.dbt_manifest import dbt_executable
from ingestion.paths import DBT_PROJECT_DIR


def run_dbt(*args: str, env: Mapping[str, str], tmp: Path, timeout: int) -> subprocess.CompletedProcess:
    """`dbt <args>` on the project, writing target/ and logs/ under `tmp`; output captured as text."""
    return subprocess.run(
        [
            dbt_executable(),
            *args,
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(tmp / "target"),
            "--log-path",
            str(tmp / "logs"),
        ],
        cwd=DBT_PROJECT_DIR,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
