"""The public tables: which rows are published (data minimisation), which columns are counts of
persons (protected cells), which are computed from counts (suppressed with them), and the relations
an attacker can use between them, within a table and across tables (linked cells).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pandas as pd

from homeless_monitor.disclosure.breakdown import KEY as BREAKDOWN_KEY
from homeless_monitor.disclosure.breakdown import MINIMISED, MINIMISED_NATIONAL_CATEGORIES, relate_breakdown
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


_BREAKDOWN_DROP = ("below_suppression_threshold",)
ESTIMATE_ROUNDING = 10
ESTIMATE_ROUNDED = ("estimated_persons", "ci_lower", "ci_upper", "hidden_persons", "chao_lower_bound")
SENSITIVITY_ROUNDED = ("estimate", "lower", "upper")
ESTIMATE_ANALYST_ONLY = ("poisson_estimate", "poisson_stderr", "deviance", "df", "aic", "bic")
COST_PER_PERSON = (
    "homeless_cost_per_person_year_eur",
    "general_cost_per_person_year_eur",
    "excess_cost_per_person_year_eur",
    "excess_cost_national_eur",
    "homeless_cost_per_person_day_eur",
)
COST_ANALYST_ONLY = ("homeless_units", "homeless_cost_eur", "general_population", "general_units", "general_cost_eur")
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
HF_RETENTION_COUNTS = (
    "participants_housed",
    "participants_observed",
    *HF_STATUSES,
    "retained",
    "retention_denominator",
)
#: a mean or median over fewer persons than this is not published (a mean of 1.0 night over 5 persons
#: says each had one night): twice k
MEAN_MIN_PERSONS = 10
LENGTH_MEANS = ("mean_nights_in_year", "median_nights_in_year", "mean_spell_nights", "median_spell_nights")
PUBLIC_TABLES: tuple[PublicTable, ...] = (
    PublicTable(
        "mart_homeless_flow_yearly",
        BREAKDOWN_KEY,
        ("persons",),
        {"rate_per_10000": ("persons",)},
        MINIMISED,
        _BREAKDOWN_DROP,
    ),
    PublicTable(
        "mart_homeless_point_in_time",
        BREAKDOWN_KEY,
        ("persons",),
        {"rate_per_10000": ("persons",)},
        MINIMISED_NATIONAL_CATEGORIES,
        _BREAKDOWN_DROP,
    ),
    PublicTable(
        "mart_first_time_homeless",
        BREAKDOWN_KEY,
        ("persons_entering", "first_time_persons"),
        {
            "first_time_share": ("first_time_persons", "persons_entering"),
            "first_time_rate_per_10000": ("first_time_persons",),
        },
        MINIMISED_NATIONAL_CATEGORIES,
        _BREAKDOWN_DROP,
    ),
    # data minimisation: the continuous / episodic split of long-term homelessness stays in the analyst
    # tier (published beside its union it would give small cells away: union <= sum, each <= union)
    PublicTable(
        "mart_length_of_homelessness",
        BREAKDOWN_KEY,
        ("persons", "long_term_persons"),
        {
            "mean_nights_in_year": ("persons",),
            "median_nights_in_year": ("persons",),
            "mean_spell_nights": ("persons",),
            "median_spell_nights": ("persons",),
            "long_term_share": ("long_term_persons", "persons"),
        },
        MINIMISED_NATIONAL_CATEGORIES,
        _BREAKDOWN_DROP + ("long_term_continuous_persons", "long_term_episodic_persons"),
        min_count={c: MEAN_MIN_PERSONS for c in LENGTH_MEANS},
    ),
    PublicTable(
        "mart_returns_to_homelessness",
        ("exit_year", "exit_destination"),
        (
            "persons_exited",
            "returned_0_180_days",
            "returned_181_365_days",
            "returned_366_730_days",
            "returned_within_6_months",
            "returned_within_12_months",
            "returned_within_24_months",
        ),
        {
            "return_share_6_months": ("returned_within_6_months", "persons_exited"),
            "return_share_12_months": ("returned_within_12_months", "persons_exited"),
            "return_share_24_months": ("returned_within_24_months", "persons_exited"),
        },
    ),
    PublicTable(
        "mart_oecd_hc31",
        ("year", "count_type", "ethos_light_coverage"),
        ("persons",),
        {"rate_per_10000": ("persons",), "share_women": ("persons", "~women")},
        note="share_women is of persons with a recorded sex (not published): it is hidden where the "
        "published share and count would narrow the number of women to fewer than k values "
        "including a count of 1 to k-1.",
    ),
    PublicTable(
        "mart_epoch_indicators",
        ("year", "indicator_code"),
        ("numerator", "denominator"),
        {"value": ("numerator", "denominator")},
    ),
    # Housing First (about a hundred participants): programme level only (data minimisation); the
    # municipality and cohort rows stay in the analyst tier
    PublicTable(
        "mart_hf_retention",
        ("programme_id", "municipality_atvk", "entry_cohort", "horizon"),
        HF_RETENTION_COUNTS,
        {"retention_pct": ("retained", "retention_denominator"), "died_pct": ("died", "participants_observed")},
        "municipality_atvk IS NULL AND entry_cohort = 'all'",
    ),
    PublicTable(
        "mart_hf_crisis_use_summary",
        ("programme_id", "municipality_atvk", "crisis_window"),
        (
            "participants",
            "died_in_window",
            "persons_with_ambulance_call",
            "persons_with_hospital_stay",
            "persons_with_police_contact",
            "persons_admitted_to_prison",
        ),
        {
            "ambulance_calls": ("persons_with_ambulance_call",),
            "hospital_admissions": ("persons_with_hospital_stay",),
            "inpatient_days": ("persons_with_hospital_stay",),
            "police_contacts": ("persons_with_police_contact",),
            "prison_days": ("persons_admitted_to_prison",),
            "ambulance_call_pct": ("persons_with_ambulance_call", "participants"),
            "hospital_stay_pct": ("persons_with_hospital_stay", "participants"),
            "mean_inpatient_days": ("persons_with_hospital_stay", "participants"),
            "mean_ambulance_calls": ("persons_with_ambulance_call", "participants"),
            "mean_police_contacts": ("persons_with_police_contact", "participants"),
            "crisis_cost_eur": ("participants",),
            "mean_crisis_cost_eur": ("participants",),
        },
        "municipality_atvk IS NULL",
    ),
    PublicTable(
        "mart_hf_wellbeing",
        ("programme_id", "municipality_atvk", "wave", "indicator"),
        ("numerator", "denominator"),
        {"value": ("numerator", "denominator")},
        "municipality_atvk IS NULL",
        note="numerator is a count of respondents where unit is 'percent' (protected as a count); "
        "a sum (income, scores) otherwise, suppressed with its denominator",
    ),
    PublicTable(
        "mart_data_quality",
        ("source", "load_id", "file_name", "metric", "dimension"),
        note="Counts of delivered rows per file, not of persons: published as they are.",
    ),
    # the multiple-systems estimate: observed persons is a count; the estimate, its interval, the hidden
    # persons and Chao's bound are model outputs, published to the nearest 10 (a precision the model does
    # not have is not printed); the fit statistics stay in the analyst tier
    PublicTable(
        "mart_homelessness_estimate",
        ("year",),
        ("observed_persons",),
        {c: ("observed_persons",) for c in ESTIMATE_ROUNDED},
        drop=ESTIMATE_ANALYST_ONLY,
        rounded={c: ESTIMATE_ROUNDING for c in ESTIMATE_ROUNDED},
        note=f"Model outputs ({', '.join(ESTIMATE_ROUNDED)}) rounded half up to the nearest "
        f"{ESTIMATE_ROUNDING}; rounded figures need not add up exactly.",
    ),
    # the estimate's sensitivity table (every method beside the published one), only for the years whose
    # estimate meets the minimum precision; model outputs rounded like the estimate's
    PublicTable(
        "mart_homelessness_estimate_sensitivity",
        ("year", "model_key"),
        ("observed_persons",),
        {c: ("observed_persons",) for c in SENSITIVITY_ROUNDED},
        where="year IN (SELECT year FROM marts.mart_homelessness_estimate WHERE is_published)",
        rounded={c: ESTIMATE_ROUNDING for c in SENSITIVITY_ROUNDED},
        note=f"Model outputs ({', '.join(SENSITIVITY_ROUNDED)}) rounded half up to the nearest "
        f"{ESTIMATE_ROUNDING}; only years whose published estimate meets the minimum precision.",
    ),
    # the cost of homelessness: per person-year figures; units and totals stay in the analyst tier
    PublicTable(
        "mart_cost_of_homelessness",
        ("year", "cost_item"),
        ("homeless_persons",),
        {c: ("homeless_persons",) for c in COST_PER_PERSON},
        drop=COST_ANALYST_ONLY,
        note="homeless_persons is the same count on every row of a year (one cell).",
    ),
)


def public_tables(definitions: dict[str, dict] | None = None) -> tuple[PublicTable, ...]:
    """The public tables, as dbt's manifest lists them (`meta: {tier: public, ...}` of each mart, the one
    list): each with its table design here (rows published, columns dropped, rounding). A public mart
    without a design, or a design of a mart that is not public, is an error, not a silent gap."""
    if definitions is None:
        from homeless_monitor.disclosure.definitions import public_definitions

        definitions = public_definitions()
    specs = {s.name: s for s in PUBLIC_TABLES}
    missing = sorted(set(definitions) - set(specs))
    stale = sorted(set(specs) - set(definitions))
    if missing or stale:
        raise ValueError(
            f"public marts in dbt meta without a table design: {missing}; "
            f"table designs of marts not public in dbt meta: {stale}"
        )
    return tuple(specs[name] for name in definitions)


BREAKDOWN_KINDS = {  # (geography, category) relation kinds, see breakdown.py
    "mart_homeless_flow_yearly": ("cover", "cover"),
    "mart_homeless_point_in_time": ("sum", "sum"),
    "mart_first_time_homeless": ("sum", "sum"),
    "mart_length_of_homelessness": ("sum", "sum"),
}
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
    con: duckdb.DuckDBPyConnection, tables: tuple[PublicTable, ...] = PUBLIC_TABLES
) -> dict[str, pd.DataFrame]:
    """The minimised rows of every public table present in the warehouse (unsuppressed)."""
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


def build_problem(frames: dict[str, pd.DataFrame], tables: tuple[PublicTable, ...] = PUBLIC_TABLES) -> CellMap:
    """One problem over all public tables: cells, relations within each table, and linked cells."""
    cm = CellMap()
    specs = {s.name: s for s in tables}
    by_key: dict[str, dict[str, dict[tuple, int]]] = {}  # table -> column -> row key -> variable
    for name, frame in frames.items():
        spec = specs[name]
        if name in LINKED_LATER:
            continue  # after the breakdown marts they link to
        by_key[name] = _add_cells(cm, spec, frame)
    for name, (geo_kind, cat_kind) in BREAKDOWN_KINDS.items():
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
        spec = next(s for s in PUBLIC_TABLES if s.name == "mart_hf_wellbeing")
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


#: persons counted by a breakdown mart are among the flow's persons of the same cell (a night on the
#: reference night, an entry, a night of the year are all in the year's flow)
SUBSETS_OF_FLOW = (
    ("mart_homeless_point_in_time", "persons"),
    ("mart_first_time_homeless", "persons_entering"),
    ("mart_length_of_homelessness", "persons"),
)
#: headline measures whose national, NUTS3 and Rīga totals are published unless below k
REQUIRED_TOTALS = (
    ("mart_homeless_flow_yearly", "persons"),
    ("mart_homeless_point_in_time", "persons"),
    ("mart_first_time_homeless", "first_time_persons"),
    ("mart_length_of_homelessness", "long_term_persons"),
)
RIGA_ATVK = "0001000"
RIGA_NUTS3 = "LV006"  # the city alone


def _relate_across(p: Problem, by_key: dict) -> None:
    flow = by_key.get("mart_homeless_flow_yearly", {}).get("persons", {})
    for table, column in SUBSETS_OF_FLOW:
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
    for table, column in REQUIRED_TOTALS:
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
    spec = next(s for s in PUBLIC_TABLES if s.name == "mart_oecd_hc31")
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
    spec = next(s for s in PUBLIC_TABLES if s.name == "mart_epoch_indicators")
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
