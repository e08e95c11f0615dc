"""Personal code → pseudonym mapping computed inside the in-memory DuckDB that holds the delivery.

This is the loader's fast path for `personal_code.validate` + `pseudonym.pseudonym` /
`local_pseudonym`: vectorised, on every core, instead of ~8 µs of Python per distinct code
(44 % of load time at national scale; docs/performance.md). `tests/test_code_map.py` holds it
equal to the Python reference on every fault type. HMAC-SHA256 is built from DuckDB's
`sha256(BLOB)` (RFC 2104: SHA256((k ⊕ opad) ‖ SHA256((k ⊕ ipad) ‖ m))); the key only enters as
two BLOB parameters of a prepared statement, in the in-memory connection, never as SQL text.
"""

from __future__ import annotations

import hashlib

import duckdb

from ingestion import personal_code
from ingestion.pseudonym import PSEUDONYM_LENGTH
from ingestion.rules import quoted

SHA256_BLOCK = 64


def hmac_pads(key: bytes) -> dict[str, bytes]:
    padded = (hashlib.sha256(key).digest() if len(key) > SHA256_BLOCK else key).ljust(SHA256_BLOCK, b"\0")
    return {"ipad": bytes(b ^ 0x36 for b in padded), "opad": bytes(b ^ 0x5C for b in padded)}


def _hmac_hex(message_sql: str) -> str:
    # encode(): UTF-8 bytes of any text (CAST(... AS BLOB) raises on non-ASCII, quoting the value)
    return f"sha256($opad || unhex(sha256($ipad || encode({message_sql}))))"


def code_map_sql(table: str, column: str) -> str:
    """SELECT raw_code, person_id, person_id_status, birth_year_from_code per distinct code."""
    # digit i (1-11) of the 11-digit number n is n // 10^(11 - i) % 10: integer arithmetic, no substrings
    digit = lambda i: f"(n // {10 ** (11 - i)} % 10)"  # noqa: E731
    check_sum = " + ".join(f"{w} * {digit(i + 1)}" for i, w in enumerate(personal_code.WEIGHTS))
    blank = personal_code.re2_class(personal_code.SPACES + personal_code.ZERO_WIDTH)
    shape = "[0-9]{6}" + personal_code.re2_class(personal_code.SEPARATORS) + "?[0-9]{5}"
    return f"""
    WITH codes AS (
        SELECT DISTINCT {quoted(column)} AS raw_code FROM {table} WHERE {quoted(column)} IS NOT NULL
    ), plain AS (  -- the usual shape, 11 digits with or without an ASCII hyphen: no regular expression rewrites
        SELECT raw_code, regexp_full_match(raw_code, '[0-9]{{6}}-?[0-9]{{5}}') AS is_plain FROM codes
    ), stripped AS (
        SELECT raw_code, is_plain,
               CASE WHEN is_plain THEN raw_code ELSE regexp_replace(raw_code, '^{blank}+|{blank}+$', '', 'g') END AS code
        FROM plain
    ), digits AS (
        SELECT raw_code, code,
               CASE WHEN is_plain THEN replace(code, '-', '')
                    WHEN regexp_full_match(code, '{shape}') THEN regexp_replace(code, '[^0-9]', '', 'g') END AS d
        FROM stripped
    ), shaped AS (
        SELECT raw_code, code, d, coalesce(regexp_full_match(d, '3[2-9][0-9]{{9}}'), false) AS is_new,
               d IS NOT NULL AS is_old, CAST(d AS BIGINT) AS n
        FROM digits
    ), dated AS (  -- DDMMYY, then the century digit: 0 = 1800s, 1 = 1900s, 2 = 2000s; no make_date that can raise
        SELECT *,
               CASE WHEN is_old AND NOT is_new AND {digit(7)} <= 2 AND n // 10000000 % 100 BETWEEN 1 AND 12
                         AND n // 1000000000 >= 1
                         AND n // 1000000000 <= day(last_day(make_date(year_of_code, greatest(1, least(12, month_of_code)), 1)))
                    THEN make_date(year_of_code, month_of_code, CAST(n // 1000000000 AS INTEGER))
               END AS born
        FROM (SELECT *, CAST(1800 + 100 * {digit(7)} + n // 100000 % 100 AS INTEGER) AS year_of_code,
                        CAST(n // 10000000 % 100 AS INTEGER) AS month_of_code FROM shaped)
    ), checked AS (
        SELECT raw_code, code, d, n, born, is_new,
               CASE
                   WHEN code = '' THEN '{personal_code.MISSING}'
                   WHEN is_new THEN '{personal_code.VALID}'
                   WHEN NOT is_old THEN '{personal_code.BAD_FORMAT}'
                   WHEN born IS NULL OR born > least(current_date, DATE '{personal_code.LAST_OLD_FORMAT_BIRTH}')
                        OR year(current_date) - year(born) > {personal_code.MAX_AGE_YEARS}
                        THEN '{personal_code.IMPLAUSIBLE_BIRTH_DATE}'
                   WHEN (1101 - ({check_sum})) % 11 % 10 <> n % 10
                        THEN '{personal_code.BAD_CHECK_DIGIT}'
                   ELSE '{personal_code.VALID}'
               END AS status
        FROM dated
    )
    SELECT raw_code,
           CASE WHEN status = '{personal_code.VALID}'
                THEN 'P' || left({_hmac_hex("'pk:' || d")}, {PSEUDONYM_LENGTH})
                ELSE 'L' || left({_hmac_hex("'local:' || $source || ':' || code")}, {PSEUDONYM_LENGTH})
           END AS person_id,
           status AS person_id_status,
           CASE WHEN status = '{personal_code.VALID}' AND NOT is_new THEN CAST(year(born) AS INTEGER) END
               AS birth_year_from_code
    FROM checked
    """


def create_code_map(
    con: duckdb.DuckDBPyConnection,
    key: bytes,
    source: str,
    column: str,
    table: str = "delivered",
    target: str = "code_map_t",
) -> None:
    """Create `target` (raw_code → person_id, status, birth year) in the in-memory connection."""
    con.execute(
        f"CREATE OR REPLACE TABLE {target} AS {code_map_sql(table, column)}", {**hmac_pads(key), "source": source}
    )
