"""The dbt project beside this package as dagster-dbt sees it (its manifest: homeless_monitor/dbt_manifest.py)."""

from __future__ import annotations

import sys
from functools import cached_property
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from ingestion.paths import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class LocalDbtCliResource(DbtCliResource):
    """dagster-dbt's resource without two start-up costs per dbt step (issue 28, the fixed cost):

    - its `dbt --version` subprocess (a dbt process start, ~1.9 s of CPU) to learn a version this
      interpreter already knows — only when the executable is the dbt installed beside this
      interpreter; otherwise dagster-dbt asks it;
    - its in-process dbt adapter (profile, project and macros loaded: ~1.5 s of CPU), which serves only
      `fetch_column_metadata` / `fetch_row_counts` on the event stream; this project calls neither
      (dbt itself, in its own process, builds the models and runs the tests).
    """

    def _initialize_dbt_core_adapter(self, args):  # noqa: ANN001, ANN202 - dagster-dbt's private hook
        return None

    @cached_property
    def _cli_version(self):  # noqa: ANN202 - dagster-dbt's private hook, a packaging Version
        from importlib.metadata import version as installed

        from packaging import version

        if Path(self.dbt_executable).absolute() == Path(sys.executable).absolute().with_name("dbt"):
            return version.parse(installed("dbt-core"))
        return super()._cli_version
