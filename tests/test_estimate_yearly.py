"""The yearly estimate and sensitivity tables (homeless_monitor/estimation/yearly.py) on hand-made overlap tables."""

from __future__ import annotations

import pandas as pd

from homeless_monitor.estimation.yearly import COLUMNS, SENSITIVITY_COLUMNS, yearly_tables

NAMES = ["on_shelter", "on_ambulance", "on_police", "on_prison", "on_hospital"]


def _cells(year: int, rows: list[tuple], strata: tuple[str, str] | None = None) -> list[dict]:
    extra = {"age_group": strata[0], "region": strata[1]} if strata else {}
    return [{"year": year, **{n: bool(v) for n, v in zip(NAMES, r[:5])}, **extra, "persons": r[5]} for r in rows]


def test_two_lists_give_lincoln_petersen_but_are_not_published():
    # 2021: 60 only in shelters, 40 only seen by the ambulance, 20 on both; no one on the other lists.
    # With two lists nothing but independence can be fitted (the 1:2 interaction and the
    # heterogeneity term leave no degree of freedom): unseen = 60 x 40 / 20 = 120, N = 240 (the
    # shelter list is modelled, not counted: with it counted one list would be left). Chao: f1 = 100,
    # f2 = 20: 120 + 100^2 / 40 = 370, above the estimate. Two lists < 3: not published.
    # 2022 has one list only: no row.
    overlaps = pd.DataFrame(
        _cells(2021, [(1, 0, 0, 0, 0, 60), (0, 1, 0, 0, 0, 40), (1, 1, 0, 0, 0, 20)])
        + _cells(2022, [(1, 0, 0, 0, 0, 90)])
    )
    table, sens = yearly_tables(overlaps)
    assert list(table.columns) == COLUMNS and list(sens.columns) == SENSITIVITY_COLUMNS
    assert table["year"].tolist() == [2021]
    row = table.iloc[0]
    assert row["lists_used"] == "shelter,ambulance" and row["list_count"] == 2
    assert row["observed_persons"] == 120 and row["shelter_users_counted"] == 0
    assert row["poisson_estimate"] == 240 and row["models_averaged"] == 1
    assert row["chao_lower_bound"] == 370 and bool(row["chao_exceeds_estimate"])
    assert "neither a floor" in row["chao_note_en"]
    assert not row["is_published"] and pd.isna(row["estimated_persons"]) and pd.isna(row["ci_lower"])
    assert "fewer than 3 lists" in row["not_published_reason_en"]
    chosen = sens[sens["model_key"] == "model_average"].iloc[0]
    assert not chosen["is_chosen"] and pd.isna(chosen["estimate"])
    assert sens.loc[sens["model_key"] == "independence", "estimate"].item() == 237  # multinomial profile maximum


def _three_crisis_lists(scale: int = 1) -> list[tuple]:
    # 2,000 shelter users (some also on crisis lists) and three crisis lists outside shelters
    # where ambulance and police are independent: a = 0.5, p = 0.4, h = 0.3 of 1,000 persons.
    rows = [(1, 0, 0, 0, 0, 1700), (1, 1, 0, 0, 0, 200), (1, 0, 1, 0, 0, 100)]
    m = 1000
    for a in (0, 1):
        for p in (0, 1):
            for h in (0, 1):
                if a or p or h:
                    share = (0.5 if a else 0.5) * (0.4 if p else 0.6) * (0.3 if h else 0.7)
                    rows.append((0, a, p, 0, h, round(m * share * scale)))
    return rows


def test_shelter_users_are_counted_and_the_rest_estimated_from_the_other_lists():
    # Outside shelters the cells are exactly independent (1,000 persons, 0.5 x 0.6 x 0.7 = 210 on no list): every
    # usable model gives 1,000 and the average too; the shelter users (2,000) are added, not modelled.
    table, sens = yearly_tables(pd.DataFrame(_cells(2024, _three_crisis_lists())))
    row = table.iloc[0]
    assert row["lists_used"] == "shelter,ambulance,police,hospital"
    assert row["shelter_users_counted"] == 2000
    assert row["observed_persons"] == 2000 + 790
    assert abs(row["estimated_persons"] - 3000) <= 2
    assert row["ci_lower"] <= 3000 <= row["ci_upper"] and row["ci_lower"] >= row["observed_persons"]
    assert row["is_published"] and pd.isna(row["not_published_reason_en"])
    assert row["criterion"] == "aic-average" and "shelter users counted" in row["model"]
    keys = sens["model_key"].tolist()
    assert {"independence", "bic_stepwise", "aic_stepwise", "aic_best", "model_average", "chao"} <= set(keys)
    assert sens["is_chosen"].sum() == 1 and sens.loc[sens["is_chosen"], "model_key"].item() == "model_average"
    assert sens["model_label_lv"].str.len().gt(0).all() and sens["reason_lv"].str.len().gt(0).all()


def test_strata_come_from_the_covariate_columns():
    # the same table split in two strata (age groups) with the same counts each: 2 strata
    rows = _cells(2024, _three_crisis_lists(), ("30_49", "riga")) + _cells(
        2024, _three_crisis_lists(), ("50_plus", "other")
    )
    table, sens = yearly_tables(pd.DataFrame(rows))
    row = table.iloc[0]
    assert row["strata"] == 2 and row["shelter_users_counted"] == 4000
    assert abs(row["estimated_persons"] - 6000) <= 4
    assert "covariates" in set(sens["model_key"])


def test_a_year_with_too_few_persons_is_not_published():
    rows = [(r[0], r[1], r[2], r[3], r[4], max(1, r[5] // 20)) for r in _three_crisis_lists()]
    table, _ = yearly_tables(pd.DataFrame(_cells(2024, rows)))
    row = table.iloc[0]
    assert row["observed_persons"] < 500 and not row["is_published"]
    assert (
        "fewer than 500 persons" in row["not_published_reason_en"] and "nav publicēts" in row["not_published_reason_lv"]
    )


def test_the_likely_housed_are_set_aside_counted_and_shown_kept():
    # 21 persons on the ambulance list alone are set aside as likely housed: they are published as a count,
    # are in neither the observed persons nor the estimate (which equals that of the table without them),
    # and the sensitivity table shows the published method with them kept: 21 more observed, and more unseen
    # (a larger ambulance-only cell means a less catchable ambulance list).
    cells = pd.DataFrame(_cells(2024, _three_crisis_lists())).assign(set_aside_persons=0)
    aside = pd.DataFrame(_cells(2024, [(0, 1, 0, 0, 0, 0)])).assign(set_aside_persons=21)
    table, sens = yearly_tables(pd.concat([cells, aside]), with_kept=True)
    plain, plain_sens = yearly_tables(cells, with_kept=True)
    row = table.iloc[0]
    assert row["set_aside_likely_housed"] == 21 and plain.iloc[0]["set_aside_likely_housed"] == 0
    assert row["observed_persons"] == 2790 and row["estimated_persons"] == plain.iloc[0]["estimated_persons"]
    kept = sens.loc[sens["model_key"] == "likely_housed_kept"].iloc[0]
    assert kept["observed_persons"] == 2790 + 21 and not kept["is_chosen"]
    assert kept["estimate"] - 21 > row["estimated_persons"]
    # whether they are housed is not known: the published interval reaches over the one with them kept
    assert row["ci_lower"] <= kept["lower"] and kept["upper"] <= row["ci_upper"]
    assert plain.iloc[0]["ci_upper"] < row["ci_upper"]
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
