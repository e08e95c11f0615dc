"""Dagster's run history without a disk flush per event (issue 28, the fixed cost).

Dagster's default event log (SQLite, one file per run plus an index file) opens a connection, commits
and closes it for every event; in WAL mode each commit and each close (which checkpoints the log into
the file) waits for the disk to flush. A run of this job stores about a thousand events (every asset
planned, every dbt model and test as a materialisation or check, every step event), so on a shared disk
those flushes cost tens of seconds of wall time and almost no CPU: 42 s of a 143 s run over a
3,600-row inbox (py-spy, docs/performance.md), 20 ms per event (benchmarks/levers/sqlitebench.py).

`QuickSqliteEventLogStorage` is Dagster's own SQLite event log with one change: its connections run
with `PRAGMA synchronous` at the configured level (default OFF: SQLite hands the writes to the
operating system and does not wait for the flush). Everything else is Dagster's: the same files, the
same schema and migrations, a connection per event (so the UI's watcher, which reacts to the run file
changing, still follows a run live).

What it trades: SQLite's documentation says a database with synchronous=OFF is safe when the
*application* crashes, but can be corrupted if the *operating system* crashes or the power fails
before the data reaches the disk. Only the run history (what Dagster shows in the UI) lives here; the
warehouse (DuckDB, its own write-ahead log), the releases (written aside and renamed) and the check
results (stored in the warehouse) do not depend on it. After such a crash, delete the damaged
`history/runs/<run id>.db` (or the whole `dagster_home/history`) and the next run starts a new history.
An operator who prefers durability sets `synchronous: FULL` in dagster.yaml.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dagster import AssetKey, AssetMaterialization, DagsterInstance
from dagster import _check as check
from dagster._config import Field, StringSource
from dagster._core.events import DagsterEvent, DagsterEventType, StepMaterializationData
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy import event
from sqlalchemy.pool import NullPool

SYNCHRONOUS_LEVELS = ("OFF", "NORMAL", "FULL", "EXTRA")
DEFAULT_SYNCHRONOUS = "OFF"


class QuickSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's SQLite event log storage, its connections at `PRAGMA synchronous = <level>`."""

    def __init__(
        self, base_dir: str, inst_data: ConfigurableClassData | None = None, synchronous: str = DEFAULT_SYNCHRONOUS
    ):
        level = check.str_param(synchronous, "synchronous").upper()
        if level not in SYNCHRONOUS_LEVELS:
            raise ValueError(f"synchronous must be one of {', '.join(SYNCHRONOUS_LEVELS)}, not {synchronous!r}")
        self._synchronous = level
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def config_type(cls) -> dict:
        return {
            "base_dir": StringSource,
            "synchronous": Field(StringSource, is_required=False, default_value=DEFAULT_SYNCHRONOUS),
        }

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData, config_value: dict) -> QuickSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _pragma(self, dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA synchronous={self._synchronous}")
        cursor.close()

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Any]:
        # SqliteEventLogStorage._connect (dagster 1.13) with the pragma listener added to its engine
        with self._db_lock:
            check.str_param(shard, "shard")
            engine = create_engine(
                self.conn_string_for_shard(shard),
                poolclass=NullPool,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
            )
            event.listen(engine, "connect", self._pragma)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn:
                with conn.begin():
                    yield conn
            engine.dispose()


def instance_settings(home: str) -> dict:
    """The dagster.yaml entry that selects this storage for a Dagster home (the default layout's path)."""
    return {
        "module": __name__,
        "class": QuickSqliteEventLogStorage.__name__,
        "config": {"base_dir": f"{home.rstrip('/')}/history/runs/", "synchronous": DEFAULT_SYNCHRONOUS},
    }


def store_materialization(instance: DagsterInstance, run_id: str, asset_key: AssetKey, step: str = "step") -> None:
    """Write one asset materialisation straight into the instance's event log, as a dbt model's step
    does (a run-shard row and an asset-index row): what the storage's test and its benchmark lever
    (benchmarks/levers/sqlitebench.py) both store, without running a job."""
    materialization = DagsterEvent(
        DagsterEventType.ASSET_MATERIALIZATION.value,
        step,
        event_specific_data=StepMaterializationData(AssetMaterialization(asset_key)),
    )
    entry = EventLogEntry(
        error_info=None,
        level=10,
        user_message="",
        run_id=run_id,
        timestamp=time.time(),
        step_key=step,
        job_name=step,
        dagster_event=materialization,
    )
    instance.store_event(entry)
