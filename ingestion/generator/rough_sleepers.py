"""Rough sleepers who never reach a shelter in a year, and the generator's true homeless count.

Most people sleeping rough in a year never check into a shelter that year; crisis services see
them instead (ambulance calls with no known address, police contacts with no fixed abode,
hospital discharges with no fixed abode). They are drawn from the adult population like the
shelter cohort (more men, working age, higher crime propensity), persist from year to year,
and never overlap the shelter cohort. Persons released from prison with no housing join them
for the year of their release. The truth per year (shelter users, hidden rough sleepers, and
the union) goes into `_faults.json` (key `homeless_truth`), so an estimate of the
hidden population can be compared with what the generator actually made.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .cohort import Cohort, _top_k
from .population import Population

HIDDEN_PER_YEAR = 6000  # rough sleepers outside shelters a year at scale 1
PERSISTENCE = 0.6  # share still sleeping rough the next year
TRUTH_DESCRIPTION = (
    "The generator's true number of homeless persons per year: shelter users (any stay in the year), "
    "rough sleepers who used no shelter that year (incl. persons released from prison with no "
    "housing, and those homeless only part of the year: list_behaviour), and their union. Housed "
    "persons flagged with no known address are not in it. Compare with "
    "marts.mart_homelessness_estimate."
)


def simulate_hidden(
    pop: Population, cohort: Cohort, years: range, scale: float, rng: np.random.Generator
) -> dict[int, np.ndarray]:
    """Year -> persons sleeping rough that year who use no shelter in any year."""
    sheltered = np.zeros(len(pop), dtype=bool)
    for people in cohort.active.values():
        sheltered[people] = True
    taken = sheltered.copy()
    hidden: dict[int, np.ndarray] = {}
    previous = np.empty(0, dtype=np.int64)
    for year in years:
        target = int(round(HIDDEN_PER_YEAR * scale * rng.uniform(0.95, 1.05)))
        age = pop.age_in(year)
        staying = previous[(rng.random(previous.size) < PERSISTENCE) & (age[previous] <= 85)]
        w = np.where(~taken & (age >= 18) & (age <= 80), 1.0, 0.0)
        w *= np.where(pop.male, 3.0, 1.0) * np.interp(age, [18, 25, 40, 55, 65, 80], [0.4, 0.8, 1.2, 1.2, 0.7, 0.2])
        w *= 0.5 + pop.crime_risk
        new = _top_k(rng, w, max(0, target - staying.size))
        taken[new] = True
        previous = hidden[year] = np.unique(np.concatenate([staying, new]))
    return hidden


def released_without_housing(files: Iterable[dict[str, np.ndarray]], year: int) -> np.ndarray:
    """Persons released in the year with no housing to go to, from every year's prison file."""
    found = []
    for spells in files:
        release = spells["release_date"]
        in_year = ~np.isnat(release) & (release.astype("datetime64[Y]").astype(np.int64) + 1970 == year)
        found.append(spells["_person"][in_year & (spells["release_housing"] == "no_housing")])
    return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)


def sheltered_in(cohort: Cohort, year: int) -> np.ndarray:
    """The cohort's persons that year: those simulated as homeless, and anyone with a shelter night in it."""
    stays = cohort.stays
    jan1, dec31 = np.datetime64(f"{year}-01-01"), np.datetime64(f"{year}-12-31")
    night = (stays["check_in"] <= dec31) & (np.isnat(stays["check_out"]) | (stays["check_out"] > jan1))
    return np.union1d(cohort.active.get(year, np.empty(0, dtype=np.int64)), stays["person"][night])


def truth(cohort: Cohort, hidden: dict[int, np.ndarray]) -> dict[str, dict[str, int]]:
    """Per year: shelter users, hidden rough sleepers (incl. released without housing), and the union."""
    out = {}
    for year, rough in sorted(hidden.items()):
        sheltered = sheltered_in(cohort, year)
        out[str(year)] = {
            "shelter_users": int(sheltered.size),
            "hidden_rough_sleepers": int(np.setdiff1d(rough, sheltered).size),
            "homeless_persons": int(np.union1d(sheltered, rough).size),
        }
    return out


def truth_entry(cohort: Cohort, hidden: dict[int, np.ndarray]) -> dict:
    """The `homeless_truth` entry of `_faults.json`."""
    return {"description": TRUTH_DESCRIPTION, "years": truth(cohort, hidden)}
