"""Published files open in the DuckDB versions analysts can install: a file the pinned DuckDB 2.0 writes
with STORAGE_VERSION 'v1.0.0' (homeless_monitor/release/compat.py) is read, values and table comments
intact, by DuckDB 1.x clients installed from the registry in a separate folder (cached between runs);
a file in 2.0's default format is not (which is why the setting is needed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from homeless_monitor.release.compat import PUBLISHED_STORAGE_VERSION, attach_compatible

OLD_CLIENTS = ["1.1.3", "1.5.6"]  # an early 1.x and the last 1.x release on the registry

READ = """
import json, sys, duckdb
try:
    con = duckdb.connect(sys.argv[1], read_only=True)
    rows = con.execute("select * from marts.mart_example order by year").fetchall()
    comment = con.execute("select comment from duckdb_tables() where table_name = 'mart_example'").fetchone()[0]
    print(json.dumps({"version": duckdb.__version__, "rows": [[str(v) for v in r] for r in rows], "comment": comment}))
except duckdb.Error as error:
    print(json.dumps({"version": duckdb.__version__, "error": str(error)}))
"""


@pytest.fixture(scope="module", params=OLD_CLIENTS)
def old_client(request, pytestconfig) -> Path:
    """A DuckDB 1.x Python client in its own folder, installed once with pip --target."""
    folder = Path(pytestconfig.cache.mkdir(f"duckdb-client-{request.param}"))
    if not (folder / "duckdb").is_dir():
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--target",
                str(folder),
                f"duckdb=={request.param}",
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            pytest.skip(
                f"the package registry is unreachable, cannot install duckdb=={request.param}: {done.stderr[-300:]}"
            )
    return folder


def _write(path: Path, compatible: bool) -> None:
    with duckdb.connect() as con:
        if compatible:
            attach_compatible(con, path, "out")
        else:
            con.execute(f"attach '{path}' as out")
        con.execute("create schema out.marts")
        con.execute("""create table out.marts.mart_example as
            select * from (values (2023, 'Rīga', date '2023-11-15', 12.5, true, 1234::bigint),
                                  (2024, 'Liepāja', date '2024-11-15', null, false, 3::bigint))
            as t(year, municipality, reference_night, rate, flag, persons)""")
        con.execute("comment on table out.marts.mart_example is 'Persons on the reference night.'")


def _read(client: Path, path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", READ, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(client), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_compatible_file_opens_in_duckdb_1x(old_client, tmp_path):
    path = tmp_path / "analyst.duckdb"
    _write(path, compatible=True)
    result = _read(old_client, path)
    assert result["version"].startswith("1.")
    assert result.get("error") is None, result
    assert result["rows"] == [
        ["2023", "Rīga", "2023-11-15", "12.5", "True", "1234"],
        ["2024", "Liepāja", "2024-11-15", "None", "False", "3"],
    ]
    assert result["comment"] == "Persons on the reference night."
    # and the pinned 2.0 still reads it
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("select count(*) from marts.mart_example").fetchone()[0] == 2


def test_default_2_0_file_does_not_open_in_duckdb_1x(old_client, tmp_path):
    path = tmp_path / "default.duckdb"
    _write(path, compatible=False)
    result = _read(old_client, path)
    assert "newer version" in result.get("error", ""), result
    assert PUBLISHED_STORAGE_VERSION == "v1.0.0"


READ_REGISTER = """
import json, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(json.dumps({"version": duckdb.__version__,
                  "log": con.execute("select mart, persons_listed, purpose from drill_access_log").fetchall(),
                  "columns": [c for (c,) in con.execute("select column_name from information_schema.columns "
                                                        "where table_name = 'extracts_register' order by ordinal_position").fetchall()]}))
"""


def test_the_restricted_register_opens_in_duckdb_1x(old_client, tmp_path):
    """restricted_register.duckdb (extracts register, drill-down access log) in the format a 1.x CLI opens."""
    from homeless_monitor.extracts.register import log_access, register_path

    log_access(tmp_path, "R1", "mart_homeless_flow_yearly", {"year": "2024"}, 7, "query 2024/17 from the ministry")
    done = subprocess.run(
        [sys.executable, "-c", READ_REGISTER, str(register_path(tmp_path))],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(old_client), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["version"].startswith("1.")
    assert result["log"] == [["mart_homeless_flow_yearly", 7, "query 2024/17 from the ministry"]]
    assert "rows_written" in result["columns"] and "rows" not in result["columns"]
