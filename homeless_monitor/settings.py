"""Every path, key and limit of the project, read from the environment in this one place.

`Settings.from_env()` reads the variables below once; code gets the result as Dagster resource
config (dagster_project/resources/) or as plain arguments. Nothing in the
project writes these variables: the CLI's `--data-dir`, `--inbox` and `--warehouse` build another
`Settings` (`with_data_dir`, `replace`) and hand it on. dbt reads its own two (`dbt/profiles.yml`):
the work file, passed by the dbt asset as the var `warehouse_path` (else the same variables and
defaults as here), and the DuckDB memory limit.

| variable | default | what |
|---|---|---|
| `HOMELESS_MONITOR_DATA` | `./data` (beside pyproject.toml) | the data folder: everything a run writes |
| `HOMELESS_MONITOR_INBOX` | `<data>/inbox` | the delivery inbox |
| `HOMELESS_MONITOR_WAREHOUSE` | `<data>/warehouse/work.duckdb` | the work file dbt builds into |
| `DAGSTER_HOME` | `<data>/dagster_home` | the Dagster instance (run history, event logs) |
| `HOMELESS_MONITOR_PSEUDONYM_KEY` | none | the HMAC key of the pseudonyms (a secret) |
| `HOMELESS_MONITOR_PSEUDONYM_KEY_FILE` | none | a file holding that key |
| `HOMELESS_MONITOR_MODE` | `demo` | `production`: a missing key is an error; `demo`: a key is generated under `<data>/secrets/` |
| `HOMELESS_MONITOR_USER` | the login name | who approves a release, drills down or takes an extract (logged) |
| `HOMELESS_MONITOR_DUCKDB_MEMORY` | `1GB` | DuckDB's memory limit for dbt and the release's connections |
| `HOMELESS_MONITOR_DBT_CACHE` | `$XDG_CACHE_HOME/homeless-monitor/dbt-manifests` | the parsed dbt manifests, by fingerprint |
| `HM_PG_HOST`, `HM_PG_PORT`, `HM_PG_USER`, `HM_PG_PASSWORD`, `HM_PG_DATABASE` | `localhost`, `5432`, `postgres`, empty, `homeless_monitor` | the PostgreSQL of the second dbt target (also read by dbt/profiles.yml) |
| `HOMELESS_MONITOR_RUN_WAREHOUSE` | not set | not a setting: the mark a run leaves on its child processes (dagster_project/run/cleanup.py) |
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ingestion.paths import PROJECT_ROOT
from ingestion.pseudonym import KEY_ENV, KEY_FILE_ENV

#: DuckDB's memory limit when HOMELESS_MONITOR_DUCKDB_MEMORY is unset; also the default written in
#: dbt/profiles.yml (tests/test_duckdb_limits.py holds them equal)
DEFAULT_DUCKDB_MEMORY = "1GB"
MEMORY_ENV = "HOMELESS_MONITOR_DUCKDB_MEMORY"
MODE_ENV = "HOMELESS_MONITOR_MODE"


@dataclass(frozen=True)
class Postgres:
    """The second dbt target's server (the same variables and defaults as dbt/profiles.yml)."""

    host: str = "localhost"
    port: int = 5432
    user: str = "postgres"
    password: str = field(default="", repr=False)
    dbname: str = "homeless_monitor"

    def connect_kwargs(self) -> dict:
        """psycopg2 connection keywords."""
        return {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password,
            "dbname": self.dbname,
        }


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    inbox: Path
    warehouse: Path
    dagster_home: Path
    pseudonym_key: str | None = field(default=None, repr=False)
    pseudonym_key_file: Path | None = None
    mode: str = "demo"
    user: str = ""
    duckdb_memory: str = DEFAULT_DUCKDB_MEMORY
    dbt_cache: Path = Path()
    postgres: Postgres = Postgres()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data = Path(env.get("HOMELESS_MONITOR_DATA") or PROJECT_ROOT / "data").resolve()
        cache_root = Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        return cls(
            data_dir=data,
            inbox=Path(env.get("HOMELESS_MONITOR_INBOX") or data / "inbox").resolve(),
            warehouse=Path(env.get("HOMELESS_MONITOR_WAREHOUSE") or data / "warehouse" / "work.duckdb").resolve(),
            dagster_home=Path(env.get("DAGSTER_HOME") or data / "dagster_home").resolve(),
            pseudonym_key=env.get(KEY_ENV) or None,
            pseudonym_key_file=Path(env[KEY_FILE_ENV]) if env.get(KEY_FILE_ENV) else None,
            mode=env.get(MODE_ENV) or "demo",
            user=env.get("HOMELESS_MONITOR_USER") or getpass.getuser(),
            duckdb_memory=(env.get(MEMORY_ENV) or "").strip() or DEFAULT_DUCKDB_MEMORY,
            dbt_cache=Path(env.get("HOMELESS_MONITOR_DBT_CACHE") or cache_root / "homeless-monitor" / "dbt-manifests"),
            postgres=Postgres(
                host=env.get("HM_PG_HOST", "localhost"),
                port=int(env.get("HM_PG_PORT", "5432")),
                user=env.get("HM_PG_USER", "postgres"),
                password=env.get("HM_PG_PASSWORD", ""),
                dbname=env.get("HM_PG_DATABASE", "homeless_monitor"),
            ),
        )

    def with_data_dir(self, folder: Path | None) -> Settings:
        """Every output under `folder` (the CLI's --data-dir): inbox, work file and Dagster home follow it."""
        if folder is None:
            return self
        folder = Path(folder).resolve()
        return replace(
            self,
            data_dir=folder,
            inbox=folder / "inbox",
            warehouse=folder / "warehouse" / "work.duckdb",
            dagster_home=folder / "dagster_home",
        )

    @property
    def published(self) -> Path:
        return self.data_dir / "published"

    @property
    def quality(self) -> Path:
        return self.data_dir / "quality"

    @property
    def logs(self) -> Path:
        return self.data_dir / "logs"

    @property
    def demo_key_file(self) -> Path:
        return self.data_dir / "secrets" / "pseudonym.key"

    def key(self) -> bytes:
        """The pseudonym key (ingestion/pseudonym.py); MissingKeyError in production mode without one."""
        from ingestion.pseudonym import load_key

        return load_key(
            key=self.pseudonym_key,
            key_file=self.pseudonym_key_file,
            production=self.mode == "production",
            demo_file=self.demo_key_file,
        )


def current() -> Settings:
    """The settings of this process's environment, read now (a test's monkeypatch.setenv counts)."""
    return Settings.from_env()
