"""Personal codes for millions of synthetic persons, built with numpy.

A code is kept as an int64 of its 11 digits (cheap to hold for a whole population) and
only turned into delivered text for the rows of a file. The check digit follows
`ingestion.personal_code.check_digit`; a test proves the two agree.
"""

from __future__ import annotations

import numpy as np

from ingestion.personal_code import LAST_OLD_FORMAT_BIRTH, WEIGHTS

_POW10 = 10 ** np.arange(10, -1, -1, dtype=np.int64)  # digit d1..d11 of an 11-digit number
_WEIGHTS = np.asarray(WEIGHTS, dtype=np.int64)
LAST_OLD_FORMAT_DAY = np.datetime64(LAST_OLD_FORMAT_BIRTH, "D")


def digits_of(codes: np.ndarray) -> np.ndarray:
    """(n, 11) matrix of the digits of 11-digit codes."""
    return (np.asarray(codes, dtype=np.int64)[:, None] // _POW10) % 10


def check_digits(first_ten: np.ndarray) -> np.ndarray:
    """Old-format check digits for an (n, 10) digit matrix: P = (1101 - S) % 11 % 10."""
    total = np.asarray(first_ten, dtype=np.int64) @ _WEIGHTS
    return (1101 - total) % 11 % 10


def old_codes(birth: np.ndarray, serial: np.ndarray, chunk: int = 1_000_000) -> np.ndarray:
    """Valid old-format codes (int64) for birth dates (datetime64[D]) and serials 0-999.

    Worked in chunks: the digit matrix of a whole large population would not fit in memory.
    """
    birth = np.asarray(birth, dtype="datetime64[D]")
    serial = np.asarray(serial, dtype=np.int64)
    if birth.size > chunk:
        return np.concatenate(
            [old_codes(birth[i : i + chunk], serial[i : i + chunk], chunk) for i in range(0, birth.size, chunk)]
        )
    years = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    months = birth.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (birth - birth.astype("datetime64[M]")).astype(np.int64) + 1
    century = (years - 1800) // 100
    prefix = (((days * 100 + months) * 100 + years % 100) * 10 + century) * 1000 + serial
    ten = (prefix[:, None] // _POW10[1:]) % 10
    return prefix * 10 + check_digits(ten)


def new_codes(rng: np.random.Generator, n: int, taken: set[int] | None = None) -> np.ndarray:
    """Distinct new-format codes `32` + 9 random digits (no check digit is documented)."""
    out = np.empty(0, dtype=np.int64)
    taken = taken or set()
    while out.size < n:
        draw = 32_000_000_000 + rng.integers(0, 1_000_000_000, size=n - out.size + 16, dtype=np.int64)
        out = np.unique(np.concatenate([out, draw]))
        if taken:
            out = out[~np.isin(out, np.fromiter(taken, dtype=np.int64))]
    return rng.permutation(out)[:n]


def format_codes(codes: np.ndarray, hyphen: np.ndarray) -> np.ndarray:
    """Delivered text of codes: `DDMMYY-CNNNP` where `hyphen`, else 11 plain digits."""
    codes = np.asarray(codes, dtype=np.int64)
    hyphen = np.asarray(hyphen, dtype=bool)
    chars = np.zeros((codes.size, 12), dtype=np.uint32)
    d = (digits_of(codes) + ord("0")).astype(np.uint32)
    chars[:, :11] = d
    chars[hyphen, 6] = ord("-")
    chars[hyphen, 7:12] = d[hyphen, 6:11]
    return np.ascontiguousarray(chars).view("<U12").ravel().astype(object)


def serials_within_day(birth: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Serials 0-999 distinct among persons sharing a birth date (so codes never collide)."""
    birth = np.asarray(birth, dtype="datetime64[D]").astype(np.int64)
    order = np.lexsort((rng.random(birth.size), birth))
    sorted_birth = birth[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_birth)) + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, birth.size]))
    rank = np.arange(birth.size) - group_start
    if rank.max(initial=0) >= 1000:
        raise ValueError("more than 1000 persons born on one day: lower the scale")
    offset = rng.integers(0, 1000, size=starts.size)
    serial = np.empty(birth.size, dtype=np.int64)
    serial[order] = (np.repeat(offset, np.diff(np.r_[starts, birth.size])) + rank * 337) % 1000
    return serial


def is_new_format_birth(birth: np.ndarray) -> np.ndarray:
    """Persons born after 30 June 2017 can only hold a new-format code."""
    return np.asarray(birth, dtype="datetime64[D]") > LAST_OLD_FORMAT_DAY


def numbered(prefix: str, first: int, n: int, width: int) -> np.ndarray:
    """Sequential identifiers `prefix` + zero-padded numbers, built without a Python loop."""
    numbers = np.arange(first, first + n, dtype=np.int64)
    if n and numbers[-1] >= 10**width:
        raise ValueError(f"{prefix}: more than {10**width - 1} identifiers")
    chars = np.empty((n, len(prefix) + width), dtype=np.uint32)
    chars[:, : len(prefix)] = np.frombuffer(prefix.encode("utf-32-le"), dtype=np.uint32)
    chars[:, len(prefix) :] = (numbers[:, None] // 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)) % 10 + ord("0")
    return np.ascontiguousarray(chars).view(f"<U{len(prefix) + width}").ravel().astype(object)
