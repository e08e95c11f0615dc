"""The loader against DuckDB's own `read_csv` of the same files: the whole set (the floor) and the
largest file alone."""

from __future__ import annotations

import shutil
import statistics
import time
from pathlib import Path

from timing import BENCH_KEY

# --- floor: DuckDB's plain read_csv ----------------------------------------------------------------


def _read_options(utf8: Path, fmt) -> str:
    """read_csv options as the loader passes them: every column VARCHAR, counted from the UTF-8 copy's header."""
    with open(utf8, encoding="utf-8-sig", errors="replace") as f:
        ncols = len(f.readline().split(fmt.delimiter))
    columns = {f"c{i}": "VARCHAR" for i in range(ncols)}
    return (
        f"delim='{fmt.delimiter}', quote='\"', escape='\"', header=true, auto_detect=false, "
        f"columns={columns!r}, null_padding=false, strict_mode=false"
    )


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
        opts = _read_options(utf8, fmt)
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
    opts = _read_options(utf8, fmt)
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
