"""One scale end to end (generate or reuse, deploy, run, nothing new, queries, floor, add a year),
and the fixed cost: the same job over a tiny inbox."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from add_year import add_one_year
from loader_floor import largest_file, read_csv_floor
from queries import TIER_FILES, tier_queries
from timing import _years, bench_env, deploy, generate, load_average, pipeline_run, warehouse_facts


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
