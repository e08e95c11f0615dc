"""The independent attacker audit of a release's public tier: a blocking check that reads only what a
reader has - the public files (`public/<table>.parquet`) and the written definitions of the public
tables (dbt `meta` of each public mart: dimensions, measures, derived measures, relations) - and
attacks them with HiGHS.

It deliberately shares nothing with the suppression step (homeless_monitor/disclosure/secondary.py,
tables.py, attacker.py): a blind spot of the suppression's own model must not pass both. What it
knows, written once in the definitions:

(a) hidden cells are never zero: zero is published and a breakdown mart has a row only for a
    non-empty cell, so every `c` is at least 1 (lower bound 1 in every programme);
(b) every relation between published numbers, within and across tables (sum, cover, subset, equal);
(c) every derived number with its true numerator and denominator: a rate or share published beside a
    hidden count gives it away; a share over an unpublished denominator (share of women of persons
    with a recorded sex) is attacked by finding every numerator/denominator pair that rounds to it;
    a mean or median over fewer than `min_count` persons is not published;
(d) implicit cells: the difference of two published nested counts (a part and its total) is a count
    of persons too, and must not be 1..k-1.

For each hidden cell it minimises and maximises the cell subject to everything above; an interval
narrower than the protection level fails publication, as does any implicit cell of 1..k-1 and any
derived number that reveals a small count.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import highspy
import pandas as pd

from homeless_monitor.disclosure.lp import rowwise_highs
from homeless_monitor.disclosure.outcome import CheckOutcome

SUPPRESSED = "_suppressed"
TOLERANCE = 1e-6
Cell = tuple  # (table, row key (dimension values), measure)


@dataclass
class TableFigures:
    cells: int = 0  # published or hidden counts
    hidden: int = 0
    perturbed: int = 0  # no perturbative method is used; kept for the manifest's shape
    disclosed: int = 0  # published counts of 1..k-1 and hidden cells narrower than the protection level
    implicit: int = 0  # differences of published nested counts of 1..k-1
    derived: int = 0  # derived numbers revealing a small count


@dataclass
class Finding:
    kind: str  # "primary" (a count of 1..k-1 published), "interval", "implicit", "derived"
    table: str
    text: str

    def line(self) -> str:
        return f"{self.kind}: {self.text}"


@dataclass
class AuditResult(CheckOutcome):
    k: int
    protection_level: int
    tables: dict[str, TableFigures] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    headline_hidden: list[str] = field(default_factory=list)
    seconds: float = 0.0
    programmes: int = 0

    def problems(self) -> list[Finding]:
        return self.findings

    def summary(self) -> dict:
        return {
            **self.head("result", "findings"),
            "seconds": round(self.seconds, 3),
            "linear_programmes": self.programmes,
            "findings_total": len(self.findings),
            "headline_totals_hidden": self.headline_hidden[:50],
            "tables": {t: vars(f) for t, f in sorted(self.tables.items())},
        }


# ---------------------------------------------------------------------------------------------- reading


def read_public(public_dir: Path, definitions: dict[str, dict]) -> dict[str, pd.DataFrame]:
    """Every defined public table the release has, as a reader gets it (Parquet)."""
    frames = {}
    with duckdb.connect() as con:
        for name in definitions:
            path = Path(public_dir) / f"{name}.parquet"
            if path.exists():
                frames[name] = con.execute("SELECT * FROM read_parquet(?)", [str(path)]).df()
    return frames


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


def _norm(value) -> str:
    return _text(value).casefold()


class Cells:
    """The count cells of the public tables: published value, or hidden (None)."""

    def __init__(self, frames: dict[str, pd.DataFrame], definitions: dict[str, dict]):
        self.frames, self.definitions = frames, definitions
        self.value: dict[Cell, int | None] = {}
        self.rows: dict[str, list[dict]] = {}
        for name, frame in frames.items():
            d = definitions[name]
            dims = list(d.get("dimensions", []))
            records = frame.to_dict("records")
            self.rows[name] = records
            for row in records:
                key = tuple(_text(row.get(c)) for c in dims)
                row["__key"] = key
                for m in d.get("measures", []):
                    if m not in row:
                        continue
                    v = row[m]
                    hidden = bool(row.get(m + SUPPRESSED)) if (m + SUPPRESSED) in row else False
                    if hidden:
                        self.value[(name, key, m)] = None
                    elif v is not None and not pd.isna(v):
                        self.value[(name, key, m)] = int(round(float(v)))

    def hidden(self, cell: Cell) -> bool:
        return cell in self.value and self.value[cell] is None

    def label(self, cell: Cell) -> str:
        table, key, measure = cell
        dims = self.definitions[table].get("dimensions", [])
        return f"{table}[{', '.join(f'{d}={v}' for d, v in zip(dims, key) if v not in ('', 'ALL'))}].{measure}"


# ---------------------------------------------------------------------------------------- relations


@dataclass(frozen=True)
class Instance:
    kind: str  # sum: total = sum(parts); cover: total <= sum(parts), part <= total; subset: part <= total;
    #            equal: part = total
    total: Cell
    parts: tuple[Cell, ...]


def _matches(row: dict, where: dict) -> bool:
    for column, wanted in (where or {}).items():
        value = _norm(row.get(column))
        options = wanted if isinstance(wanted, list) else [wanted]
        negated = [str(o)[1:].casefold() for o in options if str(o).startswith("!")]
        positive = [str(o).casefold() for o in options if not str(o).startswith("!")]
        if negated and value in negated:
            return False
        if positive and value not in positive:
            return False
    return True


def _side(spec: dict, owner: str) -> tuple[str, list[str] | None, dict]:
    measure = spec.get("measure")
    measures = None if measure is None else (measure if isinstance(measure, list) else [measure])
    where = {k: v for k, v in spec.items() if k not in ("table", "measure")}
    where = where.get("where", where)
    return spec.get("table", owner), measures, where


def instances(cells: Cells, definitions: dict[str, dict]) -> list[Instance]:
    """The written relations, instantiated over the published rows (a row absent from a table whose
    rows exist only for non-empty cells is a zero, so a sum's parts are the rows present)."""
    out: list[Instance] = []
    for owner, d in definitions.items():
        for rel in d.get("relations", []) or []:
            t_table, t_measures, t_where = _side(rel.get("total", {}), owner)
            p_table, p_measures, p_where = _side(rel.get("parts", {}), owner)
            if t_table not in cells.rows or p_table not in cells.rows:
                continue
            match = rel.get("match", "rest")
            if match == "rest":
                dims = definitions[t_table].get("dimensions", [])
                match = [c for c in dims if c not in t_where and c not in p_where]
            pairs = [tuple(m.split("=")) if "=" in m else (m, m) for m in match]
            if t_measures is None and p_measures is None:
                measure_pairs = [([m], [m]) for m in definitions[t_table].get("measures", [])]
            else:
                measure_pairs = [(t_measures or p_measures, p_measures or t_measures)]
            parts_by_key: dict[tuple, list[dict]] = {}
            for row in cells.rows[p_table]:
                if _matches(row, p_where):
                    parts_by_key.setdefault(tuple(_norm(row.get(b)) for _, b in pairs), []).append(row)
            for row in cells.rows[t_table]:
                if not _matches(row, t_where):
                    continue
                partners = parts_by_key.get(tuple(_norm(row.get(a)) for a, _ in pairs), [])
                for tms, pms in measure_pairs:
                    for tm in tms:
                        total = (t_table, row["__key"], tm)
                        if total not in cells.value:
                            continue
                        parts = tuple(
                            c
                            for r in partners
                            for pm in pms
                            for c in [(p_table, r["__key"], pm)]
                            if c in cells.value and c != total
                        )
                        if parts:
                            out.append(Instance(rel["kind"], total, parts))
    return out


# ------------------------------------------------------------------------------------ the programmes


def _rows(inst: Instance, cells: Cells) -> list[tuple[dict[Cell, float], float, float]]:
    """The relation as rows lower <= a.x <= upper over hidden cells (published cells as constants)."""
    inf = math.inf
    terms_list = []
    diff = [(inst.total, 1.0)] + [(p, -1.0) for p in inst.parts]
    if inst.kind == "sum":
        terms_list.append((diff, 0.0, 0.0))
    else:
        if inst.kind == "cover":
            terms_list.append((diff, -inf, 0.0))
        for p in inst.parts:
            if inst.kind == "equal":
                terms_list.append(([(p, 1.0), (inst.total, -1.0)], 0.0, 0.0))
            else:
                terms_list.append(([(p, 1.0), (inst.total, -1.0)], -inf, 0.0))
    rows = []
    for terms, lower, upper in terms_list:
        coefs: dict[Cell, float] = {}
        constant = 0.0
        for c, a in terms:
            if cells.hidden(c):
                coefs[c] = coefs.get(c, 0.0) + a
            else:
                constant += a * cells.value[c]
        coefs = {c: a for c, a in coefs.items() if a != 0}
        if coefs:
            rows.append((coefs, lower - constant, upper - constant))
    return rows


def _components(hidden: list[Cell], rows: list[tuple[dict, float, float]]) -> list[tuple[list[Cell], list]]:
    parent = {c: c for c in hidden}

    def root(c):
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for coefs, *_ in rows:
        first, *rest = list(coefs)
        for c in rest:
            a, b = root(first), root(c)
            if a != b:
                parent[b] = a
    groups: dict[Cell, list[Cell]] = {}
    for c in hidden:
        groups.setdefault(root(c), []).append(c)
    row_groups: dict[Cell, list] = {}
    for row in rows:
        row_groups.setdefault(root(next(iter(row[0]))), []).append(row)
    return [(members, row_groups.get(r, [])) for r, members in groups.items()]


def _interval_programme(members: list[Cell], rows: list, lower_bound: dict[Cell, float]):
    index = {c: i for i, c in enumerate(members)}
    h = rowwise_highs(
        [lower_bound[c] for c in members],
        (({index[c]: a for c, a in coefs.items()}, lo, up) for coefs, lo, up in rows),
    )
    return h, index


def _extreme(h, i: int, maximise: bool) -> float:
    h.changeColCost(i, 1.0)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)
    h.run()
    status = h.getModelStatus()
    value = h.getInfo().objective_function_value
    h.changeColCost(i, 0.0)
    if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return math.inf if maximise else -math.inf
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(
            f"attacker programme: {h.modelStatusToString(status)} (the published "
            "figures contradict the written relations)"
        )
    return value


def hidden_lower_bound(definitions: dict[str, dict], cell: Cell) -> float:
    """What a reader knows of a hidden cell's least value: 1 (zero is published, so a `c` is never 0)
    unless the table's definition says otherwise (`hidden_lower_bound`, a number or one per measure)."""
    spec = definitions[cell[0]].get("hidden_lower_bound", 1)
    if isinstance(spec, dict):
        spec = spec.get(cell[2], 1)
    return float(spec)


def intervals(cells: Cells, insts: list[Instance]) -> tuple[dict[Cell, tuple[float, float]], int]:
    """The attacker's [min, max] of every hidden cell, and the number of programmes solved."""
    hidden = [c for c, v in cells.value.items() if v is None]
    rows = [r for inst in insts for r in _rows(inst, cells)]
    lower_bound = {c: hidden_lower_bound(cells.definitions, c) for c in hidden}
    out, programmes = {}, 0
    for members, comp_rows in _components(hidden, rows):
        if not comp_rows:
            out.update({c: (lower_bound[c], math.inf) for c in members})
            continue
        h, index = _interval_programme(members, comp_rows, lower_bound)
        for c in members:
            hi = _extreme(h, index[c], True)
            lo = _extreme(h, index[c], False) if not math.isinf(hi) else lower_bound[c]
            programmes += 2
            out[c] = (max(lo, lower_bound[c]), hi)
    return out, programmes


# ------------------------------------------------------------------------------------ derived numbers


def share_numerators(share: float, bound: int, digits: int) -> set[int]:
    """Every numerator w of a share w/d (1 <= d <= bound) that rounds to the published share."""
    half = 0.5 * 10 ** (-digits) + 1e-12
    found = set()
    for d in range(1, max(bound, 0) + 1):
        low, high = math.ceil((share - half) * d - 1e-9), math.floor((share + half) * d + 1e-9)
        for w in range(max(low, 0), min(high, d) + 1):
            if abs(w / d - share) <= half:
                found.add(w)
    return found


def _digits(value: float, most: int = 6) -> int:
    for digits in range(most + 1):
        if abs(round(value, digits) - value) < 1e-12:
            return digits
    return most


def _derived_findings(cells: Cells, definitions: dict[str, dict], k: int) -> list[Finding]:
    out = []
    for name, rows in cells.rows.items():
        for spec in definitions[name].get("derived", []) or []:
            column, kind = spec["column"], spec.get("kind", "share")
            for row in rows:
                value = row.get(column)
                if value is None or pd.isna(value):
                    continue
                key = row["__key"]
                label = cells.label((name, key, column))
                inputs = [spec.get(s) for s in ("numerator", "denominator", "count") if spec.get(s)]
                hidden = [i for i in inputs if cells.hidden((name, key, i))]
                if hidden:
                    out.append(
                        Finding("derived", name, f"{label} = {value} is published beside hidden {', '.join(hidden)}")
                    )
                    continue
                if kind in ("mean", "median"):
                    n = cells.value.get((name, key, spec["count"]))
                    if n is not None and 0 < n < int(spec.get("min_count", 2 * k)):
                        out.append(
                            Finding(
                                "derived",
                                name,
                                f"{label} is a {kind} over {n} persons (fewer than {spec.get('min_count', 2 * k)})",
                            )
                        )
                elif kind == "share" and spec.get("denominator_bound"):
                    bound = cells.value.get((name, key, spec["denominator_bound"]))
                    if bound is None:
                        continue
                    scale = float(spec.get("scale", 1))
                    numerators = share_numerators(float(value) / scale, bound, _digits(float(value) / scale))
                    small = [w for w in numerators if 0 < w < k]
                    if small and max(numerators) - min(numerators) < k:
                        out.append(
                            Finding(
                                "derived",
                                name,
                                f"{label} = {value} over at most {bound} persons "
                                f"gives its numerator as one of {sorted(numerators)}",
                            )
                        )
    return out


# ---------------------------------------------------------------------------------------- the audit


def audit_frames(
    frames: dict[str, pd.DataFrame], definitions: dict[str, dict], k: int, protection: int | None = None
) -> AuditResult:
    """The audit of public tables already read (the unit tests' entry; `audit_release` reads files)."""
    started = time.perf_counter()
    protection = protection or k
    definitions = {n: d for n, d in definitions.items() if n in frames}
    cells = Cells(frames, definitions)
    result = AuditResult(k, protection)
    for (table, _key, _m), v in cells.value.items():
        f = result.tables.setdefault(table, TableFigures())
        f.cells += 1
        f.hidden += v is None
    for name in frames:
        result.tables.setdefault(name, TableFigures())
    for cell, v in sorted(cells.value.items(), key=lambda x: cells.label(x[0])):
        if v is not None and 0 < v < k:
            result.tables[cell[0]].disclosed += 1
            result.findings.append(Finding("primary", cell[0], f"{cells.label(cell)} = {v} is published"))
    insts = instances(cells, definitions)
    bounds, result.programmes = intervals(cells, insts)
    for cell, (lo, hi) in sorted(bounds.items(), key=lambda x: cells.label(x[0])):
        if hi - lo < protection - TOLERANCE:
            result.tables[cell[0]].disclosed += 1
            result.findings.append(
                Finding(
                    "interval",
                    cell[0],
                    f"{cells.label(cell)}: attacker interval [{lo:g}, {hi:g}] narrower than {protection}",
                )
            )
    seen = set()
    for inst in insts:
        if inst.kind == "sum":
            continue
        t = cells.value[inst.total]
        for p in inst.parts:
            v = cells.value[p]
            if t is None or v is None or (inst.total, p) in seen:
                continue
            seen.add((inst.total, p))
            if 0 < t - v < k:
                result.tables[p[0]].implicit += 1
                result.findings.append(
                    Finding("implicit", p[0], f"{cells.label(inst.total)} - {cells.label(p)} = {t} - {v} = {t - v}")
                )
    for finding in _derived_findings(cells, definitions, k):
        result.tables[finding.table].derived += 1
        result.findings.append(finding)
    for name, d in definitions.items():
        for spec in d.get("headline", []) or []:
            for row in cells.rows.get(name, []):
                if _matches(row, spec.get("where", {})):
                    for m in spec.get("measures", []):
                        if cells.hidden((name, row["__key"], m)):
                            result.headline_hidden.append(cells.label((name, row["__key"], m)))
    result.seconds = time.perf_counter() - started
    return result


def audit_release(public_dir: Path, definitions: dict[str, dict], k: int, protection: int | None = None) -> AuditResult:
    """The blocking audit of a release's public tier, from its files and the written definitions."""
    started = time.perf_counter()
    result = audit_frames(read_public(public_dir, definitions), definitions, k, protection)
    result.seconds = time.perf_counter() - started
    return result
