"""Load one inbox with two versions of the loader and compare what they wrote (issue 17).

    # load with this checkout's ingestion/ (or another code root holding an ingestion/ package)
    .venv/bin/python benchmarks/compare_loader.py load --inbox DIR --scratch /tmp/x/new [--code ROOT]
    # compare two such loads: raw tables, quarantine and receipts, ignoring load ids and timestamps
    .venv/bin/python benchmarks/compare_loader.py compare /tmp/x/main/work.duckdb /tmp/x/new/work.duckdb

`load` copies the inbox (receipt files land beside the copies, never in the inbox), loads every
delivery one file at a time into one warehouse as the pipeline does, with a fixed key, and prints
the summed wall and CPU time of `Loader.load_file` over the CSV files and over all files.
"""
from __future__ import annotations

import argparse
import json
import shutil
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
    from ingestion.contracts import all_contracts, contract_for_file
    from ingestion.loader import Loader, delivery_files

    import ingestion.loader
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
        columns = [c for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'a' AND schema_name = ? "
            "AND table_name = ? ORDER BY column_index", [schema, table]).fetchall() if c not in IGNORED]
        select = ", ".join(f'"{c}"' for c in columns)
        counts = []
        for one, other in (("a", "b"), ("b", "a")):
            counts.append(con.execute(f"""SELECT count(*) FROM (SELECT {select} FROM {one}.{schema}.{table}
                                          EXCEPT ALL SELECT {select} FROM {other}.{schema}.{table})""").fetchone()[0])
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
    differing = [name for name in names if not (second / name).exists() or _receipt(first / name) != _receipt(second / name)]
    differing += [p.name for p in second.glob("*.receipt.json") if not (first / p.name).exists()]
    print(f"receipt files {len(names):>10,} files {'same' if not differing else 'DIFFERENT: ' + ', '.join(differing[:5])}")
    return not differing


def _receipt(path: Path) -> dict:
    return {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if k not in IGNORED}


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
    args = parser.parse_args()
    if args.command == "load":
        load(args.inbox, args.scratch, args.code)
    else:
        sys.exit(0 if compare(args.first, args.second) else 1)


if __name__ == "__main__":
    main()
