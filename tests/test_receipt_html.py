"""The provider's HTML receipt: a summary by rule first, then the invalid personal codes with their line
numbers (never the code), optional fields loaded as empty, every quarantined line; hints that match the
contract's column types; a PDF renders offline. No delivered value anywhere on the page."""

from __future__ import annotations

import json
import re
from html import unescape

import duckdb
import pytest
from test_receipt_text import _receipt as plain_receipt

from ingestion.contracts import all_contracts
from ingestion.receipt_html import HTML_SUFFIX, hint, invalid_code_lines, line_ranges, render_html, write_html_receipt
from ingestion.receipt_text import CheckResult, QuarantinedLine

CODE = "010180-12345"  # a personal code as delivered (invalid check digit): it must never reach the page


def _receipt(**changes) -> dict:
    """The plain receipt's test receipt, for a police delivery with invalid personal codes."""
    police = dict(source="police_contacts", file_name="vp_kontakti_2024.csv", rows_read=2000, rows_loaded=1994)
    codes = {"bad_check_digit": 3, "bad_format": 1}
    return plain_receipt(**{**police, "rows_quarantined": 6, "invalid_personal_codes": codes, **changes})


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_line_ranges_list_every_line_compactly():
    assert line_ranges([12, 3, 7, 8, 9, 3]) == "3, 7–9, 12"
    assert line_ranges([]) == ""


def test_the_summary_by_rule_comes_first_most_frequent_first_with_the_first_lines():
    lines = [QuarantinedLine(n, "duplicate_row", None) for n in (40, 11, 95, 60)] + [
        QuarantinedLine(5, "invalid_date", "contact_date"),
        QuarantinedLine(8, "unknown_code", "contact_type"),
    ]
    html = render_html(
        _receipt(),
        lines,
        [CheckResult("quarantined_share_high", "error", "failed", "whole file")],
        code_lines={"bad_check_digit": [17, 18, 19], "bad_format": [1203]},
    )
    text = _text(html)
    summary = text.index("Summary by rule")
    assert summary < text.index("Invalid personal codes") < text.index("Quarantined lines")
    assert re.search(r"duplicate_row\s+4 .* 11, 40, 60, 95 invalid_date Datums 1 ", text[summary:])
    # the invalid codes: reason, count and every line number, never the code
    assert "the code's check digit does not match (probably a typing error) 3 " in text
    assert "17–19" in text and "1203" in text
    assert "quarantined_share_high" in text and "kļūda / error" in text


def test_hints_follow_the_contracts_column_types():
    clients = all_contracts()["hf_clients"]
    birth = hint("invalid_number", clients, "birth_year")
    assert birth.what_en == "column „Dzimšanas gads” is not a whole number"
    assert birth.fix_en == "write a whole number without separators or spaces (e.g. 1985); allowed 1900…2025"
    assert "decimal" not in birth.fix_en and "„,”" not in birth.fix_en
    years = hint("invalid_number", clients, "years_homeless")
    assert years.fix_en == "write a number, with „,” before the decimals (e.g. 12,5); allowed 0…80"
    assert hint("invalid_date", clients, "referral_date").fix_en == "write the date as DD.MM.YYYY"


def test_optional_fields_loaded_as_empty_are_listed_when_the_receipt_has_them():
    receipt = _receipt(
        field_issues_by_rule={"invalid_number": 1, "unknown_code": 1},
        field_issues=[
            {"line": 14, "column": "contact_type", "rule": "unknown_code"},
            {"line": 9, "column": "no_fixed_abode", "rule": "invalid_boolean"},
        ],
    )
    text = _text(render_html(receipt, []))
    part = text[text.index("Fields loaded as empty") :]
    assert part.index(" 9 Bez noteiktas dzīvesvietas invalid_boolean") < part.index(" 14 Kontakta veids unknown_code")
    assert "2 lauki ielādēti tukši fields loaded as empty" in text
    assert "Fields loaded as empty" not in _text(render_html(_receipt(), []))


def test_a_rejected_file_says_why_and_lists_the_expected_names():
    text = _text(
        render_html(
            _receipt(
                source=None,
                file_name="dati.csv",
                status="rejected",
                rows_read=0,
                reason="no_contract: no source contract matches",
            ),
            [],
        )
    )
    assert "the file name matches no delivery contract" in text
    assert all(c.file.pattern in text for c in all_contracts().values())


@pytest.fixture
def loaded(tmp_path):
    """An inbox file with its JSON receipt, and a warehouse whose raw table holds its lines' code status
    (and, as the loader never would, the code itself: the page must still not show it)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    receipt = _receipt()
    (inbox / receipt["file_name"]).write_text("delivered\n", encoding="utf-8")
    (inbox / (receipt["file_name"] + ".receipt.json")).write_text(json.dumps(receipt), encoding="utf-8")
    work = tmp_path / "work.duckdb"
    with duckdb.connect(str(work)) as con:
        con.execute("create schema raw; create schema ingest")
        con.execute(
            "create table raw.police_contacts (person_id varchar, person_id_status varchar, "
            "_file_sha256 varchar, _source_row_number integer, personal_code varchar)"
        )
        con.executemany(
            "insert into raw.police_contacts values (?, ?, ?, ?, ?)",
            [
                ("L-1", "bad_check_digit", receipt["file_sha256"], 17, CODE),
                ("L-2", "bad_check_digit", receipt["file_sha256"], 18, CODE),
                ("L-3", "bad_check_digit", receipt["file_sha256"], 40, CODE),
                ("L-4", "bad_format", receipt["file_sha256"], 1203, CODE),
                ("P-5", "valid", receipt["file_sha256"], 2, "x"),
                ("L-6", "bad_format", "another file", 5, CODE),
            ],
        )
        con.execute(
            "create table ingest.quarantine (load_id varchar, file_sha256 varchar, source_row_number integer, "
            "rule varchar, column_name varchar)"
        )
        con.execute(
            "insert into ingest.quarantine values ('L1', ?, 33, 'invalid_date', 'contact_date')",
            [receipt["file_sha256"]],
        )
    return inbox / receipt["file_name"], work


def test_invalid_code_lines_come_from_the_raw_table_of_this_file(loaded):
    delivery, work = loaded
    with duckdb.connect(str(work), read_only=True) as con:
        found = invalid_code_lines(con, _receipt(), all_contracts()["police_contacts"])
    assert found == {"bad_check_digit": [17, 18, 40], "bad_format": [1203]}


def test_the_written_page_and_pdf_never_show_a_delivered_value(loaded):
    delivery, work = loaded
    with duckdb.connect(str(work), read_only=True) as con:
        written = write_html_receipt(delivery, con, pdf=True)
    assert [p.name for p in written] == [delivery.name + HTML_SUFFIX, delivery.name + ".receipt.pdf"]
    html = written[0].read_text(encoding="utf-8")
    assert CODE not in html and "010180" not in html
    assert "17–18, 40" in _text(html) and "33" in _text(html)
    assert written[1].read_bytes().startswith(b"%PDF")
    assert "http://" not in html and "https://" not in html  # loads nothing: readable offline
