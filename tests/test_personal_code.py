"""Personal-code validation, on hand-picked codes whose check digits are worked out in
shared/reference/personal-code.md (weights 1,6,3,7,9,10,5,8,4,2; P = (1101 - S) mod 11)."""

from datetime import date

import pytest

from ingestion.personal_code import check_digit, make_old_code, validate

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    "code, born",
    [
        ("150785-12340", date(1985, 7, 15)),  # S = 243, 858 mod 11 = 0
        ("161175-19997", date(1975, 11, 16)),  # python-stdnum's doctest value
        ("16117519997", date(1975, 11, 16)),  # the hyphen is optional
        ("111111-11111", date(1911, 11, 11)),
    ],
)
def test_valid_old_format_codes_give_their_birth_date(code, born):
    result = validate(code, TODAY)
    assert result.is_valid
    assert result.birth_date == born
    assert result.normalized == code.replace("-", "")


@pytest.mark.parametrize("code", ["32503511782", "325035-11782", "39000000000"])
def test_new_format_codes_are_valid_without_a_birth_date(code):
    result = validate(code, TODAY)
    assert result.is_valid and result.new_format and result.birth_date is None


@pytest.mark.parametrize(
    "code, status",
    [
        ("150785-12341", "bad_check_digit"),  # correct digit is 0
        ("161175-19990", "bad_check_digit"),  # correct digit is 7
        ("310285-12345", "implausible_birth_date"),  # 31 February
        ("150785-32340", "implausible_birth_date"),  # century digit 3 does not exist
        ("030200-10876", "implausible_birth_date"),  # check digit right, but born 1900: 126 years old
        ("010118-20000", "implausible_birth_date"),  # old format, born after 30 June 2017
        ("31000000000", "implausible_birth_date"),  # 31st of month 00
        ("15078512", "bad_format"),
        ("abcdef-12345", "bad_format"),
        ("302503511782", "bad_format"),  # 12 digits
        ("  ", "missing"),
        (None, "missing"),
    ],
)
def test_invalid_codes_are_named_by_what_is_wrong(code, status):
    assert validate(code, TODAY).status == status


def test_check_digit_matches_the_worked_examples():
    assert check_digit("1507851234") == 0
    assert check_digit("0302001087") == 6
    assert check_digit("2912992456") == 2
    assert check_digit("0101901001") == 0  # remainder 10 is taken as 0 (python-stdnum, java-personal-code)


def test_made_codes_validate():
    code = make_old_code(date(1970, 3, 9), 123)
    assert code.startswith("090370-1123")
    assert validate(code, TODAY).is_valid


# --- separators as Word and Excel type them (issue 12, defect 1) --------------------------------

UNICODE_SPELLINGS = [
    "161175\u201319997",
    "161175\u201419997",
    "161175\u00a019997",
    "161175 19997",
    "161175\u221219997",
    "\u00a0161175-19997\u200b",
    "161175\u2013\u201319997",
    "1611\u0100519997",
    "161175-19997\u017e",
    "325035\u201311782",
    "\u0663\u0662503511782",
    "161175-1999\x00",
]


@pytest.mark.parametrize("spelling", UNICODE_SPELLINGS[:5] + UNICODE_SPELLINGS[5:6])
def test_a_code_with_a_unicode_dash_or_space_is_the_same_valid_code(spelling):
    result = validate(spelling, TODAY)
    assert result.is_valid and result.normalized == "16117519997"


@pytest.mark.parametrize(
    "spelling",
    ["161175\u2013\u201319997", "1611\u0100519997", "161175-19997\u017e", "\u0663\u0662503511782", "161175-1999\x00"],
)
def test_two_separators_a_letter_or_a_non_latin_digit_is_a_bad_format(spelling):
    assert validate(spelling, TODAY).status == "bad_format"


def test_the_sql_code_map_agrees_with_python_on_every_unicode_spelling():
    import duckdb

    from ingestion.code_map import create_code_map
    from ingestion.pseudonym import local_pseudonym, pseudonym

    key = b"unicode-key"
    con = duckdb.connect()
    con.execute("CREATE TABLE delivered AS SELECT unnest($codes) AS personal_code", {"codes": UNICODE_SPELLINGS})
    create_code_map(con, key, "shelter_stays", "personal_code")  # raised ConversionException on non-ASCII before
    for raw, person_id, status, _year in con.execute("SELECT * FROM code_map_t").fetchall():
        check = validate(raw)
        expected = pseudonym(key, check.normalized) if check.is_valid else local_pseudonym(key, "shelter_stays", raw)
        assert (person_id, status) == (expected, check.status), raw
