"""Performance and scale benchmark (issue 7): generate → load → dbt build → checks → publish.

    .venv/bin/python benchmarks/run.py --scale 1 --scale 10 --years 2015-2024

For each scale:

1. `homeless-monitor generate` writes the national synthetic set (timed on its own; not part of
   the pipeline figure).
2. `homeless-monitor run` runs the whole Dagster job (the same job the UI and schedules run) in a
   subprocess. A sampler thread here reads /proc every 0.2 s: the summed VmRSS of the process
   tree (the CLI, dbt and any other child) and the size of the DuckDB files.
3. Per-stage times come from the Dagster run's own step events (STEP_START → STEP_SUCCESS /
   STEP_FAILURE, read from the run's DAGSTER_HOME after it ends). Steps are grouped into stages by
   their key: `raw__*` / `ingest__*` → load, the dbt asset → dbt build, quality/checks → checks,
   release/publish → publish. Peak memory per stage is the highest tree RSS sampled while that
   stage's steps ran. "overhead" is process start-up, definition loading and `dbt parse`.
4. Floor: DuckDB's own `read_csv` of the same CSV files with no pseudonymisation and no rules.
   DuckDB 2.0 cannot read windows-1257 without its `encodings` extension (a download), so the files
   are transcoded to UTF-8 first (NOT timed), then read; a second floor reads the original bytes
   as latin-1 (byte-for-byte the same parsing work, wrong letters). Ratio = our CSV load time /
   plain read time (target < 3).
5. One query per table of the current release's analyst and restricted tiers
   (`published/analyst.duckdb`, `published/restricted.duckdb`): one year, one municipality, cold
   and warm (target < 1 s), rows fetched columnar (NumPy); the same rows as Python tuples are
   timed beside it. The largest CSV delivery is also loaded alone into an empty warehouse
   and set against `read_csv` of the same file (target ≤ 2×).
6. "Add one year": generates the next year's files, drops the new ones into the inbox, re-runs
   the job on the same warehouse and compares with the full build (target < 20 %).

Writes `benchmarks/results/<date>-scale<N>.json` and prints Markdown tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without an installed package too

SRC = ROOT  # the code measured: a `git archive` snapshot of HEAD by default (see --worktree)


def cli(*args: str) -> list[str]:
    """`homeless-monitor …` from the measured source tree (PYTHONPATH=SRC beats the editable install)."""
    return [sys.executable, "-m", "dagster_project.run.cli", *args]


def snapshot(rev: str, workdir: Path) -> Path:
    """Export a commit to a folder, so runs measure one commit, not a working tree in flux."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", rev], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.strip()
    target = workdir / f"src-{commit}"
    if not (target / "pyproject.toml").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit], capture_output=True, cwd=ROOT, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


BENCH_KEY = "benchmark-only-pseudonym-key-not-a-secret"
STAGES = ("load", "dbt build", "checks", "publish", "other")
TARGETS = {  # issue 28 (issue 17's, with scale 10 ≤ 10× and the fixed cost), on the 2-core, 24 GiB machine
    "scale1_seconds": 90.0,
    "scale1_peak_rss_gib": 2.0,
    "linear_factor": 10.0,
    "tiny_seconds": 20.0,
    "load_over_read_csv": 3.0,
    "largest_file_over_read_csv": 2.0,
    "analyst_query_seconds": 1.0,
    "add_year_share": 0.20,
}
TIER_FILES = ("analyst.duckdb", "restricted.duckdb")  # homeless_monitor/release/tiers.py


# --- process-tree sampling ------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    out += [int(c) for c in f.read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def tree_pids(root: int) -> list[int]:
    seen, stack = [], [root]
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.append(pid)
        stack += _children(pid)
    return seen


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process plus those of its reaped children (so exited dbt runs count)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return sum(int(x) for x in fields[11:15]) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return 0.0


def files_size(paths: list[Path]) -> int:
    total = 0
    for p in paths:
        for candidate in (p, p.with_name(p.name + ".wal")):
            try:
                total += candidate.stat().st_size
            except OSError:
                pass
    return total


@dataclass
class Sample:
    t: float
    rss: int
    db_bytes: int
    load1: float = 0.0
    cpu: float = 0.0  # cumulative CPU seconds of the process tree


def load_average() -> float:
    try:
        with open("/proc/loadavg") as f:
            return float(f.read().split()[0])
    except OSError:
        return 0.0


@dataclass
class Measured:
    command: list[str]
    returncode: int
    started: float
    ended: float
    samples: list[Sample] = field(default_factory=list)
    log: Path | None = None
    cpu_s: float = 0.0  # user + system seconds of the whole (waited-for) process tree

    @property
    def mean_load(self) -> float:
        loads = [s.load1 for s in self.samples if s.load1]
        return statistics.fmean(loads) if loads else 0.0

    @property
    def seconds(self) -> float:
        return self.ended - self.started

    def peak_rss(self, start: float | None = None, end: float | None = None) -> int:
        inside = [s.rss for s in self.samples if (start is None or s.t >= start) and (end is None or s.t <= end + 0.2)]
        return max(inside, default=0)

    def cpu_between(self, start: float, end: float) -> float:
        """CPU seconds the tree used between two moments (from the nearest samples)."""

        def at(when: float) -> float:
            before = [s.cpu for s in self.samples if s.t <= when and s.cpu]
            return before[-1] if before else 0.0

        return max(0.0, at(end + 0.1) - at(start))

    def db_bytes_at(self, when: float) -> int:
        before = [s.db_bytes for s in self.samples if s.t <= when + 0.2]
        return before[-1] if before else 0


def run_measured(
    command: list[str], env: dict[str, str], log: Path, db_files: list[Path], interval: float = 0.2
) -> Measured:
    """Run a command, sampling the RSS of its process tree and the DuckDB file sizes."""
    log.parent.mkdir(parents=True, exist_ok=True)
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(log, "w") as out:
        started = time.time()
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=SRC)
        result = Measured(command, -1, started, started, log=log)
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                pids = tree_pids(proc.pid)
                result.samples.append(
                    Sample(
                        time.time(),
                        sum(rss_bytes(p) for p in pids),
                        files_size(db_files),
                        load_average(),
                        sum(cpu_seconds(p) for p in pids),
                    )
                )
                stop.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        result.returncode = proc.wait()
        result.ended = time.time()
        stop.set()
        sampler.join()
        result.samples.append(Sample(result.ended, 0, files_size(db_files)))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result.cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result


# --- Dagster step events --------------------------------------------------------------------------


def stage_of(step_key: str) -> str:
    key = step_key.lower()
    if key.startswith(("raw__", "ingest__")) or key in ("raw", "ingest"):
        return "load"
    if any(w in key for w in ("publish", "release", "parquet", "extract")):  # release__dbt_docs too
        return "publish"
    if "dbt" in key:
        return "dbt build"
    if any(w in key for w in ("quality", "check", "gate", "expectation", "validation")):
        return "checks"
    return "other"


def step_times(dagster_home: Path) -> dict[str, tuple[float, float, str]]:
    """{step_key: (start, end, status)} of the newest run in this Dagster home."""
    code = r"""
import json, sys
from dagster import DagsterEventType, DagsterInstance
instance = DagsterInstance.get()
runs = instance.get_runs(limit=1)
if not runs:
    print("{}"); sys.exit(0)
steps = {}
for record in instance.all_logs(runs[0].run_id):
    ev = record.dagster_event
    if ev is None or not record.step_key:
        continue
    k = record.step_key
    if ev.event_type == DagsterEventType.STEP_START:
        steps.setdefault(k, [record.timestamp, None, "started"])[0] = record.timestamp
    elif ev.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE,
                           DagsterEventType.STEP_SKIPPED):
        s = steps.setdefault(k, [record.timestamp, None, ""])
        s[1] = record.timestamp
        s[2] = ev.event_type.value
print(json.dumps({"run_id": runs[0].run_id, "status": str(runs[0].status), "steps": steps}))
"""
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home), "DAGSTER_DISABLE_TELEMETRY": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        print(out.stderr[-2000:], file=sys.stderr)
        return {}
    data = json.loads(out.stdout.strip().splitlines()[-1] or "{}")
    return {k: (v[0], v[1] if v[1] is not None else v[0], v[2]) for k, v in data.get("steps", {}).items()}


# --- warehouse facts ------------------------------------------------------------------------------


def warehouse_facts(path: Path) -> dict:
    import duckdb

    facts: dict = {"tables": {}}
    if not path.exists():
        return facts
    with duckdb.connect(str(path), read_only=True) as con:
        for schema, table, rows in con.execute(
            "SELECT schema_name, table_name, estimated_size FROM duckdb_tables() ORDER BY 1, 2"
        ).fetchall():
            facts["tables"][f"{schema}.{table}"] = rows
        try:
            read, loaded, files = con.execute(
                "SELECT sum(rows_read), sum(rows_loaded), count(*) FROM ingest.receipts WHERE status = 'loaded'"
            ).fetchone()
            facts.update(rows_read=int(read or 0), rows_loaded=int(loaded or 0), files_loaded=int(files or 0))
            facts["rows_read_by_source"] = dict(
                con.execute(
                    "SELECT source, sum(rows_read)::BIGINT FROM ingest.receipts WHERE status = 'loaded' "
                    "GROUP BY 1 ORDER BY 2 DESC"
                ).fetchall()
            )
        except duckdb.Error:
            pass
    return facts


def duckdb_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.duckdb") if p.is_file())


# --- analyst queries ------------------------------------------------------------------------------

YEAR_NAMES = ("year", "service_year", "calendar_year", "report_year", "reference_year", "stay_year")
MUNI_HINTS = ("atvk", "municipality")
TOTAL_LABELS = "('all', 'latvija', 'kopā', 'total', 'lv', 'unknown', 'nezināma')"


def analyst_queries(path: Path, year: int, tier: str = "") -> list[dict]:
    """One year, one municipality per table: SELECT * … WHERE year = ? AND municipality = ?."""
    import duckdb

    results = []
    if not path.exists():
        return results
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute("""SELECT schema_name, table_name FROM duckdb_tables() ORDER BY 1, 2""").fetchall()
        tables += con.execute("""SELECT schema_name, view_name FROM duckdb_views()
                                 WHERE NOT internal ORDER BY 1, 2""").fetchall()
    for schema, table in tables:
        with duckdb.connect(str(path), read_only=True) as con:
            cols = con.execute(f'DESCRIBE "{schema}"."{table}"').fetchall()
            names = {c[0]: c[1] for c in cols}
            where, params, described = [], [], []
            year_col = next((n for n in YEAR_NAMES if n in names), None) or next(
                (n for n in names if n.endswith("_year") and "birth" not in n and "INT" in names[n]), None
            )
            date_col = next((n for n, t in names.items() if t == "DATE"), None)
            if year_col:
                where.append(f'"{year_col}" = ?')
                params.append(year)
                described.append(f"{year_col} = {year}")
            elif date_col:
                where.append(f'"{date_col}" >= ? AND "{date_col}" < ?')
                params += [dt.date(year, 1, 1), dt.date(year + 1, 1, 1)]
                described.append(f"{date_col} in {year}")
            muni_cols = [n for n in names if any(h in n for h in MUNI_HINTS) and "VARCHAR" in names[n]]
            muni_col = next((n for n in muni_cols if "atvk" in n), muni_cols[0] if muni_cols else None)
            if muni_col:
                try:
                    top = con.execute(
                        f'SELECT "{muni_col}" FROM "{schema}"."{table}" WHERE "{muni_col}" IS NOT NULL '
                        f'AND lower("{muni_col}") NOT IN {TOTAL_LABELS} GROUP BY 1 ORDER BY count(*) DESC LIMIT 1'
                    ).fetchone()
                except duckdb.Error:
                    top = None
                if top:
                    where.append(f'"{muni_col}" = ?')
                    params.append(top[0])
                    described.append(f"{muni_col} = '{top[0]}'")
        sql = f'SELECT * FROM "{schema}"."{table}"' + (" WHERE " + " AND ".join(where) if where else "")
        timings, tuple_timings, rows = [], [], 0
        for _ in range(4):  # first = cold (fresh connection, nothing cached), then warm
            with duckdb.connect(str(path), read_only=True) as con:  # columnar, as an analyst reads many rows
                t0 = time.perf_counter()
                columns = con.execute(sql, params).fetchnumpy()
                timings.append(time.perf_counter() - t0)
                rows = len(next(iter(columns.values()))) if columns else 0
        for _ in range(2):  # the same rows as Python tuples (cold, warm): what a row-by-row client pays
            with duckdb.connect(str(path), read_only=True) as con:
                t0 = time.perf_counter()
                con.execute(sql, params).fetchall()
                tuple_timings.append(time.perf_counter() - t0)
        results.append(
            {
                "tier": tier,
                "mart": f"{schema}.{table}",
                "filter": " AND ".join(described) or "(no year/municipality column)",
                "rows": rows,
                "cold_s": timings[0],
                "warm_s": statistics.median(timings[1:]),
                "tuples_cold_s": tuple_timings[0],
                "tuples_warm_s": tuple_timings[1],
            }
        )
    return results


def tier_queries(published: Path, year: int) -> tuple[list[dict], dict[str, str]]:
    """The queries on every table of the current release's analyst and restricted tiers."""
    results, files = [], {}
    for name in TIER_FILES:
        path = published / name
        if path.exists():
            files[name.removesuffix(".duckdb")] = str(path.resolve())
            results += analyst_queries(path, year, name.removesuffix(".duckdb"))
    return results, files


# --- floor: DuckDB's plain read_csv ----------------------------------------------------------------


def read_csv_floor(inbox: Path, scratch: Path) -> dict:
    """Time DuckDB's read_csv of every CSV delivery (no pseudonyms, no rules), two ways."""
    import codecs

    import duckdb

    from ingestion.contracts import all_contracts, contract_for_file
    from ingestion.loader import delivery_files

    contracts = all_contracts()
    per_source: dict[str, dict] = {}
    totals = {
        "transcode_s": 0.0,
        "utf8_read_csv_s": 0.0,
        "utf8_read_csv_cpu_s": 0.0,
        "latin1_read_csv_s": 0.0,
        "bytes": 0,
        "rows": 0,
        "files": 0,
    }
    scratch.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"SET temp_directory = '{scratch / 'spill'}'")
    for path in delivery_files(inbox):
        contract = contract_for_file(path.name, contracts)
        if contract is None or contract.file.format != "csv":
            continue
        fmt = contract.file
        native_utf8 = codecs.lookup(fmt.encoding).name == "utf-8"
        # 1. transcode windows-1257 files (timed separately; not part of the floor)
        utf8, t_transcode = path, 0.0
        if not native_utf8:
            utf8 = scratch / (path.name + ".utf8")
            t0 = time.perf_counter()
            with open(path, "rb") as src, open(utf8, "w", encoding="utf-8", newline="") as dst:
                decoder = codecs.getincrementaldecoder(fmt.encoding)(errors="replace")
                while chunk := src.read(16 << 20):
                    dst.write(decoder.decode(chunk))
                dst.write(decoder.decode(b"", final=True))
            t_transcode = time.perf_counter() - t0
        with open(utf8, encoding="utf-8-sig", errors="replace") as f:
            ncols = len(f.readline().split(fmt.delimiter))
        columns = {f"c{i}": "VARCHAR" for i in range(ncols)}
        opts = (
            f"delim='{fmt.delimiter}', quote='\"', escape='\"', header=true, auto_detect=false, "
            f"columns={columns!r}, null_padding=false, strict_mode=false"
        )
        # 2. the floor: UTF-8 bytes, same read options as the loader, materialised
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            con.execute(f"CREATE OR REPLACE TABLE floor_t AS SELECT * FROM read_csv('{utf8}', {opts})")
            rows = con.execute("SELECT count(*) FROM floor_t").fetchone()[0]
            con.execute("DROP TABLE floor_t")
        except duckdb.Error as error:  # a deliberately broken delivery: the loader rejects it too
            totals.setdefault("errors", []).append(f"{path.name}: {str(error).splitlines()[0][:120]}")
            continue
        finally:
            if utf8 != path:
                utf8.unlink()
        t_utf8, c_utf8 = time.perf_counter() - t0, time.process_time() - c0
        # 3. alternative floor: windows-1257 bytes read as latin-1 (DuckDB's native single-byte
        #    decoder: the same parsing work, wrong letters); UTF-8 files as they are
        t_latin1 = t_utf8
        if not native_utf8:
            t0 = time.perf_counter()
            try:
                con.execute(
                    f"CREATE OR REPLACE TABLE floor_t AS SELECT * FROM read_csv('{path}', {opts}, encoding='latin-1')"
                )
                con.execute("DROP TABLE floor_t")
                t_latin1 = time.perf_counter() - t0
            except duckdb.Error:
                t_latin1 = t_utf8
        src = per_source.setdefault(
            contract.source,
            {
                "files": 0,
                "rows": 0,
                "bytes": 0,
                "transcode_s": 0.0,
                "utf8_read_csv_s": 0.0,
                "utf8_read_csv_cpu_s": 0.0,
                "latin1_read_csv_s": 0.0,
            },
        )
        for d in (src, totals):
            d["files"] += 1
            d["rows"] += rows
            d["bytes"] += path.stat().st_size
            d["transcode_s"] += t_transcode
            d["utf8_read_csv_s"] += t_utf8
            d["utf8_read_csv_cpu_s"] += c_utf8
            d["latin1_read_csv_s"] += t_latin1
    con.close()
    return {"totals": totals, "per_source": per_source}


def largest_file(inbox: Path, scratch: Path, repeats: int = 3) -> dict:
    """The largest CSV delivery loaded alone into an empty warehouse (the loader's own API, in this
    process: imports excluded) against DuckDB's read_csv of its UTF-8 copy; medians of `repeats`."""

    import duckdb

    from ingestion.contracts import all_contracts, contract_for_file
    from ingestion.loader import Loader, delivery_files

    contracts = all_contracts()
    csvs = [
        (p, c)
        for p in delivery_files(inbox)
        if (c := contract_for_file(p.name, contracts)) is not None and c.file.format == "csv"
    ]
    if not csvs:
        return {}
    path, contract = max(csvs, key=lambda pc: pc[0].stat().st_size)
    fmt = contract.file
    copy = scratch / path.name  # a copy, so no receipt or side file lands in the inbox
    shutil.copy2(path, copy)
    utf8 = scratch / (path.name + ".utf8")
    utf8.write_text(path.read_bytes().decode(fmt.encoding, errors="replace"), encoding="utf-8")
    with open(utf8, encoding="utf-8-sig", errors="replace") as f:
        ncols = len(f.readline().split(fmt.delimiter))
    columns = {f"c{i}": "VARCHAR" for i in range(ncols)}
    opts = (
        f"delim='{fmt.delimiter}', quote='\"', escape='\"', header=true, auto_detect=false, "
        f"columns={columns!r}, null_padding=false, strict_mode=false"
    )
    loads, reads, rows = [], [], 0
    for i in range(repeats):
        warehouse = scratch / f"w{i}" / "work.duckdb"
        t0 = time.perf_counter()
        receipt = Loader(warehouse, BENCH_KEY.encode(), contracts).load_file(copy, contract)
        loads.append(time.perf_counter() - t0)
        rows = receipt.rows_read or 0
        shutil.rmtree(warehouse.parent, ignore_errors=True)
        with duckdb.connect() as con:
            t0 = time.perf_counter()
            con.execute(f"CREATE TABLE floor_t AS SELECT * FROM read_csv('{utf8}', {opts})")
            reads.append(time.perf_counter() - t0)
    load_s, read_s = statistics.median(loads), statistics.median(reads)
    return {
        "file": path.name,
        "bytes": path.stat().st_size,
        "rows": rows,
        "encoding": fmt.encoding,
        "loader_s": load_s,
        "read_csv_s": read_s,
        "ratio": load_s / read_s if read_s else None,
        "loader_runs_s": loads,
        "read_csv_runs_s": reads,
    }


# --- one scale ------------------------------------------------------------------------------------


def _years(text: str) -> range:
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


def deploy(base: Path, warehouse: Path, env: dict[str, str]) -> dict:
    """`dbt parse` once, as a deployment does (dagster_project/dbt_build/dbt_project.py: one parse per project
    fingerprint), timed on its own: the runs after it start from the parsed manifest. The snapshot's
    own manifest and the benchmark's manifest cache are removed first, so the parse is measured."""
    for stale in (SRC / "dbt" / "target" / "manifest.json", SRC / "dbt" / "target" / "manifest.fingerprint"):
        stale.unlink(missing_ok=True)
    shutil.rmtree(base / "dbt-manifests", ignore_errors=True)
    code = "from homeless_monitor.dbt_manifest import ensure_manifest; ensure_manifest()"
    m = run_measured(
        [sys.executable, "-c", code], {**env, "HOMELESS_MONITOR_WAREHOUSE": str(warehouse)}, base / "deploy.log", []
    )
    return {"returncode": m.returncode, "wall_s": m.seconds, "cpu_s": m.cpu_s}


def bench_env(base: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOMELESS_MONITOR_")}
    env.update(
        {
            "HOMELESS_MONITOR_DATA": str(base / "data"),
            "HOMELESS_MONITOR_PSEUDONYM_KEY": BENCH_KEY,
            "DAGSTER_HOME": str(base / "dagster_home"),
            "DAGSTER_DISABLE_TELEMETRY": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
            "GX_ANALYTICS_ENABLED": "False",
            "PYTHONUNBUFFERED": "1",
            "HOMELESS_MONITOR_DBT_CACHE": str(base / "dbt-manifests"),  # parsed manifests of this benchmark only
            "PYTHONPATH": str(SRC) + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else ""),
        }
    )
    return env


def pipeline_run(label: str, base: Path, inbox: Path, warehouse: Path, env: dict[str, str]) -> dict:
    (base / "dagster_home").mkdir(parents=True, exist_ok=True)
    (base / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    measured = run_measured(
        cli("run", "--inbox", str(inbox), "--warehouse", str(warehouse)), env, base / f"{label}.log", [warehouse]
    )
    steps = step_times(base / "dagster_home")
    stages: dict[str, dict] = {}
    # Stages can interleave (the delivery checks run before dbt, the mart checks after it), so
    # CPU and peak memory are taken per step and then summed / maxed per stage.
    for key, (start, end, status) in sorted(steps.items(), key=lambda kv: kv[1][0]):
        s = stages.setdefault(
            stage_of(key), {"seconds": 0.0, "cpu_s": 0.0, "peak_rss": 0, "start": start, "end": end, "steps": {}}
        )
        step = {
            "seconds": end - start,
            "status": status,
            "cpu_s": measured.cpu_between(start, end),
            "peak_rss": measured.peak_rss(start, end),
        }
        s["steps"][key] = step
        s["seconds"] += step["seconds"]
        s["cpu_s"] += step["cpu_s"]
        s["peak_rss"] = max(s["peak_rss"], step["peak_rss"])
        s["start"], s["end"] = min(s["start"], start), max(s["end"], end)
    for s in stages.values():
        s["db_bytes_after"] = measured.db_bytes_at(s["end"])
    in_steps = sum(s["seconds"] for s in stages.values())
    # the release files themselves (published/releases/<id>/…), not the current-release symlinks
    published = [p for p in duckdb_files(base / "data") if not p.is_symlink() and p.resolve() != warehouse.resolve()]
    return {
        "returncode": measured.returncode,
        "wall_s": measured.seconds,
        "cpu_s": measured.cpu_s,
        "mean_load_average": measured.mean_load,
        "overhead_s": max(0.0, measured.seconds - in_steps),
        # process start → the first Dagster step: interpreter, imports, definitions, `dbt parse`
        "to_first_step_s": (min(v[0] for v in steps.values()) - measured.started) if steps else None,
        "peak_rss": measured.peak_rss(),
        "stages": stages,
        "warehouse_bytes": files_size([warehouse]),
        "published_files": {str(p.relative_to(base)): p.stat().st_size for p in published},
        "parquet_bytes": sum(p.stat().st_size for p in (base / "data").rglob("*.parquet")),
        "log": str(measured.log),
        "log_tail": measured.log.read_text(errors="replace")[-1500:] if measured.returncode else "",
    }


def generate(base: Path, out: Path, years: str, scale: float, seed: int, env: dict[str, str], label: str) -> dict:
    m = run_measured(
        cli("generate", "--years", years, "--scale", str(scale), "--seed", str(seed), "--out", str(out)),
        env,
        base / f"{label}.log",
        [],
    )
    files = [p for p in out.iterdir() if p.is_file() and not p.name.startswith(("_", "."))] if out.exists() else []
    return {
        "returncode": m.returncode,
        "wall_s": m.seconds,
        "cpu_s": m.cpu_s,
        "peak_rss": m.peak_rss(),
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "log_tail": m.log.read_text(errors="replace")[-1500:] if m.returncode else "",
    }


def add_one_year(
    base: Path, inbox: Path, warehouse: Path, years: range, scale: float, seed: int, env: dict[str, str]
) -> dict:
    nxt = years[-1] + 1
    staging = base / f"inbox_{nxt}"
    shutil.rmtree(staging, ignore_errors=True)
    gen = generate(base, staging, f"{nxt}-{nxt}", scale, seed, env, f"generate_{nxt}")
    copied, same, clashes = [], [], []
    if gen["returncode"] == 0:
        for p in sorted(staging.iterdir()):
            if not p.is_file() or p.name.startswith(("_", ".")) or p.name.endswith(".receipt.json"):
                continue
            target = inbox / p.name
            if not target.exists():
                shutil.copy2(p, target)
                copied.append(p.name)
            elif target.read_bytes() == p.read_bytes():
                same.append(p.name)
            else:
                clashes.append(p.name)  # same name, other content: not a new year's file; left out
    run = pipeline_run(f"run_add_{nxt}", base, inbox, warehouse, env) if copied else None
    return {
        "year": nxt,
        "generate": gen,
        "files_added": copied,
        "identical_skipped": same,
        "same_name_different_content": clashes,
        "run": run,
    }


def bench_scale(
    scale: float,
    years: str,
    seed: int,
    workdir: Path,
    add_year: bool,
    floor: bool,
    reuse: bool,
    duckdb_memory: str | None = None,
) -> dict:
    base = workdir / f"scale{scale:g}"
    inbox, warehouse = base / "inbox", base / "warehouse" / "work.duckdb"
    env = bench_env(base)
    if duckdb_memory:  # the project's default otherwise (homeless_monitor/duckdb_limits.py)
        env["HOMELESS_MONITOR_DUCKDB_MEMORY"] = duckdb_memory
    result: dict = {
        "scale": scale,
        "years": years,
        "seed": seed,
        "workdir": str(base),
        "duckdb_memory": duckdb_memory or "project default",
    }
    if not (reuse and (inbox / "_faults.json").exists()):
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        print(f"[scale {scale:g}] generating {years} …", flush=True)
        result["generate"] = generate(base, inbox, years, scale, seed, env, "generate")
        if result["generate"]["returncode"] != 0:
            print(result["generate"]["log_tail"], file=sys.stderr)
            return result
    else:
        print(f"[scale {scale:g}] reusing inbox {inbox}", flush=True)
        for p in list(inbox.glob("*.receipt.json")):
            p.unlink()
        generated = set(json.loads((inbox / "_faults.json").read_text()).get("files", {}))
        for p in inbox.iterdir():  # e.g. a later year copied in by an earlier "add one year" run
            if p.is_file() and not p.name.startswith(("_", ".")) and p.name not in generated:
                p.unlink()
        for p in (warehouse, base / "data", base / "dagster_home", base / "dbt-manifests"):
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
        for p in inbox.parent.glob("inbox_*"):
            shutil.rmtree(p)
        result["generate"] = {
            "reused": True,
            "files": len(list(inbox.glob("*.*"))) - 1,
            "bytes": sum(p.stat().st_size for p in inbox.iterdir() if p.is_file()),
        }
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    print(f"[scale {scale:g}] deploying: dbt parse …", flush=True)
    result["deploy"] = deploy(base, warehouse, env)
    print(f"[scale {scale:g}] running the pipeline …", flush=True)
    result["pipeline"] = pipeline_run("run_full", base, inbox, warehouse, env)
    result["warehouse"] = warehouse_facts(warehouse)
    if result["pipeline"]["returncode"] == 0:
        print(f"[scale {scale:g}] the same job again, nothing new delivered …", flush=True)
        result["nothing_new"] = pipeline_run("run_nothing_new", base, inbox, warehouse, env)
    if result["pipeline"]["returncode"] != 0:
        print(
            f"[scale {scale:g}] pipeline FAILED (exit {result['pipeline']['returncode']}); see "
            f"{result['pipeline']['log']}",
            flush=True,
        )
    published = base / "data" / "published"
    print(f"[scale {scale:g}] analyst queries on every table of {', '.join(TIER_FILES)} …", flush=True)
    result["analyst_queries"], result["analyst_queries_on"] = tier_queries(published, _years(years)[-1])
    if floor:
        print(f"[scale {scale:g}] DuckDB read_csv floor …", flush=True)
        with tempfile.TemporaryDirectory(prefix="hm-floor-", dir=base) as tmp:
            result["floor"] = read_csv_floor(inbox, Path(tmp))
        result["floor_load_average"] = load_average()
        print(f"[scale {scale:g}] the largest file: loader vs read_csv …", flush=True)
        with tempfile.TemporaryDirectory(prefix="hm-largest-", dir=base) as tmp:
            result["largest_file"] = largest_file(inbox, Path(tmp))
        result["largest_load_average"] = load_average()
    if add_year and result["pipeline"]["returncode"] == 0:
        print(f"[scale {scale:g}] adding one year …", flush=True)
        result["add_year"] = add_one_year(base, inbox, warehouse, _years(years), scale, seed, env)
    return result


# --- report ---------------------------------------------------------------------------------------


def gib(n: float) -> str:
    return f"{n / 2**30:.2f} GiB"


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


TINY = {"years": "2024-2024", "scale": 0.003}  # ~3,600 delivered rows: the run's fixed cost


def tiny_run(workdir: Path, seed: int) -> dict:
    """The fixed cost: a fresh warehouse over an inbox of a few thousand rows, deployed first (one
    `dbt parse`, as for the national run), then the one job end to end."""
    base = workdir / "tiny"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    inbox, warehouse = base / "inbox", base / "warehouse" / "work.duckdb"
    env = bench_env(base)
    result: dict = {"years": TINY["years"], "scale": TINY["scale"]}
    print(f"[tiny] generating {TINY['years']} at scale {TINY['scale']:g} …", flush=True)
    result["generate"] = generate(base, inbox, TINY["years"], TINY["scale"], seed, env, "generate")
    if result["generate"]["returncode"] != 0:
        return result
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    result["deploy"] = deploy(base, warehouse, env)
    print("[tiny] running the pipeline …", flush=True)
    result["pipeline"] = pipeline_run("run_tiny", base, inbox, warehouse, env)
    result["warehouse"] = warehouse_facts(warehouse)
    return result


def tiny_markdown(tiny: dict) -> str:
    pipe = tiny.get("pipeline")
    if not pipe:
        return "tiny run: generation failed"
    lines = [
        f"### The fixed cost: {tiny['warehouse'].get('rows_read', 0):,} delivered rows ({tiny['years']}, "
        f"scale {tiny['scale']:g}), a fresh warehouse",
        "",
        "| stage | wall time | CPU time |",
        "|---|---:|---:|",
    ]
    for name in STAGES:
        st = pipe["stages"].get(name)
        if st:
            lines.append(f"| {name} | {st['seconds']:.1f} s | {st.get('cpu_s', 0):.1f} s |")
            for key, step in sorted(st["steps"].items(), key=lambda kv: -kv[1]["seconds"])[:3]:
                lines.append(f"| &nbsp;&nbsp;{key} | {step['seconds']:.1f} s | {step['cpu_s']:.1f} s |")
    lines.append(
        f"| start-up / between steps (process start → first step {pipe.get('to_first_step_s') or 0:.1f} s) | "
        f"{pipe['overhead_s']:.1f} s | |"
    )
    lines.append(f"| **end to end** | **{pipe['wall_s']:.1f} s** | **{pipe.get('cpu_s', 0):.1f} s** |")
    lines.append(
        f"\nMean 1-min load average during the run: {pipe.get('mean_load_average', 0):.1f} on "
        f"{os.cpu_count()} cores; deploy (`dbt parse`, not in the run) {tiny['deploy']['wall_s']:.1f} s."
    )
    return "\n".join(lines)


def csv_load_seconds(result: dict) -> float:
    """Load-stage seconds of CSV sources only (the floor reads CSV only; XLSX is excluded)."""
    from ingestion.contracts import all_contracts

    csv_sources = {c.source for c in all_contracts().values() if c.file.format == "csv"}
    steps = result["pipeline"]["stages"].get("load", {}).get("steps", {})
    return sum(s["seconds"] for k, s in steps.items() if k.removeprefix("raw__") in csv_sources)


def csv_load_cpu_seconds(result: dict) -> float:
    """CPU seconds of the load stage, scaled to the CSV sources' share of its wall time."""
    load = result["pipeline"]["stages"].get("load", {})
    if not load.get("seconds"):
        return 0.0
    return load.get("cpu_s", 0.0) * csv_load_seconds(result) / load["seconds"]


def markdown(result: dict) -> str:
    scale = result["scale"]
    lines = [f"### Scale {scale:g} ({result['years']}, seed {result['seed']})", ""]
    gen = result.get("generate", {})
    pipe = result.get("pipeline")
    if not pipe:
        return "\n".join(lines + ["generation failed:", "```", gen.get("log_tail", ""), "```"])
    rows_in = result["warehouse"].get("rows_read", 0)
    lines += [
        "| stage | wall time | CPU time | rows/s | peak RSS (tree) | DuckDB file after |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    if "wall_s" in gen:
        lines.append(
            f"| generate (not in pipeline) | {gen['wall_s']:.1f} s | {gen.get('cpu_s', 0):.1f} s | "
            f"{rows_in / gen['wall_s']:,.0f} | {gib(gen['peak_rss'])} | {mib(gen['bytes'])} of files |"
        )
    for name in STAGES:
        s = pipe["stages"].get(name)
        if not s:
            continue
        lines.append(
            f"| {name} | {s['seconds']:.1f} s | {s.get('cpu_s', 0):.1f} s | "
            f"{rows_in / s['seconds'] if s['seconds'] else 0:,.0f} | "
            f"{gib(s['peak_rss'])} | {mib(s['db_bytes_after'])} |"
        )
    dep = result.get("deploy")
    if dep:
        lines.append(
            f"| deploy: `dbt parse`, once per project fingerprint (not in the pipeline) | "
            f"{dep['wall_s']:.1f} s | {dep['cpu_s']:.1f} s | | | |"
        )
    lines.append(f"| start-up / between steps | {pipe['overhead_s']:.1f} s | | | | |")
    if pipe.get("to_first_step_s") is not None:
        lines.append(f"| (of which: process start → first step) | {pipe['to_first_step_s']:.1f} s | | | | |")
    lines.append(
        f"| **pipeline end to end** | **{pipe['wall_s']:.1f} s** | {pipe.get('cpu_s', 0):.1f} s | "
        f"{rows_in / pipe['wall_s']:,.0f} | **{gib(pipe['peak_rss'])}** | {mib(pipe['warehouse_bytes'])} |"
    )
    status = "succeeded" if pipe["returncode"] == 0 else f"FAILED (exit {pipe['returncode']})"
    lines += [
        "",
        f"Rows delivered and read: {rows_in:,} ({result['warehouse'].get('files_loaded', 0)} files); "
        f"run {status}. rows/s = rows read by the loader / stage time. "
        f"CPU time of the process tree: {pipe.get('cpu_s', 0):.0f} s; mean 1-min load average during "
        f"the run: {pipe.get('mean_load_average', 0):.1f} on {os.cpu_count()} cores "
        f"(above {os.cpu_count()} means other work competed for the CPUs).",
    ]
    if pipe["published_files"]:
        lines.append(
            "Published: "
            + ", ".join(f"`{k}` {mib(v)}" for k, v in pipe["published_files"].items())
            + (f"; Parquet {mib(pipe['parquet_bytes'])}" if pipe["parquet_bytes"] else "")
        )
    floor = result.get("floor")
    if floor:
        t = floor["totals"]
        ours = csv_load_seconds(result)
        floor_rows = [
            "| loader vs floor (CSV files) | seconds | ratio ours / floor |",
            "|---|---:|---:|",
            f"| our loader (load steps of CSV sources) | {ours:.1f} | |",
            f"| DuckDB read_csv, UTF-8 copies (transcoded first, untimed) | {t['utf8_read_csv_s']:.1f} | "
            f"**{ours / t['utf8_read_csv_s']:.2f}** |"
            if t["utf8_read_csv_s"]
            else "",
            f"| DuckDB read_csv, original bytes as latin-1 (no transcode) | {t['latin1_read_csv_s']:.1f} | "
            f"{ours / t['latin1_read_csv_s']:.2f} |"
            if t["latin1_read_csv_s"]
            else "",
            f"| (Python transcode windows-1257→UTF-8 alone) | {t['transcode_s']:.1f} | |",
            f"| CPU time: our loader / DuckDB read_csv (UTF-8) | {csv_load_cpu_seconds(result):.1f} / "
            f"{t['utf8_read_csv_cpu_s']:.1f} | {csv_load_cpu_seconds(result) / t['utf8_read_csv_cpu_s']:.2f} |"
            if t.get("utf8_read_csv_cpu_s") and csv_load_cpu_seconds(result)
            else "",
        ]
        lines += [""] + [row for row in floor_rows if row]
    big = result.get("largest_file")
    if big:
        lines += [
            "",
            "| largest file, alone into an empty warehouse (median of 3) | seconds | ratio |",
            "|---|---:|---:|",
            f"| our loader: `{big['file']}` ({big['rows']:,} rows, {mib(big['bytes'])}, {big['encoding']}) | "
            f"{big['loader_s']:.2f} | **{big['ratio']:.2f}** |",
            f"| DuckDB read_csv of its UTF-8 copy | {big['read_csv_s']:.2f} | |",
        ]
    queries = result.get("analyst_queries") or []
    if queries:
        lines += [
            "",
            "| tier | table (current release) | filter | rows | cold | warm | as Python tuples (cold / warm) |",
            "|---|---|---|---:|---:|---:|---:|",
        ]
        for q in queries:
            tuples = (
                f"{q['tuples_cold_s'] * 1000:.0f} / {q['tuples_warm_s'] * 1000:.0f} ms" if "tuples_cold_s" in q else ""
            )
            lines.append(
                f"| {q.get('tier', '')} | {q['mart']} | {q['filter']} | {q['rows']:,} | "
                f"{q['cold_s'] * 1000:.0f} ms | {q['warm_s'] * 1000:.0f} ms | {tuples} |"
            )
    add = result.get("add_year")
    if add and add.get("run"):
        r = add["run"]
        lines += [
            "",
            f"| add {add['year']} to the warehouse | wall time | share of full build | CPU time | CPU share |",
            "|---|---:|---:|---:|---:|",
        ]
        for name in STAGES:
            s, full = r["stages"].get(name), pipe["stages"].get(name)
            if s:
                share = f"{s['seconds'] / full['seconds']:.0%}" if full and full["seconds"] else ""
                cshare = f"{s['cpu_s'] / full['cpu_s']:.0%}" if full and full.get("cpu_s") else ""
                lines.append(f"| {name} | {s['seconds']:.1f} s | {share} | {s.get('cpu_s', 0):.1f} s | {cshare} |")
        cshare = f"{r['cpu_s'] / pipe['cpu_s']:.0%}" if pipe.get("cpu_s") else ""
        lines.append(
            f"| **end to end** | **{r['wall_s']:.1f} s** | **{r['wall_s'] / pipe['wall_s']:.0%}** | "
            f"{r.get('cpu_s', 0):.1f} s | {cshare} |"
        )
        lines.append(f"\nFiles added: {len(add['files_added'])}; generated in {add['generate']['wall_s']:.1f} s.")
    elif add:
        lines += ["", f"add {add['year']}: no new files to add ({add})"]
    idle = result.get("nothing_new")
    if idle:
        built = sorted(
            k for st in idle["stages"].values() for k, step in st["steps"].items() if step["status"] == "STEP_SUCCESS"
        )
        skipped = sorted(
            k for st in idle["stages"].values() for k, step in st["steps"].items() if step["status"] != "STEP_SUCCESS"
        )
        lines += [
            "",
            "| the same job again, nothing new delivered | wall time | CPU time | mean load |",
            "|---|---:|---:|---:|",
            f"| end to end | **{idle['wall_s']:.1f} s** ({idle['wall_s'] / pipe['wall_s']:.0%} of the full run) | "
            f"{idle.get('cpu_s', 0):.1f} s ({idle.get('cpu_s', 0) / pipe['cpu_s']:.0%}) | "
            f"{idle.get('mean_load_average', 0):.1f} |",
        ]
        for name in STAGES:
            st = idle["stages"].get(name)
            if st:
                lines.append(f"| {name} | {st['seconds']:.1f} s | {st.get('cpu_s', 0):.1f} s | |")
        lines.append(
            f"\nSteps run: {len(built)}; skipped (nothing built, nothing republished): {', '.join(skipped) or 'none'}."
        )
    return "\n".join(l for l in lines)  # noqa: E741


def machine() -> dict:
    mem = 0
    try:
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1]) * 1024
    except OSError:
        pass
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), cpu)  # noqa: E741
    except OSError:
        pass
    import duckdb

    if SRC != ROOT:
        commit, dirty = SRC.name.removeprefix("src-"), False
    else:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
        dirty = bool(
            subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        )
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem / 2**30, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "os": platform.platform(),
        "commit": commit,
        "dirty_tree": dirty,
    }


def _met(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "NO")


def summary(results: list[dict], tiny: dict | None = None) -> str:
    """One row per target of issue 28: target / measured / met, and the mean load average while it was
    measured (2 cores: above 2, other work competed and wall times are inflated). Targets held at a
    given scale say "—" when measured at another scale (e.g. the smoke run)."""
    t = TARGETS
    lines = ["| target | measured | met | load |", "|---|---:|:---:|---:|"]
    by_scale = {r["scale"]: r for r in results if r.get("pipeline")}
    for r in by_scale.values():
        sc, at1 = f"scale {r['scale']:g}", r["scale"] == 1.0
        load = f"{r['pipeline'].get('mean_load_average', 0):.1f}"
        if r.get("floor") and r["floor"]["totals"]["utf8_read_csv_s"]:
            ratio = csv_load_seconds(r) / r["floor"]["totals"]["utf8_read_csv_s"]
            cpu = r["floor"]["totals"].get("utf8_read_csv_cpu_s")
            cpu_ratio = f", CPU {csv_load_cpu_seconds(r) / cpu:.2f}×" if cpu else ""
            lines.append(
                f"| {sc}: loader / DuckDB read_csv, whole set ≤ {t['load_over_read_csv']:g}× | "
                f"{ratio:.2f}× wall{cpu_ratio} | {_met(ratio <= t['load_over_read_csv'] if at1 else None)} | "
                f"{r.get('floor_load_average', 0):.1f} |"
            )
        big = r.get("largest_file")
        if big and big.get("ratio"):
            lines.append(
                f"| {sc}: loader / DuckDB read_csv, largest file ≤ {t['largest_file_over_read_csv']:g}× | "
                f"{big['ratio']:.2f}× ({big['loader_s']:.2f} / {big['read_csv_s']:.2f} s, interleaved) | "
                f"{_met(big['ratio'] <= t['largest_file_over_read_csv'] if at1 else None)} | "
                f"{r.get('largest_load_average', 0):.1f} |"
            )
        w, m = r["pipeline"]["wall_s"], r["pipeline"]["peak_rss"] / 2**30
        lines.append(
            f"| {sc}: default run end to end < {t['scale1_seconds']:g} s | {w:.1f} s wall, "
            f"{r['pipeline'].get('cpu_s', 0):.1f} s CPU | {_met(w < t['scale1_seconds'] if at1 else None)} | {load} |"
        )
        lines.append(
            f"| {sc}: default run peak memory < {t['scale1_peak_rss_gib']:g} GiB | {m:.2f} GiB | "
            f"{_met(m < t['scale1_peak_rss_gib'] if at1 else None)} | {load} |"
        )
        idle = r.get("nothing_new")
        if idle:
            lines.append(
                f"| {sc}: a run with nothing new is nearly free | {idle['wall_s']:.1f} s wall, "
                f"{idle.get('cpu_s', 0):.1f} s CPU ({idle['wall_s'] / w:.0%} of the full run) | — | "
                f"{idle.get('mean_load_average', 0):.1f} |"
            )
        add = r.get("add_year")
        if add and add.get("run"):
            share = add["run"]["wall_s"] / w
            cpu_share = add["run"].get("cpu_s", 0) / r["pipeline"]["cpu_s"] if r["pipeline"].get("cpu_s") else 0
            lines.append(
                f"| {sc}: add one year ≤ {t['add_year_share']:.0%} of the full build | {share:.0%} "
                f"({add['run']['wall_s']:.1f} / {w:.1f} s; CPU {cpu_share:.0%}) | {_met(share <= t['add_year_share'])} | "
                f"{add['run'].get('mean_load_average', 0):.1f} |"
            )
        for q in r.get("analyst_queries") or []:
            worst = max(q["cold_s"], q["warm_s"])
            at10 = r["scale"] == 10.0
            lines.append(
                f"| {sc}: {q.get('tier', '')} `{q['mart']}` one year, one municipality < "
                f"{t['analyst_query_seconds']:g} s (cold / warm) | {q['cold_s']:.3f} / {q['warm_s']:.3f} s | "
                f"{_met(worst < t['analyst_query_seconds'] if at10 or at1 else None)} | |"
            )
    if tiny and tiny.get("pipeline"):
        tw = tiny["pipeline"]["wall_s"]
        lines.append(
            f"| fixed cost: a run over {tiny['warehouse'].get('rows_read', 0):,} rows ≤ {t['tiny_seconds']:g} s | "
            f"{tw:.1f} s wall, {tiny['pipeline'].get('cpu_s', 0):.1f} s CPU | {_met(tw <= t['tiny_seconds'])} | "
            f"{tiny['pipeline'].get('mean_load_average', 0):.1f} |"
        )
    one, ten = by_scale.get(1.0), by_scale.get(10.0)
    if one and ten:
        f = ten["pipeline"]["wall_s"] / one["pipeline"]["wall_s"]
        lines.append(
            f"| scale 10 / scale 1 end to end ≤ {t['linear_factor']:g}× | {f:.2f}× | "
            f"{_met(f <= t['linear_factor'])} | {ten['pipeline'].get('mean_load_average', 0):.1f} |"
        )
        lines.append(f"| scale 10 peak memory (bounded) | {ten['pipeline']['peak_rss'] / 2**30:.2f} GiB | — | |")
    elif one and not ten:
        lines.append(
            f"| scale 10 / scale 1 end to end ≤ {t['linear_factor']:g}× | not measured (scale 10 not run) | — | |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scale", type=float, action="append", help="repeatable; default 1")
    p.add_argument("--years", default="2015-2024")
    p.add_argument("--seed", type=int, default=20241115)
    p.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "hm-bench",
        help="where generated files and warehouses go (default: $TMPDIR/hm-bench)",
    )
    p.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    p.add_argument("--no-add-year", action="store_true", help="skip the 'add one year' run")
    p.add_argument(
        "--add-year-scale",
        type=float,
        action="append",
        metavar="SCALE",
        help="repeatable: add one year only at these scales (default: every scale measured)",
    )
    p.add_argument("--no-floor", action="store_true", help="skip the DuckDB read_csv floor")
    p.add_argument("--no-tiny", action="store_true", help="skip the fixed-cost run over a tiny inbox")
    p.add_argument("--reuse-inbox", action="store_true", help="reuse a generated inbox in the workdir")
    p.add_argument("--no-write", action="store_true", help="print only, write no JSON")
    p.add_argument("--rev", default="HEAD", help="commit to measure (exported with git archive; default HEAD)")
    p.add_argument("--worktree", action="store_true", help="measure the working tree as it is instead")
    p.add_argument(
        "--duckdb-memory",
        action="append",
        default=[],
        metavar="SCALE=SIZE",
        help="DuckDB memory limit for one scale, e.g. 10=4GB (default: the project's, 1GB)",
    )
    args = p.parse_args(argv)

    global SRC
    if not args.worktree:
        SRC = snapshot(args.rev, args.workdir.resolve())
        sys.path.insert(0, str(SRC))
    print(f"measuring {SRC}", flush=True)

    info = machine()
    print(
        f"machine: {info['cpus']} × {info['cpu']}, {info['memory_gib']} GiB, DuckDB {info['duckdb']}, "
        f"commit {info['commit']}{' (dirty tree)' if info['dirty_tree'] else ''}",
        flush=True,
    )
    results = []
    for scale in args.scale or [1.0]:
        started = time.time()
        limits = {float(k): v for k, v in (x.split("=", 1) for x in args.duckdb_memory)}
        add_year = not args.no_add_year and (not args.add_year_scale or scale in args.add_year_scale)
        r = bench_scale(
            scale,
            args.years,
            args.seed,
            args.workdir.resolve(),
            add_year,
            not args.no_floor,
            args.reuse_inbox,
            limits.get(scale),
        )
        r.update(machine=info, date=dt.date.today().isoformat(), benchmark_seconds=time.time() - started)
        results.append(r)
        print()
        print(markdown(r), flush=True)
        print()
        if not args.no_write:
            args.results.mkdir(parents=True, exist_ok=True)
            out = args.results / f"{dt.date.today().isoformat()}-scale{scale:g}.json"
            out.write_text(json.dumps(r, indent=1, default=str) + "\n")
            print(f"wrote {out}", flush=True)
    tiny = None
    if not args.no_tiny:
        tiny = tiny_run(args.workdir.resolve(), args.seed)
        tiny["machine"], tiny["date"] = info, dt.date.today().isoformat()
        print()
        print(tiny_markdown(tiny), flush=True)
        print()
        if not args.no_write:
            args.results.mkdir(parents=True, exist_ok=True)
            out = args.results / f"{dt.date.today().isoformat()}-tiny.json"
            out.write_text(json.dumps(tiny, indent=1, default=str) + "\n")
            print(f"wrote {out}", flush=True)
    print("### Targets\n")
    print(summary(results, tiny))
    return 0 if all(r.get("pipeline", {}).get("returncode") == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
