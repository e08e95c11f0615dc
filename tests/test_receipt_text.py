"""The provider's plain receipt: every quarantined line with rule and fix, in Latvian and English, no values."""

from __future__ import annotations

import re
from collections import defaultdict

from ingestion.contracts import all_contracts
from ingestion.receipt_text import CheckResult, QuarantinedLine, receipt_path, render

LINE = re.compile(r"^\| (\d+) \| `([a-z_]+)` \|", re.M)


def _receipt(**changes) -> dict:
    base = {
        "load_id": "L1",
        "source": "shelter_stays",
        "file_name": "patversmes_uzturesanas_2024.csv",
        "file_sha256": "ab" * 32,
        "status": "loaded",
        "rows_read": 10,
        "rows_loaded": 8,
        "rows_quarantined": 2,
        "invalid_personal_codes": {},
    }
    return {**base, **changes}


def test_each_quarantined_line_has_its_rule_and_a_fix_in_both_languages():
    lines = [QuarantinedLine(7, "invalid_date", "check_in_date"), QuarantinedLine(3, "unknown_code", "sex")]
    text = render(_receipt(), lines, [CheckResult("quarantined_share_high", "error", "failed", "whole file")])
    assert LINE.findall(text) == [("3", "unknown_code"), ("7", "invalid_date")]
    assert "column „Ierašanās datums” is not a date in the format DD.MM.YYYY" in text
    assert "kolonnā „Ierašanās datums” nav datuma formātā DD.MM.YYYY" in text
    assert "use one of the codes: „V”, „S”" in text
    assert "| `quarantined_share_high` | kļūda / error | neizpildīts / failed | whole file |" in text


def test_a_file_no_contract_claims_lists_the_expected_file_names():
    text = render(
        _receipt(
            source=None,
            file_name="dati.csv",
            status="rejected",
            reason="no_contract: no source contract matches this file name",
        ),
        [],
    )
    assert "the file name matches no delivery contract" in text
    for contract in all_contracts().values():
        assert f"`{contract.file.pattern}`" in text


def test_receipt_lines_equal_the_generators_injected_faults_and_never_quote_a_value(national_run):
    for file_name, expected in national_run.manifest["files"].items():
        text = receipt_path(national_run.inbox / file_name).read_text(encoding="utf-8")
        found = defaultdict(list)
        for line, rule in LINE.findall(text):
            found[rule].append(int(line))
        # a fault in an optional field is listed among the fields set to unknown, the others as quarantined
        assert {rule: sorted(lines) for rule, lines in found.items()} == expected["quarantine_lines"], file_name
        assert not re.search(r"\b\d{6}-\d{5}\b", text), file_name  # no personal code, valid or not


def test_a_plain_receipt_is_never_taken_for_a_delivery(tmp_path):
    from ingestion.loader import delivery_files

    for suffix in ("", ".receipt.json", ".receipt.md", ".receipt.html", ".receipt.pdf"):
        (tmp_path / f"vp_kontakti_2024.csv{suffix}").write_text("x")
    assert [p.name for p in delivery_files(tmp_path)] == ["vp_kontakti_2024.csv"]


def test_fields_set_to_unknown_are_listed_with_line_rule_and_column_and_no_value():
    receipt = _receipt(
        rows_quarantined=0,
        rows_loaded=10,
        field_issues_by_rule={"unknown_code": 1, "out_of_range": 1},
        field_issues=[
            {"line": 9, "column": "exit_destination", "rule": "unknown_code"},
            {"line": 4, "column": "birth_year", "rule": "out_of_range"},
        ],
    )
    text = render(receipt, [])
    assert "fields set to unknown (lines loaded): 2" in text
    assert "## Lauki atzīmēti kā nezināmi / Fields set to unknown" in text
    assert LINE.findall(text) == [("4", "out_of_range"), ("9", "unknown_code")]
    assert "the value of column „Aiziešanas iemesls” is not in the contract's code list" in text


def test_the_markdown_receipt_gives_the_same_typed_hint_as_the_html_one():
    """A birth year is a whole number: the provider is never told to use a decimal separator."""
    from ingestion.contracts import all_contracts
    from ingestion.receipt_text import explain

    _, what_en, _, fix_en = explain("invalid_number", all_contracts()["hf_clients"], "birth_year")
    assert what_en == "column „Dzimšanas gads” is not a whole number"
    assert fix_en.startswith("write a whole number without separators") and "decimal" not in fix_en
