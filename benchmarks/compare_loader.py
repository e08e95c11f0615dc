"""Load one inbox with two versions of the loader and compare what they wrote (issue 17).

    # load with this checkout's ingestion/ (or another code root holding an ingestion/ package)
    .venv/bin/python benchmarks/compare_loader.py load --inbox DIR --scratch /tmp/x/new [--code ROOT]
    # compare two such loads: raw tables, quarantine and receipts, ignoring load ids and timestamps
    .venv/bin/python benchmarks/compare_loader.py compare /tmp/x/main/work.duckdb /tmp/x/new/work.duckdb
    # one file alone into an empty warehouse against read_csv of its UTF-8 copy, with the loader's phases
    .venv/bin/python benchmarks/compare_loader.py profile FILE --scratch /tmp/x/p [--code ROOT] [--repeats 3]

`load` copies the inbox (receipt files land beside the copies, never in the inbox), loads every
delivery one file at a time into one warehouse as the pipeline does, with a fixed key, and prints
the summed wall and CPU time of `Loader.load_file` over the CSV files and over all files.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

KEY = b"compare-loader-key"
IGNORED = {"_load_id", "load_id", "loaded_at"}  # differ between any two loads


def _use_code(root: str | None) -> None:
    """Import `ingestion` from `root` instead of the installed (editable) package."""
    if root:
        sys.path.insert(0, str(Path(root).resolve()))
        sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]


def load(inbox: Path, scratch: Path, code: str | None) -> dict:
    _use_code(code)
    import ingestion.loader
    from ingestion.contracts import all_contracts, contract_for_file
    from ingestion.loader import Loader, delivery_files

    print("loader code:", ingestion.loader.__file__)
    shutil.rmtree(scratch, ignore_errors=True)
    copy = scratch / "inbox"
    shutil.copytree(inbox, copy)  # keeps modification times: received_at is the same in both loads
    contracts = all_contracts()
    loader = Loader(scratch / "work.duckdb", KEY, contracts)
    totals = {"csv_wall_s": 0.0, "csv_cpu_s": 0.0, "all_wall_s": 0.0, "all_cpu_s": 0.0, "files": 0, "csv_files": 0}
    for path in delivery_files(copy):
        contract = contract_for_file(path.name, contracts)
        if contract is None:
            continue
        wall, cpu = time.perf_counter(), time.process_time()
        loader.load_file(path, contract)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        totals["all_wall_s"] += wall
        totals["all_cpu_s"] += cpu
        totals["files"] += 1
        if contract.file.format == "csv":
            totals["csv_wall_s"] += wall
            totals["csv_cpu_s"] += cpu
            totals["csv_files"] += 1
    totals = {k: round(v, 2) if isinstance(v, float) else v for k, v in totals.items()}
    print(json.dumps(totals))
    return totals


def compare(first: Path, second: Path) -> bool:
    import duckdb

    con = duckdb.connect()
    con.execute(f"ATTACH '{first}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{second}' AS b (READ_ONLY)")
    tables = con.execute("""SELECT schema_name, table_name FROM duckdb_tables()
                            WHERE database_name = 'a' AND schema_name IN ('raw', 'ingest')
                            ORDER BY 1, 2""").fetchall()
    same = True
    for schema, table in tables:
        columns = [
            c
            for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = 'a' AND schema_name = ? "
                "AND table_name = ? ORDER BY column_index",
                [schema, table],
            ).fetchall()
            if c not in IGNORED
        ]
        select = ", ".join(f'"{c}"' for c in columns)
        counts = []
        for one, other in (("a", "b"), ("b", "a")):
            counts.append(
                con.execute(f"""SELECT count(*) FROM (SELECT {select} FROM {one}.{schema}.{table}
                                          EXCEPT ALL SELECT {select} FROM {other}.{schema}.{table})""").fetchone()[0]
            )
        rows = con.execute(f"SELECT count(*) FROM a.{schema}.{table}").fetchone()[0]
        verdict = "same" if counts == [0, 0] else f"DIFFERENT (only in first {counts[0]}, only in second {counts[1]})"
        same = same and counts == [0, 0]
        print(f"{schema}.{table:28s} {rows:>10,} rows  {verdict}")
    same = _compare_receipt_files(first.parent / "inbox", second.parent / "inbox") and same
    print("ALL SAME" if same else "DIFFERENCES FOUND")
    return same


def _compare_receipt_files(first: Path, second: Path) -> bool:
    """The receipt files written beside the delivery copies, but for load ids and timestamps."""
    if not first.is_dir() or not second.is_dir():
        return True
    names = sorted(p.name for p in first.glob("*.receipt.json"))
    differing = [
        name for name in names if not (second / name).exists() or _receipt(first / name) != _receipt(second / name)
    ]
    differing += [p.name for p in second.glob("*.receipt.json") if not (first / p.name).exists()]
    print(
        f"receipt files {len(names):>10,} files {'same' if not differing else 'DIFFERENT: ' + ', '.join(differing[:5])}"
    )
    return not differing


def _receipt(path: Path) -> dict:
    return {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if k not in IGNORED}


def profile(path: Path, scratch: Path, code: str | None, repeats: int) -> None:
    """Medians of `repeats` loads of one file (wall, and per phase: timers wrapped around the loader's
    steps) and of DuckDB's read_csv of its UTF-8 copy into an in-memory table (benchmarks/run.py's floor)."""
    _use_code(code)
    import duckdb

    import ingestion.loader as loader_module
    from ingestion.contracts import all_contracts, contract_for_file

    phases: dict[str, float] = {}

    def timed(owner: object, name: str, label: str) -> None:
        inner = getattr(owner, name)

        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                phases[label] = phases.get(label, 0.0) + time.perf_counter() - start

        setattr(owner, name, wrapper)

    timed(loader_module, "read_delivery", "read and transcode")
    timed(loader_module, "mask_codes", "privacy guard")
    for name, label in (
        ("_pseudonymise", "code map"),
        ("_apply_rules", "rules"),
        ("_write", "write"),
        ("_new_receipt", "SHA-256 and receipt"),
        ("_finish", "receipt file"),
    ):
        timed(loader_module.Loader, name, label)
    contracts = all_contracts()
    contract = contract_for_file(path.name, contracts)
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    copy = scratch / path.name
    shutil.copy2(path, copy)
    utf8 = scratch / (path.name + ".utf8")
    utf8.write_text(path.read_bytes().decode(contract.file.encoding, errors="replace"), encoding="utf-8")
    with open(utf8, encoding="utf-8-sig", errors="replace") as f:
        columns = {f"c{i}": "VARCHAR" for i in range(len(f.readline().split(contract.file.delimiter)))}
    options = (
        f"delim='{contract.file.delimiter}', quote='\"', escape='\"', header=true, auto_detect=false, "
        f"columns={columns!r}, null_padding=false, strict_mode=false"
    )
    runs: list[dict[str, float]] = []
    for i in range(repeats):
        phases.clear()
        warehouse = scratch / f"w{i}" / "work.duckdb"
        wall, cpu = time.perf_counter(), time.process_time()
        start = time.perf_counter()
        loader = loader_module.Loader(warehouse, KEY, contracts)
        phases["Loader()"] = time.perf_counter() - start
        loader.load_file(copy, contract)
        run = {"load": time.perf_counter() - wall, "load cpu": time.process_time() - cpu, **phases}
        shutil.rmtree(warehouse.parent)
        with duckdb.connect() as con:
            wall, cpu = time.perf_counter(), time.process_time()
            con.execute(f"CREATE TABLE floor_t AS SELECT * FROM read_csv('{utf8}', {options})")
            run.update({"read_csv": time.perf_counter() - wall, "read_csv cpu": time.process_time() - cpu})
        runs.append(run)
    median = {k: statistics.median(r.get(k, 0.0) for r in runs) for k in runs[0]}
    print(
        f"{path.name}: load {median['load']:.2f} s (CPU {median['load cpu']:.2f}), read_csv {median['read_csv']:.2f} s "
        f"(CPU {median['read_csv cpu']:.2f}), ratio {median['load'] / median['read_csv']:.1f}x "
        f"(CPU {median['load cpu'] / median['read_csv cpu']:.1f}x); runs {[round(r['load'], 2) for r in runs]}"
    )
    for label, seconds in median.items():
        if label not in {"load", "load cpu", "read_csv", "read_csv cpu"}:
            print(f"  {label:22s} {seconds:6.3f} s")
    shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("load")
    one.add_argument("--inbox", type=Path, required=True)
    one.add_argument("--scratch", type=Path, required=True)
    one.add_argument("--code", help="a folder holding the ingestion/ package to measure (default: this checkout)")
    two = sub.add_parser("compare")
    two.add_argument("first", type=Path)
    two.add_argument("second", type=Path)
    three = sub.add_parser("profile")
    three.add_argument("file", type=Path)
    three.add_argument("--scratch", type=Path, required=True)
    three.add_argument("--code", help="a folder holding the ingestion/ package to measure (default: this checkout)")
    three.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.command == "load":
        load(args.inbox, args.scratch, args.code)
    elif args.command == "profile":
        profile(args.file, args.scratch, args.code, args.repeats)
    else:
        sys.exit(0 if compare(args.first, args.second) else 1)


if __name__ == "__main__":
    main()
