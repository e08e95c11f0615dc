"""Shared fixtures. Every test writes under a temporary data folder, never the repo's data/."""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

SESSION_DATA = None


def pytest_configure(config):
    """Point the project's data folder, Dagster home and telemetry at temporary places."""
    global SESSION_DATA
    import tempfile

    SESSION_DATA = Path(tempfile.mkdtemp(prefix="hm-test-data-"))
    os.environ["HOMELESS_MONITOR_DATA"] = str(SESSION_DATA)
    os.environ["DAGSTER_HOME"] = str(SESSION_DATA / "dagster_home")
    os.environ["DAGSTER_DISABLE_TELEMETRY"] = "1"
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
    os.environ["GX_ANALYTICS_ENABLED"] = "False"
    os.environ.pop("HOMELESS_MONITOR_MODE", None)


@dataclass
class PipelineRun:
    """One end-to-end run of `homeless-monitor run` on a small generated national set."""

    base: Path
    inbox: Path
    warehouse: Path
    data_dir: Path
    manifest: dict
    returncode: int
    output: str


@pytest.fixture(scope="session")
def national_run(tmp_path_factory) -> PipelineRun:
    from ingestion.generator import generate_national

    base = tmp_path_factory.mktemp("national")
    inbox = base / "inbox"
    generate_national(inbox, years=range(2023, 2025), scale=0.02, seed=7)
    manifest = json.loads((inbox / "_faults.json").read_text(encoding="utf-8"))
    data_dir = base / "data"
    warehouse = data_dir / "warehouse" / "work.duckdb"
    env = {**os.environ, "HOMELESS_MONITOR_DATA": str(data_dir), "DAGSTER_HOME": str(data_dir / "dagster_home")}
    cli = Path(sys.executable).with_name("homeless-monitor")
    done = subprocess.run(
        [str(cli), "run", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    return PipelineRun(base, inbox, warehouse, data_dir, manifest, done.returncode, done.stdout + done.stderr)


@pytest.fixture
def inbox(tmp_path):
    """An empty delivery folder for hand-made files."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder
