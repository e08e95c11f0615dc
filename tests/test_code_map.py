"""The loader's SQL code map gives exactly what the Python reference gives, for every kind of code."""

import datetime as dt
import random

import duckdb
import pytest

from ingestion import personal_code
from ingestion.code_map import create_code_map
from ingestion.pseudonym import local_pseudonym, pseudonym

KEY = b"test-key-for-equivalence"
HAND_PICKED = [
    "150785-12340",
    "161175-19997",
    "16117519997",
    "111111-11111",
    "32503511782",
    "325035-11782",
    "39000000000",
    "150785-12341",
    "161175-19990",
    "310285-12345",
    "150785-32340",
    "030200-10876",
    "010118-20000",
    "31000000000",
    "15078512",
    "abcdef-12345",
    "302503511782",
    "32ABCD-12345",
    "010190-10010",
    "290200-10000",
]


def generated_codes(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    codes = []
    for _ in range(n):
        birth = dt.date(1915, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 102))
        code = personal_code.make_old_code(
            min(birth, dt.date(2017, 6, 30)), rng.randrange(1000), hyphen=rng.random() < 0.7
        )
        fault = rng.random()
        if fault < 0.1:
            code = f"3{rng.randrange(2, 10)}{rng.randrange(10**4):04d}-{rng.randrange(10**5):05d}"
        elif fault < 0.2:
            code = code[:-1] + str((int(code[-1]) + 1) % 10)
        elif fault < 0.25:
            code = "3102" + code[4:]
        elif fault < 0.3:
            code = code[:6] + "-" + str(rng.randrange(3, 10)) + code[-4:]
        elif fault < 0.35:
            code = code[:-2]
        codes.append(code)
    return codes


def python_reference(raw: str, source: str) -> tuple[str, str, int | None]:
    check = personal_code.validate(raw)
    if check.is_valid:
        return pseudonym(KEY, check.normalized), check.status, check.birth_date.year if check.birth_date else None
    return local_pseudonym(KEY, source, raw), check.status, None


def date_edges() -> list[str]:
    """Codes on every edge of the birth date inside them (day 00/29/31/32, month 00/02/13, century 0-3),
    each with its right check digit, so only the date decides between valid and implausible."""
    codes = []
    for day in ("00", "01", "28", "29", "30", "31", "32"):
        for month in ("00", "01", "02", "04", "12", "13"):
            for year in ("00", "17", "99"):
                for century in "0123":
                    ten = f"{day}{month}{year}{century}000"
                    codes.append(f"{ten[:6]}-{ten[6:]}{personal_code.check_digit(ten)}")
    return codes


@pytest.mark.parametrize("codes", [HAND_PICKED, generated_codes(20_000, seed=1)], ids=["hand-picked", "generated"])
def test_sql_code_map_equals_the_python_reference(codes):
    con = duckdb.connect()
    con.execute("CREATE TABLE delivered AS SELECT unnest($codes) AS personal_code", {"codes": codes})
    create_code_map(con, KEY, "ambulance_calls", "personal_code")
    got = {raw: (pid, status, year) for raw, pid, status, year in con.execute("SELECT * FROM code_map_t").fetchall()}
    assert set(got) == set(codes)
    mismatches = [raw for raw in got if got[raw] != python_reference(raw, "ambulance_calls")]
    assert mismatches == []
    statuses = {status for _, status, _ in got.values()}
    assert {"valid", "bad_check_digit", "implausible_birth_date", "bad_format"} <= statuses


def test_birth_dates_on_every_edge_decide_as_the_python_reference_does():
    con = duckdb.connect()
    codes = date_edges()
    con.execute("CREATE TABLE delivered AS SELECT unnest($codes) AS personal_code", {"codes": codes})
    create_code_map(con, KEY, "ambulance_calls", "personal_code")
    got = {raw: (pid, status, year) for raw, pid, status, year in con.execute("SELECT * FROM code_map_t").fetchall()}
    assert [raw for raw in codes if got[raw] != python_reference(raw, "ambulance_calls")] == []
    assert {status for _, status, _ in got.values()} == {"valid", "implausible_birth_date"}
