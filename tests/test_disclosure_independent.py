"""The independent attacker audit (homeless_monitor/disclosure/independent.py) on hand-made public
tables whose answers are worked out by hand in each docstring. k = 5, protection level 5."""

from __future__ import annotations

import pandas as pd
import pytest

from homeless_monitor.disclosure.control import share_gives_small_count
from homeless_monitor.disclosure.independent import audit_frames, share_numerators

K = 5
AREA = {
    "dimensions": ["area"],
    "measures": ["persons"],
    "relations": [{"kind": "sum", "total": {"area": "ALL"}, "parts": {"area": "!ALL"}}],
}


def areas(rows: dict[str, int | None]) -> pd.DataFrame:
    """One count per area; None = suppressed (null with its flag, as the public Parquet has it)."""
    return pd.DataFrame([{"area": a, "persons": v, "persons_suppressed": v is None} for a, v in rows.items()])


def test_knowing_a_hidden_cell_is_not_zero_breaks_a_pattern_that_passes_with_cells_of_zero_or_more():
    """
        ALL = 6 = A (c) + B (c)      (true A = 2, B = 4, both 1..4)

    With cells >= 0 the attacker has A + B = 6: A in [0, 6], width 6 >= 5, B the same: passes.
    A reader knows a `c` is never 0 (zero is published): A, B >= 1, so A = 6 - B <= 5: A in [1, 5],
    width 4 < 5, B the same: both disclosed.
    """
    frames = {"t": areas({"ALL": 6, "A": None, "B": None})}
    zero_or_more = audit_frames(frames, {"t": {**AREA, "hidden_lower_bound": 0}}, K)
    assert zero_or_more.passed
    result = audit_frames(frames, {"t": AREA}, K)
    assert not result.passed
    assert sorted(f.text for f in result.findings) == [
        "t[area=A].persons: attacker interval [1, 5] narrower than 5",
        "t[area=B].persons: attacker interval [1, 5] narrower than 5",
    ]
    assert result.tables["t"].disclosed == 2 and result.tables["t"].hidden == 2


def test_a_pattern_wide_enough_with_cells_of_at_least_one_passes():
    """ALL = 30 = A (c) + B (c) + C 20: A + B = 10, each >= 1: A in [1, 9], width 8 >= 5."""
    result = audit_frames({"t": areas({"ALL": 30, "A": None, "B": None, "C": 20})}, {"t": AREA}, K)
    assert result.passed and result.tables["t"].cells == 4 and result.tables["t"].hidden == 2


ENTRY = {
    "dimensions": ["year"],
    "measures": ["persons_entering", "first_time_persons"],
    "relations": [
        {"kind": "subset", "total": {"measure": "persons_entering"}, "parts": {"measure": "first_time_persons"}}
    ],
}


def test_the_difference_of_two_published_nested_counts_of_1_to_4_is_caught():
    """2024: 40 entering, 37 of them first-time, both published: 40 - 37 = 3 returners, a count of
    1..4 no cell shows. 2023: 40 and 35: 5 returners, not sensitive."""
    frame = pd.DataFrame(
        [
            {"year": 2023, "persons_entering": 40, "first_time_persons": 35},
            {"year": 2024, "persons_entering": 40, "first_time_persons": 37},
        ]
    )
    result = audit_frames({"f": frame}, {"f": ENTRY}, K)
    assert [f.text for f in result.findings] == [
        "f[year=2024].persons_entering - f[year=2024].first_time_persons = 40 - 37 = 3"
    ]
    assert result.findings[0].kind == "implicit" and result.tables["f"].implicit == 1


def test_a_share_over_an_unpublished_sub_population_gives_its_numerator_away():
    """
    share_women = 0.6667 of persons with a recorded sex (not published), of at most 9 persons (the
    published count). Every w/d with d <= 9 that rounds to 0.6667: 2/3, 4/6, 6/9: women are 2, 4 or 6,
    fewer than 5 values, two of them 1..4: disclosed. Over all 9 persons (the control's old reading)
    it would be 6 women, not sensitive. With 60 persons: 2, 4, ..., 40: wide, not disclosed.
    """
    assert share_numerators(0.6667, 9, 4) == {2, 4, 6}
    assert share_gives_small_count(0.6667, 9, K)
    assert not share_gives_small_count(0.6667, 60, K)
    spec = {
        "dimensions": ["year"],
        "measures": ["persons"],
        "derived": [{"column": "share_women", "kind": "share", "denominator_bound": "persons"}],
    }
    frame = pd.DataFrame(
        [{"year": 2023, "persons": 60, "share_women": 0.6667}, {"year": 2024, "persons": 9, "share_women": 0.6667}]
    )
    result = audit_frames({"h": frame}, {"h": spec}, K)
    assert [f.text for f in result.findings] == [
        "h[year=2024].share_women = 0.6667 over at most 9 persons gives its numerator as one of [2, 4, 6]"
    ]


def test_a_cross_table_relation_pins_a_cell_the_table_alone_protects():
    """
    Yearly flow (a person may be in two towns): region 10 <= A + B, A <= 10, B <= 10; A (true 9) and
    B (true 3) hidden. Alone: A >= 1 and A <= 10: [1, 10], width 9, protected.
    The reference night's A = 9 is published, and a person on the night is in the year's flow:
    flow A >= 9, so A in [9, 10], width 1: disclosed. B stays [1, 10] (10 <= A + B gives B >= 0).
    """
    flow = pd.DataFrame(
        [{"geo": g, "persons": v, "persons_suppressed": v is None} for g, v in [("R", 10), ("A", None), ("B", None)]]
    )
    pit = pd.DataFrame([{"geo": "A", "persons": 9, "persons_suppressed": False}])
    flow_def = {
        "dimensions": ["geo"],
        "measures": ["persons"],
        "relations": [{"kind": "cover", "total": {"geo": "R"}, "parts": {"geo": "!R"}, "match": []}],
    }
    pit_def = {
        "dimensions": ["geo"],
        "measures": ["persons"],
        "relations": [
            {"kind": "subset", "total": {"table": "flow", "measure": "persons"}, "parts": {"measure": "persons"}}
        ],
    }
    alone = audit_frames({"flow": flow}, {"flow": flow_def}, K)
    assert alone.passed
    both = audit_frames({"flow": flow, "pit": pit}, {"flow": flow_def, "pit": pit_def}, K)
    assert [f.text for f in both.findings] == ["flow[geo=A].persons: attacker interval [9, 10] narrower than 5"]


def test_a_mean_over_fewer_than_ten_persons_and_a_rate_beside_its_hidden_count_are_caught():
    """A mean of nights over 6 persons (1.0 would say each had one night); a rate per 10,000 whose
    count is hidden (rate x population / 10,000 gives the count back)."""
    spec = {
        "dimensions": ["year"],
        "measures": ["persons"],
        "derived": [
            {"column": "mean_nights", "kind": "mean", "count": "persons", "min_count": 10},
            {"column": "rate", "kind": "rate", "numerator": "persons"},
        ],
    }
    frame = pd.DataFrame(
        [
            {"year": 2023, "persons": 6, "persons_suppressed": False, "mean_nights": 1.0, "rate": 0.1},
            {"year": 2024, "persons": None, "persons_suppressed": True, "mean_nights": None, "rate": 0.02},
            {"year": 2025, "persons": 12, "persons_suppressed": False, "mean_nights": 3.5, "rate": 0.2},
        ]
    )
    result = audit_frames({"l": frame}, {"l": spec}, K)
    assert sorted(f.text for f in result.findings) == [
        "l[year=2023].mean_nights is a mean over 6 persons (fewer than 10)",
        "l[year=2024].rate = 0.02 is published beside hidden persons",
    ]
    assert result.tables["l"].derived == 2


def test_a_published_count_of_1_to_4_fails_the_audit():
    result = audit_frames({"t": areas({"ALL": 23, "A": 3, "B": 20})}, {"t": AREA}, K)
    assert [f.kind for f in result.findings] == ["primary"]


REQUIRED = (
    ("mart_homeless_flow_yearly", "persons"),
    ("mart_homeless_point_in_time", "persons"),
    ("mart_first_time_homeless", "first_time_persons"),
    ("mart_length_of_homelessness", "long_term_persons"),
)


def test_the_national_run_passes_the_independent_audit_and_publishes_its_headline_totals(national_run):
    """The suite's national run (scale 0.02: a reference night of 20-30 persons, most regions 1-4):
    the independent audit of its public files (in the manifest) finds no disclosed cell, no implicit
    cell and no derived number giving a count away, and every national, NUTS3 and Rīga total of a
    headline measure of k or more is published - none hidden, none listed as hidden in the manifest.
    Where only a required total could protect tiny towns, the year's municipal rows are withheld
    instead (listed in the manifest)."""
    import json

    import duckdb

    assert national_run.returncode == 0, national_run.output[-4000:]
    published = national_run.data_dir / "published"
    sdc = json.loads((published / "manifest.json").read_text(encoding="utf-8"))["disclosure_control"]
    independent = sdc["independent_audit"]
    assert independent["result"] == "passed", independent["findings"]
    assert (independent["k"], independent["protection_level"], sdc["k"], sdc["protection_level"]) == (K, K, K, K)
    figures = independent["tables"]
    assert sum(t["disclosed"] for t in figures.values()) == 0
    assert sum(t["implicit"] for t in figures.values()) == 0
    assert sum(t["derived"] for t in figures.values()) == 0
    assert sum(t["hidden"] for t in figures.values()) > 0 and independent["seconds"] > 0
    assert sdc["required_totals_hidden"] == []
    checked = 0
    with duckdb.connect(str(published / "analyst.duckdb"), read_only=True) as con:
        for table, measure in REQUIRED:
            rows = con.execute(
                f"SELECT year, geo_level, nuts3_code, municipality_atvk, {measure}, {measure}_suppressed "
                f"FROM marts.{table} WHERE ethos_light_category = 'ALL' AND sex = 'ALL' AND age_group = 'ALL' "
                f"AND {measure}_suppressed IS NOT NULL"
            ).fetchall()
            # docs: municipality_attribution_rule - every person-year is placed in a region, so no
            # 'UNKNOWN' residual is left for the nation minus its regions to give away
            assert not any(v for _y, level, nuts3, _m, v, _s in rows if level == "nuts3" and nuts3 == "UNKNOWN")
            for year, level, nuts3, muni, value, hidden in rows:
                if level in ("national", "nuts3") or muni == "0001000":
                    checked += value >= K
                    assert not (hidden and value >= K), (table, year, level, nuts3, muni, value)
    assert checked > 20


def test_dbt_meta_is_the_one_list_of_public_marts_and_design():
    """Every mart dbt's manifest marks `tier: public` is a public table, designed by its meta alone:
    keys = dimensions, protected counts = measures, derived columns with their inputs, published rows,
    dropped and rounded columns; every relation names a kind the audit knows and tables that are public;
    a public mart without dimensions is an error, not a silent gap."""
    from homeless_monitor.disclosure.definitions import public_definitions
    from homeless_monitor.disclosure.tables import public_tables

    definitions = public_definitions()
    specs = public_tables(definitions)
    assert [s.name for s in specs] == list(definitions)
    assert {"mart_homeless_flow_yearly", "mart_homeless_point_in_time", "mart_oecd_hc31"} <= set(definitions)
    for spec in specs:
        meta = definitions[spec.name]
        assert tuple(meta["dimensions"]) == spec.keys, spec.name
        assert tuple(meta.get("measures") or ()) == spec.counts, spec.name
        assert {d["column"] for d in meta.get("derived") or []} == set(spec.derived), spec.name
        for inputs in spec.derived.values():  # every input is a published count or marked unpublished ('~')
            assert all(i in spec.counts or i.startswith("~") for i in inputs), spec.name
        for relation in meta.get("relations") or []:
            assert relation["kind"] in ("sum", "cover", "subset", "equal")
            for side in ("total", "parts"):
                assert relation[side].get("table", spec.name) in definitions
    by_name = {s.name: s for s in specs}
    # the table design read from meta (worked out from the YAML): municipalities publish totals only,
    # the estimate's model outputs to the nearest 10, HF retention at programme level only
    assert "geo_level <> 'municipality' OR ethos_light_category = 'ALL'" in by_name["mart_homeless_flow_yearly"].where
    assert by_name["mart_homelessness_estimate"].rounded["estimated_persons"] == 10
    assert "aic" in by_name["mart_homelessness_estimate"].drop
    assert by_name["mart_length_of_homelessness"].min_count["mean_nights_in_year"] == 10
    assert by_name["mart_hf_retention"].where == "municipality_atvk IS NULL AND entry_cohort = 'all'"
    assert by_name["mart_oecd_hc31"].derived["share_women"] == ("persons", "~women")
    with pytest.raises(ValueError, match="without a table design"):
        public_tables({**definitions, "mart_new": {"tier": "public"}})


def test_marts_are_named_by_their_dbt_meta_role():
    """Code names a mart by its dbt meta role; the model name is written in the YAML only."""
    from homeless_monitor.disclosure.definitions import drill_measures, mart, roles
    from homeless_monitor.report import sections

    assert mart("flow") == "mart_homeless_flow_yearly"
    assert mart("point_in_time") == "mart_homeless_point_in_time"
    assert sections.FLOW == mart("flow") and sections.HF_COSTS == mart("hf_costs")
    assert len(set(roles().values())) == len(roles())
    assert drill_measures()[mart("first_time")] == "first_time_persons"
    with pytest.raises(KeyError, match="no mart has dbt meta role"):
        mart("no_such_role")
