"""Where the project's own files are (contracts, reference data, the dbt project). Where a run's data
goes (data folder, inbox, work file) is a setting: homeless_monitor/settings.py."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTRACTS_DIR = Path(__file__).resolve().parent / "contracts"
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
