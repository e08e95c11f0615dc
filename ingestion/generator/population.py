"""The whole population of Latvia (times the scale), as compact numpy columns.

Everyone who can appear in a crisis-service file is a person here, with one personal code
used in every source. Held as arrays of a few bytes per person, so scale 10 still fits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .codes import is_new_format_birth, new_codes, old_codes, serials_within_day
from .geography import Geography

FIRST_BIRTH_YEAR = 1922  # nobody older than 115 in any plausible run year
NEW_CODE_SHARE = 0.10  # persons with a `32…` code: all born after 30.06.2017, plus some adults


@dataclass
class Population:
    birth: np.ndarray  # datetime64[D]
    male: np.ndarray  # bool
    home: np.ndarray  # municipality index
    code: np.ndarray  # int64, 11 digits
    health_risk: np.ndarray  # float32, drives ambulance and hospital use
    crime_risk: np.ndarray  # float32, drives police contacts and prison

    def __len__(self) -> int:
        return self.birth.size

    def birth_year(self, idx: np.ndarray | slice = slice(None)) -> np.ndarray:
        return self.birth[idx].astype("datetime64[Y]").astype(np.int64) + 1970

    def age_in(self, year: int) -> np.ndarray:
        return year - self.birth_year()


def _birth_year_weights(years: np.ndarray) -> np.ndarray:
    """A rough Latvian age pyramid: small pre-war cohorts, large 1950-1990, low births since 1991."""
    w = np.interp(
        years,
        [1922, 1940, 1950, 1965, 1988, 1995, 2005, 2016, 2030],
        [0.08, 0.45, 0.8, 1.0, 1.05, 0.65, 0.55, 0.62, 0.5],
    )
    return w / w.sum()


def build_population(
    geo: Geography, first_year: int, last_year: int, scale: float, rng: np.random.Generator
) -> Population:
    n = max(
        1000, int(round(geo.population[min(max(first_year, min(geo.population)), max(geo.population))].sum() * scale))
    )
    years = np.arange(FIRST_BIRTH_YEAR, last_year + 1)
    birth_year = rng.choice(years, size=n, p=_birth_year_weights(years))
    day_of_year = rng.integers(0, 365, size=n)
    birth = (birth_year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + day_of_year
    last_day = np.datetime64(f"{last_year}-12-31")
    birth = np.minimum(birth, last_day)
    male = rng.random(n) < 0.46
    home = rng.choice(geo.atvk.size, size=n, p=geo.weights(first_year)).astype(np.int16)

    new = is_new_format_birth(birth)
    adult_share = max(0.02, (NEW_CODE_SHARE - new.mean()) / max(1e-9, 1 - new.mean()))
    new |= rng.random(n) < adult_share
    code = np.empty(n, dtype=np.int64)
    code[~new] = old_codes(birth[~new], serials_within_day(birth[~new], rng))
    code[new] = new_codes(rng, int(new.sum()))

    health = rng.gamma(0.6, 1 / 0.6, size=n).astype(np.float32)
    crime = (rng.gamma(0.25, 4.0, size=n) * np.where(male, 3.0, 1.0)).astype(np.float32)
    return Population(birth, male, home, code, health, crime)


def ambulance_weight(pop: Population, year: int) -> np.ndarray:
    age = pop.age_in(year).astype(np.float32)
    age_factor = np.interp(age, [0, 5, 18, 40, 65, 80, 100], [0.6, 0.3, 0.25, 0.35, 0.8, 1.6, 2.0])
    return np.where(age >= 0, pop.health_risk * age_factor, 0).astype(np.float64)


def police_weight(pop: Population, year: int) -> np.ndarray:
    age = pop.age_in(year).astype(np.float32)
    age_factor = np.interp(age, [0, 13, 18, 25, 45, 65, 90], [0, 0.05, 1.0, 1.0, 0.6, 0.15, 0.02])
    return (pop.crime_risk * age_factor).astype(np.float64)


def prison_weight(pop: Population, year: int) -> np.ndarray:
    return police_weight(pop, year) ** 2 * (pop.age_in(year) >= 18)
