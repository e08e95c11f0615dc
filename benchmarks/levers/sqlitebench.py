"""Lever (issue 28, round 2): Dagster's run history with and without a disk flush per event.

Stores the same events (asset materialisations: a run-shard row and an index row each, like a dbt
model's) through a real Dagster instance whose event log is Dagster's default SQLite storage or
`dagster_project.run.dagster_storage.QuickSqliteEventLogStorage`, alternating the two, and prints wall and
CPU time per variant (median of the rounds) as JSON.

    .venv/bin/python benchmarks/levers/sqlitebench.py --events 300 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

import yaml


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def one(variant: str, events: int) -> tuple[float, float]:
    from dagster import AssetKey, DagsterInstance

    from dagster_project.run.dagster_storage import instance_settings, store_materialization

    with tempfile.TemporaryDirectory(prefix="hm-sqlitebench-") as home:
        config = {"telemetry": {"enabled": False}}
        if variant == "quick":
            config["event_log_storage"] = instance_settings(home)
        Path(home, "dagster.yaml").write_text(yaml.safe_dump(config))
        instance = DagsterInstance.from_config(home)
        run_id = "0" * 8 + "-0000-0000-0000-" + "0" * 12
        w0, c0 = time.perf_counter(), cpu()
        for i in range(events):
            store_materialization(instance, run_id, AssetKey(["bench", f"m{i}"]), step="bench")
        wall, used = time.perf_counter() - w0, cpu() - c0
        instance.dispose()
    return wall, used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list] = {"default": [], "quick": []}
    for _ in range(args.rounds):
        for variant in results:
            results[variant].append(one(variant, args.events))
    out = {
        "events": args.events,
        "rounds": args.rounds,
        "load_1min": os.getloadavg()[0],
        **{
            variant: {
                "wall_s": round(statistics.median(w for w, _ in runs), 3),
                "cpu_s": round(statistics.median(c for _, c in runs), 3),
                "ms_per_event_wall": round(1000 * statistics.median(w for w, _ in runs) / args.events, 2),
            }
            for variant, runs in results.items()
        },
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
