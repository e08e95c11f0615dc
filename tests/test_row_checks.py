"""The row rules in few passes (issue 17): which rows do not load, under which rule, on hand-made rows.

Duplicate rows and repeated keys are looked for only among rows whose key occurs more than once;
these cases pin down that the answer is the same as numbering every row: an identical row is a
duplicate_row even when it also fails a rule, a repeated key is a duplicate_key only against rows
that pass every other rule, and the reasons name the right earlier line.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from ingestion.code_map import create_code_map
from ingestion.contracts import all_contracts
from ingestion.personal_code import make_old_code
from ingestion.row_checks import check_rows

CALLS = all_contracts()["ambulance_calls"]
KEY = b"row-checks-key"
CODE_A = make_old_code(dt.date(1970, 3, 14), 123)
CODE_B = make_old_code(dt.date(1985, 7, 2), 432)
DELIVERED_ON = dt.date(2023, 2, 1)

# (line, call_id, personal_code, call_date, municipality_atvk, urgency, outcome, no_fixed_address)
ROWS = [
    (2, "C1", CODE_A, "03.01.2022", "0001000", "A", "atteikums", "nē"),
    (3, "C1", CODE_A, "03.01.2022", "0001000", "A", "atteikums", "nē"),  # identical to line 2
    (4, "C1", CODE_A, "03.01.2022", "0001000", "A", "miris", "nē"),  # same key, other content
    (5, "C2", CODE_B, "31.02.2022", "0001000", "B", "atteikums", "jā"),  # no 31 February
    (6, "C2", CODE_B, "31.02.2022", "0001000", "B", "atteikums", "jā"),  # identical to line 5, also bad
    (7, "C2", CODE_B, "28.02.2022", "0001000", "B", "atteikums", "jā"),  # the key's first row that passes
    (8, "C3", CODE_A, "04.01.2022", "0040000", "C", "atteikums", None),
    (9, "C3", CODE_A, "04.01.2022", "0040000", "X", "atteikums", None),  # unknown urgency (optional): key repeated
    (10, "C4", CODE_B, "05.01.2022", "0040000", None, "miris", "nē"),
    (11, "C5", CODE_B, "06.01.2022", "0040000", "Z", "miris", "varbūt"),  # two bad optional fields: loads
    (12, "C6", CODE_A, "07.01.2022", "0040000", "A", "aizbēga", "nē"),  # unknown outcome (required)
]


def _checked(rows: list[tuple]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    names = ", ".join(f'"{c.name}" VARCHAR' for c in CALLS.columns)
    con.execute(f"CREATE TABLE delivered_all (_line BIGINT, {names})")
    con.executemany(f"INSERT INTO delivered_all VALUES ({', '.join('?' * (len(CALLS.columns) + 1))})", rows)
    con.execute("CREATE VIEW delivered AS SELECT * FROM delivered_all")
    create_code_map(con, KEY, CALLS.source, "personal_code")
    check_rows(con, CALLS, DELIVERED_ON)
    return con


def test_each_row_that_does_not_load_has_its_first_rule_and_the_earlier_line() -> None:
    con = _checked(ROWS)
    quarantined = con.execute("SELECT _line, _rule, _rule_column, _reason FROM quarantined ORDER BY _line").fetchall()
    assert quarantined == [
        (3, "duplicate_row", None, "identical to line 2"),
        (4, "duplicate_key", "call_id", "primary key C1 already on line 2"),
        (5, "invalid_date", "call_date", "'Izsaukuma datums' = '31.02.2022' is not a date in DD.MM.YYYY"),
        (6, "duplicate_row", None, "identical to line 5"),
        (9, "duplicate_key", "call_id", "primary key C3 already on line 8"),
        (12, "unknown_code", "outcome", "'Rezultāts' = 'aizbēga' is not in the code list"),
    ]


def test_an_invalid_optional_value_is_set_to_null_and_listed_without_the_value() -> None:
    con = _checked(ROWS)
    loaded = con.execute("""SELECT _line, urgency, no_fixed_address FROM checked
                            WHERE _rule_no IS NULL AND _line NOT IN (SELECT _line FROM repeated) AND _line >= 11""").fetchall()
    assert loaded == [(11, None, None)]
    issues = con.execute("SELECT _line, _rule_column, _rule, _reason FROM field_issues ORDER BY ALL").fetchall()
    assert issues == [  # line 9 does not load (repeated key): its urgency is no field issue
        (11, "no_fixed_address", "invalid_boolean", "'Adrese nav zināma' is not jā/nē; set to unknown, the row loaded"),
        (11, "urgency", "unknown_code", "'Steidzamība' is not in the code list; set to unknown, the row loaded"),
    ]
    assert all("Z" not in reason and "varbūt" not in reason for *_, reason in issues)


def test_the_rows_that_load_are_the_rest_typed_once() -> None:
    con = _checked(ROWS)
    loaded = con.execute("""SELECT _line, call_date, no_fixed_address FROM checked
                            WHERE _rule_no IS NULL AND _line NOT IN (SELECT _line FROM repeated)
                            ORDER BY _line""").fetchall()
    assert loaded == [
        (2, dt.date(2022, 1, 3), False),
        (7, dt.date(2022, 2, 28), True),
        (8, dt.date(2022, 1, 4), None),
        (10, dt.date(2022, 1, 5), False),
        (11, dt.date(2022, 1, 6), None),
    ]


def test_a_file_whose_keys_are_unique_has_no_repeated_rows() -> None:
    con = _checked([ROWS[0], ROWS[5], ROWS[6], ROWS[8]])  # lines 2, 7, 8, 10
    assert con.execute("SELECT count(*) FROM repeated").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM quarantined").fetchone() == (0,)


def test_no_table_holds_the_raw_code_and_quarantined_values_carry_the_pseudonym() -> None:
    con = _checked(ROWS)
    con.execute("DROP VIEW delivered")
    con.execute("DROP TABLE delivered_all")
    con.execute("DROP TABLE code_map_t")
    for (table,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall():
        text = " ".join(str(row) for row in con.execute(f"SELECT * FROM {table}").fetchall())
        assert CODE_A not in text and CODE_B not in text, table
    values = con.execute("SELECT _row_values FROM quarantined WHERE _line = 3").fetchone()[0]
    assert '"person_id":"P' in values.replace(" ", "")
