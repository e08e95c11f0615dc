"""The dbt project on its second target, PostgreSQL: the raw layer of the small national set is
copied across (`ingestion/postgres_raw.py`), `dbt build --target postgres` runs every model, data
test and unit test, and every mart and intermediate table equals the DuckDB build's row for row.

The server is the one named by HM_PG_HOST (with HM_PG_PORT, HM_PG_USER, HM_PG_PASSWORD; the test
creates and drops its own database, so the role needs CREATEDB), else a throwaway PostgreSQL 16
started from the binaries of the `pgserver` wheel. With neither, the test skips and says why.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
import test_end_to_end as end_to_end
from dbt_run import run_dbt

from ingestion.paths import DBT_PROJECT_DIR
from ingestion.postgres_raw import copy_to_postgres, ensure_database

COMPARED_SCHEMAS = ("marts", "intermediate")
ANALYST_ROLE, RESTRICTED_ROLE = "hm_analyst", "hm_restricted"  # dbt_project.yml's grants (defaults)
PERSON_LEVEL = (
    "marts.fct_service_days",
    "marts.dim_person",
    "marts.mart_hf_crisis_use",
    "intermediate.int_person_homeless_spells",
)
#: dbt Python models run on DuckDB only (enabled: target.type == 'duckdb'): no PostgreSQL table to compare
DUCKDB_ONLY_MODELS = {p.stem for p in (DBT_PROJECT_DIR / "models").rglob("*.py")}
UNPRIVILEGED_USER = "nobody"  # PostgreSQL refuses to run as root


def _bundled_binaries() -> Path | None:
    """bin/ of the PostgreSQL inside the pgserver wheel, if installed (its Python API is not used:
    as root it would add a system user)."""
    import importlib.util

    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        return None
    binaries = Path(list(spec.submodule_search_locations)[0]) / "pginstall" / "bin"
    return binaries if (binaries / "pg_ctl").exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayServer:
    """A PostgreSQL cluster in a temporary folder, on 127.0.0.1 and a free port, trust auth,
    no fsync (a test database), stopped and deleted afterwards."""

    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="hm-postgres-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.run_as: dict[str, Any] = {}
        if os.geteuid() == 0:
            entry = pwd.getpwnam(UNPRIVILEGED_USER)  # KeyError: no such user
            self.run_as = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
            self.folder.chmod(0o755)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
            # the wheel may sit under a folder only root can enter (a CI clone in a 0700 temp dir):
            # give the unprivileged user its own copy of the binaries and of the libraries their
            # RPATH ($ORIGIN/../../../pgserver.libs) points at, in the same layout
            package = binaries.parent.parent
            copy = self.folder / "wheel" / package.name
            shutil.copytree(binaries.parent, copy / "pginstall", symlinks=True)
            libraries = package.parent / f"{package.name}.libs"
            if libraries.is_dir():
                shutil.copytree(libraries, copy.parent / libraries.name, symlinks=True)
            self.binaries = copy / "pginstall" / "bin"

    def _run(self, *args: str, timeout: int = 120) -> None:
        done = subprocess.run(
            [str(self.binaries / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.folder,
            **self.run_as,
        )
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {(done.stdout + done.stderr)[-1500:]}")

    def start(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-h 127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off",
            "start",
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres() -> Iterator[dict[str, Any]]:
    """psycopg2 connection settings of an empty database made for this test, or a skip saying why."""
    server = None
    if os.environ.get("HM_PG_HOST"):
        base = {
            "host": os.environ["HM_PG_HOST"],
            "port": int(os.environ.get("HM_PG_PORT", "5432")),
            "user": os.environ.get("HM_PG_USER", "postgres"),
            "password": os.environ.get("HM_PG_PASSWORD", ""),
        }
    else:
        binaries = _bundled_binaries()
        if binaries is None:
            pytest.skip(
                "no PostgreSQL: HM_PG_HOST is not set and the pgserver wheel (bundled binaries) is not installed"
            )
        try:
            server = ThrowawayServer(binaries)
            server.start()
        except (KeyError, OSError, RuntimeError, subprocess.TimeoutExpired) as error:
            if server is not None:
                server.stop()
            pytest.skip(f"no PostgreSQL: could not start the bundled server ({error})")
        base = {"host": "127.0.0.1", "port": server.port, "user": "postgres", "password": ""}
    settings = {**base, "dbname": f"hm_test_{uuid.uuid4().hex[:8]}"}
    try:
        ensure_database(settings)
        _ensure_roles(settings)
    except Exception as error:  # unreachable server, no CREATEDB right, ...
        if server is not None:
            server.stop()
        pytest.skip(f"no PostgreSQL: cannot create a test database on {base['host']}:{base['port']} ({error})")
    yield settings
    import psycopg2

    admin = psycopg2.connect(**{**settings, "dbname": "postgres"})
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{settings["dbname"]}" WITH (FORCE)')
    admin.close()
    if server is not None:
        server.stop()


def _ensure_roles(settings: dict[str, Any]) -> None:
    """The release tiers' roles (no login: a session takes them with SET ROLE), as dbt's grants expect."""
    import psycopg2

    con = psycopg2.connect(**{**settings, "dbname": "postgres"})
    con.autocommit = True
    with con.cursor() as cur:
        for role in (ANALYST_ROLE, RESTRICTED_ROLE):
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cur.fetchone() is None:
                cur.execute(f"CREATE ROLE {role} NOLOGIN")
    con.close()


def _normalise(value: Any) -> Any:
    """One representation per value across the engines: numbers as float (PostgreSQL returns numeric
    where DuckDB has DOUBLE or HUGEINT), dates and text as they are."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, dt.date)):
        return value
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    raise TypeError(f"unexpected value {value!r} ({type(value).__name__})")


def _sort_key(row: tuple) -> tuple:
    return tuple((0, "") if v is None else (1, round(v, 6)) if isinstance(v, float) else (1, str(v)) for v in row)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def test_dbt_builds_on_postgres_and_every_mart_equals_the_duckdb_build(national_run, postgres, tmp_path):
    import psycopg2

    assert national_run.returncode == 0, national_run.output[-4000:]
    warehouse = tmp_path / "work.duckdb"  # a copy: nothing here writes under the run's folder
    shutil.copy(national_run.warehouse, warehouse)

    started = time.perf_counter()
    copied = copy_to_postgres(warehouse, postgres)
    copy_seconds = time.perf_counter() - started
    assert {t["table"] for t in copied} >= {"raw.shelter_stays", "ingest.receipts"}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in copied:
            assert table["rows"] == con.execute(f"SELECT count(*) FROM {table['table']}").fetchone()[0], table

    env = {
        **os.environ,
        "HM_PG_HOST": postgres["host"],
        "HM_PG_PORT": str(postgres["port"]),
        "HM_PG_USER": postgres["user"],
        "HM_PG_PASSWORD": postgres["password"],
        "HM_PG_DATABASE": postgres["dbname"],
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    }
    started = time.perf_counter()
    done = run_dbt("build", "--target", "postgres", env=env, tmp=tmp_path, timeout=900)
    build_seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stdout[-6000:]
    assert "ERROR=0" in done.stdout and "unit test" in done.stdout
    print(
        f"\ncopied {len(copied)} tables to PostgreSQL in {copy_seconds:.1f} s; "
        f"dbt build --target postgres in {build_seconds:.1f} s"
    )

    differences: list[str] = []
    compared_rows = 0
    pg = psycopg2.connect(**postgres)
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con, pg.cursor() as cur:
            tables = con.execute(
                "SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN "
                f"{COMPARED_SCHEMAS} ORDER BY 1, 2"
            ).fetchall()
            assert len(tables) >= 25
            for schema, table in tables:
                if table in DUCKDB_ONLY_MODELS:
                    continue
                duck = con.execute(f'SELECT * FROM "{schema}"."{table}"')
                duck_columns = [d[0] for d in duck.description]
                duck_rows = sorted((tuple(map(_normalise, r)) for r in duck.fetchall()), key=_sort_key)
                cur.execute(f'SELECT * FROM "{schema}"."{table}"')
                pg_columns = [d[0] for d in cur.description]
                pg_rows = sorted((tuple(map(_normalise, r)) for r in cur.fetchall()), key=_sort_key)
                if pg_columns != duck_columns:
                    differences.append(f"{schema}.{table}: columns {pg_columns} != {duck_columns}")
                elif len(pg_rows) != len(duck_rows):
                    differences.append(f"{schema}.{table}: {len(pg_rows)} rows != {len(duck_rows)}")
                else:
                    for pg_row, duck_row in zip(pg_rows, duck_rows):
                        unequal = [(c, p, d) for c, p, d in zip(duck_columns, pg_row, duck_row) if not _same(p, d)]
                        if unequal:
                            differences.append(f"{schema}.{table}: first differing row {unequal}")
                            break
                compared_rows += len(duck_rows)
    finally:
        pg.close()
    assert compared_rows > 10_000
    assert differences == []


def test_the_analyst_role_selects_aggregate_marts_and_no_person_level_or_raw_table(postgres):
    """The public/analyst/restricted split on PostgreSQL, by dbt's grants: hm_analyst reads the
    aggregate marts only; hm_restricted also the person-level ones; neither reads raw or staging."""
    import psycopg2
    from psycopg2 import errors

    pg = psycopg2.connect(**postgres)
    pg.autocommit = True

    def can_select(role: str, table: str) -> bool:
        with pg.cursor() as cur:
            cur.execute(f"SET ROLE {role}")
            try:
                cur.execute(f"SELECT count(*) FROM {table}")
                return True
            except errors.InsufficientPrivilege:
                return False
            finally:
                cur.execute("RESET ROLE")

    try:
        with pg.cursor() as cur:
            cur.execute("SELECT to_regclass('marts.fct_service_days') IS NOT NULL")
            if not cur.fetchone()[0]:
                pytest.skip("the marts are built by the build test of this module (run it first)")
        aggregate = ["marts.mart_homeless_flow_yearly", "marts.mart_oecd_hc31", "marts.dim_municipality"]
        assert [can_select(ANALYST_ROLE, t) for t in aggregate] == [True] * 3
        assert [can_select(ANALYST_ROLE, t) for t in PERSON_LEVEL] == [False] * 4
        assert [can_select(RESTRICTED_ROLE, t) for t in PERSON_LEVEL] == [True] * 4
        for role in (ANALYST_ROLE, RESTRICTED_ROLE):
            assert not can_select(role, "raw.shelter_stays")
            assert not can_select(role, "ingest.quarantine")
    finally:
        pg.close()


def test_no_personal_code_reaches_postgres(national_run, postgres):
    """Only pseudonyms cross: every text value copied to PostgreSQL is scanned for the input's codes."""
    import psycopg2

    codes = end_to_end._input_personal_codes(national_run.inbox)
    assert len(codes) > 1000
    pg = psycopg2.connect(**postgres)
    try:
        with pg.cursor() as cur:
            cur.execute(
                "SELECT table_schema, table_name FROM information_schema.tables "
                "WHERE table_schema IN ('raw', 'ingest') AND table_type = 'BASE TABLE'"
            )
            tables = cur.fetchall()
            if not tables:  # the build test runs first and copies; alone, copy here
                copy_to_postgres(national_run.warehouse, postgres)
                cur.execute(
                    "SELECT table_schema, table_name FROM information_schema.tables "
                    "WHERE table_schema IN ('raw', 'ingest') AND table_type = 'BASE TABLE'"
                )
                tables = cur.fetchall()
            assert len(tables) >= 20
            leaks = []
            for schema, table in tables:
                with tempfile.TemporaryFile() as tmp:
                    cur.copy_expert(f'COPY "{schema}"."{table}" TO STDOUT WITH (FORMAT csv)', tmp)
                    tmp.seek(0)
                    dump = tmp.read()
                found = end_to_end._codes_in(dump, codes, {len(c) for c in codes})
                if found:
                    leaks.append(f"{schema}.{table}: {len(found)}")
    finally:
        pg.close()
    assert leaks == []


DUCKDB_ONLY = re.compile(
    r"\bgroup\s+by\s+all\b|\bqualify\b|\*\s*(exclude|replace)\s*\(|\blist(_\w+)?\s*\(|\bstrftime\s*\("
    r"|\barg_(max|min)(_null)?\s*\(|\bmedian\s*\(|\bany_value\s*\(|\binterval\s+\d|\btry_(strptime|cast)\s*\("
    r"|\bdate_diff\s*\(|\bto_(days|months|years)\s*\(|\b(year|month|day|quarter|isodow|weekofyear|last_day)\s*\("
    r"|\bunnest\s*\(|\bgenerate_series\s*\([^)]*interval\s+\d|\bdouble\s*\)|\[\d",
    re.IGNORECASE,
)


def test_models_keep_to_sql_both_engines_run():
    """Runs without a server: DuckDB-only SQL belongs in a duckdb__ macro of dbt/macros/cross_engine.sql."""
    found = []
    paths = [p for folder in ("models", "macros", "tests") for p in sorted((DBT_PROJECT_DIR / folder).rglob("*.sql"))]
    assert len(paths) > 50
    for path in paths:
        if path.name == "cross_engine.sql":
            continue
        text = path.read_text(encoding="utf-8")  # Jinja comments blanked, line numbers kept
        text = re.sub(r"\{#.*?#\}", lambda comment: "\n" * comment.group().count("\n"), text, flags=re.S)
        for number, line in enumerate(text.splitlines(), 1):
            code = line.split("--", 1)[0]
            if DUCKDB_ONLY.search(code):
                found.append(f"{path.relative_to(DBT_PROJECT_DIR)}:{number}: {line.strip()}")
    assert found == []
