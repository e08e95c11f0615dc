"""Issue 28, lever 1: ways to compute the keyed pseudonym per distinct code of one delivery (CPU, median of 5).

.venv/bin/python benchmarks/levers/hashbench.py [FILE]   # default: the default inbox's nmpd_izsaukumi_2022.csv
"""

import hashlib
import os
import resource
import statistics
import sys
import time

import duckdb

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))
from ingestion.code_map import code_map_sql


def key_block(key: bytes) -> bytes:  # the single-SHA-256 scheme measured here (reverted: HMAC stays)
    return hashlib.sha512(b"homeless-monitor pseudonym key block\0" + key).digest()


def hmac_pads(key: bytes) -> dict[str, bytes]:  # the earlier scheme, HMAC-SHA256 (RFC 2104) from two sha256()
    padded = key.ljust(64, b"\0")
    return {"ipad": bytes(b ^ 0x36 for b in padded), "opad": bytes(b ^ 0x5C for b in padded)}


KEY = b"k" * 64
F = sys.argv[1] if len(sys.argv) > 1 else "data/inbox/nmpd_izsaukumi_2022.csv"


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


con = duckdb.connect()
con.execute(
    f"CREATE TABLE delivered AS SELECT * FROM read_csv('{F}', delim=';', header=true, all_varchar=true, encoding='latin-1')"
)
col = [c for (c,) in con.execute("select column_name from (describe delivered)").fetchall()]
print(col)
pc = [c for c in col if "kods" in c.lower()][0]
con.execute(f'CREATE TABLE d2 AS SELECT "{pc}" AS personal_code FROM delivered')
print(con.execute("select count(*), count(distinct personal_code) from d2").fetchone())

import ingestion.code_map as cm

orig = lambda m: f"sha256($opad || unhex(sha256($ipad || encode({m}))))"


def current():
    cm._keyed_hex = orig
    con.execute(
        f"CREATE OR REPLACE TABLE code_map_t AS {code_map_sql('d2', 'personal_code')}",
        {**hmac_pads(KEY), "source": "x"},
    )


def single_sha():
    cm._keyed_hex = lambda m: f"sha256($key_block || encode({m}))"  # measured, not kept (HMAC stays)
    con.execute(
        f"CREATE OR REPLACE TABLE code_map_t AS {code_map_sql('d2', 'personal_code')}",
        {"key_block": key_block(KEY), "source": "x"},
    )


def status_only():
    cm._keyed_hex = lambda m: f"({m})"
    con.execute(f"CREATE OR REPLACE TABLE code_map_t AS {code_map_sql('d2', 'personal_code')}", {"source": "x"})


memo = {}
import pandas as pd


def py_blake(use_memo):
    def f():
        cm._keyed_hex = lambda m: f"({m})"
        con.execute(f"CREATE OR REPLACE TABLE msgs AS {code_map_sql('d2', 'personal_code')}", {"source": "x"})
        msgs = [m for (m,) in con.execute("SELECT person_id FROM msgs").fetchall()]
        if not use_memo:
            memo.clear()
        out = []
        for m in msgs:
            p = memo.get(m)
            if p is None:
                p = memo[m] = m[0] + hashlib.blake2b(m.encode(), key=KEY, digest_size=16).hexdigest()
            out.append(p)
        t = pd.DataFrame({"msg": msgs, "pid": out})
        con.register("t_df", t)
        con.execute(
            "CREATE OR REPLACE TABLE code_map_t AS SELECT m.raw_code, t.pid AS person_id, m.person_id_status, m.birth_year_from_code FROM msgs m JOIN t_df t ON t.msg = m.person_id"
        )
        con.unregister("t_df")

    return f


for name, fn in [
    ("current HMAC-SHA256 in DuckDB", current),
    ("one keyed SHA-256 in DuckDB", single_sha),
    ("validation, no hash", status_only),
    ("python blake2b no memo", py_blake(False)),
    ("python blake2b memo warm", py_blake(True)),
]:
    ws, cs = [], []
    for _i in range(5):
        w, c = time.perf_counter(), cpu()
        fn()
        ws.append(time.perf_counter() - w)
        cs.append(cpu() - c)
    print(
        f"{name:35s} wall med {statistics.median(ws):.3f}  cpu med {statistics.median(cs):.3f}  load {os.getloadavg()[0]:.1f}"
    )
