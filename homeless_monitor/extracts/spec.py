"""An extract spec: what a researcher receives, written as YAML and checked before anything is read.

A spec names its population (filters on the source table), its variables (documented dbt columns only),
the coarsening of each variable, the quasi-identifiers k-anonymity is checked over, the purpose and the
recipient. See docs/extracts.md for the format; ready-made specs are in homeless_monitor/extracts/specs/.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from homeless_monitor.extracts.dictionary import column_definition, tier_tables, what_a_spec_may_use

SPECS_DIR = Path(__file__).resolve().parent / "specs"
TIERS = ("restricted", "analyst")
LEVELS = ("person", "aggregate")
OPERATORS = ("=", "!=", "in", "between", ">=", "<=", ">", "<", "is_not_null")
# coarsening methods and the parameters each needs
METHODS = {
    "age_band": ("at",),  # birth year -> 5-year age band at a year or date column
    "month": (),  # date -> 'YYYY-MM'
    "year": (),  # date -> year
    "days_since": ("from",),  # date -> whole days since another date column
    "nuts3": (),  # municipality ATVK code -> NUTS3 region code
    "band": ("width",),  # a number -> its band, e.g. width 5: 12.5 -> '10-14' (10 <= x < 15)
}
# the documented quasi-identifier roles (docs/extracts.md); each role has its own generalisation ladder
QI_ROLES = ("sex", "age", "region", "year")


class SpecError(ValueError):
    """A spec that cannot be taken as written; the message lists every problem."""


@dataclass(frozen=True)
class Join:
    table: str
    on: tuple[str, ...]
    where: dict = field(default_factory=dict)
    prefix: str = ""
    columns: tuple[str, ...] = ()  # the join's columns the extract takes (as prefix + column)

    def provides(self, variable: str) -> str | None:
        """The join table's column behind an extract variable, or None when the variable is not from here."""
        if not variable.startswith(self.prefix):
            return None
        column = variable[len(self.prefix) :]
        if self.columns:
            return column if column in self.columns else None
        return column if self.prefix else None


@dataclass(frozen=True)
class Spec:
    name: str
    title: str
    purpose: str
    recipient: str
    level: str
    tier: str
    table: str
    variables: tuple[str, ...]
    joins: tuple[Join, ...] = ()
    person_column: str | None = None
    population: tuple[dict, ...] = ()
    coarsen: dict = field(default_factory=dict)
    quasi_identifiers: dict = field(default_factory=dict)
    count_columns: tuple[str, ...] = ()
    dependent_columns: dict = field(default_factory=dict)
    k: int = 5
    max_suppression: float = 0.05
    sha256: str = ""

    def output_name(self, column: str) -> str:
        """The column's name in the extract (coarsening may rename it, e.g. birth_year -> age_band)."""
        rule = self.coarsen.get(column)
        return rule.get("as", column) if rule else column

    def source_of(self, column: str) -> tuple[str, str, str]:
        """(dbt model, column there, join note) of a variable, following join prefixes."""
        for join in self.joins:
            if join.provides(column):
                note = ", ".join(f"{k} = {v}" for k, v in sorted(join.where.items()))
                return join.table, join.provides(column), note
        return self.table, column, ""


def load_spec(path: Path) -> Spec:
    raw_bytes = Path(path).read_bytes()
    spec = parse_spec(yaml.safe_load(raw_bytes.decode("utf-8")), hashlib.sha256(raw_bytes).hexdigest())
    return spec


def parse_spec(data: dict, sha256: str = "") -> Spec:
    """Build and validate a Spec from a YAML mapping; SpecError lists every problem at once."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise SpecError("a spec is a YAML mapping")
    for key in ("name", "title", "purpose", "recipient", "level", "source", "variables"):
        if not data.get(key):
            problems.append(f"missing '{key}'")
    if problems:
        raise SpecError("; ".join(problems))
    source = data["source"]
    joins = tuple(
        Join(
            table=j["table"],
            on=tuple(j["using"]),
            where=dict(j.get("where", {})),
            prefix=j.get("prefix", ""),
            columns=tuple(j.get("columns", []) or []),
        )
        for j in source.get("joins", []) or []
    )
    spec = Spec(
        name=str(data["name"]),
        title=str(data["title"]),
        purpose=" ".join(str(data["purpose"]).split()),
        recipient=str(data["recipient"]),
        level=data["level"],
        tier=source.get("tier", ""),
        table=source.get("table", ""),
        joins=joins,
        variables=tuple(data["variables"]),
        person_column=data.get("person_column"),
        population=tuple(data.get("population", []) or []),
        coarsen=dict(data.get("coarsen", {}) or {}),
        quasi_identifiers=dict(data.get("quasi_identifiers", {}) or {}),
        count_columns=tuple(data.get("count_columns", []) or []),
        dependent_columns=dict(data.get("dependent_columns", {}) or {}),
        k=int(data.get("k", 5)),
        max_suppression=float(data.get("max_suppression", 0.05)),
        sha256=sha256,
    )
    problems.extend(_problems(spec))
    if problems:
        raise SpecError(f"spec '{spec.name}': " + "; ".join(problems) + _allowed(spec, problems))
    return spec


def _allowed(spec: Spec, problems: list[str]) -> str:
    """After a refusal about tables or columns: what the spec's tier offers (the tables named by the spec
    when they are in the tier, else every table of the tier)."""
    if spec.tier not in TIERS or not any(("documented" in p or "not in the" in p) for p in problems):
        return ""
    named = [t for t in dict.fromkeys([spec.table, *[j.table for j in spec.joins]])]
    if any("not in the" in p for p in problems):
        named = []
    return "\n" + what_a_spec_may_use(spec.tier, named)


def _problems(spec: Spec) -> list[str]:
    problems = []
    if not spec.name.replace("_", "").replace("-", "").isalnum():
        problems.append("name may hold letters, digits, '_' and '-' only")
    if spec.level not in LEVELS:
        problems.append(f"level must be one of {LEVELS}")
    if spec.tier not in TIERS:
        problems.append(f"source.tier must be one of {TIERS}")
    if spec.level == "person" and spec.tier != "restricted":
        problems.append("person-level extracts read the restricted tier")
    if spec.level == "person" and spec.person_column not in spec.variables:
        problems.append("a person-level extract names its person_column among its variables")
    if spec.level == "aggregate" and spec.person_column:
        problems.append("an aggregate extract has no person column")
    if spec.level == "aggregate" and not spec.count_columns:
        problems.append("an aggregate extract names its count_columns (protected below k)")
    if spec.tier in TIERS:
        offered = tier_tables(spec.tier)
        for table in dict.fromkeys([spec.table, *[j.table for j in spec.joins]]):
            if table not in offered:
                problems.append(f"table '{table}' is not in the {spec.tier} tier")
    if spec.k < 2:
        problems.append("k must be at least 2")
    if not 0 <= spec.max_suppression <= 1:
        problems.append("max_suppression is a share between 0 and 1")
    for column in spec.variables:
        model, name, _ = spec.source_of(column)
        if column_definition(model, name) is None:
            problems.append(f"variable '{column}' is not a documented column of {model}")
    for column in (
        *[j for join in spec.joins for j in join.on],
        *[f["column"] for f in spec.population if isinstance(f, dict) and "column" in f],
    ):
        model, name, _ = spec.source_of(column)
        if column_definition(model, name) is None and column_definition(spec.table, column) is None:
            problems.append(f"column '{column}' (filter or join) is not documented in {model}")
    for rule in spec.population:
        if not isinstance(rule, dict) or rule.get("op") not in OPERATORS or "column" not in rule:
            problems.append(f"population filter {rule!r}: needs column and op in {OPERATORS}")
        elif rule["op"] == "between" and not (isinstance(rule.get("value"), list) and len(rule["value"]) == 2):
            problems.append(f"population filter on {rule['column']}: 'between' takes [low, high]")
    for column, rule in spec.coarsen.items():
        if column not in spec.variables:
            problems.append(f"coarsening of '{column}', which is not a variable")
        method = (rule or {}).get("method")
        if method not in METHODS:
            problems.append(f"coarsening of '{column}': method must be one of {sorted(METHODS)}")
            continue
        for parameter in METHODS[method]:
            if parameter not in rule:
                problems.append(f"coarsening of '{column}' by {method} needs '{parameter}'")
        reference = rule.get("at") or rule.get("from")
        if reference and reference not in spec.variables:
            problems.append(f"coarsening of '{column}' refers to '{reference}', which is not a variable")
    outputs = {spec.output_name(c) for c in spec.variables}
    for role, column in spec.quasi_identifiers.items():
        if role not in QI_ROLES:
            problems.append(f"quasi-identifier role '{role}' is not one of {QI_ROLES}")
        if column not in outputs:
            problems.append(f"quasi-identifier '{column}' is not an output column")
    for column in (*spec.count_columns, *spec.dependent_columns, *spec.dependent_columns.values()):
        if column not in outputs:
            problems.append(f"count or dependent column '{column}' is not an output column")
    if spec.level == "person" and spec.person_column in spec.coarsen:
        problems.append("the person column is pseudonymised, not coarsened")
    if spec.level == "person":
        for column in spec.variables:
            if column == spec.person_column:
                continue
            if "date" in column and column not in spec.coarsen:
                problems.append(
                    f"exact date '{column}' in a person-level extract: coarsen it (month, year, days_since)"
                )
            if column == "birth_year" and column not in spec.coarsen:
                problems.append("birth_year in a person-level extract: coarsen it to an age band")
            if (
                column in ("person_id", "client_id", "enrolment_id", "flat_id", "stay_id")
                and column != spec.person_column
            ):
                problems.append(
                    f"identifier '{column}' in a person-level extract: only the person column, pseudonymised"
                )
    return problems
