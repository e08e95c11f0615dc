"""The report's words in Latvian and English, read from texts.yaml beside this module (one entry per
phrase, both languages side by side, so a phrase cannot exist in one language only). Terms as the Ministry
of Welfare uses them."""

from __future__ import annotations

from pathlib import Path

import yaml

# read at import (the definitions load it): libyaml's safe loader where the wheel has it, ~10x the pure-Python one
_DATA = yaml.load(
    (Path(__file__).resolve().parent / "texts.yaml").read_text(encoding="utf-8"),
    Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
)


def _pair(entry: dict[str, str]) -> tuple[str, str]:
    """(Latvian, English) of one entry of texts.yaml."""
    return entry["lv"], entry["en"]


def _pairs(section: str) -> dict[str, tuple[str, str]]:
    """(Latvian, English) of every entry of a section of texts.yaml, by key."""
    return {key: _pair(entry) for key, entry in _DATA[section].items()}


#: The report's phrases by key; then the labels of codes by code, one table per kind (each named as its section
#: of texts.yaml: TABLES names the public tables, COVERAGE the combined ETHOS Light coverages, PROGRAMMES the
#: Housing First programmes, ETHOS_SEEN how each category is seen in the data, COLUMNS the data files' columns).
(
    TEXTS,
    ETHOS,
    SEX,
    AGE,
    HORIZON,
    WAVE,
    EPOCH,
    COST_ITEM,
    LISTS,
    LIST_SHORT,
    TABLES,
    COVERAGE,
    PROGRAMMES,
    ETHOS_SEEN,
    COLUMNS,
) = (
    _pairs(section)
    for section in (
        "texts ethos sex age horizon wave epoch cost_item lists list_short tables coverage programmes ethos_seen columns"
    ).split()
)
#: One indicator per Lisbon objective (None: no source can measure it).
OBJECTIVES = [
    ("obj1", "rough_sleepers_point_in_time"),
    ("obj2", "accommodation_stays_over_6_months"),
    ("obj3", "prison_release_to_shelter_30_days"),
    ("obj4", "evictions_prevented"),
    ("obj5", None),
]
#: Delivered sources by their contract name: (name lv, name en, institution lv, institution en).
SOURCES = {key: _pair(s["name"]) + _pair(s["institution"]) for key, s in _DATA["sources"].items()}
#: Definitions in plain words, one per indicator: ((term lv, term en), (definition lv, definition en)).
DEFINITIONS = [(_pair(d["term"]), _pair(d["definition"])) for d in _DATA["definitions"]]
#: Data-quality metrics (rows of the appendix table) are translated by their column header keys.
MONTHS_LOC = tuple(_DATA["months_loc"])
MONTHS_NOM = tuple(_DATA["months_nom"])


def translator(lang: str):
    """t(key, **fields) in one language; labels of codes via label(table, code)."""
    i = 0 if lang == "lv" else 1

    def t(key: str, **fields) -> str:
        return TEXTS[key][i].format(**fields)

    def label(kind: str, code) -> str:
        if kind == "source":
            return SOURCES[str(code)][i] if str(code) in SOURCES else str(code).replace("_", " ")
        if kind == "institution":
            return SOURCES[str(code)][2 + i] if str(code) in SOURCES else ""
        if kind == "age":
            text = AGE[str(code)][i] if str(code) in AGE else str(code)
            return text.replace("-", "\u2013")  # 0–17: an en dash between numbers
        table = {
            "ethos": ETHOS,
            "sex": SEX,
            "horizon": HORIZON,
            "epoch": EPOCH,
            "wave": WAVE,
            "cost": COST_ITEM,
            "list": LISTS,
            "list_short": LIST_SHORT,
            "table": TABLES,
            "coverage": COVERAGE,
            "programme": PROGRAMMES,
            "ethos_seen": ETHOS_SEEN,
        }[kind]
        if str(code) in table:
            return table[str(code)][i]
        return str(code).replace("_", " ")  # never a raw snake_case name

    return t, label
