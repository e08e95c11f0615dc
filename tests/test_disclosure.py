"""Specifications of the disclosure control (homeless_monitor/disclosure), on hand-made tables whose
answers are worked out by hand in each docstring. k = 5: counts 1..4 are sensitive, 0 is published."""

from __future__ import annotations

import pandas as pd
import pytest

from homeless_monitor.disclosure.attacker import audit, intervals
from homeless_monitor.disclosure.control import apply_suppression
from homeless_monitor.disclosure.primary import primary_cells
from homeless_monitor.disclosure.problem import Problem
from homeless_monitor.disclosure.secondary import protect
from homeless_monitor.disclosure.tables import PUBLIC_TABLES, build_problem

K = 5
INNER = [[3, 10, 12], [8, 9, 15], [11, 14, 20]]


def three_by_three() -> tuple[Problem, dict]:
    """The 3x3 table with row, column and grand totals, every relation an exact sum."""
    p, cell = Problem(), {}
    for i in range(3):
        for j in range(3):
            cell[i, j] = p.cell(("inner", i, j), INNER[i][j], f"r{i}c{j}")
        cell[i, "T"] = p.cell(("row", i), sum(INNER[i]), f"row{i}")
    for j in range(3):
        cell["T", j] = p.cell(("col", j), sum(INNER[i][j] for i in range(3)), f"col{j}")
    cell["T", "T"] = p.cell(("all",), sum(map(sum, INNER)), "all")
    for i in [0, 1, 2, "T"]:
        p.relate("sum", cell[i, "T"], [cell[i, j] for j in range(3)])
    for j in [0, 1, 2, "T"]:
        p.relate("sum", cell["T", j], [cell[i, j] for i in range(3)])
    return p, cell


def national_flow(persons_by_category: list[tuple[str, int]]) -> pd.DataFrame:
    """The flow mart's national rows (sex and age 'ALL') with the given persons per ETHOS Light category."""
    return pd.DataFrame(
        [
            {
                "year": 2024,
                "geo_level": "national",
                "nuts3_code": "ALL",
                "municipality_atvk": "ALL",
                "ethos_light_category": category,
                "sex": "ALL",
                "age_group": "ALL",
                "persons": persons,
                "rate_per_10000": 0.1,
            }
            for category, persons in persons_by_category
        ]
    )


def test_a_3x3_table_with_margins_hides_the_cheapest_rectangle_around_its_one_small_cell():
    """
              c0  c1  c2 | total
        r0     3  10  12 |  25
        r1     8   9  15 |  32
        r2    11  14  20 |  45
        total 22  33  47 | 102

    Only r0c0 = 3 is sensitive. Its row needs a second hidden cell, so does its column, and each of
    those needs a partner in its other line: no pattern of 3 cells works, every pattern of 4 does
    only as a rectangle (or through the margins, e.g. r0c0 + row0 + col0 + total, which hides far
    more: 25 + 22 + 102). Rectangles: with r1c1 (10 + 8 + 9 = 27), r1c2 (12 + 8 + 15 = 35), r2c1
    (10 + 11 + 14 = 35), r2c2 (12 + 11 + 20 = 43): the cheapest hides r0c1, r1c0 and r1c1.

    The attacker moves the rectangle by d: r0c0 + d, r0c1 - d, r1c0 - d, r1c1 + d, every hidden cell
    at least 1 (zero is published, so a hidden cell is never 0). Up: r1c0 = 8 is the first to reach 1,
    at d = 7, so r0c0 <= 10. Down: r0c0 itself reaches 1 first (r1c1 = 9 > 3), so r0c0 >= 1.
    Interval [1, 10], width 9 >= 5: protected.
    """
    p, cell = three_by_three()
    assert primary_cells(p.values, K) == {cell[0, 0]}
    result = protect(p, K)
    assert result.suppressed == {cell[0, 0], cell[0, 1], cell[1, 0], cell[1, 1]}
    assert result.secondary == {cell[0, 1], cell[1, 0], cell[1, 1]}
    assert intervals(p, result.suppressed)[cell[0, 0]] == pytest.approx((1, 10))
    # r1c1 = 9 moves by the same d: up by 7 (r1c0 hits 1), down by 2 (r0c0 hits 1): [7, 16]
    assert intervals(p, result.suppressed)[cell[1, 1]] == pytest.approx((7, 16))
    assert audit(p, result.suppressed, K) == []


def test_the_audit_names_a_cell_that_its_row_gives_away():
    """Hiding r0c0 and r0c1 only: column 0 gives r0c0 = 22 - 8 - 11 = 3 exactly."""
    p, cell = three_by_three()
    exposed = audit(p, {cell[0, 0], cell[0, 1]}, K)
    assert {(e.label, e.low, e.high) for e in exposed} == {("r0c0", 3, 3), ("r0c1", 10, 10)}


def geography(persons: dict[tuple[str, str, str], int]) -> pd.DataFrame:
    """Point-in-time rows (category, sex and age 'ALL') for the given (level, NUTS3, municipality)."""
    return pd.DataFrame(
        [
            {
                "year": 2024,
                "geo_level": level,
                "nuts3_code": nuts3,
                "municipality_atvk": muni,
                "ethos_light_category": "ALL",
                "sex": "ALL",
                "age_group": "ALL",
                "persons": n,
                "rate_per_10000": n / 10.0,
            }
            for (level, nuts3, muni), n in persons.items()
        ]
    )


def two_towns_on_the_reference_night(a: int, b: int):
    """The reference-night table of municipalities A and B in region LV006 (region = nation = A + B):
    its frame, the public table definitions and the disclosure problem built from them."""
    frame = geography(
        {
            ("national", "ALL", "ALL"): a + b,
            ("nuts3", "LV006", "ALL"): a + b,
            ("municipality", "LV006", "A"): a,
            ("municipality", "LV006", "B"): b,
        }
    )
    return frame, *problem_for({"mart_homeless_point_in_time": frame})


def problem_for(frames: dict[str, pd.DataFrame]):
    """The public tables' definitions of these marts, and the disclosure problem built from their frames."""
    tables = tuple(t for t in PUBLIC_TABLES if t.name in frames)
    return tables, build_problem(frames, tables)


def assert_hidden_and_protected(cm, result, cell_key: tuple) -> None:
    """The cell is hidden, an attacker's interval of it is at least K wide, and the independent audit passes."""
    cell = cm.cells[cell_key]
    assert cell in result.suppressed
    low, high = intervals(cm.problem, result.suppressed)[cell]
    assert high - low >= K
    assert audit(cm.problem, result.suppressed, K) == []


def test_a_small_municipality_takes_its_sibling_with_it_and_the_totals_stay():
    """Municipality A = 3 and B = 40 in region LV006 (43), the nation = the region (43).
    A alone hidden: A = 43 - 40. So B is hidden too; then A + B = 43, both at least 1, leaves A in
    [1, 42], and the
    region and nation stay published. A's rate is hidden with it (and B's, whose count is hidden)."""
    frame, tables, cm = two_towns_on_the_reference_night(3, 40)
    result = protect(cm.problem, K)
    hidden = {cm.problem.labels[c] for c in result.suppressed}
    assert hidden == {
        "mart_homeless_point_in_time[2024, municipality, LV006, A, ALL, ALL, ALL].persons",
        "mart_homeless_point_in_time[2024, municipality, LV006, B, ALL, ALL, ALL].persons",
    }
    a = cm.cells[("mart_homeless_point_in_time", 2, "persons")]
    assert intervals(cm.problem, result.suppressed)[a] == pytest.approx((1, 42))
    out, stats = apply_suppression(
        {"mart_homeless_point_in_time": frame}, cm, result.suppressed, result.primary, K, tables
    )
    published = out["mart_homeless_point_in_time"]
    assert published["persons"].isna().tolist() == [False, False, True, True]
    assert published["persons_suppressed"].tolist() == [False, False, True, True]
    assert published["rate_per_10000"].isna().tolist() == [False, False, True, True]
    s = stats["mart_homeless_point_in_time"]
    assert (s.cells, s.published, s.primary, s.secondary) == (4, 2, 1, 1)


def test_a_zero_is_published_and_needs_no_protection():
    _, _, cm = two_towns_on_the_reference_night(0, 40)
    assert protect(cm.problem, K).suppressed == set()


def test_the_flow_counts_a_person_in_two_towns_so_its_attacker_only_has_inequalities():
    """Yearly flow: region 10 <= A + B, A <= 10, B <= 10 (someone was in both towns). Hiding A = 2
    and B = 9: A >= 10 - B >= 10 - 10 = 0, a hidden cell is at least 1, and A <= 10, so A in [1, 10];
    the same hidden pattern under exact sums (A + B = 10... here 11) would be infeasible, which is why
    the flow uses "cover"."""
    p = Problem()
    region, a, b = p.cell(("R",), 10, "R"), p.cell(("A",), 2, "A"), p.cell(("B",), 9, "B")
    p.relate("cover", region, [a, b])
    assert intervals(p, {a, b})[a] == pytest.approx((1, 10))
    assert intervals(p, {a})[a] == pytest.approx((1, 10))  # A >= 10 - 9


def test_a_cell_published_in_two_tables_is_hidden_in_both():
    """HC3.1's national rough-sleeper flow is the flow mart's national category-1 cell: one
    variable, so suppressed in both or neither."""
    flow = national_flow([("ALL", 50), ("1", 3), ("2", 47)])
    hc31 = pd.DataFrame(
        [
            {
                "year": 2024,
                "count_type": "flow",
                "ethos_light_coverage": cov,
                "persons": n,
                "rate_per_10000": 0.1,
                "share_women": 0.5,
            }
            for cov, n in [("1", 3), ("all", 50)]
        ]
    )
    frames = {"mart_homeless_flow_yearly": flow, "mart_oecd_hc31": hc31}
    tables, cm = problem_for(frames)
    assert cm.cells[("mart_oecd_hc31", 0, "persons")] == cm.cells[("mart_homeless_flow_yearly", 1, "persons")]
    result = protect(cm.problem, K)
    out, _ = apply_suppression(frames, cm, result.suppressed, result.primary, K, tables)
    assert out["mart_oecd_hc31"]["persons_suppressed"].tolist() == [True, False]
    assert out["mart_homeless_flow_yearly"]["persons_suppressed"].tolist() == [False, True, True]
    assert audit(cm.problem, result.suppressed, K) == []


def test_combined_coverage_rows_are_tied_to_their_categories():
    """Flow, nationally: category 2 = 3, category 3 = 40, '2+3' = 42 (one person in both), ALL = 43
    (category 1 = 1). The small cells 1 and 3 are hidden; '2+3' <= 2 + 3 with 3 = 40 published would
    give 2 >= 2: so more is hidden, and the attacker's interval of category 2 is at least 5 wide."""
    flow = national_flow([("ALL", 43), ("1", 1), ("2", 3), ("3", 40), ("2+3", 42)])
    _, cm = problem_for({"mart_homeless_flow_yearly": flow})
    kinds = sorted((r.kind, cm.problem.labels[r.total].split(", ")[4], len(r.parts)) for r in cm.problem.relations)
    assert kinds == [("cover", "2+3", 2), ("cover", "ALL", 3)]
    assert_hidden_and_protected(cm, protect(cm.problem, K), ("mart_homeless_flow_yearly", 2, "persons"))


def test_a_missing_category_row_is_a_zero_so_1_2_3_equals_its_2_3():
    """Flow of one region: ALL = 18, '1+2+3' = 15, '2+3' = 15 (2 = 9, 3 = 8, one person in both), 4 = 3; there
    is no category-1 row, so any reader knows category 1 is 0 and '1+2+3' = '2+3' exactly. Category 4 = 3 is
    small; hiding it alone gives 4 >= ALL - '1+2+3' = 3, so '1+2+3' is hidden too. Found by the independent
    audit on the suite's incremental run: the suppression related '1+2+3' to its parts only when the
    category-1 row existed, so hiding '1+2+3' beside a published '2+3' = 15 looked safe. Now the relation
    '1+2+3' <= '2+3' (cover over the one non-empty part) is in the model, and the pattern hides '2+3' as
    well (or keeps '1+2+3' protected otherwise): every hidden cell's interval is at least 5 wide."""
    flow = national_flow([("ALL", 18), ("1+2+3", 15), ("2", 9), ("3", 8), ("2+3", 15), ("4", 3)])
    _, cm = problem_for({"mart_homeless_flow_yearly": flow})
    label = {r.total: cm.problem.labels[r.total].split(", ")[4] for r in cm.problem.relations}
    nested = [r for r in cm.problem.relations if label[r.total] == "1+2+3"]
    # dbt meta: '1+2+3' over '1' and '2+3' - here over '2+3' alone (category 1 has no row), as a reader
    # knows ('2+3' over 2 and 3 carries the rest)
    assert [[cm.problem.labels[p].split(", ")[4] for p in r.parts] for r in nested] == [["2+3"]]
    assert_hidden_and_protected(cm, protect(cm.problem, K), ("mart_homeless_flow_yearly", 1, "persons"))


def test_first_time_rows_without_a_complete_look_back_are_not_published(tmp_path):
    import duckdb

    from homeless_monitor.disclosure.tables import read_public_frames

    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute("""CREATE TABLE marts.mart_first_time_homeless AS SELECT * FROM (VALUES
            (2015, 'national', 'ALL', 'ALL', 'ALL', 'ALL', 'ALL', 50, 50, 1.0, false),
            (2017, 'national', 'ALL', 'ALL', 'ALL', 'ALL', 'ALL', 60, 20, 0.33, true))
            t(year, geo_level, nuts3_code, municipality_atvk, ethos_light_category, sex, age_group,
              persons_entering, first_time_persons, first_time_share, history_complete)""")
        frames = read_public_frames(con)
    assert frames["mart_first_time_homeless"]["year"].tolist() == [2017]


def _two_breakdowns_of_one_total(headline: bool) -> tuple[Problem, dict]:
    """National total 100, split by sex (1 + 99) and by age group (2 + 98), every relation exact."""
    p, cell = Problem(), {}
    cell["T"] = p.cell(("total",), 100, "total")
    for name, value in (("f", 1), ("m", 99), ("young", 2), ("old", 98)):
        cell[name] = p.cell((name,), value, name)
    p.relate("sum", cell["T"], [cell["f"], cell["m"]])
    p.relate("sum", cell["T"], [cell["young"], cell["old"]])
    if headline:
        p.headline.add(cell["T"])
    return p, cell


def test_a_national_total_stays_published_when_another_pattern_protects_the_small_cells():
    """
        total 100 = women 1 + men 99 = under-25s 2 + older 98;  women = 1 and under-25s = 2 are sensitive.

    Cheapest by cell count: hide the total alone (3 cells). The attacker then has w + 99 = y + 98,
    so y = w + 1, and nothing above: w in [1, inf), y in [2, inf), wide enough. Hiding men and older
    instead also protects (4 cells): w + m = 100 with both hidden (each at least 1) moves w in
    [1, 99]. A cost per cell picks the first; as a national total (the figure the report leads with)
    the total costs 50 cells, so the second is chosen and the total is published. (Both patterns also
    hide one cell of each pair total - men = 1 and total - older = 2, differences of 1..4.)
    """
    p, cell = _two_breakdowns_of_one_total(headline=False)
    assert protect(p, K).secondary == {cell["T"]}
    p, cell = _two_breakdowns_of_one_total(headline=True)
    result = protect(p, K)
    assert result.secondary == {cell["m"], cell["old"]}
    assert cell["T"] not in result.suppressed
    assert audit(p, result.suppressed, K) == []


def test_national_rows_of_the_breakdown_marts_are_headline_cells():
    from homeless_monitor.disclosure.tables import is_headline

    assert is_headline((2024, "national", "ALL", "ALL", "ALL", "ALL", "ALL"))
    assert not is_headline((2024, "national", "ALL", "ALL", "1", "ALL", "ALL"))
    assert not is_headline((2024, "nuts3", "LV006", "ALL", "ALL", "ALL", "ALL"))
    assert not is_headline((2024,))


def test_tiny_towns_are_withheld_rather_than_a_required_total(tmp_path):
    """Reference night, k = 5: the nation 20 = Rīga (region LV006 = the city 0001000) 12 + region
    LV005 8, whose five towns have 1, 1, 1, 1 and 4 persons. All five towns are 1..4 and hidden, each
    at least 1 (a row exists only for a town with someone): their sum is the region's 8, so each of the
    first four is at most 8 - 4 = 4 - interval [1, 4], width 3 < 5. Hiding LV005 does not help, it is
    20 - 12; only hiding the nation or Rīga as well leaves the towns unbounded above. The suppression
    alone (protect) therefore hides a required total of 5 or more. control() hides detail instead: it
    withholds the year's municipal rows (but Rīga's, a region of its own), after which no count is
    below 5 and nation, Rīga, LV005 and the city row are all published; both audits pass."""
    import duckdb

    from homeless_monitor.disclosure.control import control
    from homeless_monitor.disclosure.definitions import public_definitions
    from homeless_monitor.disclosure.independent import audit_frames

    towns = {("municipality", "LV005", t): n for t, n in zip(("A", "B", "C", "D", "E"), (1, 1, 1, 1, 4))}
    frame = geography(
        {
            ("national", "ALL", "ALL"): 20,
            ("nuts3", "LV006", "ALL"): 12,
            ("municipality", "LV006", "0001000"): 12,
            ("nuts3", "LV005", "ALL"): 8,
            **towns,
        }
    )
    tables, cm = problem_for({"mart_homeless_point_in_time": frame})
    old = protect(cm.problem, K)
    hidden_totals = {cm.problem.labels[c] for c in old.suppressed & cm.problem.required if cm.problem.values[c] >= K}
    assert old.required_fallbacks == 1 and hidden_totals
    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA marts")
        con.register("frame", frame)
        con.execute("CREATE TABLE marts.mart_homeless_point_in_time AS SELECT * FROM frame")
        result = control(con, K, tables)
    assert result.passed and result.required_hidden == []
    assert result.withheld == [("mart_homeless_point_in_time", 2024)]
    published = result.tables["mart_homeless_point_in_time"]
    rows = published[["geo_level", "nuts3_code", "municipality_atvk", "persons"]].itertuples(index=False)
    assert {(g, r, m): int(n) for g, r, m, n in rows} == {
        ("national", "ALL", "ALL"): 20,
        ("nuts3", "LV006", "ALL"): 12,
        ("municipality", "LV006", "0001000"): 12,
        ("nuts3", "LV005", "ALL"): 8,
    }
    assert not published["persons_suppressed"].any()
    assert audit_frames(result.tables, public_definitions(), K).passed
    # the published data dictionary tells the reader that the year's towns were left out, not zero
    from homeless_monitor.release.public import write_public

    write_public(tmp_path, result)
    dictionary = (tmp_path / "public" / "mart_homeless_point_in_time.dictionary.csv").read_text(encoding="utf-8")
    table_row = dictionary.splitlines()[1]
    assert "municipal rows withheld for 2024" in table_row and "not a zero" in table_row
