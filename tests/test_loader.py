"""The loader, on hand-made deliveries: good rows load with lineage, each bad row is quarantined
with file, line and rule, bad files are rejected whole with a receipt, re-deliveries never duplicate."""

import json
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import Workbook
from quality_fixtures import query

from ingestion.contracts import all_contracts
from ingestion.loader import load_inbox

KEY = b"test-key"
STAYS = all_contracts()["shelter_stays"]
HEADER = ";".join(c.header for c in STAYS.columns)
GOOD = [
    "S1;150785-12340;V;1985;P001;0001000;naktspatversme;01.02.2021;05.02.2021;iela;",
    "S2;161175-19997;S;1975;P002;0005000;patversme;03.02.2021;;kāpņutelpa;",
]
BAD = {  # line content → the rule it must be quarantined under
    "S9;111111-11111;V;1911;P001;0001000;patversme;31.02.2021;;iela;": "invalid_date",
    "S10;111111-11111;V;1911;P001;0001000;hotel;01.02.2021;;iela;": "unknown_code",
    "S11;111111-11111;V;1911;P001;0001000;patversme;05.02.2021;01.02.2021;iela;": "date_order",
    "S12;;V;1911;P001;0001000;patversme;05.02.2021;;iela;": "missing_required",
    "S1;111111-11111;V;1911;P001;0001000;patversme;05.02.2021;;iela;": "duplicate_key",
}
FIELD = {  # an invalid value in an optional column: the row loads, the field is null, the issue listed
    "S13;150785-12340;V;19x1;P001;0001000;patversme;05.03.2021;08.03.2021;iela;": ("birth_year", "invalid_number"),
    "S14;150785-12340;V;1811;P001;0001000;patversme;09.03.2021;;pagrabs;": ("birth_year", "out_of_range"),
}
INVALID_CODE = "S20;150785-12341;V;1985;P001;0001000;patversme;01.03.2021;;iela;"  # bad check digit


def write_stays(path: Path, lines: list[str], encoding: str = "cp1257") -> Path:
    path.write_bytes(("\r\n".join([HEADER, *lines]) + "\r\n").encode(encoding))
    return path


def assert_field_issues(receipt, inbox: Path, issues: list[tuple[int, str, str]]) -> None:
    """The receipt lists these field issues (line, column, rule), counted by rule, also in its JSON file."""
    listed = [{"line": line, "column": column, "rule": rule} for line, column, rule in issues]
    assert receipt.field_issues == listed
    assert receipt.field_issues_by_rule == dict(Counter(rule for _, _, rule in issues))
    on_file = json.loads((inbox / (receipt.file_name + ".receipt.json")).read_text(encoding="utf-8"))
    assert on_file["field_issues"] == listed


def test_good_rows_load_with_lineage_and_bad_rows_are_quarantined_by_rule(inbox, tmp_path):
    lines = GOOD + list(BAD) + [GOOD[1], INVALID_CODE]  # GOOD[1] again: an exact duplicate
    write_stays(inbox / "patversmes_uzturesanas_2021.csv", lines)
    warehouse = tmp_path / "w.duckdb"
    [receipt] = load_inbox(inbox, warehouse, KEY)

    assert receipt.status == "loaded"
    assert receipt.rows_read == len(lines) == 9
    assert receipt.rows_loaded == 3  # two good rows and the invalid-code row
    expected = {rule: 1 for rule in BAD.values()} | {"duplicate_row": 1}
    assert receipt.quarantined_by_rule == expected
    assert receipt.invalid_personal_codes == {"bad_check_digit": 1}

    quarantined = query(warehouse, "SELECT source_row_number, rule, file_name FROM ingest.quarantine ORDER BY 1")
    line_of = {line: n for n, line in enumerate(lines, start=2)}  # header is line 1
    assert [(r[0], r[1]) for r in quarantined] == sorted(
        [(line_of[line], rule) for line, rule in BAD.items()] + [(len(lines), "duplicate_row")]
    )
    assert {r[2] for r in quarantined} == {"patversmes_uzturesanas_2021.csv"}

    loaded = query(
        warehouse,
        "SELECT stay_id, person_id_status, _source_row_number, _file_sha256 "
        "FROM raw.shelter_stays ORDER BY _source_row_number",
    )
    assert [(r[0], r[1], r[2]) for r in loaded] == [
        ("S1", "valid", 2),
        ("S2", "valid", 3),
        ("S20", "bad_check_digit", 10),
    ]
    assert {r[3] for r in loaded} == {receipt.file_sha256}


def test_an_invalid_optional_field_is_nulled_and_listed_and_the_row_loads(inbox, tmp_path):
    lines = GOOD + list(FIELD)
    write_stays(inbox / "patversmes_uzturesanas_2021.csv", lines)
    warehouse = tmp_path / "w.duckdb"
    [receipt] = load_inbox(inbox, warehouse, KEY)

    assert (receipt.rows_loaded, receipt.rows_quarantined) == (4, 0)
    # S14 has two: birth year out of range and an unknown prior situation ('pagrabs' is no code)
    assert_field_issues(
        receipt,
        inbox,
        [
            (4, "birth_year", "invalid_number"),
            (5, "birth_year", "out_of_range"),
            (5, "prior_situation", "unknown_code"),
        ],
    )
    assert query(
        warehouse,
        "SELECT stay_id, birth_year, prior_situation, check_in_date::VARCHAR, "
        "check_out_date::VARCHAR FROM raw.shelter_stays WHERE stay_id IN ('S13', 'S14') ORDER BY 1",
    ) == [("S13", None, "iela", "2021-03-05", "2021-03-08"), ("S14", None, None, "2021-03-09", None)]
    issues = query(
        warehouse,
        "SELECT source_row_number, column_name, rule, reason, file_name FROM ingest.field_issues ORDER BY 1, 2",
    )
    assert [r[:3] for r in issues] == [
        (4, "birth_year", "invalid_number"),
        (5, "birth_year", "out_of_range"),
        (5, "prior_situation", "unknown_code"),
    ]
    assert all("19x1" not in r[3] and "1811" not in r[3] and "pagrabs" not in r[3] for r in issues)
    assert issues[1][3] == "'Dzimšanas gads' is outside 1900..2025; set to unknown, the row loaded"
    assert query(warehouse, "SELECT count(*) FROM ingest.quarantine") == [(0,)]
    stored = query(warehouse, "SELECT field_issues_by_rule FROM ingest.receipts")[0][0]
    assert json.loads(stored) == receipt.field_issues_by_rule


def test_a_broken_end_date_is_set_to_unknown_and_an_end_before_start_is_not(inbox, tmp_path):
    """An invalid check-out date alone (31.02) loads as unknown with a field issue (dbt then counts the stay's
    first night only); a check-out before the check-in contradicts the row and still quarantines it."""
    broken = "S15;150785-12340;V;1985;P001;0001000;patversme;10.03.2021;31.02.2021;iela;"
    before = "S16;150785-12340;V;1985;P001;0001000;patversme;10.03.2021;01.03.2021;iela;"
    write_stays(inbox / "patversmes_uzturesanas_2021.csv", GOOD + [broken, before])
    warehouse = tmp_path / "w.duckdb"
    [receipt] = load_inbox(inbox, warehouse, KEY)

    assert (receipt.rows_loaded, receipt.rows_quarantined) == (3, 1)
    assert receipt.quarantined_by_rule == {"date_order": 1}
    assert_field_issues(receipt, inbox, [(4, "check_out_date", "invalid_date")])
    assert query(
        warehouse, "SELECT check_in_date::VARCHAR, check_out_date FROM raw.shelter_stays WHERE stay_id = 'S15'"
    ) == [("2021-03-10", None)]
    assert query(warehouse, "SELECT source_row_number, column_name, rule FROM ingest.field_issues") == [
        (4, "check_out_date", "invalid_date")
    ]
    assert query(warehouse, "SELECT source_row_number, rule FROM ingest.quarantine") == [(5, "date_order")]


#: Housing First enrolment lines (from line 2) → what the loader does: None (loads clean), (column, rule) (loads
#: with that field set to unknown) or a rule (the row is quarantined)
HF_ENROLMENTS = {
    "E1;K1;MV2022;0001000;01.02.2022;15.03.2022;;": None,  # still housed
    "E2;K2;MV2022;0001000;01.02.2022;31.02.2022;;": ("move_in_date", "invalid_date"),
    "E3;K3;MV2022;0001000;01.02.2022;01.03.2022;01.13.2022;zaudēts kontakts": ("exit_date", "invalid_date"),
    "E4;K4;MV2022;0001000;01.02.2022;01.01.9999;01.06.2022;izlikšana": ("move_in_date", "implausible_date"),
    "E5;K5;MV2022;0001000;01.02.2022;01.03.2022;15.02.2022;izlikšana": "date_order",  # exit before move-in
    "E6;K6;MV2022;0001000;;01.03.2022;;": "missing_required",  # the referral date is required
}


def test_broken_housing_first_dates_load_as_unknown(inbox, tmp_path):
    """Housing First move-in, exit and tenancy-end dates are optional: an invalid one alone (31.02, month 13,
    year 9999) loads as unknown with a field issue (file, line, column, rule), and dbt reads the person's
    follow-up as not computable or censored (doc end_date_unknown). The referral date is required, and an
    exit before the move-in contradicts the row: both still quarantine it."""
    header = ";".join(c.header for c in all_contracts()["hf_enrolments"].columns)
    (inbox / "mv_dalibas_MV2022.csv").write_text("\r\n".join([header, *HF_ENROLMENTS]) + "\r\n", encoding="utf-8-sig")
    flats = all_contracts()["hf_flats"]
    (inbox / "mv_dzivokli_MV2022.csv").write_text(
        ";".join(c.header for c in flats.columns)
        + "\r\nT1;F1;K1;0001000;privāts;15.03.2022;31.02.2023;250,00;60,00\r\n",
        encoding="utf-8-sig",
    )
    warehouse = tmp_path / "w.duckdb"
    receipts = {r.file_name: r for r in load_inbox(inbox, warehouse, KEY)}

    outcomes = list(enumerate(HF_ENROLMENTS.values(), start=2))
    fields = [(line, *outcome) for line, outcome in outcomes if isinstance(outcome, tuple)]
    quarantined = [(line, outcome) for line, outcome in outcomes if isinstance(outcome, str)]
    receipt = receipts["mv_dalibas_MV2022.csv"]
    assert (receipt.rows_loaded, receipt.rows_quarantined) == (4, 2)
    assert receipt.quarantined_by_rule == {"date_order": 1, "missing_required": 1}
    assert_field_issues(receipt, inbox, fields)
    assert_field_issues(receipts["mv_dzivokli_MV2022.csv"], inbox, [(2, "tenancy_end", "invalid_date")])
    assert query(
        warehouse,
        "SELECT enrolment_id, move_in_date::VARCHAR, exit_date::VARCHAR, exit_reason "
        "FROM raw.hf_enrolments ORDER BY enrolment_id",
    ) == [
        ("E1", "2022-03-15", None, None),
        ("E2", None, None, None),
        ("E3", "2022-03-01", None, "zaudēts kontakts"),
        ("E4", None, "2022-06-01", "izlikšana"),
    ]
    assert query(
        warehouse,
        "SELECT file_name, source_row_number, column_name, rule FROM ingest.field_issues ORDER BY file_name, 2",
    ) == [("mv_dalibas_MV2022.csv", *issue) for issue in fields] + [
        ("mv_dzivokli_MV2022.csv", 2, "tenancy_end", "invalid_date")
    ]
    assert query(warehouse, "SELECT source_row_number, rule FROM ingest.quarantine ORDER BY 1") == quarantined


def test_invalid_codes_get_source_local_pseudonyms_and_valid_ones_link(inbox, tmp_path):
    write_stays(inbox / "patversmes_uzturesanas_2021.csv", GOOD + [INVALID_CODE])
    warehouse = tmp_path / "w.duckdb"
    load_inbox(inbox, warehouse, KEY)
    ids = dict(query(warehouse, "SELECT stay_id, person_id FROM raw.shelter_stays"))
    assert ids["S1"].startswith("P") and ids["S2"].startswith("P")
    assert ids["S20"].startswith("L")
    assert query(warehouse, "SELECT DISTINCT birth_year_from_code FROM raw.shelter_stays WHERE stay_id = 'S1'") == [
        (1985,)
    ]


def test_a_redelivered_file_loads_nothing_new(inbox, tmp_path):
    write_stays(inbox / "patversmes_uzturesanas_2021.csv", GOOD)
    warehouse = tmp_path / "w.duckdb"
    load_inbox(inbox, warehouse, KEY)
    write_stays(inbox / "patversmes_uzturesanas_2021_atkartoti.csv", GOOD)  # same bytes, new name
    receipts = load_inbox(inbox, warehouse, KEY)
    assert sorted(r.status for r in receipts) == ["skipped_already_loaded", "skipped_already_loaded"]
    assert query(warehouse, "SELECT count(*) FROM raw.shelter_stays") == [(2,)]


def test_load_ids_sort_in_load_order_even_within_one_second(inbox, tmp_path):
    """Staging keeps a re-delivered record from the latest load: loaded_at (to the second), then the load id.
    Three corrections of stay S1 loaded in one go (usually within one second) must sort in load order, not
    by their files' hashes."""
    for n, check_out in enumerate(("05.02.2021", "06.02.2021", "07.02.2021")):
        write_stays(inbox / f"patversmes_uzturesanas_2021_{n}.csv", [GOOD[0].replace("05.02.2021", check_out)])
    receipts = load_inbox(inbox, tmp_path / "w.duckdb", KEY)
    assert [r.file_name[-5:] for r in receipts] == ["0.csv", "1.csv", "2.csv"]
    load_ids = [r.load_id for r in receipts]
    assert load_ids == sorted(load_ids) and len(set(load_ids)) == 3


@pytest.mark.parametrize(
    "make_bad, rule",
    [
        (lambda p: p.write_bytes(write_stays(p, GOOD).read_bytes()[:-25]), "unreadable"),  # truncated mid-row
        (lambda p: write_stays(p, GOOD, encoding="utf-8"), "wrong_encoding"),
        (lambda p: p.write_bytes(b""), "empty_file"),
        (lambda p: p.write_bytes((HEADER + "\r\n").encode("cp1257")), "empty_file"),
        (lambda p: p.write_bytes(("Uzturēšanās ID;Dzimums\r\nS1;V\r\n").encode("cp1257")), "missing_columns"),
    ],
)
def test_a_bad_file_is_rejected_with_a_receipt_and_loses_no_other_files_rows(inbox, tmp_path, make_bad, rule):
    write_stays(inbox / "patversmes_uzturesanas_2020.csv", GOOD)
    make_bad(inbox / "patversmes_uzturesanas_2021.csv")
    warehouse = tmp_path / "w.duckdb"
    receipts = {r.file_name: r for r in load_inbox(inbox, warehouse, KEY)}

    bad = receipts["patversmes_uzturesanas_2021.csv"]
    assert bad.status == "rejected" and bad.reason.startswith(rule)
    assert receipts["patversmes_uzturesanas_2020.csv"].rows_loaded == 2
    assert query(warehouse, "SELECT count(*) FROM raw.shelter_stays") == [(2,)]
    stored = json.loads((inbox / "patversmes_uzturesanas_2021.csv.receipt.json").read_text())
    assert stored["status"] == "rejected" and stored["reason"] == bad.reason
    assert query(
        warehouse, "SELECT status FROM ingest.receipts WHERE file_name = 'patversmes_uzturesanas_2021.csv'"
    ) == [("rejected",)]


def test_a_rejection_reason_never_quotes_the_file(inbox, tmp_path):
    path = write_stays(inbox / "patversmes_uzturesanas_2021.csv", GOOD + ["S3;150785-12340;V"])
    [receipt] = load_inbox(inbox, tmp_path / "w.duckdb", KEY)
    assert receipt.status == "rejected"
    assert "150785" not in receipt.reason and "line 4" in receipt.reason
    assert path.exists()


def test_an_unknown_file_gets_a_rejection_receipt(inbox, tmp_path):
    (inbox / "kaut_kas.txt").write_text("?")
    [receipt] = load_inbox(inbox, tmp_path / "w.duckdb", KEY)
    assert receipt.status == "rejected" and receipt.reason.startswith("no_contract")


def test_municipal_counts_are_read_from_xlsx(inbox, tmp_path):
    counts = all_contracts()["shelter_counts"]
    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in counts.columns])
    sheet.append(["0001000", 2021, "naktspatversme", "V", "40-64", 120, 9000, 40])
    sheet.append(["0001000", 2021, "naktspatversme", "S", "40-64", 30, 2000.0, None])
    sheet.append(["0005000", 2021, "patversme", "X", "40-64", 3, 100, 5])  # unknown sex code
    book.save(inbox / "patversmju_parskats_2021.xlsx")
    warehouse = tmp_path / "w.duckdb"
    [receipt] = load_inbox(inbox, warehouse, KEY)
    assert (receipt.rows_loaded, receipt.quarantined_by_rule) == (2, {"unknown_code": 1})
    assert query(warehouse, "SELECT sum(persons_served), sum(bed_nights) FROM raw.shelter_counts") == [(150, 11000)]
    assert query(warehouse, "SELECT source_row_number FROM ingest.quarantine") == [(4,)]
