"""Resources: where the data folder, the inbox and the warehouse are, and the pseudonym key.

Every field left empty means "from the settings" (homeless_monitor/settings.py: the environment, read
when the resource is used); the CLI fills them from its options as run config.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext

from homeless_monitor.settings import Settings, current


@contextmanager
def held_for_run(context: InitResourceContext, data: Path, warehouse: Path) -> Iterator[None]:
    """The run lock (dagster_project/run/run_lock.py) for as long as a run uses the resource: from
    before its first step to its end, failed or not. Sensors and schedules, which build resources
    outside a run, take no lock."""
    run = getattr(context, "dagster_run", None)
    if run is None:
        yield
        return
    from dagster_project.run.run_lock import job_lock

    with job_lock(run.run_id, data, warehouse):
        yield


class ProjectResource(ConfigurableResource):
    """The settings a run's resources share: the data folder, the inbox and the work file (empty: from
    the settings). Its subclasses take the run lock on that data folder and work file."""

    data_path: str = ""
    inbox_dir: str = ""
    work_path: str = ""

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator["ProjectResource"]:
        # every run that uses the warehouse or publishes holds the run lock (UI, schedule, sensor, CLI);
        # re-entered by the same run's other resources
        with held_for_run(context, self.data, self.work_file):
            yield self

    @property
    def settings(self) -> Settings:
        """The environment's settings with this resource's config on top."""
        folder = current().with_data_dir(Path(self.data_path) if self.data_path else None)
        return replace(folder, warehouse=Path(self.work_path)) if self.work_path else folder

    @property
    def data(self) -> Path:
        return self.settings.data_dir

    @property
    def work_file(self) -> Path:
        return self.settings.warehouse

    @property
    def inbox(self) -> Path:
        return Path(self.inbox_dir) if self.inbox_dir else self.settings.inbox


class WarehouseResource(ProjectResource):
    """The delivery inbox and the DuckDB work file the pipeline builds into."""


class PseudonymKeyResource(ConfigurableResource):
    """The HMAC key (settings: the key, a key file, or the demo key under the data folder); never stored
    in the warehouse."""

    data_path: str = ""

    def key(self) -> bytes:
        return current().with_data_dir(Path(self.data_path) if self.data_path else None).key()
