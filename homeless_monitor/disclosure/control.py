"""Disclosure control of the public tier, end to end: read the minimised public tables, suppress
(primary + secondary), audit as an attacker, and return the protected tables with their flags.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from homeless_monitor.disclosure.attacker import Exposure, audit
from homeless_monitor.disclosure.outcome import CheckOutcome
from homeless_monitor.disclosure.primary import DEFAULT_K, is_sensitive
from homeless_monitor.disclosure.secondary import protect
from homeless_monitor.disclosure.tables import (
    RIGA_ATVK,
    CellMap,
    PublicTable,
    build_problem,
    public_tables,
    read_public_frames,
)
from homeless_monitor.release.tiers import SUPPRESSED_SUFFIX


@dataclass
class TableStats:
    rows: int = 0
    cells: int = 0
    published: int = 0
    primary: int = 0
    secondary: int = 0
    derived_suppressed: int = 0


@dataclass
class Controlled(CheckOutcome):
    k: int
    tables: dict[str, pd.DataFrame]
    specs: dict[str, PublicTable]
    stats: dict[str, TableStats]
    exposures: list[Exposure]
    seconds: float
    solver_rounds: int
    fallbacks: int
    timings: dict[str, float] = field(default_factory=dict)
    patterns: dict[str, list[str]] = field(default_factory=dict)  # kept for the next publication
    reused: int = 0  # components whose earlier pattern was reused
    required_hidden: list[str] = field(default_factory=list)  # required totals of k or more hidden
    required_fallbacks: int = 0  # components no pattern protected without a required total
    withheld: list[tuple[str, int]] = field(default_factory=list)  # (mart, year) municipal rows withheld

    @property
    def protection_level(self) -> int:
        return self.k

    def problems(self) -> list[Exposure]:
        return self.exposures

    def summary(self) -> dict:
        return {
            **self.head("audit", "exposed_cells"),
            "protection": f"counts 1 to {self.k - 1} suppressed; every suppressed cell's attacker interval "
            f"(suppressed cells at least 1, zero is published) has width >= {self.k}; no "
            f"difference of two published nested counts is 1 to {self.k - 1}",
            "required_totals_hidden": self.required_hidden,
            "solver_seconds": round(self.seconds, 3),
            "mip_rounds": self.solver_rounds,
            "seconds": {step: round(t, 3) for step, t in self.timings.items()},
            "components_suppressed_whole": self.fallbacks,
            "components_needing_a_required_total": self.required_fallbacks,
            "municipal_rows_withheld": [f"{table} {year}" for table, year in self.withheld],
            "components_reused_from_last_publication": self.reused,
            "tables": {t: vars(s) for t, s in self.stats.items()},
        }


def share_gives_small_count(share, bound, k: int, digits: int = 4) -> bool:
    """Whether a share published to `digits` decimals, of an unpublished denominator of at most `bound`
    persons (share_women: women of persons with a recorded sex), narrows its numerator to fewer than k
    values one of which is 1..k-1: every numerator w of a fraction w/d, d = 1..bound, that rounds to it."""
    if share is None or bound is None or pd.isna(share) or pd.isna(bound):
        return False
    share, half = float(share), 0.5 * 10**-digits + 1e-12
    numerators = set()
    for d in range(1, int(bound) + 1):
        for w in range(max(0, int((share - half) * d)), min(d, int((share + half) * d) + 1) + 1):
            if abs(w / d - share) <= half:
                numerators.add(w)
    return bool(numerators) and any(0 < w < k for w in numerators) and max(numerators) - min(numerators) < k


def apply_suppression(
    frames: dict[str, pd.DataFrame],
    cm: CellMap,
    suppressed: set[int],
    primary: set[int],
    k: int,
    tables: tuple[PublicTable, ...] | None = None,
) -> tuple[dict, dict]:
    """The published frames: suppressed measures NULL, with a boolean `<m>_suppressed` beside each."""
    tables = tables or public_tables()
    out, stats = {}, {}
    for spec in tables:
        if spec.name not in frames:
            continue
        frame = frames[spec.name].copy()
        records = frame.to_dict("records")
        st = TableStats(rows=len(frame))
        flags: dict[str, list[bool]] = {c: [] for c in (*spec.counts, *spec.derived)}
        for position, row in enumerate(records):
            hidden_counts = {}
            for column in spec.counts:
                var = cm.cells.get((spec.name, position, column))
                hidden = var is not None and var in suppressed
                hidden_counts[column] = hidden
                flags[column].append(hidden)
                if var is not None:
                    st.cells += 1
                    st.published += not hidden
                    st.primary += var in primary
                    st.secondary += hidden and var not in primary
            for column, deps in spec.derived.items():
                hidden = False
                for dep in deps:
                    if dep == "~women":
                        hidden |= share_gives_small_count(row.get(column), row.get("persons"), k)
                    elif hidden_counts.get(dep) or (
                        row.get(dep) is not None and not pd.isna(row.get(dep)) and is_sensitive(int(row[dep]), k)
                    ):
                        hidden = True
                least = spec.min_count.get(column)
                if least is not None and any(
                    row.get(d) is not None and not pd.isna(row.get(d)) and int(row[d]) < least for d in deps
                ):
                    hidden = True  # a mean or median over too few persons
                hidden = hidden and row.get(column) is not None and not pd.isna(row.get(column))
                flags[column].append(hidden)
                st.derived_suppressed += hidden
        for column, column_flags in flags.items():
            mask = pd.Series(column_flags, index=frame.index, dtype=bool)
            frame[column] = frame[column].astype(object).where(~mask, None) if mask.any() else frame[column]
            frame[column + SUPPRESSED_SUFFIX] = mask
        frame.attrs = dict(frames[spec.name].attrs)
        out[spec.name], stats[spec.name] = frame, st
    return out, stats


def municipal_detail_to_withhold(cm: CellMap, frames: dict[str, pd.DataFrame], cells: list[int]) -> list[tuple]:
    """(mart, year) whose municipal rows (Rīga's apart: the city is a NUTS3 region of its own and a
    required total) are the cells only a required total could protect: many tiny municipalities whose
    rows each say "at least 1" add up to nearly their region's or the nation's published total. Coarser
    detail instead of a hidden total: those rows are withheld, so a reader no longer knows how many
    municipalities had anyone (docs/disclosure.md)."""
    wanted = set(cells)
    out = set()
    for (table, position, _column), var in cm.cells.items():
        if var not in wanted:
            continue
        row = frames[table].iloc[position]
        if row.get("geo_level") == "municipality" and row.get("municipality_atvk") != RIGA_ATVK:
            out.add((table, int(row["year"])))
    return sorted(out)


def withhold_municipal_rows(frames: dict[str, pd.DataFrame], withheld: list[tuple]) -> dict[str, pd.DataFrame]:
    """The frames without the municipal rows (but Rīga's) of each (mart, year)."""
    out = dict(frames)
    for table, year in withheld:
        frame = out[table]
        drop = (
            (frame["year"] == year) & (frame["geo_level"] == "municipality") & (frame["municipality_atvk"] != RIGA_ATVK)
        )
        kept = frame[~drop].reset_index(drop=True)
        kept.attrs = dict(frame.attrs)
        out[table] = kept
    return out


def control(
    con: duckdb.DuckDBPyConnection,
    k: int = DEFAULT_K,
    tables: tuple[PublicTable, ...] | None = None,
    kept: dict[str, list[str]] | None = None,
) -> Controlled:
    """Suppress and audit every public table read from the warehouse's `marts` schema (reusing the
    kept patterns of components that did not change; the audit below checks the whole pattern). The
    public tables are those dbt's manifest marks `tier: public` (disclosure/tables.public_tables)."""
    started = time.perf_counter()
    if tables is None:
        tables = public_tables()
    frames = read_public_frames(con, tables)
    withheld: list[tuple[str, int]] = []
    solving = 0.0
    while True:
        cm = build_problem(frames, tables)
        read = time.perf_counter()
        protection = protect(cm.problem, k, kept)
        solving += time.perf_counter() - read
        coarser = [c for c in municipal_detail_to_withhold(cm, frames, protection.need_required) if c not in withheld]
        if not coarser:
            break
        frames = withhold_municipal_rows(frames, coarser)
        withheld += coarser
    solved = time.perf_counter()
    read = solved - solving
    exposed = audit(cm.problem, protection.suppressed, k)
    audited = time.perf_counter()
    out, stats = apply_suppression(frames, cm, protection.suppressed, protection.primary, k, tables)
    original_types = {name: frames[name].dtypes for name in frames}
    for name, frame in out.items():  # keep the marts' numeric types where nothing was suppressed
        for column, dtype in original_types[name].items():
            if frame[column].dtype == object and dtype != object:  # noqa: E721
                frame[column] = pd.array(
                    frame[column].tolist(), dtype="Int64" if "int" in str(dtype).lower() else "Float64"
                )
    problem = cm.problem
    required_hidden = sorted(
        problem.labels[c] for c in problem.required & protection.suppressed if problem.values[c] >= k
    )
    return Controlled(
        k,
        out,
        {s.name: s for s in tables},
        stats,
        exposed,
        solved - read + (audited - solved),
        protection.rounds,
        protection.fallbacks,
        {"read_and_model": read - started, "suppression": solved - read, "audit": audited - solved},
        protection.patterns,
        protection.reused,
        required_hidden,
        protection.required_fallbacks,
        sorted(withheld),
    )
