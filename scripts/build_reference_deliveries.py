"""Build the reference deliveries in ingestion/reference/ from shared/reference/municipalities.csv.

Run once when the shared reference changes. Verified values are copied with their provenance;
every gap is filled with an estimate whose `source`/status column starts with "estimate", so an
official CSP table delivered under the same contract replaces it without code changes.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "ingestion" / "reference"

# NUTS 2021 level-3 regions; assignment from the author's knowledge of the statistical regions,
# unverified except Rīga (shared/reference/sources.md).
NUTS3 = {
    "LV006": ("Rīga", ["Rīga"]),
    "LV007": (
        "Pierīga",
        [
            "Jūrmala",
            "Ādažu novads",
            "Ķekavas novads",
            "Mārupes novads",
            "Olaines novads",
            "Ropažu novads",
            "Salaspils novads",
            "Saulkrastu novads",
            "Siguldas novads",
            "Ogres novads",
            "Tukuma novads",
            "Limbažu novads",
        ],
    ),
    "LV008": (
        "Vidzeme",
        [
            "Alūksnes novads",
            "Cēsu novads",
            "Gulbenes novads",
            "Madonas novads",
            "Smiltenes novads",
            "Valkas novads",
            "Valmieras novads",
            "Varakļānu novads",
        ],
    ),
    "LV003": (
        "Kurzeme",
        [
            "Liepāja",
            "Ventspils",
            "Dienvidkurzemes novads",
            "Kuldīgas novads",
            "Saldus novads",
            "Talsu novads",
            "Ventspils novads",
        ],
    ),
    "LV009": (
        "Zemgale",
        ["Jelgava", "Aizkraukles novads", "Bauskas novads", "Dobeles novads", "Jelgavas novads", "Jēkabpils novads"],
    ),
    "LV005": (
        "Latgale",
        [
            "Daugavpils",
            "Rēzekne",
            "Augšdaugavas novads",
            "Balvu novads",
            "Krāslavas novads",
            "Līvānu novads",
            "Ludzas novads",
            "Preiļu novads",
            "Rēzeknes novads",
        ],
    ),
}
# Approximate 2021 populations for the 30 counties with no sourced figure (author's estimate).
POPULATION_ESTIMATE_2021 = {
    "Cēsu novads": 41000,
    "Dienvidkurzemes novads": 34000,
    "Dobeles novads": 29000,
    "Gulbenes novads": 20000,
    "Jelgavas novads": 31000,
    "Jēkabpils novads": 40000,
    "Krāslavas novads": 21000,
    "Kuldīgas novads": 30000,
    "Ķekavas novads": 30000,
    "Limbažu novads": 31000,
    "Līvānu novads": 10500,
    "Ludzas novads": 23000,
    "Madonas novads": 31000,
    "Mārupes novads": 34000,
    "Ogres novads": 57000,
    "Olaines novads": 19000,
    "Preiļu novads": 17000,
    "Rēzeknes novads": 27000,
    "Ropažu novads": 31000,
    "Salaspils novads": 23000,
    "Saldus novads": 29000,
    "Saulkrastu novads": 6500,
    "Siguldas novads": 30500,
    "Smiltenes novads": 18500,
    "Talsu novads": 39000,
    "Tukuma novads": 42000,
    "Valkas novads": 8500,
    "Valmieras novads": 53000,
    "Varakļānu novads": 3000,
    "Ventspils novads": 11000,
}
YEARS = range(2010, 2026)
DECLINE_PER_YEAR = {"LV007": -0.008}  # Pierīga grows; elsewhere population falls
DEFAULT_DECLINE = 0.007
KIND_LV = {"state_city": "valstspilsēta", "county": "novads"}


def write(name: str, header: list[str], rows: list[list[object]]) -> None:
    with open(OUT / name, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(header)
        w.writerows(rows)


def municipalities(shared: Path) -> list[dict[str, str]]:
    region_of = {m: code for code, (_, names) in NUTS3.items() for m in names}
    out = []
    with open(shared / "municipalities.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            nuts3 = row["nuts3_code"] or region_of[row["name_lv"]]
            row["nuts3_code"] = nuts3
            row["nuts3_source"] = (
                "shared/reference (brief)"
                if row["nuts3_code"] and row["name_lv"] == "Rīga"
                else "estimate: statistical-region membership from author knowledge, unverified"
            )
            if not row["atvk_code"]:
                row["atvk_code"] = "X000001"
                row["atvk_status"] = "estimate: placeholder, ATVK code not found (do not guess)"
            out.append(row)
    return out


def main(shared: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    munis = municipalities(shared)
    write(
        "ref_pasvaldibas_2025.csv",
        ["ATVK kods", "Nosaukums", "Veids", "NUTS3 kods", "NUTS3 nosaukums", "ATVK statuss", "NUTS3 avots"],
        [
            [
                m["atvk_code"],
                m["name_lv"],
                KIND_LV[m["kind"]],
                m["nuts3_code"],
                NUTS3[m["nuts3_code"]][0],
                m["atvk_status"],
                m["nuts3_source"],
            ]
            for m in munis
        ],
    )
    pop_rows = []
    for m in munis:
        if m["population"]:
            base, base_year = int(m["population"]), int(m["population_year"])
            provenance = m["population_source"]
        else:
            base, base_year = POPULATION_ESTIMATE_2021[m["name_lv"]], 2021
            provenance = "author approximation"
        rate = DECLINE_PER_YEAR.get(m["nuts3_code"], DEFAULT_DECLINE)
        for year in YEARS:
            value = round(base * (1 + rate) ** (base_year - year))
            if year == base_year and m["population"]:
                source = f"{provenance}"
            else:
                source = (
                    f"estimate: {base_year} value ({provenance}) carried at {-rate:+.1%}/yr; replace with CSP IRS051"
                )
            pop_rows.append([m["atvk_code"], year, value, source])
    write("ref_iedzivotaji_2010_2025.csv", ["ATVK kods", "Gads", "Iedzīvotāji", "Avots"], pop_rows)

    ethos = [
        ["pakalpojums", "night_shelter", 2, "2.1", "Night shelter"],
        ["pakalpojums", "shelter", 3, "3.1", "Homeless hostel (shelter)"],
        ["pakalpojums", "crisis_centre", 3, "4.1", "Crisis centre (women's and family shelter)"],
        ["pakalpojums", "short_stay", 3, "3.2", "Temporary (short-stay) accommodation"],
        ["dzīves situācija", "street", 1, "1.1", "Public space (street)"],
        ["dzīves situācija", "stairwell", 1, "1.1", "Public space (stairwell)"],
        ["dzīves situācija", "station", 1, "1.1", "Public space (station)"],
        ["dzīves situācija", "allotment_shed", 5, "11.2", "Non-conventional building (allotment shed)"],
        ["dzīves situācija", "abandoned_building", 5, "11.2", "Non-conventional building (abandoned building)"],
        ["dzīves situācija", "friends", 6, "8.1", "Temporarily with friends"],
        ["dzīves situācija", "family", 6, "8.1", "Temporarily with family"],
        ["dzīves situācija", "prison", 4, "6.1", "Penal institution, no housing on release"],
        ["dzīves situācija", "hospital", 4, "6.2", "Medical institution, no housing on discharge"],
        ["dzīves situācija", "other_shelter", 3, "3.1", "Another homeless hostel"],
        ["dzīves situācija", "rented_home", 0, "", "Housed (rented home)"],
        ["dzīves situācija", "own_home", 0, "", "Housed (own home)"],
        ["iestāde", "prison_release_no_housing", 4, "6.1", "Released from prison with no housing"],
        ["iestāde", "hospital_discharge_no_fixed_abode", 4, "6.2", "Discharged from hospital with no fixed abode"],
        ["MV posms", "awaiting_flat", 3, "3.2", "Housing First participant awaiting a flat"],
        ["MV posms", "housed", 0, "", "Formerly homeless, housed in Housing First"],
    ]
    write("ref_ethos_light_2025.csv", ["Kartējuma veids", "Kods", "ETHOS Light", "ETHOS kods", "Apraksts"], ethos)

    # 2023 unit costs: the pilot's published per-day costs (seeds 001/004); the rest estimates.
    base_2023 = [
        ("MV diena", 19.20, "pilot evaluation 2023 (seed 001): Housing First EUR/day"),
        ("pansijas diena", 24.32, "pilot evaluation 2023 (seed 001): boarding house EUR/day"),
        ("patversmes nakts", 14.47, "pilot evaluation 2023 (seed 001): short-stay accommodation EUR/day"),
        ("NMPD izsaukums", 160.00, "estimate: author approximation of NMPD cost per call"),
        ("gultasdiena slimnīcā", 260.00, "estimate: author approximation of inpatient cost per day"),
        ("policijas kontakts", 60.00, "estimate: author approximation of police cost per contact"),
        ("ieslodzījuma diena", 45.00, "estimate: author approximation of prison cost per day"),
    ]
    cost_rows = []
    for year in range(2015, 2026):
        for item, eur, source in base_2023:
            value = round(eur * 1.03 ** (year - 2023), 2)
            src = source if year == 2023 else f"estimate: 2023 value ({source}) indexed at 3%/yr"
            cost_rows.append([year, item, f"{value:.2f}".replace(".", ","), src])
    write("ref_vienibas_izmaksas_2015_2025.csv", ["Gads", "Pozīcija", "EUR", "Avots"], cost_rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "reference")
