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
    """One problem over all public tables: a variable per published count - one for the cells a dbt
    meta `equal` relation makes the same count (HC3.1's and EPOCH's national counts are the flow's and
    the reference night's, every cost item repeats the year's persons) - and the marts' dbt meta
    relations (disclosure/definitions.py) over the rows: the breakdown marts' geography, category, sex
    and age relations, Housing First's statuses, the links across tables: each as meta writes it."""
    tables = tables or _manifest_tables()
    specs = {s.name: s for s in tables}
    definitions = {name: meta for name, meta in _definitions().items() if name in frames}
    values: dict[tuple, int] = {}  # (table, row position, measure) -> value
    for name, frame in frames.items():
        for column in specs[name].counts:
            for position, value in enumerate(frame[column]):
                if value is not None and not pd.isna(value):
                    values[(name, position, column)] = int(value)
    instances = [
        inst
        for name, meta in definitions.items()
        for rel in meta.get("relations") or []
        for inst in _instantiate(rel, name, frames, definitions, values)
    ]
    root = _merge_equal(instances, values)
    cm = CellMap()
    by_key: dict[str, dict[str, dict[tuple, int]]] = {n: {c: {} for c in specs[n].counts} for n in frames}
    for cell in sorted(values, key=lambda c: (c != root[c], list(frames).index(c[0]), c[1:])):
        table, position, column = cell
        key = _key(specs[table], frames[table].iloc[position])
        if cell == root[cell]:
            var = cm.add(table, position, column, key, values[cell])
        else:
            var = cm.cells[root[cell]]
            cm.alias(table, position, column, var)
        by_key[table][column][key] = var
    for kind, total, parts in instances:
        if kind != "equal":
            members = [cm.cells[p] for p in parts]  # a subset's parts once each (merged cells repeat)
            cm.problem.relate(kind, cm.cells[total], list(dict.fromkeys(members)) if kind == "subset" else members)
    _require_headline_totals(cm.problem, by_key)
    return cm


def _selected(frame: pd.DataFrame, where: dict) -> pd.Series:
    """The rows a relation side names: column -> value, list of values, '!value' (any but), no case."""
    mask = pd.Series(True, index=frame.index)
    for column, wanted in where.items():
        text = frame[column].map(_folded)
        options = [str(o) for o in (wanted if isinstance(wanted, list) else [wanted])]
        include = [o.casefold() for o in options if not o.startswith("!")]
        exclude = [o[1:].casefold() for o in options if o.startswith("!")]
        if include:
            mask &= text.isin(include)
        if exclude:
            mask &= ~text.isin(exclude)
    return mask


def _folded(value) -> str:
    return "" if value is None or pd.isna(value) else str(value).casefold()


def _instantiate(rel: dict, owner: str, frames: dict, definitions: dict, values: dict) -> list[tuple]:
    """(kind, total cell, part cells) of one dbt meta relation over the rows, cells as (table, row
    position, measure); a row a mart does not have is an empty cell (0), so the parts are the rows
    present."""
    sides = []
    for side in (rel["total"], rel["parts"]):
        side = dict(side)
        table = side.pop("table", owner)
        measure = side.pop("measure", None)
        measures = None if measure is None else list(measure) if isinstance(measure, list) else [measure]
        sides.append((table, measures, side.pop("where", side)))
    (t_table, t_measures, t_where), (p_table, p_measures, p_where) = sides
    if t_table not in frames or p_table not in frames:
        return []
    if t_measures is None and p_measures is None:
        pairs = [([m], [m]) for m in definitions[t_table].get("measures") or []]
    else:
        pairs = [(t_measures or p_measures, p_measures or t_measures)]
    match = rel.get("match")
    if match is None:
        dims = definitions[t_table].get("dimensions") or []
        match = [d for d in dims if d not in t_where and d not in p_where]
    t_cols = [m.split("=")[0] for m in match]
    p_cols = [m.split("=")[-1] for m in match]
    totals, parts = frames[t_table], frames[p_table]
    partners: dict[tuple, list[int]] = {}
    chosen = parts.index[_selected(parts, p_where)]
    for position, key in zip(chosen, parts.loc[chosen, p_cols].map(_folded).itertuples(index=False, name=None)):
        partners.setdefault(key, []).append(position)
    out = []
    chosen = totals.index[_selected(totals, t_where)]
    for position, key in zip(chosen, totals.loc[chosen, t_cols].map(_folded).itertuples(index=False, name=None)):
        for t_measures_, p_measures_ in pairs:
            for tm in t_measures_:
                total = (t_table, position, tm)
                if total not in values:
                    continue
                members = [(p_table, q, pm) for q in partners.get(key, []) for pm in p_measures_]
                members = [c for c in members if c in values and c != total]
                if members:
                    out.append((rel["kind"], total, members))
    return out


def _merge_equal(instances: list[tuple], values: dict) -> dict[tuple, tuple]:
    """Each cell's representative: the cells an `equal` relation ties are one count (the total's
    cell represents them), where their values agree (else the data break the definition: kept apart)."""
    parent: dict[tuple, tuple] = {}

    def find(c: tuple) -> tuple:
        while parent.get(c, c) != c:
            c = parent[c]
        return c

    for kind, total, parts in instances:
        if kind != "equal":
            continue
        for part in parts:
            a, b = find(total), find(part)
            if a != b and values[a] == values[b]:
                parent[b] = a
    return {c: find(c) for c in values}


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
