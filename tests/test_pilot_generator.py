"""The synthetic Housing First pilot cohort: deterministic, deliverable by contract, and shaped like the pilot."""

import csv
import filecmp
from datetime import date, datetime

import pytest

from ingestion.contracts import all_contracts, contract_for_file
from ingestion.generator.pilot import generate_pilot
from ingestion.personal_code import validate


@pytest.fixture(scope="module")
def pilot_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("pilot")
    generate_pilot(out, seed=2022)
    return out


def _rows(path):
    contract = contract_for_file(path.name)
    with open(path, encoding=contract.file.encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=contract.file.delimiter)
        header = next(reader)
        names = {c.header: c.name for c in contract.columns}
        return [dict(zip((names[h] for h in header), row)) for row in reader]


def _one(pilot_dir, pattern):
    (path,) = pilot_dir.glob(pattern)
    return _rows(path)


def test_same_seed_gives_identical_files_and_another_seed_does_not(pilot_dir, tmp_path):
    again, other = tmp_path / "again", tmp_path / "other"
    names = sorted(p.name for p in generate_pilot(again, seed=2022))
    assert names == sorted(p.name for p in pilot_dir.iterdir() if p.name in names)
    match, mismatch, errors = filecmp.cmpfiles(pilot_dir, again, names, shallow=False)
    assert not mismatch and not errors
    generate_pilot(other, seed=7)
    (clients,) = (p.name for p in pilot_dir.glob("mv_klienti_*.csv"))
    assert not filecmp.cmp(pilot_dir / clients, other / clients, shallow=False)


def test_every_file_matches_exactly_one_contract(pilot_dir):
    contracts = all_contracts()
    for path in pilot_dir.glob("*.csv"):
        matching = [c for c in contracts.values() if c.matches(path.name)]
        assert len(matching) == 1, path.name


def test_cohort_shape(pilot_dir):
    clients = _one(pilot_dir, "mv_klienti_*.csv")
    enrolments = _one(pilot_dir, "mv_dalibas_*.csv")
    flats = _one(pilot_dir, "mv_dzivokli_*.csv")
    assert len(clients) == 49
    by_site = {}
    for c in clients:
        by_site[c["municipality_atvk"]] = by_site.get(c["municipality_atvk"], 0) + 1
    assert by_site == {"0001000": 28, "0005000": 10, "0054000": 11}
    assert all(validate(c["personal_code"], today=date(2024, 1, 1)).is_valid for c in clients)
    assert len({c["personal_code"] for c in clients}) == 49
    move_ins = sorted(datetime.strptime(e["move_in_date"], "%d.%m.%Y").date() for e in enrolments)
    assert (move_ins[0].year, move_ins[0].month) == (2022, 10)
    assert (move_ins[-1].year, move_ins[-1].month) == (2023, 2)
    assert len({f["flat_id"] for f in flats}) == 48
    tenure = {(f["municipality_atvk"], f["tenure"]) for f in flats}
    assert tenure == {("0001000", "privāts"), ("0005000", "pašvaldības"), ("0054000", "pašvaldības")}
    assert sorted(e["exit_reason"] for e in enrolments if e["exit_reason"]) == sorted(
        ["nāve", "nāve", "cietums", "atgriešanās bezpajumtniecībā"]
    )


def test_surveys_at_entry_two_months_and_six_to_ten_months(pilot_dir):
    enrolments = {
        e["client_id"]: datetime.strptime(e["move_in_date"], "%d.%m.%Y").date()
        for e in _one(pilot_dir, "mv_dalibas_*.csv")
    }
    for s in _one(pilot_dir, "mv_aptaujas_*.csv"):
        days = (datetime.strptime(s["survey_date"], "%d.%m.%Y").date() - enrolments[s["client_id"]]).days
        if s["wave"] == "2 mēneši":
            assert 50 <= days <= 75
        elif s["wave"] == "6-10 mēneši":
            assert 182 <= days <= 310


def test_reference_deliveries_are_included(pilot_dir):
    sources = {contract_for_file(p.name).source for p in pilot_dir.glob("ref_*.csv")}
    assert {"ref_unit_costs", "ref_municipalities"} <= sources
