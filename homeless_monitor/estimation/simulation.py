"""Simulation harness: do the estimation methods cover the truth on lists that behave like real ones?

Capture histories are drawn person by person with the generator's mechanisms and rates
(ingestion/generator: crisis.py COHORT_RATE and the no-home flag shares, list_behaviour.py), without
writing delivery files, so hundreds of replicates take minutes:

- two classes as the generator makes them: shelter users (on the shelter list with certainty) and
  rough sleepers outside shelters (never on it);
- ambulance calls, police contacts and hospital stays as Poisson counts at the generator's rates,
  each flagged "no home" at the generator's shares; a list holds a person with at least one flagged
  record whose personal code was typed right (a mistyped record becomes a stranger on that list);
- prison releases with no housing: 3 % of shelter users, 8 % of rough sleepers;
- the list behaviours of `ListBehaviour`, switched on per scenario;
- the mart's set-aside of likely housed persons (seen once, an address in another source within 30
  days: the housed persons flagged and discharged home, and ADDRESS_NEARBY of the homeless seen once),
  whose cells go to the published method apart (its interval reaches over the one with them kept).

Contacts are drawn half-year by half-year (a part-year window placed uniformly in the year, as
crisis.apply_behaviour places it), so each replicate also has its table over the crisis lists split by
half-year (HALF_OCCASIONS).

Two methods are run on every replicate, each with the published handling of shelter users (a census,
counted) and of the persons set aside as likely housed (averaging.published):

- YEARLY, "yearly model average (published until now)": averaging.average on the yearly lists;
- PRESENCE, "half-year presence model average (to publish)": presence.average_presence on the crisis
  lists split by half-year (presence classes, within-half list dependence).

The harness is not the generator: generator_replicates.py runs the generator itself on the same
scenarios (slower; its table is in the issue-24 note beside this one).

Scenarios (SCENARIOS): independent lists (homogeneous, four lists, no classes: the model's own
world), and on the generator's structure: one dependent pair (ambulance -> hospital), log-normal
heterogeneity (frailty), two classes (chronic rough sleepers), part-year exposure, false positives
at the default rate, and everything at the default values. With `compare`, the independence model
and BIC-stepwise selection over the yearly lists (the method published before issue 24) are run beside.

Run the full table: `python -m homeless_monitor.estimation.simulation --replicates 100 --published-only`
(both methods, without the comparison models; `--method presence` for one of them).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from ingestion.generator.list_behaviour import DEFAULT, ListBehaviour

from .averaging import Published, Spec, Table, published, stepwise
from .presence import by_occasion, half_occasions

SHELTERED, HIDDEN = 5800, 6300
RATES = {"ambulance": 1.6, "hospital": 0.3, "police": 2.2}
FLAG = {"ambulance": (0.45, 0.75), "police": (0.3, 0.55)}  # (shelter users, rough sleepers); x 0.95 recorded
HOSPITAL_NFA, TAKEN_TO_HOSPITAL = 0.55, 0.45
PRISON = (0.03, 0.08)
#: share of homeless persons seen once (one list, ambulance or police, one record) with an address in
#: another source within 30 days, so set aside as likely housed: 68 of 550 a year at scale 0.5 on the real
#: generator (generator_replicates.py, seed 1, 2023-2024)
ADDRESS_NEARBY = 0.125
LISTS = ("shelter", "ambulance", "police", "prison", "hospital")
#: the crisis lists split by half-year (presence.py): occasion names and the half of each (0: the whole year)
HALF_OCCASIONS, HALVES = half_occasions(LISTS, ("ambulance", "police", "hospital"))
HALF_LISTS = tuple(name.split(" (")[0] for name in HALF_OCCASIONS)
#: the first half-year's days (1 January - 30 June in a year of 365 days)
HALF = 181


@dataclass(frozen=True)
class Scenario:
    name: str
    behaviour: ListBehaviour
    independent: bool = False


NONE = ListBehaviour.none()


def only(*behaviours: str) -> ListBehaviour:
    """Every list behaviour off except the named ones, which take their default values."""
    return replace(NONE, **{name: getattr(DEFAULT, name) for name in behaviours})


SCENARIOS = (
    Scenario("independent lists", NONE, independent=True),
    Scenario("one dependent pair (ambulance -> hospital)", only("ambulance_to_hospital")),
    Scenario("log-normal heterogeneity", only("frailty_sigma")),
    Scenario("two classes (chronic rough sleepers)", only("chronic_share", "chronic_ambulance", "chronic_police")),
    Scenario("part-year exposure", only("part_year_share")),
    Scenario("false positives (default rate)", only("false_positives_per_year", "false_positive_hospital_share")),
    Scenario("all behaviours at default values", DEFAULT),
)


def simulate(scenario: Scenario, rng: np.random.Generator) -> tuple[dict, int]:
    """(observed table {(stratum, pattern): persons}, true homeless persons) for one replicate."""
    freqs, n, _ = simulate_with_set_aside(scenario, rng)
    return freqs, n


def simulate_with_set_aside(scenario: Scenario, rng: np.random.Generator) -> tuple[dict, int, dict]:
    """(observed table without the persons set aside as likely housed, true homeless persons, their table)."""
    rep = simulate_replicate(scenario, rng)
    return rep.freqs, rep.truth, rep.aside


@dataclass(frozen=True)
class Replicate:
    """One replicate's tables: over the yearly lists (LISTS) and over the occasions of HALF_OCCASIONS."""

    truth: int
    freqs: dict  # {(stratum, pattern): persons} without the persons set aside as likely housed
    aside: dict  # the persons set aside, same keys
    halves: dict  # the same persons by half-year occasion
    halves_aside: dict


def simulate_replicate(scenario: Scenario, rng: np.random.Generator) -> Replicate:
    """One replicate, drawn half-year by half-year (contacts in a half come from the exposure in that half).

    Set aside as the mart does (int_capture_list_members): persons on one list only, the ambulance or
    police list, with one flagged record and an address in another source within 30 days: the housed
    persons flagged once who were taken to hospital and discharged home, and a homeless person seen once
    with probability ADDRESS_NEARBY (measured on the real generator: generator_replicates.py).
    A part-year window is placed uniformly in the year, as crisis.apply_behaviour places it.
    """
    n = SHELTERED + HIDDEN
    if scenario.independent:
        p = np.array([0.35, 0.3, 0.25, 0.2])
        # each list as two halves with the same yearly catchability: 1 - (1 - p_half)^2 = p
        by_half = rng.random((n, p.size, 2)) < 1 - np.sqrt(1 - p)[None, :, None]
        caught = by_half.any(axis=2)
        return Replicate(n, _freqs(caught), {}, _freqs(by_half.reshape(n, -1)), {})
    b = scenario.behaviour
    hidden = np.arange(n) >= SHELTERED
    frail = np.ones(n) if b.frailty_sigma <= 0 else rng.lognormal(-(b.frailty_sigma**2) / 2, b.frailty_sigma, n)
    chronic = hidden & (rng.random(n) < b.chronic_share)
    start, end = np.zeros(n, dtype=np.int64), np.full(n, 365)
    part = hidden & (rng.random(n) < b.part_year_share)
    length = rng.integers(14, 336, size=int(part.sum()))
    start[part] = (rng.random(length.size) * (365 - length + 1)).astype(np.int64)
    end[part] = start[part] + length
    flagged: dict[tuple[str, int], np.ndarray] = {}
    for half, (lo, hi) in enumerate(((0, HALF), (HALF, 365)), start=1):
        base = frail * np.clip(np.minimum(end, hi) - np.maximum(start, lo), 0, None) / 365
        calls = rng.poisson(RATES["ambulance"] * base * np.where(chronic, b.chronic_ambulance, 1.0))
        contacts = rng.poisson(RATES["police"] * base * np.where(chronic, b.chronic_police, 1.0))
        stays = rng.poisson(RATES["hospital"] * base)
        stays = stays + rng.binomial(rng.binomial(calls, TAKEN_TO_HOSPITAL), b.ambulance_to_hospital)
        flag_a = 0.95 * np.where(hidden, FLAG["ambulance"][1], FLAG["ambulance"][0])
        flagged["ambulance", half] = rng.binomial(calls, flag_a)
        flagged["police", half] = rng.binomial(contacts, 0.95 * np.where(hidden, FLAG["police"][1], FLAG["police"][0]))
        flagged["hospital", half] = rng.binomial(stays, HOSPITAL_NFA)
    strangers = Counter()  # (list, half) -> strangers seen once there
    on = {"shelter": ~hidden, "prison": rng.random(n) < np.where(hidden, PRISON[1], PRISON[0])}
    own = {}
    for key, records in flagged.items():
        typos = rng.binomial(records, b.code_typo_share)
        own[key] = records - typos
        strangers[key] += int(typos.sum())  # each mistyped record: a stranger seen once on that list
    yearly = {name: own[name, 1] + own[name, 2] for name in ("ambulance", "police", "hospital")}
    on |= {name: count > 0 for name, count in yearly.items()}
    # housed persons flagged once with no home; those taken to hospital and discharged home are set aside
    fp = int(rng.poisson(b.false_positives_per_year))
    to_ward = int(rng.binomial(fp, b.false_positive_hospital_share))
    kept = fp - to_ward
    to_ambulance = int(rng.binomial(kept, 0.6))
    for name, count in (("ambulance", to_ambulance), ("police", kept - to_ambulance)):
        first = int(rng.binomial(count, HALF / 365))
        strangers[name, 1] += first
        strangers[name, 2] += count - first
    ward_first = int(rng.binomial(to_ward, HALF / 365))
    caught = np.column_stack([on[name] for name in LISTS])
    by_half = np.column_stack([own[name, h] > 0 if h else on[name] for name, h in zip(HALF_LISTS, HALVES)])
    once = (caught.sum(axis=1) == 1) & (
        (on["ambulance"] & (yearly["ambulance"] + yearly["police"] == 1)) | (on["police"] & (yearly["police"] == 1))
    )
    aside_rows = once & (rng.random(n) < ADDRESS_NEARBY)
    freqs, aside = _freqs(caught[~aside_rows]), _freqs(caught[aside_rows])
    halves, halves_aside = _freqs(by_half[~aside_rows]), _freqs(by_half[aside_rows])
    for (name, half), count in strangers.items():
        _add(freqs, LISTS, name, 0, count)
        _add(halves, HALF_LISTS, name, half, count)
    _add(aside, LISTS, "ambulance", 0, to_ward)
    _add(halves_aside, HALF_LISTS, "ambulance", 1, ward_first)
    _add(halves_aside, HALF_LISTS, "ambulance", 2, to_ward - ward_first)
    return Replicate(n, freqs, aside, halves, halves_aside)


def _add(freqs: dict, names: tuple[str, ...], name: str, half: int, count: int) -> None:
    """Add `count` persons seen only on list `name` (in `half` when the occasions are halves)."""
    if count:
        halves = HALVES if names == HALF_LISTS else (0,) * len(names)
        pattern = tuple(int(x == name and h == half) for x, h in zip(names, halves))
        freqs[("all", pattern)] = freqs.get(("all", pattern), 0) + count


def _freqs(caught: np.ndarray) -> dict:
    seen = caught[caught.any(axis=1)].astype(np.int8)
    patterns, counts = np.unique(seen, axis=0, return_counts=True)
    return {("all", tuple(int(v) for v in p)): int(c) for p, c in zip(patterns, counts)}


#: the yearly AIC average (averaging.average), published until the half-year presence method replaces it
YEARLY = "yearly model average (published until now)"
#: presence.average_presence on the crisis lists split by half-year: the method to publish
PRESENCE = "half-year presence model average (to publish)"
METHODS = {"yearly": YEARLY, "presence": PRESENCE}


def yearly_published(freqs: dict, aside: dict | None = None) -> Published:
    """The method published until now on a table over the yearly lists (LISTS or numbered lists)."""
    return published(freqs, _names(freqs), set_aside=aside)


def presence_published(freqs: dict, aside: dict | None = None) -> Published:
    """The method to publish on a table over half-year occasions (HALF_OCCASIONS, or numbered lists each
    split in two halves: list 1 first half, list 1 second half, list 2 first half, ...): averaging.published
    (shelter users counted, the persons set aside as likely housed apart) with presence.average_presence
    on the persons outside shelters."""
    names = _names(freqs)
    halves = HALVES if names == HALF_OCCASIONS else (1, 2) * (len(names) // 2)
    return published(freqs, names, set_aside=aside, estimator=by_occasion(names, halves))


def run(
    scenarios=SCENARIOS,
    replicates: int = 200,
    seed: int = 2024,
    compare: bool = True,
    progress=None,
    methods: tuple[str, ...] = (YEARLY, PRESENCE),
) -> list[dict]:
    """One row per scenario and method: relative bias, coverage of the 95 % interval, mean width.

    methods: YEARLY (averaging.published on the yearly lists) and/or PRESENCE (presence_published on the
    crisis lists split by half-year). compare: also the independence
    model and BIC stepwise selection over all five lists (the method published before issue 24) on the
    same replicates. progress(rows) is called after each scenario.
    """
    rows = []
    for k, scenario in enumerate(scenarios):
        k = SCENARIOS.index(scenario) if scenario in SCENARIOS else k
        out = {m: [] for m in methods + (("independence", "BIC stepwise") if compare else ())}
        for r in range(replicates):
            rep = simulate_replicate(scenario, np.random.default_rng([seed, k, r]))
            truth = rep.truth
            if YEARLY in methods:
                pub = yearly_published(rep.freqs, rep.aside)
                out[YEARLY].append((pub.estimate, pub.lower, pub.upper, truth))
            if PRESENCE in methods:
                pub = presence_published(rep.halves, rep.halves_aside)
                out[PRESENCE].append((pub.estimate, pub.lower, pub.upper, truth))
            if compare:
                table = Table(rep.freqs, len(next(iter(rep.freqs))[1]))
                ind = table.fit(Spec())
                out["independence"].append((ind.estimate, *ind.interval(table.n), truth))
                bic, _ = stepwise(table, Spec(), "bic")
                out["BIC stepwise"].append((bic.estimate, *bic.interval(table.n), truth))
        for method, results in out.items():
            a = np.array(results, dtype=float)
            rows.append(
                {
                    "scenario": scenario.name,
                    "method": method,
                    "replicates": replicates,
                    "bias": float(np.mean(a[:, 0] / a[:, 3] - 1)),
                    "coverage": float(np.mean((a[:, 1] <= a[:, 3]) & (a[:, 3] <= a[:, 2]))),
                    "width": float(np.mean((a[:, 2] - a[:, 1]) / a[:, 3])),
                }
            )
        if progress:
            progress(rows)
    return rows


def _names(freqs: dict) -> tuple[str, ...]:
    """The lists of a table: LISTS, HALF_OCCASIONS, or (the independent-lists scenario) numbered lists."""
    width = len(next(iter(freqs))[1])
    for names in (LISTS, HALF_OCCASIONS):
        if width == len(names):
            return names
    return tuple(f"list {i + 1}" for i in range(width))


def markdown(rows: list[dict]) -> str:
    lines = [
        "| scenario | method | replicates | relative bias | coverage of 95 % interval | mean interval width (share of truth) |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['scenario']} | {r['method']} | {r['replicates']} | {r['bias']:+.1%} | {r['coverage']:.1%} "
            f"| {r['width']:.1%} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--scenario", action="append", help="only scenarios whose name contains this")
    parser.add_argument("--published-only", action="store_true", help="leave out the comparison methods")
    parser.add_argument("--method", action="append", choices=sorted(METHODS), help="only these methods (default: both)")
    args = parser.parse_args()
    chosen = [s for s in SCENARIOS if not args.scenario or any(x in s.name for x in args.scenario)]
    methods = tuple(METHODS[m] for m in args.method) if args.method else (YEARLY, PRESENCE)
    methods_shown = methods + (() if args.published_only else ("independence", "BIC stepwise"))
    started = time.perf_counter()
    rows = run(
        chosen,
        args.replicates,
        args.seed,
        compare=not args.published_only,
        progress=lambda done: print(markdown(done[-len(methods_shown) :]), flush=True),
        methods=methods,
    )
    print()
    print(markdown(rows))
    print(f"\n{args.replicates} replicates per scenario (seed {args.seed}), {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
