"""The public tables: which rows are published (data minimisation), which columns are counts of
persons (protected cells), which are computed from counts (suppressed with them), and the relations
an attacker can use between them, within a table and across tables (linked cells).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import duckdb
import pandas as pd

from homeless_monitor.disclosure.breakdown import KEY as BREAKDOWN_KEY
from homeless_monitor.disclosure.breakdown import relate_breakdown
from homeless_monitor.disclosure.problem import Problem


@dataclass(frozen=True)
class PublicTable:
    name: str
    keys: tuple[str, ...]
    counts: tuple[str, ...] = ()  # persons (or events) counted
    derived: dict[str, tuple[str, ...]] = field(default_factory=dict)  # measure -> counts it comes from
    where: str = "true"  # data minimisation
    drop: tuple[str, ...] = ()  # columns not published
    note: str = ""
    rounded: dict[str, int] = field(default_factory=dict)  # model output -> published to nearest n
    min_count: dict[str, int] = field(default_factory=dict)  # mean/median -> least persons behind it

    def select(self, columns: list[str]) -> str:
        keep = ", ".join(f'"{c}"' for c in columns if c not in self.drop)
        return f'SELECT {keep} FROM marts."{self.name}" WHERE {self.where} ORDER BY ALL'


#: The published figure of HF retention's statuses (the dbt docs' definitions, one row each).
HF_STATUSES = (
    "in_tenancy",
    "moved_on",
    "died",
    "in_institution",
    "evicted",
    "returned_to_homelessness",
    "lost_contact",
    "programme_ended",
    "exit_reason_unknown",
)


def table_from_meta(name: str, meta: dict) -> PublicTable:
    """A public mart's table design from its dbt meta (disclosure/definitions.py): keys = `dimensions`,
    protected counts = `measures`, each derived column with the counts it comes from (`inputs`, else its
    numerator, denominator and count), published rows = `rows`, `drop`, `rounded`, `note`, and the
    least persons behind a mean or median = the derived column's `min_count`."""
    derived: dict[str, tuple[str, ...]] = {}
    min_count: dict[str, int] = {}
    for d in meta.get("derived") or []:
        inputs = d.get("inputs") or [d[k] for k in ("numerator", "denominator", "count") if d.get(k)]
        derived[d["column"]] = tuple(inputs)
        if d.get("min_count"):
            min_count[d["column"]] = int(d["min_count"])
    return PublicTable(
        name,
        tuple(meta.get("dimensions") or ()),
        tuple(meta.get("measures") or ()),
        derived,
        str(meta.get("rows") or "true"),
        tuple(meta.get("drop") or ()),
        str(meta.get("note") or ""),
        {column: int(base) for column, base in (meta.get("rounded") or {}).items()},
        min_count,
    )


def public_tables(definitions: dict[str, dict] | None = None) -> tuple[PublicTable, ...]:
    """The public tables as dbt's manifest lists and designs them (`meta: {tier: public, ...}` of each
    mart, the one list). A public mart without `dimensions` is an error, not a silent gap."""
    if definitions is None:
        from homeless_monitor.disclosure.definitions import public_definitions

        definitions = public_definitions()
    missing = sorted(name for name, meta in definitions.items() if not meta.get("dimensions"))
    if missing:
        raise ValueError(f"public marts in dbt meta without a table design (dimensions): {missing}")
    return tuple(table_from_meta(name, meta) for name, meta in definitions.items())


@lru_cache(maxsize=1)
def _manifest_tables() -> tuple[PublicTable, ...]:
    return public_tables()


def spec_of(name: str, tables: tuple[PublicTable, ...] | None = None) -> PublicTable:
    return next(s for s in (tables or _manifest_tables()) if s.name == name)


def __getattr__(name: str):
    """`PUBLIC_TABLES`: the public tables of the project's manifest, read when first asked for."""
    if name == "PUBLIC_TABLES":
        return _manifest_tables()
    raise AttributeError(name)


@lru_cache(maxsize=1)
def _definitions() -> dict[str, dict]:
    from homeless_monitor.disclosure.definitions import public_definitions

    return public_definitions()


def _breakdown_marts(definitions: dict[str, dict]) -> list[str]:
    """The breakdown marts (dimensions = the breakdown key), the yearly flow first: the others' cells
    relate to its cells."""
    names = [n for n, m in definitions.items() if tuple(m.get("dimensions") or ()) == BREAKDOWN_KEY]
    flow = [
        n
        for n in names
        if any(r["total"].get("table") == n for other in names for r in definitions[other].get("relations") or [])
    ]
    return flow + [n for n in names if n not in flow]


def breakdown_kinds(definitions: dict[str, dict] | None = None) -> dict[str, tuple[str, str]]:
    """{breakdown mart: (geography, category) relation kind}, from each mart's dbt meta relations: the
    kind of its national total over its NUTS3 regions and of its category 'ALL' over categories
    (`cover` for the yearly flow, which counts a person in every place and category of the year; `sum`
    for the marts that count a person once per cell)."""
    definitions = definitions if definitions is not None else _definitions()
    out = {}
    for name in _breakdown_marts(definitions):
        geo = cat = None
        for r in definitions[name].get("relations") or []:
            if r["total"] == {"geo_level": "national"} and r["parts"] == {"geo_level": "nuts3"}:
                geo = r["kind"]
            if r["total"] == {"ethos_light_category": "ALL"} and cat is None:
                cat = r["kind"]
        if geo and cat:
            out[name] = (geo, cat)
    return out


#: Tables whose cells link to the breakdown marts' cells, added after them.
NATIONAL_PERSON_COUNTS = ("mart_homelessness_estimate", "mart_cost_of_homelessness")
#: Of those, the ones whose count is a subset of the flow mart's national persons (the cost mart counts
#: linkable persons with a night in fct_service_days, which the flow counts; the estimate's lists also
#: hold persons with no homeless night that year, e.g. a no-address call on a night in a shelter of
#: the year before: no relation).
NATIONAL_SUBSET_OF_FLOW = ("mart_cost_of_homelessness",)
LINKED_LATER = ("mart_oecd_hc31", "mart_epoch_indicators", *NATIONAL_PERSON_COUNTS)
HC31_COVERAGE = {"1": "1", "2+3": "2+3", "1+2+3": "1+2+3", "all": "ALL"}
HC31_SOURCE = {"flow": "mart_homeless_flow_yearly", "point_in_time": "mart_homeless_point_in_time"}
EPOCH_LINKS = {
    "rough_sleepers_flow": "mart_homeless_flow_yearly",
    "rough_sleepers_point_in_time": "mart_homeless_point_in_time",
}
EPOCH_CHAINS = (  # each indicator's numerator is among the next one's (subset), ending at the denominator
    ("accommodation_stays_over_12_months", "accommodation_stays_over_6_months", "accommodation_stays_over_3_months"),
    ("prison_release_to_shelter_30_days", "prison_release_to_shelter_90_days"),
    ("hospital_release_to_shelter_30_days", "hospital_release_to_shelter_90_days"),
)


def _public_table_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts'").fetchall()}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        c
        for (c,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts' AND table_name = ? "
            "ORDER BY ordinal_position",
            [table],
        ).fetchall()
    ]


def read_public_frames(
    con: duckdb.DuckDBPyConnection, tables: tuple[PublicTable, ...] | None = None
) -> dict[str, pd.DataFrame]:
    """The minimised rows of every public table present in the warehouse (unsuppressed)."""
    tables = tables or _manifest_tables()
    present = _public_table_names(con)
    frames = {}
    for spec in tables:
        if spec.name not in present:
            continue
        columns = _columns(con, spec.name)
        where = spec.where
        if "history_complete" in columns:  # first-time rows whose look-back is not fully observed
            where = f"({where}) AND history_complete IS NOT FALSE"
        relation = con.sql(PublicTable(spec.name, spec.keys, where=where, drop=spec.drop).select(columns))
        frame = round_outputs(relation.df(), spec.rounded)
        frame.attrs["duckdb_types"] = dict(zip(relation.columns, map(str, relation.types)))
        frames[spec.name] = frame
    return frames


def round_to(value, base: int) -> float | None:
    """Half up to the nearest multiple of `base` (1234.5 -> 1230, 1235 -> 1240); null stays null."""
    if value is None or pd.isna(value):
        return None
    return float((Decimal(repr(float(value))) / base).quantize(Decimal(1), rounding=ROUND_HALF_UP) * base)


def round_outputs(frame: pd.DataFrame, rounded: dict[str, int]) -> pd.DataFrame:
    """The model outputs of a public table at the precision it publishes (the analyst tier keeps all)."""
    for column, base in rounded.items():
        if column in frame.columns:
            frame[column] = pd.array([round_to(v, base) for v in frame[column]], dtype="Float64")
    return frame


def _key(spec: PublicTable, row: dict) -> tuple:
    return tuple(row[k] for k in spec.keys)


HEADLINE_KEY_VALUES = frozenset({"national", "ALL"})


def is_headline(key: tuple) -> bool:
    """A national total: after the year, every key of the row is 'national' or 'ALL'."""
    return len(key) > 1 and all(str(v) in HEADLINE_KEY_VALUES for v in key[1:])


class CellMap:
    """(table, row position, column) -> problem variable, for every published count."""

    def __init__(self) -> None:
        self.problem = Problem()
        self.cells: dict[tuple[str, int, str], int] = {}

    def add(self, table: str, position: int, column: str, key: tuple, value) -> int | None:
        if value is None or pd.isna(value):
            return None
        label = f"{table}[{', '.join(map(str, key))}].{column}"
        var = self.problem.cell((table, key, column), int(value), label)
        self.cells[(table, position, column)] = var
        if is_headline(key):
            self.problem.headline.add(var)
        return var

    def alias(self, table: str, position: int, column: str, var: int) -> None:
        self.cells[(table, position, column)] = var


def build_problem(frames: dict[str, pd.DataFrame], tables: tuple[PublicTable, ...] | None = None) -> CellMap:
    """One problem over all public tables: cells, relations within each table, and linked cells."""
    tables = tables or _manifest_tables()
    cm = CellMap()
    specs = {s.name: s for s in tables}
    by_key: dict[str, dict[str, dict[tuple, int]]] = {}  # table -> column -> row key -> variable
    for name, frame in frames.items():
        spec = specs[name]
        if name in LINKED_LATER:
            continue  # after the breakdown marts they link to
        by_key[name] = _add_cells(cm, spec, frame)
    for name, (geo_kind, cat_kind) in breakdown_kinds().items():
        if name in frames:
            for column in specs[name].counts:
                relate_breakdown(cm.problem, by_key[name][column], frames[name], geo_kind, cat_kind)
    _relate_rows(cm, frames, by_key)
    _relate_across(cm.problem, by_key)
    _require_headline_totals(cm.problem, by_key)
    if "mart_oecd_hc31" in frames:
        _add_hc31(cm, frames["mart_oecd_hc31"], by_key)
    if "mart_epoch_indicators" in frames:
        _add_epoch(cm, frames["mart_epoch_indicators"], by_key)
    for name in NATIONAL_PERSON_COUNTS:
        if name in frames:
            _add_national_persons(cm, specs[name], frames[name], by_key)
    return cm


def _add_cells(cm: CellMap, spec: PublicTable, frame: pd.DataFrame, columns=None) -> dict[str, dict[tuple, int]]:
    out: dict[str, dict[tuple, int]] = {c: {} for c in spec.counts}
    for position, row in enumerate(frame.to_dict("records")):
        key = _key(spec, row)
        for column in columns or spec.counts:
            var = cm.add(spec.name, position, column, key, row[column])
            if var is not None:
                out[column][key] = var
    return out


def _relate_rows(cm: CellMap, frames: dict[str, pd.DataFrame], by_key: dict) -> None:
    """Relations between the counts of one row (and the rows of the returns mart)."""
    p = cm.problem
    if "mart_first_time_homeless" in by_key:
        cells = by_key["mart_first_time_homeless"]
        for key, total in cells["persons_entering"].items():
            p.relate("subset", total, [cells["first_time_persons"].get(key)])
    if "mart_length_of_homelessness" in by_key:
        cells = by_key["mart_length_of_homelessness"]
        for key, total in cells["persons"].items():
            p.relate("subset", total, [cells["long_term_persons"].get(key)])
    if "mart_hf_retention" in by_key:  # the definitions in the dbt docs, one row each
        cells = by_key["mart_hf_retention"]
        for key, observed in cells["participants_observed"].items():
            c = {column: cells[column].get(key) for column in cells}
            p.relate("sum", observed, [c[s] for s in HF_STATUSES])
            p.relate("sum", c["retained"], [c["in_tenancy"], c["moved_on"]])
            p.relate(
                "sum",
                c["retention_denominator"],
                [c["retained"], c["in_institution"], c["evicted"], c["returned_to_homelessness"], c["lost_contact"]],
            )
            p.relate("subset", c.get("participants_housed"), [observed])
        if "participants_housed" in cells:  # the same housed participants at every horizon of a group
            frame = frames["mart_hf_retention"]
            reached = {
                tuple(r[k] for k in ("programme_id", "municipality_atvk", "entry_cohort", "horizon"))
                for r in frame.to_dict("records")
                if r.get("horizon_status") == "reached"
            }
            groups: dict[tuple, list[int]] = {}
            for key, housed in cells["participants_housed"].items():
                groups.setdefault(key[:3], []).append(housed)
                if key in reached:  # every housed participant observed at the horizon
                    p.relate("sum", housed, [cells["participants_observed"].get(key)])
            for members in groups.values():
                for other in members[1:]:
                    p.relate("sum", members[0], [other])
    if "mart_hf_crisis_use_summary" in by_key:
        cells = by_key["mart_hf_crisis_use_summary"]
        for key, participants in cells["participants"].items():
            p.relate("subset", participants, [cells[c].get(key) for c in cells if c != "participants"])
    if "mart_hf_wellbeing" in by_key:  # a share's yes-answers are among its answers
        cells = by_key["mart_hf_wellbeing"]
        spec = spec_of("mart_hf_wellbeing")
        for row in frames["mart_hf_wellbeing"].to_dict("records"):
            if row.get("unit") == "percent":
                key = _key(spec, row)
                p.relate("subset", cells["denominator"].get(key), [cells["numerator"].get(key)])
    if "mart_returns_to_homelessness" in by_key:
        cells = by_key["mart_returns_to_homelessness"]
        for key, exited in cells["persons_exited"].items():
            c = {column: cells[column].get(key) for column in cells}
            p.relate("sum", c["returned_within_6_months"], [c["returned_0_180_days"]])
            p.relate("sum", c["returned_within_12_months"], [c["returned_0_180_days"], c["returned_181_365_days"]])
            p.relate(
                "sum", c["returned_within_24_months"], [c["returned_within_12_months"], c["returned_366_730_days"]]
            )
            p.relate("subset", exited, [c["returned_within_24_months"]])
        # one first exit per person and year: ALL = sum of destinations, for every count
        for _column, column_cells in cells.items():
            years: dict[int, list[int]] = {}
            for (year, destination), var in column_cells.items():
                if destination != "ALL":
                    years.setdefault(year, []).append(var)
            for year, parts in years.items():
                p.relate("sum", column_cells.get((year, "ALL")), parts)


def subsets_of_flow(definitions: dict[str, dict] | None = None) -> list[tuple[str, str]]:
    """(mart, measure) whose persons are among the flow's persons of the same cell (a night on the
    reference night, an entry, a night of the year are all in the year's flow): the dbt meta relations
    `subset` whose total is another table's measure, cell by cell (no row filter)."""
    definitions = definitions if definitions is not None else _definitions()
    out = []
    for name in _breakdown_marts(definitions):
        for r in definitions[name].get("relations") or []:
            total = r["total"]
            if r["kind"] == "subset" and set(total) == {"table", "measure"} and set(r["parts"]) == {"measure"}:
                out.append((name, r["parts"]["measure"]))
    return out


def required_totals(definitions: dict[str, dict] | None = None) -> list[tuple[str, str]]:
    """(mart, measure) of the headline measures (dbt meta `headline`) whose national, NUTS3 and Rīga
    totals are published unless below k."""
    definitions = definitions if definitions is not None else _definitions()
    out = []
    for name in _breakdown_marts(definitions):
        for headline in definitions[name].get("headline") or []:
            out += [(name, m) for m in headline.get("measures") or [] if (name, m) not in out]
    return out


RIGA_ATVK = "0001000"
RIGA_NUTS3 = "LV006"  # the city alone


def _relate_across(p: Problem, by_key: dict) -> None:
    flow = by_key.get("mart_homeless_flow_yearly", {}).get("persons", {})
    for table, column in subsets_of_flow():
        for key, var in by_key.get(table, {}).get(column, {}).items():
            p.relate("subset", flow.get(key), [var])


def is_required_total(key: tuple) -> bool:
    """A national, NUTS3 (a region, not 'UNKNOWN') or Rīga total of a breakdown mart (category, sex and
    age 'ALL')."""
    _year, level, nuts3, muni, cat, sex, age = key
    if (cat, sex, age) != ("ALL", "ALL", "ALL"):
        return False
    return level == "national" or (level == "nuts3" and nuts3 != "UNKNOWN") or muni == RIGA_ATVK


def _require_headline_totals(p: Problem, by_key: dict) -> None:
    for table, column in required_totals():
        for key, var in by_key.get(table, {}).get(column, {}).items():
            if is_required_total(key):
                p.required.add(var)
                if key[3] == RIGA_ATVK or key[2] == RIGA_NUTS3:
                    p.headline.add(var)  # the capital's figure weighs like a national one


def _add_national_persons(cm: CellMap, spec: PublicTable, frame: pd.DataFrame, by_key: dict) -> None:
    """A national count of linkable persons per year (the estimate's observed persons, the cost mart's
    homeless persons, repeated on each cost item's row): one cell per year. It is the flow mart's
    national total when the numbers are equal (one variable); else a subset of it (linkable persons
    are among all persons; a person on a list is in a service or situation that year)."""
    column = spec.counts[0]
    flow = by_key.get("mart_homeless_flow_yearly", {}).get("persons", {})
    years: dict[int, int] = {}
    for position, row in enumerate(frame.to_dict("records")):
        year = row["year"]
        twin = flow.get((year, "national", "ALL", "ALL", "ALL", "ALL", "ALL"))
        if year in years:
            cm.alias(spec.name, position, column, years[year])
        elif twin is not None and not pd.isna(row[column]) and cm.problem.values[twin] == int(row[column]):
            cm.alias(spec.name, position, column, twin)
            years[year] = twin
        else:
            var = cm.add(spec.name, position, column, (year,), row[column])
            if var is not None:
                years[year] = var
                if spec.name in NATIONAL_SUBSET_OF_FLOW:
                    cm.problem.relate("subset", twin, [var])


def _add_hc31(cm: CellMap, frame: pd.DataFrame, by_key: dict) -> None:
    """HC3.1's national counts are the flow and point-in-time marts' national cells: linked (one
    variable) when both publish the cell with the same value, else tied to the single categories."""
    spec = spec_of("mart_oecd_hc31")
    p = cm.problem
    for position, row in enumerate(frame.to_dict("records")):
        key = _key(spec, row)
        source = by_key.get(HC31_SOURCE.get(row["count_type"], ""), {}).get("persons", {})
        category = HC31_COVERAGE.get(row["ethos_light_coverage"])
        twin = source.get((row["year"], "national", "ALL", "ALL", category, "ALL", "ALL"))
        if twin is not None and p.values[twin] == int(row["persons"]):
            cm.alias(spec.name, position, "persons", twin)
            continue
        var = cm.add(spec.name, position, "persons", key, row["persons"])
        if var is None or category is None or category == "1":
            continue
        singles = {"2+3": ("2", "3"), "1+2+3": ("1", "2", "3"), "ALL": ("1", "2", "3", "4", "5", "6")}[category]
        parts = [source.get((row["year"], "national", "ALL", "ALL", c, "ALL", "ALL")) for c in singles]
        kind = "cover" if row["count_type"] == "flow" else "sum"
        p.relate(kind, var, parts)


def _add_epoch(cm: CellMap, frame: pd.DataFrame, by_key: dict) -> None:
    """EPOCH indicators: rough sleepers are the breakdown marts' national category-1 cells; the
    stays' and releases' indicators share their denominators and nest (12 months within 6 within 3)."""
    spec = spec_of("mart_epoch_indicators")
    p = cm.problem
    numerators: dict[tuple, int] = {}
    denominators: dict[tuple, int] = {}
    for position, row in enumerate(frame.to_dict("records")):
        code, year = row["indicator_code"], row["year"]
        link = EPOCH_LINKS.get(code)
        twin = (
            by_key.get(link, {}).get("persons", {}).get((year, "national", "ALL", "ALL", "1", "ALL", "ALL"))
            if link
            else None
        )
        if twin is not None and not pd.isna(row["numerator"]) and p.values[twin] == int(row["numerator"]):
            cm.alias(spec.name, position, "numerator", twin)
        else:
            var = cm.add(spec.name, position, "numerator", (year, code), row["numerator"])
            if var is not None:
                numerators[(year, code)] = var
        if pd.isna(row["denominator"]):
            continue
        # the stays' indicators share one denominator (runs), the releases' one per institution
        group = code.split("_release_")[0] if "_release_" in code else "accommodation_stays"
        if (year, group) in denominators and p.values[denominators[(year, group)]] == int(row["denominator"]):
            cm.alias(spec.name, position, "denominator", denominators[(year, group)])
        else:
            var = cm.add(spec.name, position, "denominator", (year, group), row["denominator"])
            denominators[(year, group)] = var
            if (year, code) in numerators:
                p.relate("subset", var, [numerators[(year, code)]])
    for (year, code), var in numerators.items():
        for chain in EPOCH_CHAINS:
            if code in chain[:-1]:
                bigger = numerators.get((year, chain[chain.index(code) + 1]))
                p.relate("subset", bigger, [var])
            if code == chain[-1]:
                group = code.split("_release_")[0] if "_release_" in code else "accommodation_stays"
                p.relate("subset", denominators.get((year, group)), [var])
