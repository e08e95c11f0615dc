"""Timing one run of the job: the process tree sampled from /proc (wall, CPU, RSS, DuckDB file size),
the Dagster step events per stage, the warehouse's facts; deploying (`dbt parse`), generating and
running the pipeline in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import source
from source import ROOT, cli

BENCH_KEY = "benchmark-only-pseudonym-key-not-a-secret"

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
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=source.SRC)
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


def _years(text: str) -> range:
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


def deploy(base: Path, warehouse: Path, env: dict[str, str]) -> dict:
    """`dbt parse` once, as a deployment does (dagster_project/dbt_build/dbt_project.py: one parse per project
    fingerprint), timed on its own: the runs after it start from the parsed manifest. The snapshot's
    own manifest and the benchmark's manifest cache are removed first, so the parse is measured."""
    for stale in (
        source.SRC / "dbt" / "target" / "manifest.json",
        source.SRC / "dbt" / "target" / "manifest.fingerprint",
    ):
        stale.unlink(missing_ok=True)
    shutil.rmtree(base / "dbt-manifests", ignore_errors=True)
    code = "from homeless_monitor.dbt_manifest import ensure_manifest; ensure_manifest()"
    m = run_measured(
        [sys.executable, "-c", code], {**env, "HOMELESS_MONITOR_WAREHOUSE": str(warehouse)}, base / "deploy.log", []
    )
    if m.returncode != 0:  # the run then parses at start-up: its figure includes the parse
        print(f"deploy (dbt parse) FAILED, see {base / 'deploy.log'}", flush=True)
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
            "PYTHONPATH": str(source.SRC)
            + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else ""),
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
