"""An outside check of the published estimate: register behaviour the project's own harness does not make.

Written (issue 24, round 4) by a statistician who read only the estimate's written definition (doc block
`homelessness_estimate`) and called only its entry point, `yearly.yearly_tables`, on overlap tables shaped
like `mart_homelessness_list_overlaps`: a simulator independent of the generator and of simulation.py, so
the method is not validated on data made to fit it.

Each replicate is one calendar year (day 181 = 1 July) with 12,000 truly homeless persons (x scale), 5,500
of them shelter users (the shelter list is a census). Every person has a presence set (all year, or one or
two intervals of days); ambulance calls, police contacts and hospital discharges are Poisson processes on
the presence days, each with a date, so the half-year flags follow from the dates as the definition says;
prison release is a yearly draw. In every scenario 150 housed persons (x scale) flagged once are passed as
set aside. The truth counts only the truly homeless (strangers made by linkage errors and housed false
positives are not in it).

    python -m homeless_monitor.estimation.stress --replicates 20 [--scenario uniform_part ...]

Findings of the first run (20-25 replicates a scenario): unbiased all year and under ambulance -> hospital
dependence across 1 July; about -13 % with 40-55 % coverage when half the homeless are homeless one to six
months (`uniform_part`, `fixed90`, `seasonal`); -17 to -18 % when the long-term homeless are also the more
catchable; +2.5 % for 1 % mistyped codes and +10.7 % for 500 housed persons not set aside.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .yearly import yearly_tables

SECOND_HALF_START = 181  # 1 July in a non-leap year (0-based day of the year)
YEAR_DAYS = 365
AGE_GROUPS = np.array(["under_30", "30_49", "50_plus", "unknown"])
AGE_SHARES = [0.20, 0.40, 0.35, 0.05]
#: yearly Poisson rates of crisis contacts for a person homeless all year (catchability multiplier 1)
RATES = {"ambulance": 0.40, "police": 0.45, "hospital": 0.22}
PRISON_RELEASE = 0.03
COLUMNS = [
    "on_shelter",
    "on_ambulance",
    "on_ambulance_h1",
    "on_ambulance_h2",
    "on_police",
    "on_police_h1",
    "on_police_h2",
    "on_prison",
    "on_hospital",
    "on_hospital_h1",
    "on_hospital_h2",
]
#: scenario -> what it does
SCENARIOS = {
    "baseline": "independent lists, everyone homeless all year",
    "amb_hosp": "35 % of ambulance calls lead to a hospital discharge 0-10 days later (across 1 July too)",
    "amb_hosp30": "the same, 0-30 days later",
    "seasonal": "half the persons homeless in winter only (the end of last winter, this one's start, or both)",
    "uniform_part": "half the persons homeless one window of 30-180 days placed uniformly in the year",
    "fixed90": "half the persons homeless one window of exactly 90 days",
    "catch_duration": "uniform_part, and per-day catchability rising with time homeless, with log-normal spread",
    "catch_dur_only": "uniform_part, and per-day catchability rising with time homeless only",
    "linkage": "1 % of crisis records carry a wrong (new, unique) personal code",
    "housed_fp": "500 housed persons flagged once by ambulance or police, none set aside",
    "baseline_nosa": "baseline with no set-aside persons",
}
PART_YEAR = ("seasonal", "uniform_part", "fixed90", "catch_duration", "catch_dur_only")


@dataclass
class Presence:
    """Up to two half-open intervals of days a person is homeless (the second empty when start2 == end2)."""

    start1: np.ndarray
    end1: np.ndarray
    start2: np.ndarray
    end2: np.ndarray

    @property
    def days(self) -> np.ndarray:
        return (self.end1 - self.start1) + (self.end2 - self.start2)


def presence(rng: np.random.Generator, n: int, scenario: str) -> Presence:
    s1, e1 = np.zeros(n), np.full(n, float(YEAR_DAYS))
    s2, e2 = np.zeros(n), np.zeros(n)
    if scenario not in PART_YEAR:
        return Presence(s1, e1, s2, e2)
    idx = np.flatnonzero(rng.random(n) < 0.5)
    if scenario == "seasonal":
        # 0: the winter ending this year (January to about March), 1: the winter starting this year
        # (November-December), 2: both winters, housed in summer
        kind = rng.choice(3, size=len(idx), p=[0.4, 0.3, 0.3])
        winter_end = rng.uniform(30, 100, len(idx))
        winter_start = rng.uniform(290, 345, len(idx))
        e1[idx] = winter_end
        starting = kind == 1
        s1[idx[starting]], e1[idx[starting]] = winter_start[starting], YEAR_DAYS
        both = kind == 2
        s2[idx[both]], e2[idx[both]] = winter_start[both], YEAR_DAYS
        return Presence(s1, e1, s2, e2)
    length = np.full(len(idx), 90.0) if scenario == "fixed90" else rng.uniform(30, 180, len(idx))
    start = rng.uniform(-length, YEAR_DAYS, len(idx))
    s1[idx], e1[idx] = np.clip(start, 0, YEAR_DAYS), np.clip(start + length, 0, YEAR_DAYS)
    outside = e1[idx] - s1[idx] < 5  # mostly outside the year: drawn again inside it
    inside = rng.uniform(0, YEAR_DAYS - length[outside])
    s1[idx[outside]], e1[idx[outside]] = inside, inside + length[outside]
    return Presence(s1, e1, s2, e2)


def contact_days(rng: np.random.Generator, yearly_rate: np.ndarray, p: Presence) -> tuple[np.ndarray, np.ndarray]:
    """Poisson contacts on the presence days: (person index, day) of each."""
    first, days = p.end1 - p.start1, p.days
    counts = rng.poisson(yearly_rate * days / YEAR_DAYS)
    who = np.repeat(np.arange(len(counts)), counts)
    u = rng.random(len(who)) * days[who]
    day = np.where(u < first[who], p.start1[who] + u, p.start2[who] + (u - first[who]))
    return who, day


def simulate(seed: int, scenario: str, scale: float = 1.0) -> tuple[pd.DataFrame, int]:
    """(overlap table of one year shaped like mart_homelessness_list_overlaps, true homeless persons)."""
    rng = np.random.default_rng(seed)
    n = int(round(12000 * scale))
    p = presence(rng, n, scenario)
    shelter = np.zeros(n, bool)
    shelter[rng.choice(n, int(round(5500 * scale)), replace=False)] = True
    age, riga = rng.choice(4, n, p=AGE_SHARES), rng.random(n) < 0.55
    catchability = np.ones(n)
    if scenario == "catch_duration":
        catchability = 1.6 * (p.days / YEAR_DAYS) ** 0.7 * rng.lognormal(-0.18, 0.6, n)
    elif scenario == "catch_dur_only":
        catchability = 1.3 * (p.days / YEAR_DAYS) ** 0.5
    records = []
    for name, rate in RATES.items():
        who, day = contact_days(rng, rate * catchability, p)
        records.append(pd.DataFrame({"pid": who, "list": name, "day": day}))
    if scenario.startswith("amb_hosp"):
        delay = 30.0 if scenario == "amb_hosp30" else 10.0
        calls = records[0]
        leads = rng.random(len(calls)) < 0.35
        day = calls.day.to_numpy()[leads] + rng.uniform(0, delay, leads.sum())
        kept = day < YEAR_DAYS
        records.append(pd.DataFrame({"pid": calls.pid.to_numpy()[leads][kept], "list": "hospital", "day": day[kept]}))
    released = rng.random(n) < 1 - np.exp(np.log(1 - PRISON_RELEASE) * catchability * p.days / YEAR_DAYS)
    records.append(pd.DataFrame({"pid": np.flatnonzero(released), "list": "prison", "day": 0.0}))
    record = pd.concat(records, ignore_index=True)
    next_id, extra_age, extra_riga = n, [], []
    if scenario == "linkage":
        crisis = record.index[record.list != "prison"].to_numpy()
        wrong = crisis[rng.random(len(crisis)) < 0.01]
        record.loc[wrong, "pid"] = np.arange(next_id, next_id + len(wrong))
        extra_age += list(rng.choice(4, len(wrong), p=AGE_SHARES))
        extra_riga += list(rng.random(len(wrong)) < 0.55)
        next_id += len(wrong)
    if scenario == "housed_fp":
        k = int(round(500 * scale))
        flagged = np.where(rng.random(k) < 0.5, "ambulance", "police")
        housed = pd.DataFrame(
            {"pid": np.arange(next_id, next_id + k), "list": flagged, "day": rng.uniform(0, YEAR_DAYS, k)}
        )
        record = pd.concat([record, housed], ignore_index=True)
        extra_age += list(rng.choice(4, k, p=AGE_SHARES))
        extra_riga += list(rng.random(k) < 0.55)
        next_id += k
    flags = pd.DataFrame(False, index=np.arange(next_id), columns=COLUMNS)
    flags["on_shelter"] = np.concatenate([shelter, np.zeros(next_id - n, bool)])
    for name in ("ambulance", "police", "hospital"):
        on = record[record.list == name]
        flags.loc[on.pid[on.day < SECOND_HALF_START].unique(), f"on_{name}_h1"] = True
        flags.loc[on.pid[on.day >= SECOND_HALF_START].unique(), f"on_{name}_h2"] = True
        flags[f"on_{name}"] = flags[f"on_{name}_h1"] | flags[f"on_{name}_h2"]
    flags.loc[record.pid[record.list == "prison"].unique(), "on_prison"] = True
    flags["age_group"] = AGE_GROUPS[np.concatenate([age, np.array(extra_age, int)])]
    flags["region"] = np.where(np.concatenate([riga, np.array(extra_riga, bool)]), "riga", "other")
    flags = flags[flags[COLUMNS].any(axis=1)].assign(persons=1, set_aside_persons=0)
    # housed persons flagged once with an address found elsewhere: set aside by the published method
    aside = []
    for _ in range(0 if scenario == "baseline_nosa" else int(round(150 * scale))):
        name = "ambulance" if rng.random() < 0.5 else "police"
        half = 1 if rng.uniform(0, YEAR_DAYS) < SECOND_HALF_START else 2
        row = dict.fromkeys(COLUMNS, False) | {f"on_{name}": True, f"on_{name}_h{half}": True}
        region = "riga" if rng.random() < 0.55 else "other"
        aside.append(row | {"age_group": AGE_GROUPS[rng.choice(4, p=AGE_SHARES)], "region": region})
    flags = pd.concat([flags, pd.DataFrame(aside).assign(persons=0, set_aside_persons=1)], ignore_index=True)
    overlaps = flags.groupby([*COLUMNS, "age_group", "region"], as_index=False)[["persons", "set_aside_persons"]]
    return overlaps.sum().assign(year=2023), n


def replicate(seed: int, scenario: str, scale: float = 1.0) -> dict:
    """One replicate through the published entry point: truth, estimate, interval, published or not."""
    overlaps, truth = simulate(seed, scenario, scale)
    row = yearly_tables(overlaps)[0].iloc[0]
    lower, upper, estimate = (float(row[c]) for c in ("ci_lower", "ci_upper", "estimated_persons"))
    return {
        "scenario": scenario,
        "seed": seed,
        "truth": truth,
        "estimate": estimate,
        "lower": lower,
        "upper": upper,
        "covers": bool(lower <= truth <= upper),
        "published": bool(row["is_published"]),
    }


def summary(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    published = frame[frame.published]
    return (
        published.assign(bias=published.estimate / published.truth - 1)
        .assign(width=(published.upper - published.lower) / published.truth)
        .groupby("scenario")
        .agg(replicates=("seed", "size"), bias=("bias", "mean"), coverage=("covers", "mean"), width=("width", "mean"))
        .join(frame.groupby("scenario").published.apply(lambda s: 1 - s.mean()).rename("not_published"))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS), help="default: all")
    parser.add_argument("--replicates", type=int, default=20)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1000)
    args = parser.parse_args()
    started, rows = time.perf_counter(), []
    for scenario in args.scenario or list(SCENARIOS):
        rows += [replicate(args.seed + i, scenario, args.scale) for i in range(args.replicates)]
    print(summary(rows).to_string(float_format=lambda v: f"{v:.3f}"))
    print(f"{len(rows)} replicates, {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
