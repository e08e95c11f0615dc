"""The relations of the four breakdown marts (flow, point-in-time, first-time, length), published as
three cross-classifications only (data minimisation): geography x ETHOS Light category (sex and age
'ALL'), and nationally sex x age group (category 'ALL').

Which relations are exact depends on the mart: the yearly flow counts a person in every town and
category of the year ("cover": total <= sum of parts, each part <= total); point-in-time (one night),
first-time (the year's earliest entry) and length (the year's last night) count one row per person
("sum"). Sex and age group are one per person-year in all four ("sum").
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from homeless_monitor.disclosure.problem import Kind, Problem

KEY = ("year", "geo_level", "nuts3_code", "municipality_atvk", "ethos_light_category", "sex", "age_group")
SINGLE_CATEGORIES = ("1", "2", "3", "4", "5", "6")
COMBINED_CATEGORIES = {"2+3": ("2", "3"), "1+2+3": ("1", "2", "3"), "ALL": SINGLE_CATEGORIES}

# data minimisation (table design, the first protection): the rows each mart publishes are its dbt
# meta `rows` (dbt/models/marts/_marts__models.yml, with the reasons): geography x ETHOS Light category
# with sex and age 'ALL', and nationally sex x age group with category 'ALL' (the flow); categories
# nationally only and no sex x age grid (point-in-time, first-time, length); a municipality publishes
# its total only.
#: the design before issue 22 (every category per municipality), kept to measure the redesign against
MINIMISED_BEFORE_ISSUE_22 = (
    "((sex = 'ALL' AND age_group = 'ALL') OR (geo_level = 'national' AND ethos_light_category = 'ALL'))"
)
#: unions of combined coverages: ALL over '1+2+3' and 4-6, '1+2+3' over 1 and '2+3'
NESTED_COMBINED = {"ALL": ("1+2+3", "4", "5", "6"), "1+2+3": ("1", "2+3")}


def relate_breakdown(
    problem: Problem, cells: dict[tuple, int], frame: pd.DataFrame, geo_kind: Kind, category_kind: Kind
) -> None:
    """Add the relations among the rows of one breakdown mart and one count measure.

    cells: row key (the KEY columns) -> variable, for the rows whose measure is published.
    """
    keys = [tuple(row) for row in frame[list(KEY)].itertuples(index=False, name=None)]
    present = [k for k in keys if k in cells]
    combined = any(k[4] == "1+2+3" for k in keys)
    # geography: national = sum of NUTS3 regions; region = sum of its municipalities
    regions: dict[tuple, list[int]] = defaultdict(list)
    municipalities: dict[tuple, list[int]] = defaultdict(list)
    for year, level, nuts3, muni, cat, sex, age in present:
        if sex != "ALL" or age != "ALL":
            continue
        if level == "nuts3":
            regions[(year, cat)].append(cells[(year, level, nuts3, muni, cat, sex, age)])
        elif level == "municipality":
            municipalities[(year, nuts3, cat)].append(cells[(year, level, nuts3, muni, cat, sex, age)])
    for year, level, nuts3, muni, cat, sex, age in present:
        if sex != "ALL" or age != "ALL":
            continue
        total = cells[(year, level, nuts3, muni, cat, sex, age)]
        if level == "national":
            problem.relate(geo_kind, total, regions.get((year, cat), []))
        elif level == "nuts3":
            problem.relate(geo_kind, total, municipalities.get((year, nuts3, cat), []))
        # categories: ALL and the combined coverages over the single categories of the same place
        if cat in COMBINED_CATEGORIES:
            parts = [cells.get((year, level, nuts3, muni, c, sex, age)) for c in COMBINED_CATEGORIES[cat]]
            problem.relate(category_kind, total, parts)
        # and over the combined coverages they contain (where the mart has combined rows)
        # (a combined part must be a published row; a single category with no row is empty, 0 persons,
        # as any reader knows: '1+2+3' with no category-1 row equals its '2+3')
        if cat in NESTED_COMBINED and combined:
            parts = [cells.get((year, level, nuts3, muni, c, sex, age)) for c in NESTED_COMBINED[cat]]
            nested = [p for c, p in zip(NESTED_COMBINED[cat], parts) if c in COMBINED_CATEGORIES]
            if all(p is not None for p in nested):
                problem.relate(category_kind, total, parts)
    # sex x age nationally (category ALL): exact both ways
    by_age: dict[tuple, list[int]] = defaultdict(list)
    by_sex: dict[tuple, list[int]] = defaultdict(list)
    for year, level, nuts3, muni, cat, sex, age in present:
        if level != "national" or cat != "ALL":
            continue
        cell = cells[(year, level, nuts3, muni, cat, sex, age)]
        if sex != "ALL":
            by_age[(year, age)].append(cell)
        if age != "ALL":
            by_sex[(year, sex)].append(cell)
    for (year, age), parts in by_age.items():
        problem.relate("sum", cells.get((year, "national", "ALL", "ALL", "ALL", "ALL", age)), parts)
    for (year, sex), parts in by_sex.items():
        problem.relate("sum", cells.get((year, "national", "ALL", "ALL", "ALL", sex, "ALL")), parts)
