"""Resources: where the warehouse and the inbox are, and the pseudonym key."""

from pathlib import Path

from dagster import ConfigurableResource

from ingestion.paths import default_inbox, default_warehouse
from ingestion.pseudonym import load_key


class WarehouseResource(ConfigurableResource):
    """The delivery inbox and the DuckDB work file the pipeline builds into."""

    inbox_dir: str = str(default_inbox())
    work_path: str = str(default_warehouse())

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
