"""Replicates on the real generator: its own persons, events and list behaviours, without delivery files.

The simulation harness (simulation.py) draws capture histories from the generator's rates; this
module runs the generator itself (ingestion/generator/national.py's order: population, shelter
cohort, rough sleepers, prison releases, list behaviours, then the crisis services' events year by
year) and reads its five lists straight from the event arrays, with the definitions of
int_capture_list_members:

- shelter: a shelter stay with a night in the year;
- ambulance / police: a contact in the year flagged no known address / no fixed abode;
- prison: a release in the year with no housing;
- hospital: a discharge in the year with no fixed abode;
- a record whose personal code was mistyped (`_typo`) links to the holder of the mistyped code
  (mistype_codes, as the files carry it), or to nobody when no one holds it;
- set aside as likely housed: a person on one list whose only flagged contact that year has an
  address in another source within 30 days of it (or, with set_aside="same_day", was followed by a
  hospital admission that day discharged home);
- strata: age group (under 30, 30-49, 50+) x Rīga / other (the person's home municipality);
- the same persons over the crisis lists split by half-year (simulation.HALF_OCCASIONS: a flagged contact
  or discharge dated before 1 July puts the person on the list's first half), for presence.py
  (run(..., presence=True)).

Delivery faults (invalid codes, duplicates) are left out: the pipeline cleans or drops them. The
truth is the generator's own (`rough_sleepers.truth`, written to `_faults.json`). With the default
seed and scale 1 the tables are those of the default run.

`python -m homeless_monitor.estimation.generator_replicates --replicates 8 --scale 0.25` prints the
yearly model average's (published until now) bias and coverage over replicates (seeds) and years; with
`--presence` the half-year presence method's (to publish) beside it. The default run's own lists:
`--replicates 1 --scale 1 --years 2015-2024 --seed 20241115 --presence`.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator

import numpy as np

from ingestion.generator import crisis, rough_sleepers
from ingestion.generator.list_behaviour import DEFAULT, ListBehaviour, mistype_codes
from ingestion.generator.national import _rng, build_world

from .averaging import published
from .simulation import HALF_LISTS, HALVES, presence_published

LISTS = ("shelter", "ambulance", "police", "prison", "hospital")


def _age_group(age: np.ndarray) -> np.ndarray:
    return np.where(age < 30, "under_30", np.where(age < 50, "30_49", "50_plus"))


def tables(
    years: range, scale: float, seed: int, behaviour: ListBehaviour = DEFAULT, set_aside: str = "30_days"
) -> Iterator[tuple[int, dict, int, dict]]:
    """Per year: (year, {(stratum, pattern): persons}, true homeless persons, what was set aside).

    set_aside: which one-list, one-contact persons are left out as likely housed: "30_days" (the
    mart's rule, int_capture_list_members: any address in another source within 30 days either side)
    or "same_day" (the rule until issue 24's second round: a hospital admission that day discharged home).
    """
    world = build_world(years, scale, seed, behaviour)
    geo, pop, cohort, ctx = world.geo, world.pop, world.cohort, world.ctx
    hidden, spells = world.hidden, world.prison_spells
    truth = rough_sleepers.truth(cohort, hidden)
    release = np.concatenate([s["release_date"] for s in spells.values()])
    released = np.concatenate([s["_person"] for s in spells.values()])
    no_housing = np.concatenate([s["release_housing"] for s in spells.values()]) == "no_housing"
    stays = cohort.stays
    housed = np.concatenate([s["release_housing"] for s in spells.values()]) == "housed"
    order = np.argsort(pop.code)
    typo_rng = _rng(seed, "replicate_typos")

    def linked(persons: np.ndarray, typo: np.ndarray) -> np.ndarray:
        """The person a record links to: its own, or the holder of the mistyped code (else a stranger)."""
        out = persons.astype(np.int64).copy()
        if typo.any():
            codes = mistype_codes(pop.code[persons[typo]], typo_rng)
            at = np.searchsorted(pop.code, codes, sorter=order).clip(0, order.size - 1)
            found = pop.code[order[at]] == codes
            out[typo] = np.where(found, order[at], -1 - np.arange(int(typo.sum())) - typo_rng.integers(0, 10**9))
        return out

    for year in years:
        amb = crisis.ambulance_calls(ctx, year, _rng(seed, "ambulance_calls", year))
        hosp = crisis.hospital_stays(ctx, year, _rng(seed, "hospital_stays", year))
        pol = crisis.police_contacts(ctx, year, _rng(seed, "police_contacts", year))
        jan1, dec31 = np.datetime64(f"{year}-01-01"), np.datetime64(f"{year}-12-31")
        night = (stays["check_in"] <= dec31) & (np.isnat(stays["check_out"]) | (stays["check_out"] > jan1))
        members: dict[str, np.ndarray] = {"shelter": np.unique(stays["person"][night])}
        in_year = ~np.isnat(release) & (release >= jan1) & (release <= dec31)
        members["prison"] = np.unique(released[in_year & no_housing])
        halves = {}  # crisis list -> (persons flagged in the first half-year, in the second)
        flagged_rows = {}  # list -> (person, date) of its flagged contacts, for the set-aside rules
        address_rows = {}  # list -> (person, date) of the OTHER service's contacts with an address known
        for name, ev, flag, day in (
            ("ambulance", amb, amb["no_fixed_address"] == True, amb["call_date"]),  # noqa: E712 - object column
            ("police", pol, pol["no_fixed_abode"] == True, pol["contact_date"]),  # noqa: E712
            (
                "hospital",
                hosp,
                (hosp["discharge_destination"] == "no_fixed_abode")
                & ~np.isnat(hosp["discharge_date"])
                & (hosp["discharge_date"] <= dec31),
                hosp["discharge_date"],
            ),
        ):
            flag = flag.astype(bool)
            who = linked(ev["_person"][flag], ev["_typo"].astype(bool)[flag])
            members[name] = np.unique(who)
            first_half = day[flag] < np.datetime64(f"{year}-07-01")
            halves[name] = (np.unique(who[first_half]), np.unique(who[~first_half]))
            if name != "hospital":
                flagged_rows[name] = (who, day[flag])
                known = ev["no_fixed_address" if name == "ambulance" else "no_fixed_abode"] == False  # noqa: E712
                address_rows["police" if name == "ambulance" else "ambulance"] = (ev["_person"][known], day[known])
        persons = np.unique(np.concatenate(list(members.values())))
        caught = np.column_stack([np.isin(persons, members[name]) for name in LISTS])
        by_half = np.column_stack(
            [np.isin(persons, halves[name][h - 1] if h else members[name]) for name, h in zip(HALF_LISTS, HALVES)]
        )
        one_list = set(persons[caught.sum(axis=1) == 1].tolist())
        f_person = np.concatenate([p for p, _ in flagged_rows.values()])
        ids, counts = np.unique(f_person, return_counts=True)
        single = set(ids[counts == 1].tolist()) & one_list
        # evidence of an address: hospital stays discharged home, prison releases to housing, the other service
        home = hosp["discharge_destination"] == "home"
        evidence: dict[int, list] = {}
        h_end = np.where(np.isnat(hosp["discharge_date"]), hosp["admission_date"], hosp["discharge_date"])
        for p, a, e in zip(hosp["_person"][home].tolist(), hosp["admission_date"][home], h_end[home]):
            if p in single:
                evidence.setdefault(p, []).append(("hospital", a, e))
        for p, r in zip(released[housed].tolist(), release[housed]):
            if p in single:
                evidence.setdefault(p, []).append(("prison", r, r))
        aside = {"same_day": set(), "30_days": set()}
        for name, (who, day) in flagged_rows.items():
            other = address_rows[name]
            for p, d in zip(who.tolist(), day):
                if p not in single:
                    continue
                found = evidence.get(p, [])
                if any(src == "hospital" and a == d for src, a, _ in found):
                    aside["same_day"].add(p)
                near = any(a <= d + 30 and e >= d - 30 for _, a, e in found) or bool(
                    np.any((other[0] == p) & (np.abs((other[1] - d).astype(int)) <= 30))
                )
                if near:
                    aside["30_days"].add(p)
        homeless = set(np.union1d(rough_sleepers.sheltered_in(cohort, year), hidden[year]).tolist())
        extra = (
            {f"set_aside_{rule}": len(out) for rule, out in aside.items()}
            | {f"set_aside_{rule}_homeless": len(out & homeless) for rule, out in aside.items()}
            | {"seen_once": len(single), "seen_once_homeless": len(single & homeless)}
        )
        keep = ~np.isin(persons, list(aside[set_aside]))
        known_person = persons >= 0
        age = np.where(known_person, year - pop.birth_year(np.maximum(persons, 0)), 40)
        home_muni = ctx.cohort_home(np.maximum(persons, 0))
        region = np.where(known_person & (home_muni == geo.riga), "riga", "other")
        strata = np.char.add(np.char.add(_age_group(age).astype(str), "|"), region.astype(str))
        freqs: dict = {}
        aside_freqs: dict = {}
        for s_, row, kept in zip(strata.tolist(), map(tuple, caught.astype(int).tolist()), keep.tolist()):
            cells = freqs if kept else aside_freqs
            cells[(s_, row)] = cells.get((s_, row), 0) + 1
        half_freqs: dict = {}
        half_aside: dict = {}
        for row, kept in zip(map(tuple, by_half.astype(int).tolist()), keep.tolist()):
            cells = half_freqs if kept else half_aside
            cells[("all", row)] = cells.get(("all", row), 0) + 1
        extra = {
            "set_aside": int((~keep).sum()),
            "set_aside_cells": aside_freqs,
            "halves": half_freqs,
            "halves_aside": half_aside,
            **extra,
        }
        yield year, freqs, truth[str(year)]["homeless_persons"], extra


def run(
    replicates: int,
    scale: float,
    years: range,
    seed: int = 1,
    behaviour: ListBehaviour = DEFAULT,
    presence: bool = False,
) -> list[dict]:
    """One row per replicate and year: truth, estimate, interval (the yearly model average, published until
    now); with `presence` also the half-year presence method's (simulation.presence_published, the method to
    publish) as presence, presence_lower, presence_upper."""
    rows = []
    for r in range(replicates):
        for year, freqs, truth, extra in tables(years, scale, seed + r, behaviour):
            pub = published(freqs, LISTS, set_aside=extra.pop("set_aside_cells"))
            halves, halves_aside = extra.pop("halves"), extra.pop("halves_aside")
            if presence:
                by_half = presence_published(halves, halves_aside)
                extra |= {
                    "presence": by_half.estimate,
                    "presence_lower": by_half.lower,
                    "presence_upper": by_half.upper,
                }
            rows.append(
                {
                    "seed": seed + r,
                    "year": year,
                    "truth": truth,
                    "observed": pub.observed,
                    "estimate": pub.estimate,
                    "lower": pub.lower,
                    "upper": pub.upper,
                    **extra,
                }
            )
    return rows


def summary(rows: list[dict], presence: bool = False) -> dict:
    """Bias, coverage and mean width over the rows: of the yearly model average, or (`presence`) of the
    half-year presence method."""
    key = "presence" if presence else "estimate"
    low, high = ("presence_lower", "presence_upper") if presence else ("lower", "upper")
    t = np.array([r["truth"] for r in rows], dtype=float)
    e = np.array([r[key] for r in rows])
    lo, hi = np.array([r[low] for r in rows]), np.array([r[high] for r in rows])
    return {
        "tables": len(rows),
        "bias": float(np.mean(e / t - 1)),
        "coverage": float(np.mean((lo <= t) & (t <= hi))),
        "width": float(np.mean((hi - lo) / t)),
    }


def scenario_table(replicates: int, scale: float, years: range, seed: int = 1, progress=None) -> list[dict]:
    """The simulation table's scenarios (simulation.SCENARIOS) on the real generator.

    Each scenario switches the same behaviours on (ListBehaviour); "independent lists" becomes the
    generator with every behaviour off (its lists are then the model's own world: independent within
    each class). One row per scenario in simulation.markdown's format; every year of every replicate
    counts as one table (years after the first share their rough sleepers in part).
    """
    from .simulation import SCENARIOS

    rows = []
    for scenario in SCENARIOS:
        name = "no list behaviour (independent within classes)" if scenario.independent else scenario.name
        s = summary(run(replicates, scale, years, seed, scenario.behaviour))
        rows.append(
            {
                "scenario": name,
                "method": f"published, real generator x {scale:g}",
                "replicates": f"{replicates} x {len(years)} years",
                **{k: s[k] for k in ("bias", "coverage", "width")},
            }
        )
        if progress:
            progress(rows)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=8)
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--years", default="2023-2024")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenarios", action="store_true", help="the simulation table's scenarios, one row each")
    parser.add_argument("--presence", action="store_true", help="also the half-year presence method (to publish)")
    args = parser.parse_args()
    first, _, last = args.years.partition("-")
    years = range(int(first), int(last or first) + 1)
    started = time.perf_counter()
    if args.scenarios:
        from .simulation import markdown

        rows = scenario_table(
            args.replicates, args.scale, years, args.seed, lambda done: print(markdown(done[-1:]), flush=True)
        )
        print(f"\n{markdown(rows)}\n\n{time.perf_counter() - started:.0f} s")
        return
    rows = run(args.replicates, args.scale, years, args.seed, presence=args.presence)
    for r in rows:
        presence = (
            f"; presence {r['presence']:,.0f} ({r['presence'] / r['truth'] - 1:+.1%}) interval "
            f"{r['presence_lower']:,.0f}-{r['presence_upper']:,.0f} "
            f"{'covers' if r['presence_lower'] <= r['truth'] <= r['presence_upper'] else 'MISSES'}"
            if args.presence
            else ""
        )
        print(
            f"seed {r['seed']} {r['year']}: truth {r['truth']:,} observed {r['observed']:,} estimate "
            f"{r['estimate']:,.0f} ({r['estimate'] / r['truth'] - 1:+.1%}) interval {r['lower']:,.0f}-{r['upper']:,.0f} "
            f"{'covers' if r['lower'] <= r['truth'] <= r['upper'] else 'MISSES'}; set aside {r['set_aside']}{presence}",
            flush=True,
        )
    for label, presence in (("yearly model average", False), ("half-year presence method", True)):
        if presence and not args.presence:
            continue
        s = summary(rows, presence)
        print(
            f"\n{label}: {s['tables']} year tables: bias {s['bias']:+.1%}, coverage {s['coverage']:.1%}, "
            f"mean width {s['width']:.1%}"
        )
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
