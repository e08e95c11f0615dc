"""Drill-down: the pseudonymised persons (and their episodes) behind one cell of a mart.

Reads person-level rows from the restricted tier (fct_service_days, dim_person) and the geography
from the analyst tier (dim_municipality), describes each night exactly as the mart's dbt model does
(category, municipality, NUTS3, sex, age group in the year), keeps the nights that belong to the cell,
and lists one row per person. A cell value 'ALL' means "not restricted"; '2+3' and '1+2+3' mean the
union of those categories. The count of persons listed equals the cell (tests/test_drill.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from homeless_monitor.disclosure import definitions as dbt_meta

# the marts a drill-down is defined for, and the column holding a cell's count of persons: dbt meta
# `drill_measure` of each mart; marts by their dbt meta `role` (disclosure/definitions.py)
CELL_COLUMNS = (
    "year",
    "nuts3_code",
    "municipality_atvk",
    "ethos_light_category",
    "sex",
    "age_group",
    "count_type",
    "ethos_light_coverage",
)
COVERAGES = {"1": ("1",), "2+3": ("2", "3"), "1+2+3": ("1", "2", "3"), "all": ("1", "2", "3", "4", "5", "6")}


class DrillError(ValueError):
    """A mart or cell that cannot be drilled into as asked."""


@dataclass
class Drill:
    mart: str
    cell: dict
    cell_value: int | None  # the mart's count for the cell (None: no such row)
    persons: pd.DataFrame  # one row per person
    episodes: pd.DataFrame  # one row per person and episode inside the cell


def parse_cell(text: str) -> dict:
    """'year=2024,municipality_atvk=0001000' -> {'year': '2024', 'municipality_atvk': '0001000'}."""
    cell = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep:
            raise DrillError(f"cell part '{part}' is not key=value")
        cell[key.strip()] = value.strip()
    return cell


_AGE_GROUP = """case
    when p.birth_year is null then 'unknown'
    when n.service_year - p.birth_year < 18 then '0-17'
    when n.service_year - p.birth_year < 25 then '18-24'
    when n.service_year - p.birth_year < 40 then '25-39'
    when n.service_year - p.birth_year < 65 then '40-64'
    else '65+' end"""

_NIGHTS = f"""
select n.person_id, n.service_date, n.service_year as year, n.episode_id, n.situation, n.record_type,
       cast(n.ethos_light_category as varchar) as ethos_light_category,
       coalesce(n.municipality_atvk, 'UNKNOWN') as municipality_atvk,
       coalesce(m.nuts3_code, 'UNKNOWN') as nuts3_code,
       coalesce(p.sex, 'unknown') as sex,
       {_AGE_GROUP} as age_group
from r.marts.fct_service_days as n
left join r.marts.dim_person as p on p.person_id = n.person_id
left join a.marts.dim_municipality as m on m.atvk_code = n.municipality_atvk and m.year = n.service_year
where n.service_year = $year
"""

# first-time homeless: each person's earliest entry in the year (a night with no night before it),
# first-time when no night falls in the 730 days before it; the cell is placed by the entry night
_FIRST_TIME = f"""
with all_nights as (
    select person_id, service_date,
           lag(service_date) over (partition by person_id order by service_date) as previous_night
    from r.marts.fct_service_days
    where service_year between $year - 2 and $year
),
entries as (
    select person_id, service_date, previous_night,
           row_number() over (partition by person_id order by service_date) as entry_rank
    from all_nights
    where extract(year from service_date) = $year
      and (previous_night is null or previous_night < service_date - 1)
),
first_time_entries as (
    select person_id, service_date from entries
    where entry_rank = 1 and (previous_night is null or previous_night < service_date - 730)
)
select nights.* from ({_NIGHTS}) as nights
inner join first_time_entries using (person_id, service_date)
"""


def _filters(mart: str, cell: dict) -> tuple[list[str], list]:
    conditions, params = [], []
    for key, value in cell.items():
        if key in ("year", "geo_level", "count_type", "ethos_light_coverage") or value == "ALL":
            continue
        if key not in CELL_COLUMNS:
            raise DrillError(f"{mart} has no cell column '{key}' (cell columns: {', '.join(CELL_COLUMNS)})")
        if key == "ethos_light_category" and "+" in value:
            if value not in COVERAGES:
                raise DrillError(f"unknown combined category '{value}'")
            conditions.append(f"ethos_light_category in ({', '.join('?' for _ in COVERAGES[value])})")
            params.extend(COVERAGES[value])
        else:
            conditions.append(f"{key} = ?")
            params.append(value)
    if mart == dbt_meta.mart("hc31"):
        coverage = cell.get("ethos_light_coverage")
        if coverage not in COVERAGES:
            raise DrillError("an HC3.1 cell names its ethos_light_coverage (1, 2+3, 1+2+3, all)")
        conditions.append(f"ethos_light_category in ({', '.join('?' for _ in COVERAGES[coverage])})")
        params.extend(COVERAGES[coverage])
    return conditions, params


def _cell_value(con: duckdb.DuckDBPyConnection, mart: str, cell: dict, db: str) -> int | None:
    """The mart's own count for the cell; columns the cell leaves out are taken as 'ALL' where the mart has them."""
    columns = {
        row[0]
        for row in con.execute(
            "select column_name from duckdb_columns() where database_name = ? and schema_name = 'marts' "
            "and table_name = ?",
            [db, mart],
        ).fetchall()
    }
    if not columns:
        raise DrillError(f"the analyst tier has no mart {mart}")
    conditions, params = [], []
    for key in CELL_COLUMNS + ("geo_level",):
        if key not in columns:
            continue
        if key in cell:
            conditions.append(f"cast({key} as varchar) = ?")
            params.append(cell[key])
        elif key == "nuts3_code" and cell.get("municipality_atvk", "ALL") != "ALL":
            continue  # a municipality names its region
        elif key in ("nuts3_code", "municipality_atvk", "ethos_light_category", "sex", "age_group"):
            conditions.append(f"{key} = 'ALL'")
    rows = con.execute(
        f"select {dbt_meta.drill_measures()[mart]} from {db}.marts.{mart} where {' and '.join(conditions)}", params
    ).fetchall()
    if len(rows) > 1:
        raise DrillError(f"the cell {cell} matches {len(rows)} rows of {mart}: name more of its columns")
    if rows and rows[0][0] is None:
        raise DrillError(
            f"the cell {cell} of {mart} is not computable (its history or follow-up is incomplete, "
            "or it is not measured): there are no persons to list"
        )
    return int(rows[0][0]) if rows else None


def drill(mart: str, cell: dict, restricted: Path, analyst: Path) -> Drill:
    """The persons behind one cell of a mart, from the restricted tier."""
    if mart not in dbt_meta.drill_measures():
        raise DrillError(f"drill-down is defined for {', '.join(sorted(dbt_meta.drill_measures()))}")
    if "year" not in cell:
        raise DrillError("a cell names its year")
    year = int(cell["year"])
    with duckdb.connect() as con:
        con.execute(f"attach '{restricted}' as r (read_only)")
        # the tiers are two files; a test may hand one work file holding both (attach it once)
        same_file = Path(analyst).resolve() == Path(restricted).resolve()
        analyst_db = "r" if same_file else "a"
        if not same_file:
            con.execute(f"attach '{analyst}' as a (read_only)")
        cell_value = _cell_value(con, mart, cell, analyst_db)
        nights = _FIRST_TIME if mart == dbt_meta.mart("first_time") else _NIGHTS
        conditions, params = _filters(mart, cell)
        point_in_time = dbt_meta.mart("point_in_time")
        if mart == point_in_time or cell.get("count_type") == "point_in_time":
            night = con.execute(
                f"select distinct reference_night from {analyst_db}.marts.{point_in_time} where year = ?",
                [year],
            ).fetchone()
            if night is None:
                raise DrillError(f"no reference night for {year} in {point_in_time}")
            conditions.append("service_date = ?")
            params.append(night[0])
        where = " and ".join(conditions) or "true"
        nights_sql = nights.replace("$year", "?").replace("a.marts.", f"{analyst_db}.marts.")
        year_params = [year] * nights_sql.count("?")
        selected = f"select * from ({nights_sql}) as nights where {where}"
        episodes = con.execute(
            f"""
            select person_id, episode_id, any_value(record_type) as record_type,
                   string_agg(distinct situation, ', ' order by situation) as situations,
                   string_agg(distinct municipality_atvk, ', ' order by municipality_atvk) as municipalities,
                   min(service_date) as first_night, max(service_date) as last_night, count(*) as nights_in_cell
            from ({selected}) group by person_id, episode_id order by person_id, first_night, episode_id
        """,
            year_params + params,
        ).df()
        persons = con.execute(
            f"""
            select person_id, any_value(sex) as sex, any_value(age_group) as age_group,
                   count(distinct episode_id) as episodes, min(service_date) as first_night,
                   max(service_date) as last_night, count(*) as nights_in_cell
            from ({selected}) group by person_id order by person_id
        """,
            year_params + params,
        ).df()
    return Drill(mart, cell, cell_value, persons, episodes)
