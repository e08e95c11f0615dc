"""Simulation harness: does the published method cover the truth on lists that behave like real ones?

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

The harness is not the generator: generator_replicates.py runs the generator itself on the same
scenarios (slower; its table is in the issue-24 note beside this one).

Scenarios (SCENARIOS): independent lists (homogeneous, four lists, no classes: the model's own
world), and on the generator's structure: one dependent pair (ambulance -> hospital), log-normal
heterogeneity (frailty), two classes (chronic rough sleepers), part-year exposure, false positives
at the default rate, and everything at the default values. Each replicate runs the published method
(averaging.average on the unstratified table) and independence / BIC-stepwise beside it.

Run the full table: `python -m homeless_monitor.estimation.simulation --replicates 200`.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from ingestion.generator.list_behaviour import DEFAULT, ListBehaviour

from .averaging import Spec, Table, published, stepwise

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
    """(observed table without the persons set aside as likely housed, true homeless persons, their table).

    Set aside as the mart does (int_capture_list_members): persons on one list only, the ambulance or
    police list, with one flagged record and an address in another source within 30 days: the housed
    persons flagged once who were taken to hospital and discharged home, and a homeless person seen once
    with probability ADDRESS_NEARBY (measured on the real generator: generator_replicates.py).
    """
    if scenario.independent:
        p = np.array([0.35, 0.3, 0.25, 0.2])
        n = SHELTERED + HIDDEN
        caught = rng.random((n, p.size)) < p
        return _freqs(caught), n, {}
    b = scenario.behaviour
    n = SHELTERED + HIDDEN
    hidden = np.arange(n) >= SHELTERED
    frail = np.ones(n) if b.frailty_sigma <= 0 else rng.lognormal(-(b.frailty_sigma**2) / 2, b.frailty_sigma, n)
    chronic = hidden & (rng.random(n) < b.chronic_share)
    exposure = np.ones(n)
    part = hidden & (rng.random(n) < b.part_year_share)
    exposure[part] = rng.integers(14, 336, size=int(part.sum())) / 365
    base = frail * exposure
    calls = rng.poisson(RATES["ambulance"] * base * np.where(chronic, b.chronic_ambulance, 1.0))
    contacts = rng.poisson(RATES["police"] * base * np.where(chronic, b.chronic_police, 1.0))
    stays = rng.poisson(RATES["hospital"] * base)
    stays = stays + rng.binomial(rng.binomial(calls, TAKEN_TO_HOSPITAL), b.ambulance_to_hospital)
    flagged = {
        "ambulance": rng.binomial(calls, 0.95 * np.where(hidden, FLAG["ambulance"][1], FLAG["ambulance"][0])),
        "police": rng.binomial(contacts, 0.95 * np.where(hidden, FLAG["police"][1], FLAG["police"][0])),
        "hospital": rng.binomial(stays, HOSPITAL_NFA),
    }
    strangers = Counter()
    on = {"shelter": ~hidden, "prison": rng.random(n) < np.where(hidden, PRISON[1], PRISON[0])}
    own = {}
    for name, records in flagged.items():
        typos = rng.binomial(records, b.code_typo_share)
        own[name] = records - typos
        on[name] = own[name] > 0
        strangers[name] += int(typos.sum())  # each mistyped record: a stranger seen once on that list
    # housed persons flagged once with no home; those taken to hospital and discharged home are set aside
    fp = int(rng.poisson(b.false_positives_per_year))
    to_ward = int(rng.binomial(fp, b.false_positive_hospital_share))
    kept = fp - to_ward
    to_ambulance = int(rng.binomial(kept, 0.6))
    strangers["ambulance"] += to_ambulance
    strangers["police"] += kept - to_ambulance
    caught = np.column_stack([on[name] for name in LISTS])
    once = (caught.sum(axis=1) == 1) & (
        (on["ambulance"] & (own["ambulance"] + own["police"] == 1)) | (on["police"] & (own["police"] == 1))
    )
    aside_rows = once & (rng.random(n) < ADDRESS_NEARBY)
    freqs, aside = _freqs(caught[~aside_rows]), _freqs(caught[aside_rows])
    for name, count in strangers.items():
        if count:
            pattern = tuple(int(x == name) for x in LISTS)
            freqs[("all", pattern)] = freqs.get(("all", pattern), 0) + count
    if to_ward:
        pattern = tuple(int(x == "ambulance") for x in LISTS)
        aside[("all", pattern)] = aside.get(("all", pattern), 0) + to_ward
    return freqs, n, aside


def _freqs(caught: np.ndarray) -> dict:
    seen = caught[caught.any(axis=1)].astype(np.int8)
    patterns, counts = np.unique(seen, axis=0, return_counts=True)
    return {("all", tuple(int(v) for v in p)): int(c) for p, c in zip(patterns, counts)}


def run(
    scenarios=SCENARIOS, replicates: int = 200, seed: int = 2024, compare: bool = True, progress=None
) -> list[dict]:
    """One row per scenario and method: relative bias, coverage of the 95 % interval, mean width.

    compare: also the independence model and BIC stepwise selection over all five lists (the method
    published before issue 24) on the same replicates. progress(rows) is called after each scenario.
    """
    rows = []
    for k, scenario in enumerate(scenarios):
        k = SCENARIOS.index(scenario) if scenario in SCENARIOS else k
        methods = (
            ("published (AIC average)", "independence", "BIC stepwise") if compare else ("published (AIC average)",)
        )
        out = {m: [] for m in methods}
        for r in range(replicates):
            freqs, truth, aside = simulate_with_set_aside(scenario, np.random.default_rng([seed, k, r]))
            lists = len(next(iter(freqs))[1])
            table = Table(freqs, lists)
            names = LISTS if lists == len(LISTS) else tuple(f"list {i + 1}" for i in range(lists))
            pub = published(freqs, names, set_aside=aside)
            out["published (AIC average)"].append((pub.estimate, pub.lower, pub.upper, truth))
            if compare:
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
    args = parser.parse_args()
    chosen = [s for s in SCENARIOS if not args.scenario or any(x in s.name for x in args.scenario)]
    started = time.perf_counter()
    rows = run(
        chosen,
        args.replicates,
        args.seed,
        compare=not args.published_only,
        progress=lambda done: print(markdown(done[-(1 if args.published_only else 3) :]), flush=True),
    )
    print()
    print(markdown(rows))
    print(f"\n{args.replicates} replicates per scenario, {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
