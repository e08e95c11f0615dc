"""Properties of the readers and the loader under random input (Hypothesis, bounded and fast).

Whatever a file holds: the loader never crashes (a file loads or is rejected with a receipt, never
fails with an engine error), every row read is accounted for (read = loaded + quarantined, and
the warehouse holds exactly those rows), and no personal code put anywhere in the file appears in
any table, receipt or log line.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import tempfile
from datetime import date, timedelta
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingestion.contracts import all_contracts
from ingestion.loader import Loader
from ingestion.personal_code import make_old_code

KEY = b"property-key"
CONTRACTS = all_contracts()
STAYS = CONTRACTS["shelter_stays"]
COUNTS = CONTRACTS["shelter_counts"]  # the XLSX source
FAST = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_WORKDIR = Path(tempfile.mkdtemp(prefix="hm-property-"))
_LOADER = Loader(_WORKDIR / "property.duckdb", KEY)


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def _load(name: str, data: bytes, contract):
    """Load one file into the shared warehouse; return (receipt, log lines, receipt file text)."""
    inbox = Path(tempfile.mkdtemp(dir=_WORKDIR))
    path = inbox / name
    path.write_bytes(data)
    handler = _Lines()
    logger = logging.getLogger("homeless_monitor")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        receipt = _LOADER.load_file(path, contract)
    finally:
        logger.removeHandler(handler)
    # a file whose bytes were loaded before (Hypothesis may draw or replay the same file) is skipped and
    # gets no receipt file of its own: its receipt is in ingest.receipts
    written = path.with_name(name + ".receipt.json")
    if receipt.status == "skipped_already_loaded":
        assert not written.exists()
        return receipt, handler.lines, ""
    return receipt, handler.lines, written.read_text(encoding="utf-8")


def _assert_accounted(receipt, contract) -> None:
    assert receipt.status in {"loaded", "rejected", "skipped_already_loaded"}
    assert not (receipt.reason or "").startswith("load_error"), receipt.reason  # never an engine failure
    if receipt.status == "skipped_already_loaded":
        # the same bytes were loaded before (Hypothesis may draw a file twice): nothing new is written,
        # and the earlier load of that SHA-256 is on record
        with duckdb.connect(str(_LOADER.warehouse), read_only=True) as con:
            earlier = con.execute(
                "SELECT count(*) FROM ingest.receipts WHERE file_sha256 = ? AND status = 'loaded'",
                [receipt.file_sha256],
            ).fetchone()[0]
        assert earlier >= 1 and receipt.rows_loaded == 0
        return
    with duckdb.connect(str(_LOADER.warehouse), read_only=True) as con:
        raw = con.execute(
            f"SELECT count(*) FROM {contract.raw_table} WHERE _load_id = ?", [receipt.load_id]
        ).fetchone()[0]
        quarantined = con.execute(
            "SELECT count(*) FROM ingest.quarantine WHERE load_id = ?", [receipt.load_id]
        ).fetchone()[0]
        stored = con.execute(
            "SELECT count(*) FROM ingest.receipts WHERE load_id = ? AND file_name = ?",
            [receipt.load_id, receipt.file_name],
        ).fetchone()[0]
    assert stored >= 1  # every file gets a receipt
    if receipt.status == "loaded":
        assert receipt.rows_read == receipt.rows_loaded + receipt.rows_quarantined
        assert (raw, quarantined) == (receipt.rows_loaded, receipt.rows_quarantined)
    else:
        assert (raw, quarantined, receipt.rows_loaded) == (0, 0, 0)


# --- random bytes at every reader ---------------------------------------------------------------

HEADER_BYTES = ";".join(c.header for c in STAYS.columns).encode("cp1257") + b"\r\n"


@FAST
@given(st.binary(max_size=3000), st.booleans())
def test_random_bytes_never_crash_the_csv_reader_and_every_row_is_accounted_for(data, with_header):
    receipt, _, _ = _load("patversmes_uzturesanas_2024.csv", (HEADER_BYTES if with_header else b"") + data, STAYS)
    _assert_accounted(receipt, STAYS)


@FAST
@given(st.binary(max_size=3000), st.sampled_from([b"", b"PK\x03\x04"]))
def test_random_bytes_never_crash_the_xlsx_reader(data, prefix):
    receipt, _, _ = _load("patversmju_parskats_2024.xlsx", prefix + data, COUNTS)
    _assert_accounted(receipt, COUNTS)


# --- random rows with personal codes anywhere --------------------------------------------------

SEPARATORS = ["-", "\u2013", "\u2014", " ", "\u00a0", ""]
TEXT = st.text(alphabet="abzĀāŠšŽž 0123456789.,;:\"'-–—\u00a0\t\n/", max_size=20)


@st.composite
def personal_codes(draw) -> str:
    if draw(st.booleans()):
        born = date(1920, 1, 1) + timedelta(days=draw(st.integers(0, 30000)))
        code = make_old_code(born, draw(st.integers(0, 999)), hyphen=False)
    else:
        code = "32" + "".join(str(d) for d in draw(st.lists(st.integers(0, 9), min_size=9, max_size=9)))
    return code[:6] + draw(st.sampled_from(SEPARATORS)) + code[6:]


def _valid_value(column) -> st.SearchStrategy[str]:
    if column.type == "code":
        return st.sampled_from(sorted(column.codes))
    if column.type == "date":
        return st.dates(date(2015, 1, 1), date(2024, 12, 31)).map(lambda d: d.strftime("%d.%m.%Y"))
    if column.type == "integer":
        return st.integers(1900, 2025).map(str)
    return st.text(alphabet="ABCPS0123456789", min_size=1, max_size=8)


@st.composite
def stay_files(draw):
    """Rows of shelter stays: valid values, random text, and personal codes in random columns."""
    codes: list[str] = []
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        row = []
        for column in STAYS.columns:
            kind = draw(st.sampled_from(["valid", "valid", "text", "code", "empty"]))
            if kind == "code" or column.type == "personal_code" and kind == "valid":
                code = draw(personal_codes())
                codes.append(code)
                prefix = draw(st.sampled_from(["", "ID ", "x-"]))
                row.append(code if column.type == "personal_code" else prefix + code)
            elif kind == "text":
                row.append(draw(TEXT))
            elif kind == "empty":
                row.append("")
            else:
                row.append(draw(_valid_value(column)))
        rows.append(row)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator=draw(st.sampled_from(["\r\n", "\n"])))
    writer.writerow([c.header for c in STAYS.columns])
    writer.writerows(rows)
    return buffer.getvalue().encode("cp1257"), codes


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


@FAST
@given(stay_files())
def test_random_rows_are_accounted_for_and_no_personal_code_is_stored_or_logged(file_and_codes):
    data, codes = file_and_codes
    receipt, log_lines, receipt_file = _load("patversmes_uzturesanas_2024.csv", data, STAYS)
    _assert_accounted(receipt, STAYS)
    with duckdb.connect(str(_LOADER.warehouse), read_only=True) as con:
        stored = [
            json.dumps(
                con.execute(f"SELECT * FROM {STAYS.raw_table} WHERE _load_id = ?", [receipt.load_id]).fetchall(),
                default=str,
            ),
            json.dumps(
                con.execute("SELECT * FROM ingest.quarantine WHERE load_id = ?", [receipt.load_id]).fetchall(),
                default=str,
            ),
            json.dumps(
                con.execute("SELECT * FROM ingest.receipts WHERE load_id = ?", [receipt.load_id]).fetchall(),
                default=str,
            ),
        ]
    text = "\n".join(stored + log_lines + [receipt_file, repr(receipt)])
    compact = re.sub(r"[\s\-\u2010-\u2015]", "", text)  # separators gone: a code cannot hide behind one
    for code in codes:
        assert _digits(code) not in compact, code
