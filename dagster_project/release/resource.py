"""Where releases are published and where quality results (reports, GX project, Data Docs) go.

Empty settings mean "under the project's data folder", resolved when used, so HOMELESS_MONITOR_DATA
set by a test or the CLI after import still counts.
"""
from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource

from ingestion.paths import data_dir


class ReleaseResource(ConfigurableResource):
    published_dir: str = ""
    quality_dir: str = ""

    @property
    def published(self) -> Path:
        return Path(self.published_dir) if self.published_dir else data_dir() / "published"

    @property
    def quality(self) -> Path:
        return Path(self.quality_dir) if self.quality_dir else data_dir() / "quality"
