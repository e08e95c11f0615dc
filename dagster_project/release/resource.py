"""Where releases are published and where quality results (reports, GX project, Data Docs) go.

Empty settings mean "under the project's data folder", resolved when used, so HOMELESS_MONITOR_DATA
set by a test or the CLI after import still counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext

from ingestion.paths import data_dir


class ReleaseResource(ConfigurableResource):
    published_dir: str = ""
    quality_dir: str = ""

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator[ReleaseResource]:
        # a run that only publishes or writes the report holds the run lock too (re-entered by a run
        # that also uses the warehouse resource)
        from dagster_project.resources import held_for_run

        with held_for_run(context):
            yield self

    @property
    def published(self) -> Path:
        return Path(self.published_dir) if self.published_dir else data_dir() / "published"

    @property
    def quality(self) -> Path:
        return Path(self.quality_dir) if self.quality_dir else data_dir() / "quality"
