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

The modules beside this script, by concern (this file is only the command line):
`source.py` (the commit measured), `timing.py` (one timed run: /proc sampling, Dagster step events,
deploy, generate, the pipeline), `loader_floor.py` (the loader vs DuckDB's read_csv), `queries.py`
(analyst queries on the tiers), `add_year.py` (add one year), `scales.py` (one scale end to end; the
fixed cost over a tiny inbox), `targets.py` (Markdown tables and the targets: measured / target / met).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

import source
from scales import bench_scale, tiny_run
from source import ROOT, snapshot
from targets import machine, markdown, summary, tiny_markdown


def render(files: list[Path]) -> int:
    """The same tables and targets as a run prints, from its JSON (a tiny run's file has no `seed`)."""
    loaded = [json.loads(f.read_text()) for f in files]
    tinies = [r for r in loaded if "seed" not in r]
    results = sorted((r for r in loaded if "seed" in r), key=lambda r: r["scale"])
    for r in results:
        m = r.get("machine", {})
        print(f"commit {m.get('commit', '?')}, {r.get('date', '?')}, DuckDB memory {r.get('duckdb_memory', '?')}\n")
        print(markdown(r), end="\n\n")
    if tinies:
        print(tiny_markdown(tinies[-1]), end="\n\n")
    print("### Targets\n")
    print(summary(results, tinies[-1] if tinies else None))
    return 0


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
    p.add_argument("--only-tiny", action="store_true", help="only the fixed-cost run over a tiny inbox (no scale)")
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
    p.add_argument(
        "--from-json",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="measure nothing: print the tables and targets again from results JSON written earlier "
        "(scale files and at most one `-tiny.json`)",
    )
    args = p.parse_args(argv)

    if args.from_json:
        return render(args.from_json)
    if not args.worktree:
        source.SRC = snapshot(args.rev, args.workdir.resolve())
        sys.path.insert(0, str(source.SRC))
    print(f"measuring {source.SRC}", flush=True)

    info = machine()
    print(
        f"machine: {info['cpus']} × {info['cpu']}, {info['memory_gib']} GiB, DuckDB {info['duckdb']}, "
        f"commit {info['commit']}{' (dirty tree)' if info['dirty_tree'] else ''}",
        flush=True,
    )
    results = []
    for scale in [] if args.only_tiny else args.scale or [1.0]:
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
        _report(args, r, markdown(r), f"scale{scale:g}")
    tiny = None
    if not args.no_tiny:
        tiny = tiny_run(args.workdir.resolve(), args.seed)
        tiny["machine"], tiny["date"] = info, dt.date.today().isoformat()
        _report(args, tiny, tiny_markdown(tiny), "tiny")
    print("### Targets\n")
    print(summary(results, tiny))
    return 0 if all(r.get("pipeline", {}).get("returncode") == 0 for r in results) else 1


def _report(args, result: dict, table: str, name: str) -> None:
    """Print a result's table; unless --no-write, keep it as results/<today>-<name>.json."""
    print()
    print(table, flush=True)
    print()
    if not args.no_write:
        args.results.mkdir(parents=True, exist_ok=True)
        out = args.results / f"{dt.date.today().isoformat()}-{name}.json"
        out.write_text(json.dumps(result, indent=1, default=str) + "\n")
        print(f"wrote {out}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
