"""The personal-code guard: a code pasted into any column but the code column is masked at read time.

Providers paste personal codes into the wrong column (a stay id, a date, a comment). Every text
field of every delivery, except the contract's personal-code column (which is pseudonymised), is
scanned right after reading, in the in-memory DuckDB, before anything is stored, logged or
quoted; a match is replaced by `MASK` and counted on the receipt (`personal_codes_masked`).

The exact pattern (a match must not touch another digit on either side):

- 6 digits, then 1 to 3 separator characters, then 5 digits: any code written with a hyphen,
  any Unicode dash (en dash, em dash, minus, …), any space (incl. non-breaking and narrow
  spaces) or a zero-width character, or a combination such as " – " (`personal_code.SEPARATORS`);
- 11 digits without a separator, only where that is unambiguous: an old-format code shape
  `DDMMYYCNNNN` with day 01-31, month 01-12 and century digit 0-2, or a new-format code
  `3[2-9]` + 9 digits.

No date the contracts accept can match (dates are `DD.MM.YYYY`: a dot is not a separator), nor
can a number with a decimal comma or point, an ATVK code (7 digits) or any integer under 11
digits. An 11-digit number that fits the shapes above is masked (and then fails its number
rule): a false positive costs one quarantined row, a false negative a leaked code.
"""

from __future__ import annotations

import re

import duckdb

from ingestion.contracts import Contract
from ingestion.personal_code import SEPARATORS, re2_class
from ingestion.rules import quoted

MASK = "[personas kods]"

_OLD_PLAIN = "(?:0[1-9]|[12][0-9]|3[01])(?:0[1-9]|1[0-2])[0-9]{2}[0-2][0-9]{4}"
_NEW_PLAIN = "3[2-9][0-9]{9}"


def _code(separator_class: str) -> str:
    return f"(?:[0-9]{{6}}{separator_class}{{1,3}}[0-9]{{5}}|{_OLD_PLAIN}|{_NEW_PLAIN})"


#: RE2 (DuckDB): group 1 and 2 are the non-digit neighbours kept by the replacement.
FIND_SQL = f"(^|[^0-9]){_code(re2_class(SEPARATORS))}([^0-9]|$)"
REPLACE_SQL = "\\1" + MASK + "\\2"
#: The same pattern for Python text (log lines, messages, tests).
FIND = re.compile(r"(?<![0-9])" + _code("[" + re.escape(SEPARATORS) + "]") + r"(?![0-9])")


def mask_text(text: str) -> str:
    """`text` with every personal-code-shaped part replaced by MASK."""
    return FIND.sub(MASK, text)


def _masked_sql(column: str) -> str:
    q = quoted(column)
    once = f"regexp_replace({q}, '{FIND_SQL}', '{REPLACE_SQL}', 'g')"
    # twice: a code right after another one shares the neighbour the first match consumed
    twice = f"regexp_replace({once}, '{FIND_SQL}', '{REPLACE_SQL}', 'g')"
    return f"CASE WHEN regexp_matches({q}, '{FIND_SQL}') THEN {twice} ELSE {q} END AS {q}"


def mask_codes(con: duckdb.DuckDBPyConnection, contract: Contract, table: str = "delivered") -> int:
    """Mask codes outside the code column in `table` (the readers' view over `<table>_all`).

    Returns how many fields were masked. When nothing matches (the usual case) this costs one
    scan and no copy; otherwise `<table>_all` is rebuilt with the masked values.
    """
    code_column = contract.personal_code_column
    others = [c.name for c in contract.columns if c is not code_column]
    if not others:
        return 0
    row_text = "concat_ws(chr(31), " + ", ".join(quoted(n) for n in others) + ")"
    if con.execute(f"SELECT count(*) FROM {table} WHERE regexp_matches({row_text}, '{FIND_SQL}')").fetchone()[0] == 0:
        return 0
    hits = " + ".join(f"CAST(coalesce(regexp_matches({quoted(n)}, '{FIND_SQL}'), false) AS INTEGER)" for n in others)
    select = ", ".join(quoted(c.name) if c is code_column else _masked_sql(c.name) for c in contract.columns)
    con.execute(f"CREATE TABLE {table}_guarded AS SELECT _line, {select}, {hits} AS _masked FROM {table}")
    masked = con.execute(f"SELECT sum(_masked) FROM {table}_guarded").fetchone()[0] or 0
    con.execute(f"DROP VIEW {table}")
    con.execute(f"DROP TABLE {table}_all")
    con.execute(f"ALTER TABLE {table}_guarded RENAME TO {table}_all")
    con.execute(f"CREATE VIEW {table} AS SELECT * EXCLUDE (_masked) FROM {table}_all")
    return int(masked)
