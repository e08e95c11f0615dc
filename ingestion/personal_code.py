"""Validation of Latvian personal codes (personas kods).

Old format `DDMMYY-CNNNP` (issued until 30 June 2017): birth date, century digit
(0 = 1800s, 1 = 1900s, 2 = 2000s), serial and a check digit with weights 1,6,3,7,9,10,5,8,4,2:
P = (1101 - S) mod 11, where a remainder of 10 is taken as 0 (python-stdnum and
java-personal-code; see shared/reference/personal-code.md). New format (from 1 July 2017):
`3[2-9]XXXX-XXXXX`, random digits, no birth date and no documented check digit.

Separators: a code is accepted with one separator between its 6th and 7th digit that is a
hyphen or any Unicode dash (en dash, em dash, minus, …) or space (incl. the non-breaking and
narrow spaces), or a zero-width character, as Word and Excel autocorrect a hyphen; surrounding
white space is ignored. `SEPARATORS` and `SPACES` are the exact sets; `code_map.py` (the loader's
SQL path) and `guard.py` (masking codes outside the code column) use the same sets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

WEIGHTS = (1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: Dashes: hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar,
#: minus sign, small and full-width hyphen-minus.
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
#: White space, including the non-breaking, figure, narrow and other typographic spaces.
SPACES = " \t\r\n\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
#: Zero-width characters that a copy from a web page or a document can put inside a code.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
SEPARATORS = DASHES + SPACES + ZERO_WIDTH
_SEP = "[" + re.escape(SEPARATORS) + "]"


def re2_class(chars: str) -> str:
    """A character class for DuckDB's RE2 regular expressions, every character escaped as \\x{…}."""
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in chars) + "]"


CODE_SHAPE = re.compile(r"^([0-9]{6})" + _SEP + r"?([0-9]{5})$")
OLD_FORMAT = re.compile(r"^([0-9]{6})-?([0-9]{5})$")
NEW_FORMAT = re.compile(r"^3[2-9][0-9]{4}-?[0-9]{5}$")
LAST_OLD_FORMAT_BIRTH = date(2017, 6, 30)
MAX_AGE_YEARS = 115

VALID = "valid"
MISSING = "missing"
BAD_FORMAT = "bad_format"
BAD_CHECK_DIGIT = "bad_check_digit"
IMPLAUSIBLE_BIRTH_DATE = "implausible_birth_date"
STATUSES = (VALID, MISSING, BAD_FORMAT, BAD_CHECK_DIGIT, IMPLAUSIBLE_BIRTH_DATE)


@dataclass(frozen=True)
class CodeCheck:
    status: str
    normalized: str | None = None  # 11 digits, no hyphen; only when status is valid
    birth_date: date | None = None  # old format only
    new_format: bool = False

    @property
    def is_valid(self) -> bool:
        return self.status == VALID


def check_digit(first_ten_digits: str) -> int:
    """The old-format check digit of the first ten digits."""
    total = sum(w * int(d) for w, d in zip(WEIGHTS, first_ten_digits, strict=True))
    return (1101 - total) % 11 % 10


def _birth_date(digits: str) -> date | None:
    day, month, yy, century = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    if century > 2:
        return None
    try:
        return date(1800 + 100 * century + yy, month, day)
    except ValueError:
        return None


def strip_spaces(raw: str) -> str:
    """The delivered value without surrounding white space or zero-width characters."""
    return raw.strip(SPACES + ZERO_WIDTH)


def digits_of(raw: str) -> str | None:
    """The 11 digits of a value shaped like a code (any one separator in the middle), else None."""
    match = CODE_SHAPE.match(strip_spaces(raw))
    return match.group(1) + match.group(2) if match else None


def validate(raw: str | None, today: date | None = None) -> CodeCheck:
    """Format, check digit and a plausible birth date, for either format."""
    if raw is None or not strip_spaces(raw):
        return CodeCheck(MISSING)
    digits = digits_of(raw)
    if digits is None:
        return CodeCheck(BAD_FORMAT)
    if NEW_FORMAT.match(digits):
        return CodeCheck(VALID, digits, None, True)
    born = _birth_date(digits)
    today = today or date.today()
    if born is None or born > min(today, LAST_OLD_FORMAT_BIRTH) or today.year - born.year > MAX_AGE_YEARS:
        return CodeCheck(IMPLAUSIBLE_BIRTH_DATE)
    if check_digit(digits[:10]) != int(digits[10]):
        return CodeCheck(BAD_CHECK_DIGIT)
    return CodeCheck(VALID, digits, born, False)


def make_old_code(birth: date, serial: int, hyphen: bool = True) -> str:
    """A valid old-format code for a birth date and a serial 0-999 (used by the generator and tests)."""
    century = (birth.year - 1800) // 100
    prefix = f"{birth:%d%m}{birth.year % 100:02d}{century}{serial:03d}"
    code = prefix + str(check_digit(prefix))
    return f"{code[:6]}-{code[6:]}" if hyphen else code
