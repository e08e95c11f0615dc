"""Resources: where the warehouse and the inbox are, and the pseudonym key."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext

from ingestion.paths import data_dir, default_inbox, default_warehouse
from ingestion.pseudonym import load_key


@contextmanager
def held_for_run(context: InitResourceContext, warehouse: Path | None = None) -> Iterator[None]:
    """The run lock (dagster_project/run_lock.py) for as long as a run uses the resource: from before its
    first step to its end, failed or not. Sensors and schedules, which build resources outside a run,
    take no lock."""
    run = getattr(context, "dagster_run", None)
    if run is None:
        yield
        return
    from dagster_project.run_lock import job_lock

    with job_lock(run.run_id, data_dir(), warehouse):
        yield


class WarehouseResource(ConfigurableResource):
    """The delivery inbox and the DuckDB work file the pipeline builds into."""

    inbox_dir: str = str(default_inbox())
    work_path: str = str(default_warehouse())

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator["WarehouseResource"]:
        # every run that reads or writes the warehouse holds the run lock (UI, schedule, sensor, CLI)
        with held_for_run(context, self.work_file):
            yield self

    @property
    def inbox(self) -> Path:
        return Path(self.inbox_dir)

    @property
    def work_file(self) -> Path:
        return Path(self.work_path)


class PseudonymKeyResource(ConfigurableResource):
    """Reads the HMAC key from the environment or a key file; never stored in the warehouse."""

    def key(self) -> bytes:
        return load_key()
