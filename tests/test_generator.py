"""The synthetic national generator, specified by what a reader of its files can check.

Every claim is checked by re-reading the delivered files independently of the generator:
names, encodings and headers from the contracts, personal codes with the project's
validator, and each quarantine rule re-derived row by row in the loader's priority order.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from ingestion.contracts import BOOLEAN_VALUES, Contract, all_contracts, contract_for_file
from ingestion.generator import MANIFEST_NAME, generate_national
from ingestion.generator.codes import check_digits, format_codes, old_codes
from ingestion.personal_code import MISSING, VALID, check_digit, make_old_code, validate

YEARS = range(2023, 2025)  # includes 2024, so the Housing First set is written too
SCALE = 0.01
SEED = 7


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("national")
    generate_national(folder, YEARS, scale=SCALE, seed=SEED)
    return folder


@pytest.fixture(scope="module")
def manifest(out: Path) -> dict:
    return json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))


def deliveries(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.name != MANIFEST_NAME)


def read_rows(path: Path, contract: Contract) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a delivery, as a receiving system would read them."""
    if contract.file.format == "xlsx":
        sheet = load_workbook(path, read_only=True).worksheets[0]
        width = len(contract.columns)
        rows = [
            ["" if v is None else str(v) for v in row] + [""] * (width - len(row))
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        with open(path, encoding=contract.file.encoding, newline="") as handle:
            rows = list(csv.reader(handle, delimiter=contract.file.delimiter))
    return rows[0], rows[1:]


def sha256s(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


# --- identity and determinism -----------------------------------------------------------


def test_same_seed_gives_byte_identical_files(out: Path, tmp_path: Path) -> None:
    generate_national(tmp_path, YEARS, scale=SCALE, seed=SEED)
    assert sha256s(tmp_path) == sha256s(out)


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    generate_national(tmp_path, range(2023, 2024), scale=SCALE, seed=SEED + 1)
    first = sha256s(tmp_path)
    assert first["nmpd_izsaukumi_2023.csv"] != hashlib.sha256(b"").hexdigest()


def test_vectorized_check_digit_equals_the_reference_one() -> None:
    rng = np.random.default_rng(0)
    prefixes = rng.integers(0, 10, size=(20_000, 10))
    expected = [check_digit("".join(map(str, row))) for row in prefixes.tolist()]
    assert check_digits(prefixes).tolist() == expected


def test_vectorized_old_codes_equal_make_old_code() -> None:
    births = [date(1922, 1, 1), date(1985, 7, 15), date(2000, 2, 29), date(2017, 6, 30)]
    codes = old_codes(np.array(births, dtype="datetime64[D]"), np.array([0, 123, 999, 45]))
    texts = format_codes(codes, np.array([True, False, True, True]))
    assert texts.tolist() == [
        make_old_code(births[0], 0),
        make_old_code(births[1], 123, hyphen=False),
        make_old_code(births[2], 999),
        make_old_code(births[3], 45),
    ]


# --- files as the contracts describe them -----------------------------------------------


def test_every_file_matches_exactly_one_contract_and_the_manifest_none(out: Path) -> None:
    contracts = all_contracts()
    for path in deliveries(out):
        assert sum(c.matches(path.name) for c in contracts.values()) == 1, path.name
    assert contract_for_file(MANIFEST_NAME) is None


def test_one_file_per_yearly_source_per_year(out: Path) -> None:
    names = {p.name for p in deliveries(out)}
    for year in YEARS:
        for pattern in (
            "patversmes_uzturesanas_{}.csv",
            "patversmju_parskats_{}.xlsx",
            "nmpd_izsaukumi_{}.csv",
            "nvd_stacionars_{}.csv",
            "vp_kontakti_{}.csv",
            "ivp_ieslodzijumi_{}.csv",
        ):
            assert pattern.format(year) in names
    assert {c.source for c in map(contract_for_file, names)} == set(all_contracts())


def test_encodings_headers_and_line_endings_follow_the_contract(out: Path) -> None:
    for path in deliveries(out):
        contract = contract_for_file(path.name)
        header, rows = read_rows(path, contract)
        assert header == [c.header for c in contract.columns], path.name
        assert all(len(r) == len(header) for r in rows), path.name
        if contract.file.format == "csv":
            raw = path.read_bytes()
            raw.decode(contract.file.encoding)  # strict: no stray bytes
            assert raw.startswith(b"\xef\xbb\xbf") == (contract.file.encoding == "utf-8-sig"), path.name


def test_manifest_counts_every_data_row(out: Path, manifest: dict) -> None:
    assert manifest["generator"] == "national" and manifest["years"] == [YEARS[0], YEARS[-1]]
    assert set(manifest["files"]) == {p.name for p in deliveries(out)}
    for path in deliveries(out):
        contract = contract_for_file(path.name)
        entry = manifest["files"][path.name]
        assert entry["source"] == contract.source
        assert entry["data_rows"] == len(read_rows(path, contract)[1])


# --- faults: re-derived independently, row by row -------------------------------------------


def expected_rule(row: list[str], contract: Contract, seen_rows: set, seen_keys: set) -> str | None:
    """The loader's verdict for one row: the first failing rule in its priority order."""
    values = {c.name: v for c, v in zip(contract.columns, row)}
    fmt = contract.file.date_format

    def parses_date(text: str) -> bool:
        try:
            datetime.strptime(text, fmt)
            return True
        except ValueError:
            return False

    def number(column, text):
        try:
            return int(text) if column.type == "integer" else float(text.replace(contract.file.decimal, "."))
        except ValueError:
            return None

    present = [(c, values[c.name]) for c in contract.columns if values[c.name] != ""]
    numbers = [(c, number(c, v)) for c, v in present if c.type in ("integer", "decimal")]
    if tuple(row) in seen_rows:
        return "duplicate_row"
    if any(c.required and values[c.name] == "" for c in contract.columns):
        return "missing_required"
    if any(c.type == "date" and not parses_date(v) for c, v in present):
        return "invalid_date"
    if any(n is None for _, n in numbers):
        return "invalid_number"
    if any(c.type == "boolean" and v not in BOOLEAN_VALUES for c, v in present):
        return "invalid_boolean"
    if any(c.type == "code" and v not in c.codes for c, v in present):
        return "unknown_code"
    if any((c.min is not None and n < c.min) or (c.max is not None and n > c.max) for c, n in numbers):
        return "out_of_range"
    for rule in contract.row_rules:
        a, b = values[rule.first], values[rule.then]
        if a and b and datetime.strptime(b, fmt) < datetime.strptime(a, fmt):
            return "date_order"
    if tuple(values[k] for k in contract.primary_key) in seen_keys:
        return "duplicate_key"
    return None


def rederive(path: Path) -> tuple[dict[str, list[int]], Counter]:
    """Quarantine lines per rule, and personal-code statuses of the rows that load."""
    contract = contract_for_file(path.name)
    _, rows = read_rows(path, contract)
    lines: dict[str, list[int]] = {}
    statuses: Counter = Counter()
    seen_rows: set = set()
    seen_keys: set = set()
    code_column = contract.personal_code_column
    code_at = [c.name for c in contract.columns].index(code_column.name) if code_column else None
    for line, row in enumerate(rows, start=2):
        rule = expected_rule(row, contract, seen_rows, seen_keys)
        seen_rows.add(tuple(row))
        seen_keys.add(tuple(row[[c.name for c in contract.columns].index(k)] for k in contract.primary_key))
        if rule:
            lines.setdefault(rule, []).append(line)
        elif code_at is not None:
            statuses[validate(row[code_at]).status] += 1
    return lines, statuses


def test_quarantine_and_code_faults_agree_with_an_independent_reading(out: Path, manifest: dict) -> None:
    for path in deliveries(out):
        entry = manifest["files"][path.name]
        lines, statuses = rederive(path)
        assert lines == entry["quarantine_lines"], path.name
        assert {r: len(v) for r, v in lines.items()} == entry["quarantine"], path.name
        invalid = {s: n for s, n in statuses.items() if s not in (VALID, MISSING)}
        assert invalid == entry["invalid_personal_codes"], path.name
        assert statuses[MISSING] == 0, path.name  # an empty code is a quarantined missing_required row


def test_person_level_files_carry_each_kind_of_fault(tmp_path: Path) -> None:
    generate_national(tmp_path, range(2024, 2025), scale=0.05, seed=3)
    entry = json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]["nmpd_izsaukumi_2024.csv"]
    assert {"duplicate_row", "missing_required", "invalid_date", "unknown_code", "invalid_boolean"} <= set(
        entry["quarantine"]
    )
    assert {"bad_check_digit", "bad_format", "implausible_birth_date"} <= set(entry["invalid_personal_codes"])
    share = sum(entry["quarantine"].values()) / entry["data_rows"]
    assert 0.001 < share < 0.02


# --- the data are plausible and linkable -----------------------------------------------------


def codes_in(path: Path) -> list[str]:
    contract = contract_for_file(path.name)
    header, rows = read_rows(path, contract)
    at = header.index(contract.personal_code_column.header)
    return [r[at] for r in rows]


def normalized(code: str) -> str | None:
    return validate(code).normalized


def test_one_person_one_code_across_sources(out: Path) -> None:
    stays = {normalized(c) for c in codes_in(out / "patversmes_uzturesanas_2024.csv")} - {None}
    calls = {normalized(c) for c in codes_in(out / "nmpd_izsaukumi_2024.csv")} - {None}
    clients = {normalized(c) for c in codes_in(out / "mv_klienti_MV2024.csv")} - {None}
    assert len(stays & calls) > 0.2 * len(stays)  # the cohort calls ambulances far more than others
    assert len(
        clients & {normalized(c) for y in YEARS for c in codes_in(out / f"patversmes_uzturesanas_{y}.csv")}
    ) == len(clients)


def test_new_format_codes_are_about_a_tenth_and_hyphens_mostly_present(out: Path) -> None:
    codes = [c for c in codes_in(out / "nmpd_izsaukumi_2024.csv") if validate(c).is_valid]
    new = [c for c in codes if validate(c).new_format]
    assert 0.05 < len(new) / len(codes) < 0.15
    assert 0.75 < sum("-" in c for c in codes) / len(codes) < 0.95


def test_most_shelter_stays_are_in_riga_and_point_to_registered_providers(out: Path) -> None:
    contract = contract_for_file("patversmes_uzturesanas_2024.csv")
    header, rows = read_rows(out / "patversmes_uzturesanas_2024.csv", contract)
    providers_contract = contract_for_file("ref_sniedzeji_2024.csv")
    _, providers = read_rows(out / "ref_sniedzeji_2024.csv", providers_contract)
    registered = {p[0]: p for p in providers}
    col = {c.name: header.index(c.header) for c in contract.columns}
    riga = sum(r[col["municipality_atvk"]] == "0001000" for r in rows) / len(rows)
    assert 0.45 < riga < 0.7
    for r in rows:
        assert r[col["provider_id"]] in registered
        assert registered[r[col["provider_id"]]][2] == r[col["municipality_atvk"]]


def test_municipal_counts_double_count_persons_served_in_two_towns(out: Path) -> None:
    contract = contract_for_file("patversmju_parskats_2024.xlsx")
    header, rows = read_rows(out / "patversmju_parskats_2024.xlsx", contract)
    served = sum(int(r[header.index("Personu skaits")]) for r in rows)
    assert set(r[header.index("Vecuma grupa")] for r in rows) <= set(contract.column("age_group").codes)
    stays = {normalized(c) for y in YEARS for c in codes_in(out / f"patversmes_uzturesanas_{y}.csv")}
    assert served >= 0.5 * len(stays)  # every person active in 2024 is counted once per municipality


def test_some_prison_releases_without_housing_lead_to_shelter(out: Path) -> None:
    contract = contract_for_file("ivp_ieslodzijumi_2024.csv")
    released = set()
    for year in YEARS:
        header, rows = read_rows(out / f"ivp_ieslodzijumi_{year}.csv", contract)
        at, housing = header.index("Personas kods"), header.index("Dzīvesvieta pēc atbrīvošanas")
        released |= {normalized(r[at]) for r in rows if r[housing] == "nav"}
    stays = {normalized(c) for y in YEARS for c in codes_in(out / f"patversmes_uzturesanas_{y}.csv")}
    assert len((released - {None}) & stays) > 0
