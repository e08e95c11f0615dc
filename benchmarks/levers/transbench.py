"""Issue 28, lever 2: windows-1257 transcoding in Python vs inside DuckDB (latin-1 read + translate/replace).

.venv/bin/python benchmarks/levers/transbench.py [FILE]
"""

import os
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))
import duckdb

from ingestion.readers import _transcode_to_utf8

F = Path(sys.argv[1] if len(sys.argv) > 1 else "data/inbox/nmpd_izsaukumi_2022.csv")


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


tmp = Path(tempfile.mkdtemp())
upper = bytes(range(0x80, 0x100))
latin = upper.decode("latin-1")
cp = "".join(bytes([b]).decode("cp1257", errors="replace") for b in upper)
BAD = re.compile(rb"[\x81\x83\x88\x8a\x8c\x90\x98\x9a\x9c\x9f\xa1\xa5]")


def bytes_pass():
    out = tmp / "b.csv"
    lines = 0
    with open(F, "rb") as s, open(out, "wb") as d:
        carry = b""
        while chunk := s.read(16 << 20):
            data = carry + chunk
            carry = b"\r" if data.endswith(b"\r") else b""
            data = data[:-1] if carry else data
            if b"\r" in data:
                data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            if BAD.search(data):
                raise ValueError
            lines += data.count(b"\n")
            d.write(data)
    return out


ncols = len(open(F, encoding="cp1257").readline().split(";"))
cols = {f"c{i}": "VARCHAR" for i in range(ncols)}


def py():
    p, n = _transcode_to_utf8(F, "windows-1257", tmp)
    con = duckdb.connect()
    con.execute(
        f"CREATE TABLE t AS SELECT {', '.join(f'NULLIF(trim(c{i}), {chr(39)}{chr(39)}) AS c{i}' for i in range(ncols))} FROM read_csv(?, delim=';', header=true, auto_detect=false, columns={cols!r}, strict_mode=true, new_line='\\n')",
        [str(p)],
    )
    return con


def dd():
    p = bytes_pass()
    con = duckdb.connect()
    tr = lambda c: f"translate(NULLIF(trim({c}), ''), $f, $t)"
    con.execute(
        f"CREATE TABLE t AS SELECT {', '.join(tr('c' + str(i)) + ' AS c' + str(i) for i in range(ncols))} FROM read_csv($p, delim=';', header=true, auto_detect=false, columns={cols!r}, strict_mode=true, new_line='\\n', encoding='latin-1')",
        {"p": str(p), "f": latin, "t": cp},
    )
    return con


def dd_notr():
    p = bytes_pass()
    con = duckdb.connect()
    con.execute(
        f"CREATE TABLE t AS SELECT {', '.join(f'NULLIF(trim(c{i}), {chr(39)}{chr(39)}) AS c{i}' for i in range(ncols))} FROM read_csv($p, delim=';', header=true, auto_detect=false, columns={cols!r}, strict_mode=true, new_line='\\n', encoding='latin-1')",
        {"p": str(p)},
    )
    return con


a, b = py(), dd_notr()
print(
    "same:",
    a.execute("select count(*) from t").fetchone(),
    sorted(a.execute("select * from t").fetchall()) == sorted(b.execute("select * from t").fetchall()),
)


def compare(runs: dict) -> None:
    """Run each function five times, interleaved; print its median wall and CPU seconds, and the load."""
    res = {k: ([], []) for k in runs}
    for _i in range(5):
        for k, f in runs.items():
            w, c = time.perf_counter(), cpu()
            f()
            res[k][0].append(time.perf_counter() - w)
            res[k][1].append(cpu() - c)
    for k, (w, c) in res.items():
        print(f"{k:42s} wall {statistics.median(w):.3f}  cpu {statistics.median(c):.3f}")
    print("load", os.getloadavg())


compare(
    {
        "python transcode + read": py,
        "bytes pass + latin-1 read + translate": dd_notr,  # as measured: dd_notr twice (dd was not timed)
        "bytes pass + latin-1 read, no translate": dd_notr,
    }
)


def tonly():
    _transcode_to_utf8(F, "windows-1257", tmp)


present = sorted({ch for ch in open(F, encoding="cp1257").read() if ord(ch) > 127})
print("non-ascii chars present:", "".join(present))


def dd_replace():
    p = bytes_pass()
    con = duckdb.connect()

    def rp(c):
        e = f"NULLIF(trim({c}), '')"
        for ch in present:
            l = ch.encode("cp1257").decode("latin-1")
            e = f"replace({e}, '{l}', '{ch}')"
        return e

    con.execute(
        f"CREATE TABLE t AS SELECT {', '.join(rp('c' + str(i)) + ' AS c' + str(i) for i in range(ncols))} FROM read_csv($p, delim=';', header=true, auto_detect=false, columns={cols!r}, strict_mode=true, new_line='\\n', encoding='latin-1')",
        {"p": str(p)},
    )


compare(
    {
        "python transcode only": tonly,
        "bytes pass only": bytes_pass,
        "latin-1 read + chained replace of present chars": dd_replace,
    }
)
