"""Where releases are published and where quality results (reports, GX project, Data Docs) go.

Empty settings mean "under the data folder" (homeless_monitor/settings.py), resolved when used, so
HOMELESS_MONITOR_DATA set by a test after import still counts; the CLI fills `data_path` from --data-dir.
"""

from __future__ import annotations

from pathlib import Path

from dagster_project.resources import ProjectResource


class ReleaseResource(ProjectResource):
    published_dir: str = ""
    quality_dir: str = ""

    @property
    def published(self) -> Path:
        return Path(self.published_dir) if self.published_dir else self.settings.published

    @property
    def quality(self) -> Path:
        return Path(self.quality_dir) if self.quality_dir else self.settings.quality
