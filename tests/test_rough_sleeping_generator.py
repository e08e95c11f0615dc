"""The generator's rough sleepers: crisis contacts with the no-home flags, and the true count.

Specification (issue 15): most rough sleepers never enter a shelter in a given year, some do;
crisis services see them with "Adrese nav zināma" (ambulance) and "Bez noteiktas dzīvesvietas"
(police); the generator writes its true number of homeless persons per year to _faults.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from ingestion.contracts import all_contracts
from ingestion.generator import generate_national

YEARS = range(2023, 2025)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rough") / "inbox"
    generate_national(out, years=YEARS, scale=0.02, seed=11)
    return out


def _read(inbox: Path, source: str, year: int) -> pd.DataFrame:
    contract = all_contracts()[source]
    path = next(inbox.glob(contract.file.pattern.replace("*", str(year))))
    frame = pd.read_csv(path, sep=";", encoding=contract.file.encoding, dtype=str, keep_default_na=False)
    frame["code"] = frame["Personas kods"].str.replace("-", "", regex=False)
    return frame


def test_police_file_carries_the_no_fixed_abode_flag(inbox):
    police = _read(inbox, "police_contacts", 2024)
    assert "Bez noteiktas dzīvesvietas" in police.columns
    flags = police["Bez noteiktas dzīvesvietas"].value_counts()
    assert flags.get("jā", 0) > 0 and flags.get("nē", 0) > flags.get("jā", 0)  # the population is mostly housed


def test_most_persons_seen_without_a_home_use_no_shelter_that_year_and_some_do(inbox):
    for year in YEARS:
        ambulance = _read(inbox, "ambulance_calls", year)
        police = _read(inbox, "police_contacts", year)
        seen = set(ambulance.loc[ambulance["Adrese nav zināma"] == "jā", "code"]) | set(
            police.loc[police["Bez noteiktas dzīvesvietas"] == "jā", "code"]
        )
        sheltered = set(_read(inbox, "shelter_stays", year)["code"])
        in_shelter = len(seen & sheltered) / len(seen)
        assert 0.05 < in_shelter < 0.5, (year, in_shelter)


def test_manifest_holds_the_true_number_of_homeless_persons_per_year(inbox):
    truth = json.loads((inbox / "_faults.json").read_text(encoding="utf-8"))["homeless_truth"]["years"]
    assert sorted(truth) == [str(y) for y in YEARS]
    for year, counts in truth.items():
        assert counts["homeless_persons"] == counts["shelter_users"] + counts["hidden_rough_sleepers"]
        assert counts["hidden_rough_sleepers"] > 0
        # the shelter users are at least the persons in that year's shelter file
        assert counts["shelter_users"] >= _read(inbox, "shelter_stays", int(year))["code"].nunique() * 0.95
