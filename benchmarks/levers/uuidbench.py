"""Issue 28, lever 3 on a scratch copy: person_id as 33-character VARCHAR vs UUID (16 bytes), the same rows.
CPU time (user+sys of this process, all DuckDB threads), median of 3, interleaved.

    .venv/bin/python benchmarks/levers/uuidbench.py [WAREHOUSE]   # a finished scale-1 work.duckdb, read only
"""

import os
import resource
import shutil
import statistics
import time

import duckdb


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


import sys

src = sys.argv[1] if len(sys.argv) > 1 else "data/warehouse/work.duckdb"
d = __import__("tempfile").mkdtemp(prefix="hm-uuid-")
shutil.rmtree(d, ignore_errors=True)
os.makedirs(d)
con = duckdb.connect(f"{d}/scratch.duckdb")
con.execute("SET threads = 2; SET memory_limit = '1GB'")
con.execute(f"ATTACH '{src}' AS w (READ_ONLY)")
# person_id 'P' + 32 hex → UUID from the 32 hex digits (the linkable flag kept as a boolean beside it)
uu = "CAST(regexp_replace(substr(person_id, 2), '(.{8})(.{4})(.{4})(.{4})(.{12})', '\\1-\\2-\\3-\\4-\\5') AS UUID)"
con.execute("CREATE TABLE calls_v AS SELECT * FROM w.staging.stg_nmpd__ambulance_calls")
con.execute(f"CREATE TABLE calls_u AS SELECT * REPLACE ({uu} AS person_id) FROM calls_v")
con.execute("CREATE TABLE nights_v AS SELECT * FROM w.marts.fct_service_days")
con.execute(f"CREATE TABLE nights_u AS SELECT * REPLACE ({uu} AS person_id) FROM nights_v")
con.execute("CREATE TABLE persons_v AS SELECT * FROM w.marts.dim_person")
con.execute(f"CREATE TABLE persons_u AS SELECT * REPLACE ({uu} AS person_id) FROM persons_v")
con.execute("DETACH w")
con.execute("CHECKPOINT")
print(con.execute("select count(*) from calls_v").fetchone(), con.execute("select count(*) from nights_v").fetchone())
tests = {
    "write calls (CTAS, compressed, checkpoint)": "CREATE OR REPLACE TABLE t_{k} AS SELECT * FROM calls_{k}; CHECKPOINT",
    "write person-nights (CTAS + checkpoint)": "CREATE OR REPLACE TABLE t_{k} AS SELECT * FROM nights_{k}; CHECKPOINT",
    "join nights to persons": "CREATE OR REPLACE TEMP TABLE j_{k} AS SELECT n.*, p.first_seen_year FROM nights_{k} n JOIN persons_{k} p USING (person_id)",
    "count distinct persons by year": "CREATE OR REPLACE TEMP TABLE g_{k} AS SELECT year(service_date) y, count(DISTINCT person_id) FROM nights_{k} GROUP BY 1",
    "sort nights by person, date": "CREATE OR REPLACE TEMP TABLE s_{k} AS SELECT * FROM nights_{k} ORDER BY person_id, service_date",
}
cols = [c for (c,) in con.execute("select column_name from (describe persons_v)").fetchall()]
if "first_seen_year" not in cols:
    tests["join nights to persons"] = (
        "CREATE OR REPLACE TEMP TABLE j_{k} AS SELECT n.*, p.* EXCLUDE (person_id) FROM nights_{k} n JOIN persons_{k} p USING (person_id)"
    )
ncols = [c for (c,) in con.execute("select column_name from (describe nights_v)").fetchall()]
datecol = next(c for c in ncols if "date" in c or "night" in c)
for name, sql in tests.items():
    sql = sql.replace("service_date", datecol)
    res = {"v": ([], []), "u": ([], [])}
    for _i in range(3):
        for k in ("v", "u"):
            w, c = time.perf_counter(), cpu()
            con.execute(sql.format(k=k))
            res[k][0].append(time.perf_counter() - w)
            res[k][1].append(cpu() - c)
    v, u = statistics.median(res["v"][1]), statistics.median(res["u"][1])
    print(
        f"{name:45s} CPU VARCHAR {v:.2f} s  UUID {u:.2f} s  ({u / v:.0%}); wall {statistics.median(res['v'][0]):.2f} / {statistics.median(res['u'][0]):.2f}  load {os.getloadavg()[0]:.1f}"
    )
for k in ("v", "u"):
    print(
        k,
        con.execute(
            f"select sum(compressed_size) from pragma_storage_info('t_{k}') where column_name='person_id'"
        ).fetchone()
        if False
        else "",
        con.execute(f"select count(distinct block_id) from pragma_storage_info('calls_{k}')").fetchone(),
    )
print(
    con.execute(
        "select column_name, count(distinct block_id) blocks from pragma_storage_info('nights_v') group by 1 order by 2 desc limit 3"
    ).fetchall()
)
print(
    con.execute(
        "select column_name, count(distinct block_id) blocks from pragma_storage_info('nights_u') group by 1 order by 2 desc limit 3"
    ).fetchall()
)
