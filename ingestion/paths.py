"""Where the project keeps its files: one place, so the CLI, Dagster and tests agree."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTRACTS_DIR = Path(__file__).resolve().parent / "contracts"
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"


def data_dir() -> Path:
    """The project's data folder (inbox, warehouse, releases, Dagster home, local key)."""
    return Path(os.environ.get("HOMELESS_MONITOR_DATA", PROJECT_ROOT / "data")).resolve()


def default_inbox() -> Path:
    return Path(os.environ.get("HOMELESS_MONITOR_INBOX", data_dir() / "inbox")).resolve()


def default_warehouse() -> Path:
    return Path(os.environ.get("HOMELESS_MONITOR_WAREHOUSE", data_dir() / "warehouse" / "work.duckdb")).resolve()
