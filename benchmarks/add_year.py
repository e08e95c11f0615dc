"""Add one year: the next year's deliveries dropped into the inbox and the same job run again on the
same warehouse, to compare with the full build."""

from __future__ import annotations

import shutil
from pathlib import Path

from timing import generate, pipeline_run


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
