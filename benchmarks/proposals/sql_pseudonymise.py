"""Proposal (not wired in): personal-code validation and HMAC pseudonyms in DuckDB SQL.

The loader's `_pseudonymise` fetches every distinct code into Python and calls
`personal_code.validate` (~5 µs) and `hmac.digest` (~2.5 µs) per code: at one million distinct
codes that is ~7 s single-threaded, the largest part of the load time (see docs/performance.md).
The same mapping computed inside the in-memory DuckDB connection is vectorised and uses every
core. HMAC-SHA256 is built from DuckDB's `sha256(BLOB)`:

    HMAC(k, m) = SHA256((k' XOR opad) || SHA256((k' XOR ipad) || m)),  k' = k padded to 64 bytes

The key only enters DuckDB as two prepared-statement BLOB parameters (ipad/opad), never as SQL
text, and only in the in-memory connection that already holds the raw codes.

    .venv/bin/python benchmarks/proposals/sql_pseudonymise.py          # equivalence + timing

checks the SQL against `personal_code.validate` + `pseudonym` + `local_pseudonym` on generated
valid, new-format and faulty codes, and times both.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import random
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ingestion import personal_code  # noqa: E402
from ingestion.pseudonym import PSEUDONYM_LENGTH, local_pseudonym, pseudonym  # noqa: E402


def hmac_pads(key: bytes) -> dict[str, bytes]:
    k = hashlib.sha256(key).digest() if len(key) > 64 else key
    k = k.ljust(64, b"\0")
    return {"ipad": bytes(b ^ 0x36 for b in k), "opad": bytes(b ^ 0x5C for b in k)}


def _hmac_sql(message_sql: str) -> str:
    return f"sha256($opad || unhex(sha256($ipad || CAST({message_sql} AS BLOB))))"


def code_map_sql(source_table: str, column: str) -> str:
    """SELECT raw_code, person_id, person_id_status, birth_year_from_code for every distinct code.

    Mirrors ingestion.personal_code.validate (old format: date + century + check digit; new
    format `3[2-9]…`) and ingestion.pseudonym.pseudonym / local_pseudonym.
    """
    n = PSEUDONYM_LENGTH
    weights = personal_code.WEIGHTS
    check_sum = " + ".join(f"{w} * CAST(substr(d, {i + 1}, 1) AS INTEGER)" for i, w in enumerate(weights))
    return f"""
    WITH codes AS (
        SELECT DISTINCT "{column}" AS raw_code FROM {source_table} WHERE "{column}" IS NOT NULL
    ), shaped AS (
        SELECT raw_code, trim(raw_code) AS code,
               regexp_full_match(trim(raw_code), '3[2-9][0-9]{{4}}-?[0-9]{{5}}') AS is_new,
               regexp_full_match(trim(raw_code), '[0-9]{{6}}-?[0-9]{{5}}') AS is_old
        FROM codes
    ), dated AS (
        SELECT *, replace(code, '-', '') AS d,
               CASE WHEN is_old AND NOT is_new AND CAST(substr(replace(code, '-', ''), 7, 1) AS INTEGER) <= 2 THEN
                   CAST(try_strptime(
                       CAST(1800 + 100 * CAST(substr(replace(code, '-', ''), 7, 1) AS INTEGER)
                                 + CAST(substr(replace(code, '-', ''), 5, 2) AS INTEGER) AS VARCHAR)
                       || substr(replace(code, '-', ''), 3, 2) || substr(replace(code, '-', ''), 1, 2),
                       '%Y%m%d') AS DATE)
               END AS born
        FROM shaped
    ), checked AS (
        SELECT raw_code, code, d, born,
               CASE
                   WHEN code = '' THEN 'missing'
                   WHEN is_new THEN 'valid'
                   WHEN NOT is_old THEN 'bad_format'
                   WHEN born IS NULL OR born > least(current_date, DATE '2017-06-30')
                        OR year(current_date) - year(born) > {personal_code.MAX_AGE_YEARS}
                        THEN 'implausible_birth_date'
                   WHEN (1101 - ({check_sum})) % 11 % 10 <> CAST(substr(d, 11, 1) AS INTEGER)
                        THEN 'bad_check_digit'
                   ELSE 'valid'
               END AS status
        FROM dated
    )
    SELECT raw_code,
           CASE WHEN status = 'valid'
                THEN 'P' || left({_hmac_sql("'pk:' || d")}, {n})
                ELSE 'L' || left({_hmac_sql("'local:' || $source || ':' || code")}, {n})
           END AS person_id,
           status AS person_id_status,
           CASE WHEN status = 'valid' AND NOT is_new_code THEN year(born) END AS birth_year_from_code
    FROM (SELECT *, regexp_full_match(code, '3[2-9][0-9]{{4}}-?[0-9]{{5}}') AS is_new_code FROM checked)
    """


def create_code_map(con: duckdb.DuckDBPyConnection, key: bytes, source: str, column: str,
                    table: str = "delivered") -> None:
    """Drop-in for Loader._pseudonymise's body: creates `code_map_t` in the in-memory connection."""
    con.execute(f"CREATE TABLE code_map_t AS {code_map_sql(table, column)}",
                {**hmac_pads(key), "source": source})


# --- self-check ---------------------------------------------------------------------------------

def _sample_codes(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = rng.random()
        birth = dt.date(1925, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 92))
        code = personal_code.make_old_code(min(birth, dt.date(2017, 6, 30)), rng.randrange(1000), hyphen=rng.random() < .7)
        if kind < 0.10:
            code = f"3{rng.randrange(2, 10)}{rng.randrange(10**4):04d}-{rng.randrange(10**5):05d}"
        elif kind < 0.13:  # wrong check digit
            code = code[:-1] + str((int(code[-1]) + 1) % 10)
        elif kind < 0.15:  # impossible date / century
            code = "31" + "02" + code[4:] if rng.random() < .5 else code[:7] + "5" + code[8:]
        elif kind < 0.17:
            code = code[:-2]  # bad format
        elif kind < 0.18:
            code = " " + code + " "
        out.append(code)
    return out + ["", "   ", "310200-10000", "010100-00000", "32ABCD-12345"]


def main() -> int:
    key = b"benchmark-only-pseudonym-key-not-a-secret"
    codes = _sample_codes(int(sys.argv[1]) if len(sys.argv) > 1 else 300_000)
    con = duckdb.connect()
    con.execute("CREATE TABLE delivered (personal_code VARCHAR)")
    con.executemany("INSERT INTO delivered VALUES (?)", [[c] for c in codes[:1000]]) if len(codes) < 1000 else \
        con.execute("INSERT INTO delivered SELECT * FROM (SELECT unnest($codes))", {"codes": codes})
    t = time.perf_counter()
    create_code_map(con, key, "ambulance_calls", "personal_code")
    sql_s = time.perf_counter() - t
    got = {r[0]: r[1:] for r in con.execute("SELECT * FROM code_map_t").fetchall()}
    distinct = sorted(set(codes))
    t = time.perf_counter()
    want = {}
    for raw in distinct:
        check = personal_code.validate(raw)
        if check.is_valid:
            want[raw] = (pseudonym(key, check.normalized), check.status, check.birth_date.year if check.birth_date else None)
        else:
            want[raw] = (local_pseudonym(key, "ambulance_calls", raw), check.status, None)
    py_s = time.perf_counter() - t
    diff = [(r, got.get(r), w) for r, w in want.items() if got.get(r) != w]
    print(f"{len(distinct):,} distinct codes: Python {py_s:.2f} s, SQL {sql_s:.2f} s "
          f"({py_s / sql_s:.1f}× faster); mismatches: {len(diff)}")
    for d in diff[:5]:
        print("  mismatch (status only shown):", d[1] and d[1][1], "vs", d[2][1])
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
