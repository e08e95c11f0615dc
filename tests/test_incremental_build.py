"""A yearly run recomputes only the years new deliveries reach, and gets the same numbers as a full build.

The session's national run built 2023-2024 from scratch. Here the same files arrive in two steps,
2023 first and then the 2024 deliveries, into one warehouse with the same pseudonym key: the
second run must plan "years from 2024" and end with every staging, intermediate and mart table
equal, row for row, to the full build.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

LATER = "_2024."  # the yearly files of the second year (the generator names them <source>_<year>.<ext>)
# mart_data_quality lists every delivery with its load time: the history differs by design
HISTORY_COLUMNS = {"load_id", "_load_id", "loaded_at"}


def _run(data_dir: Path, inbox: Path, key_file: Path) -> str:
    env = {
        **os.environ,
        "HOMELESS_MONITOR_DATA": str(data_dir),
        "DAGSTER_HOME": str(data_dir / "dagster_home"),
        "HOMELESS_MONITOR_PSEUDONYM_KEY_FILE": str(key_file),
    }
    cli = Path(sys.executable).with_name("homeless-monitor")
    done = subprocess.run(
        [str(cli), "run", "--inbox", str(inbox), "--warehouse", str(data_dir / "warehouse" / "work.duckdb")],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def two_step_build(national_run, tmp_path_factory):
    assert national_run.returncode == 0, national_run.output[-3000:]
    base = tmp_path_factory.mktemp("incremental")
    inbox, data_dir = base / "inbox", base / "data"
    inbox.mkdir()
    key_file = national_run.data_dir / "secrets" / "pseudonym.key"
    delivered = [p for p in national_run.inbox.iterdir() if p.is_file() and not p.name.endswith(".receipt.json")]
    later = [p for p in delivered if LATER in p.name]
    assert len(later) >= 5, "the generator's yearly files for 2024"
    for p in delivered:
        if p not in later:
            shutil.copy2(p, inbox / p.name)
    first = _run(data_dir, inbox, key_file)
    for p in later:
        shutil.copy2(p, inbox / p.name)
    second = _run(data_dir, inbox, key_file)
    return first, second, data_dir / "warehouse" / "work.duckdb"


def test_first_build_is_a_full_refresh_and_the_second_recomputes_from_2024(two_step_build):
    first, second, warehouse = two_step_build
    assert "dbt build plan: full refresh: first build of this warehouse" in first
    assert "dbt build plan: years from 2024 recomputed" in second
    with duckdb.connect(str(warehouse), read_only=True) as con:
        builds = con.execute(
            "SELECT full_refresh, rebuild_from_year FROM ingest.dbt_builds ORDER BY built_at"
        ).fetchall()
    assert builds == [(True, None), (False, 2024)]


def test_two_step_build_equals_the_full_build_row_for_row(two_step_build, national_run):
    _, _, warehouse = two_step_build
    con = duckdb.connect()
    con.execute(f"ATTACH '{warehouse}' AS stepwise (READ_ONLY)")
    con.execute(f"ATTACH '{national_run.warehouse}' AS full_build (READ_ONLY)")
    tables = con.execute("""SELECT schema_name, table_name FROM duckdb_tables()
                            WHERE database_name = 'full_build' AND schema_name IN ('staging', 'intermediate', 'marts')
                            ORDER BY 1, 2""").fetchall()
    assert len(tables) > 25
    differing = {}
    for schema, table in tables:
        columns = [
            (c, t)
            for (c, t) in con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = 'full_build' "
                "AND schema_name = ? AND table_name = ? ORDER BY column_index",
                [schema, table],
            ).fetchall()
            if c not in HISTORY_COLUMNS
        ]
        # DOUBLE sums depend on the order DuckDB's threads add them in, run to run: compare to 1e-9
        select = ", ".join(f'round("{c}", 9)' if t in ("DOUBLE", "FLOAT") else f'"{c}"' for c, t in columns)
        where = " WHERE status = 'loaded'" if table == "mart_data_quality" else ""  # skip receipts are history
        one = f"SELECT {select} FROM stepwise.{schema}.{table}{where}"
        other = f"SELECT {select} FROM full_build.{schema}.{table}{where}"
        extra = con.execute(f"SELECT count(*) FROM ({one} EXCEPT ALL {other})").fetchone()[0]
        missing = con.execute(f"SELECT count(*) FROM ({other} EXCEPT ALL {one})").fetchone()[0]
        if extra or missing:
            differing[f"{schema}.{table}"] = (extra, missing)
    assert differing == {}
