"""The yearly estimate and sensitivity tables (homeless_monitor/estimation/yearly.py) on hand-made overlap tables.

The overlap table carries the five yearly lists and the three crisis lists by half-year (on_*_h1 / on_*_h2,
each yearly crisis column the OR of its halves, as mart_homelessness_list_overlaps gives them). The
published figure comes from the half-year occasions; the yearly model average is a comparison row."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from homeless_monitor.estimation.yearly import COLUMNS, SENSITIVITY_COLUMNS, half_year_occasions, yearly_tables

#: the occasions of a hand-made row: shelter, ambulance h1, h2, police h1, h2, prison, hospital h1, h2
OCCASIONS = [
    "on_shelter",
    "on_ambulance_h1",
    "on_ambulance_h2",
    "on_police_h1",
    "on_police_h2",
    "on_prison",
    "on_hospital_h1",
    "on_hospital_h2",
]


def _cells(year: int, rows: list[tuple], strata: tuple[str, str] | None = None) -> list[dict]:
    """rows: (the 8 occasions' flags, persons); the yearly crisis columns are the OR of their halves."""
    extra = {"age_group": strata[0], "region": strata[1]} if strata else {}
    out = []
    for r in rows:
        flags = {n: bool(v) for n, v in zip(OCCASIONS, r[:8])}
        for name in ("ambulance", "police", "hospital"):
            flags[f"on_{name}"] = flags[f"on_{name}_h1"] or flags[f"on_{name}_h2"]
        out.append({"year": year, **flags, **extra, "persons": r[8]})
    return out


def test_two_lists_one_split_in_halves_is_lincoln_petersen_of_the_halves():
    # 2021: 60 only in shelters, 20 in shelters and on the ambulance list, and outside shelters on the
    # ambulance list 20 in the first half only, 10 in the second half only, 10 in both. The shelter users
    # (80) are counted; the halves of the ambulance list are two occasions: n1 = 30, n2 = 20, m = 10,
    # Lincoln-Petersen 30 x 20 / 10 = 60 (the presence classes have more parameters than the 3 cells and are
    # left out), so 80 + 60 = 140. Chao on the yearly lists: f1 = 100, f2 = 20: 120 + 100^2 / 40 = 370, above.
    # Two lists < 3: not published. The yearly model average (shelter modelled: only 2 yearly lists):
    # 60 x 40 / 20 = 120 unseen, 240. 2022 has one list only: no row.
    overlaps = pd.DataFrame(
        _cells(
            2021,
            [
                (1, 0, 0, 0, 0, 0, 0, 0, 60),
                (1, 1, 0, 0, 0, 0, 0, 0, 20),
                (0, 1, 0, 0, 0, 0, 0, 0, 20),
                (0, 0, 1, 0, 0, 0, 0, 0, 10),
                (0, 1, 1, 0, 0, 0, 0, 0, 10),
            ],
        )
        + _cells(2022, [(1, 0, 0, 0, 0, 0, 0, 0, 90)])
    )
    table, sens = yearly_tables(overlaps)
    assert list(table.columns) == COLUMNS and list(sens.columns) == SENSITIVITY_COLUMNS
    assert table["year"].tolist() == [2021]
    row = table.iloc[0]
    assert row["lists_used"] == "shelter,ambulance" and row["list_count"] == 2
    assert row["observed_persons"] == 120 and row["shelter_users_counted"] == 80
    assert row["poisson_estimate"] == 140 and row["models_averaged"] == 1
    assert row["chao_lower_bound"] == 370 and bool(row["chao_exceeds_estimate"])
    assert "neither a floor" in row["chao_note_en"]
    assert not row["is_published"] and pd.isna(row["estimated_persons"]) and pd.isna(row["ci_lower"])
    assert "fewer than 3 lists" in row["not_published_reason_en"]
    chosen = sens[sens["model_key"] == "half_year_presence"].iloc[0]
    assert not chosen["is_chosen"] and pd.isna(chosen["estimate"]) and not sens["is_chosen"].any()
    assert sens.loc[sens["model_key"] == "model_average", "estimate"].item() == 240
    assert sens.loc[sens["model_key"] == "independence", "estimate"].item() == 237  # multinomial profile maximum


#: half-year catchability outside shelters on each crisis list (the same in both halves)
Q = {"ambulance": 0.5, "police": 0.2, "hospital": 0.4}


def _three_crisis_lists(scale: float = 1) -> list[tuple]:
    # 2,000 shelter users (some also on crisis lists), and outside shelters 10,000 persons present all year,
    # caught independently on each half-year occasion with Q: ambulance 0.5, police 0.2, hospital 0.4 a half
    # (yearly 0.75, 0.36, 0.64, also independent). Every cell is 10,000 x a multiple of 0.25 x 0.04 x 0.16:
    # whole persons. On no occasion: 10,000 x 0.25 x 0.64 x 0.36 = 576, so 9,424 seen outside shelters.
    rows = [(1, 0, 0, 0, 0, 0, 0, 0, 1700), (1, 1, 0, 0, 0, 0, 0, 0, 200), (1, 0, 0, 0, 1, 0, 0, 0, 100)]
    q = [Q["ambulance"]] * 2 + [Q["police"]] * 2 + [Q["hospital"]] * 2
    for w in itertools.product((0, 1), repeat=6):
        if any(w):
            share = 1.0
            for caught, p in zip(w, q):
                share *= p if caught else 1 - p
            rows.append((0, *w[:4], 0, *w[4:], round(10_000 * share * scale)))
    return rows


def test_shelter_users_are_counted_and_the_rest_estimated_from_the_half_years():
    # Outside shelters the half-year cells are exactly independent with everyone present all year: the
    # published figure is 2,000 + 10,000, and the yearly model average (the yearly cells are independent
    # too) agrees with it; exactly one row of the sensitivity table is chosen, the half-year one.
    table, sens = yearly_tables(pd.DataFrame(_cells(2024, _three_crisis_lists())))
    row = table.iloc[0]
    assert row["lists_used"] == "shelter,ambulance,police,hospital"
    assert row["shelter_users_counted"] == 2000
    assert row["observed_persons"] == 2000 + 9424
    assert abs(row["estimated_persons"] - 12000) <= 2
    assert row["ci_lower"] <= 12000 <= row["ci_upper"] and row["ci_lower"] >= row["observed_persons"]
    assert row["is_published"] and pd.isna(row["not_published_reason_en"])
    assert row["criterion"] == "half-year-presence" and "shelter users counted" in row["model"]
    keys = sens["model_key"].tolist()
    assert {"independence", "bic_stepwise", "aic_stepwise", "aic_best", "model_average", "chao"} <= set(keys)
    assert sens["is_chosen"].sum() == 1 and sens.loc[sens["is_chosen"], "model_key"].item() == "half_year_presence"
    chosen = sens.loc[sens["is_chosen"]].iloc[0]
    assert chosen["estimate"] == row["estimated_persons"] and chosen["upper"] == row["ci_upper"]
    assert "part of the year" in chosen["reason_en"] and "daļu gada" in chosen["reason_lv"]
    yearly_avg = sens.loc[sens["model_key"] == "model_average"].iloc[0]
    assert abs(yearly_avg["estimate"] - 12000) <= 2 and not yearly_avg["is_chosen"]
    assert "published before" in yearly_avg["model_label_en"] and "until now" in yearly_avg["reason_en"]
    assert sens["model_label_lv"].str.len().gt(0).all() and sens["reason_lv"].str.len().gt(0).all()


def test_a_part_year_population_is_published_from_the_half_years():
    # 1,000 shelter users, and outside shelters 3,200 persons on three crisis lists (ambulance, police,
    # hospital), each split in halves: 640 homeless in the first half only, 640 in the second half only,
    # 1,920 all year; a person present in a half is caught on each of its three occasions with p = 1/2 (the
    # hand-worked table of tests/test_estimate_presence.py, scaled to whole persons). Each pattern within
    # one half holds 640/8 = 80 part-year persons, each pattern over both halves 1,920/64 = 30 all-year
    # ones. On no occasion: 80 + 80 + 30 = 190, so 3,010 seen outside shelters, 4,010 in all. The published
    # figure (presence classes: they fit these cells exactly) is 1,000 + 3,200 = 4,200. (Three lists, not
    # two: with two split lists a model with everyone present all year and a within-half dependence term
    # fits the same cells exactly, and the two explanations cannot be told apart.) On the yearly lists a
    # part-year person is on a list with 1/2, an all-year one with 3/4: catchability that differs between
    # persons, which the yearly model average (published before) can only meet with its heterogeneity terms;
    # it stays in the sensitivity table as a comparison row.
    rows = [(1, 0, 0, 0, 0, 0, 0, 0, 1000)]
    for w in itertools.product((0, 1), repeat=6):  # ambulance h1, h2, police h1, h2, hospital h1, h2
        if any(w):
            first, second = w[0] + w[2] + w[4], w[1] + w[3] + w[5]
            persons = 80 * (second == 0) + 80 * (first == 0) + 30
            rows.append((0, *w[:4], 0, *w[4:], persons))
    table, sens = yearly_tables(pd.DataFrame(_cells(2024, rows)))
    row = table.iloc[0]
    assert row["observed_persons"] == 4010 and row["shelter_users_counted"] == 1000
    assert row["is_published"]
    assert row["estimated_persons"] == pytest.approx(4200, abs=3)
    assert row["ci_lower"] <= 4200 <= row["ci_upper"]
    assert "some people present in one half of the year only" in row["model"]
    assert sens["is_chosen"].sum() == 1
    chosen = sens.loc[sens["is_chosen"]].iloc[0]
    assert chosen["model_key"] == "half_year_presence" and chosen["estimate"] == row["estimated_persons"]
    assert not sens.loc[sens["model_key"] == "model_average", "is_chosen"].item()


def test_a_list_empty_in_one_half_is_one_yearly_occasion():
    # The hand-made lists above with every hospital record in the first half (the second half's persons
    # moved to the first): hospital is one yearly occasion (half 0, the yearly column), ambulance and
    # police keep their halves in order (first half before second, list by list), and the year is published.
    rows = []
    for r in _three_crisis_lists():
        flags = list(r[:8])
        flags[6], flags[7] = int(flags[6] or flags[7]), 0
        rows.append((*flags, r[8]))
    cells = pd.DataFrame(_cells(2024, rows))
    names, halves, columns = half_year_occasions(cells, ["shelter", "ambulance", "police", "hospital"])
    assert halves == [0, 1, 2, 1, 2, 0]
    assert columns == [
        "on_shelter",
        "on_ambulance_h1",
        "on_ambulance_h2",
        "on_police_h1",
        "on_police_h2",
        "on_hospital",
    ]
    assert names[-1] == "hospital"
    table, _ = yearly_tables(cells)
    assert table.iloc[0]["is_published"] and table.iloc[0]["observed_persons"] == 11424


def test_strata_come_from_the_covariate_columns():
    # the same table split in two strata (age groups) with the same counts each: 2 strata; the half-year
    # method does not split by stratum (it collapses them), the yearly average has its covariate models
    rows = _cells(2024, _three_crisis_lists(), ("30_49", "riga")) + _cells(
        2024, _three_crisis_lists(), ("50_plus", "other")
    )
    table, sens = yearly_tables(pd.DataFrame(rows))
    row = table.iloc[0]
    assert row["strata"] == 2 and row["shelter_users_counted"] == 4000
    assert abs(row["estimated_persons"] - 24000) <= 4
    assert "covariates" in set(sens["model_key"])


def test_a_year_with_too_few_persons_is_not_published():
    rows = [(*r[:8], max(1, r[8] // 40)) for r in _three_crisis_lists()]
    table, sens = yearly_tables(pd.DataFrame(_cells(2024, rows)))
    row = table.iloc[0]
    assert row["observed_persons"] < 500 and not row["is_published"] and pd.isna(row["estimated_persons"])
    assert (
        "fewer than 500 persons" in row["not_published_reason_en"] and "nav publicēts" in row["not_published_reason_lv"]
    )
    assert not sens["is_chosen"].any()
    assert pd.isna(sens.loc[sens["model_key"] == "half_year_presence", "estimate"].item())


def test_the_likely_housed_are_set_aside_counted_and_shown_kept():
    # 21 persons on the ambulance list alone (first half) are set aside as likely housed: they are published
    # as a count, are in neither the observed persons nor the estimate (which equals that of the table
    # without them), and the sensitivity table shows the published method with them kept: 21 more observed,
    # and more unseen (a larger ambulance-only cell means a less catchable ambulance list).
    cells = pd.DataFrame(_cells(2024, _three_crisis_lists())).assign(set_aside_persons=0)
    aside = pd.DataFrame(_cells(2024, [(0, 1, 0, 0, 0, 0, 0, 0, 0)])).assign(set_aside_persons=21)
    table, sens = yearly_tables(pd.concat([cells, aside]), with_kept=True)
    plain, plain_sens = yearly_tables(cells, with_kept=True)
    row = table.iloc[0]
    assert row["set_aside_likely_housed"] == 21 and plain.iloc[0]["set_aside_likely_housed"] == 0
    assert row["observed_persons"] == 11424 and row["estimated_persons"] == plain.iloc[0]["estimated_persons"]
    kept = sens.loc[sens["model_key"] == "likely_housed_kept"].iloc[0]
    assert kept["observed_persons"] == 11424 + 21 and not kept["is_chosen"]
    assert kept["estimate"] - 21 > row["estimated_persons"]
    # whether they are housed is not known: the published interval reaches over the one with them kept
    assert row["ci_lower"] <= kept["lower"] and kept["upper"] <= row["ci_upper"]
    assert plain.iloc[0]["ci_upper"] <= row["ci_upper"]  # (equal when a model's own interval reaches further)
    assert kept["model_label_en"] and kept["reason_lv"]  # words only: the count is a column, shown from k = 5
    assert "likely_housed_kept" not in plain_sens["model_key"].tolist()  # nothing set aside: no such row
    assert "likely_housed_kept" not in yearly_tables(pd.concat([cells, aside]))[1]["model_key"].tolist()
    few, few_sens = yearly_tables(pd.concat([cells, aside.assign(set_aside_persons=4)]), with_kept=True)
    assert pd.isna(few.iloc[0]["set_aside_likely_housed"])  # 4 < k = 5: not shown, nor the estimate with them
    assert "likely_housed_kept" not in few_sens["model_key"].tolist()


def test_the_two_marts_fit_the_models_once_for_the_same_overlaps(monkeypatch):
    """The estimate and the sensitivity marts each ask for their table; for the same overlaps the years are
    fitted once (the second gets the first's result), for other overlaps again; both equal a fresh fit."""
    from homeless_monitor.estimation import yearly

    cells = pd.DataFrame(_cells(2024, _three_crisis_lists()))
    fresh, fresh_sens = yearly_tables(cells, with_kept=True)
    fits = []
    fit = yearly.estimate_year
    monkeypatch.setattr(yearly, "estimate_year", lambda *a, **k: fits.append(a[0]) or fit(*a, **k))
    monkeypatch.setattr(yearly, "_last_fit", None)

    pd.testing.assert_frame_equal(yearly.yearly_estimates(cells), fresh)
    pd.testing.assert_frame_equal(yearly.yearly_sensitivity(cells.copy()), fresh_sens)
    assert fits == [2024]
    yearly.yearly_estimates(cells.assign(persons=cells["persons"] + 1))
    assert fits == [2024, 2024]
