"""How the lists of the multiple-systems estimate behave: the ways real lists break its assumptions.

The estimate (mart_homelessness_estimate) counts homeless persons from the overlaps of five lists
(shelter stays, ambulance calls with no known address, police contacts with no fixed abode, prison
releases with no housing, hospital discharges with no fixed abode). Real lists are not independent
draws at one rate: each behaviour below is a documented parameter, and what it did in a run is
written to `_faults.json` (key `list_behaviour`) beside the true count (`homeless_truth`).

Each parameter's default and what it does stand beside its field below (`ListBehaviour`), and
`_faults.json` carries both with the values of the run (`parameters`, `what_they_do`).

`ListBehaviour.none()` switches every behaviour off (the lists of the old generator, where the
model was true); simulation scenarios (homeless_monitor/estimation/simulation.py) turn them on one
at a time.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

import numpy as np


def _parameter(default: float, what_it_does: str) -> float:
    """A behaviour's default, with what it does kept beside it (and written to `_faults.json`)."""
    return field(default=default, metadata={"what_it_does": what_it_does})


@dataclass(frozen=True)
class ListBehaviour:
    frailty_sigma: float = _parameter(
        1.2,
        "every homeless person's crisis-contact rates are multiplied by one log-normal factor (mean 1, "
        "log-sd sigma) kept for life: some people are seen again and again, others hardly ever",
    )
    chronic_share: float = _parameter(
        0.15,
        "share of new rough sleepers (outside shelters) who are chronic: never in a shelter, ambulance "
        "rate x chronic_ambulance, police rate x chronic_police",
    )
    chronic_ambulance: float = _parameter(3.0, "a chronic rough sleeper's ambulance-call rate multiplier")
    chronic_police: float = _parameter(1.5, "a chronic rough sleeper's police-contact rate multiplier")
    part_year_share: float = _parameter(
        0.6,
        "share of rough sleepers homeless only part of the year: a window of 2 weeks to 11 months; their "
        "contacts fall in it and their rates scale with its length",
    )
    ambulance_to_hospital: float = _parameter(
        0.35,
        "share of a homeless person's ambulance calls ending 'taken to hospital' that become a hospital "
        "stay that day (its discharge often with no fixed abode): the two lists are dependent",
    )
    false_positives_per_year: float = _parameter(
        150.0,
        "housed persons (x scale) whose one ambulance call or police contact is recorded with no known "
        "address / no fixed abode",
    )
    false_positive_hospital_share: float = _parameter(
        0.6,
        "share of those false positives who were taken to hospital and discharged home (an address in another source)",
    )
    code_typo_share: float = _parameter(
        0.003,
        "share of a homeless person's ambulance, police and hospital records whose personal code was "
        "typed wrong into another valid code (a typo the check digit does not catch): the record does not "
        "link to its person and stands for a stranger seen once. Typos the check digit catches are the "
        "delivery faults of faults.py (about 0.25 % of rows): unlinkable, left out of the lists",
    )

    @classmethod
    def none(cls) -> ListBehaviour:
        return cls(0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def what_they_do(cls) -> dict[str, str]:
        """Each parameter's meaning, by name."""
        return {f.name: f.metadata["what_it_does"] for f in fields(cls)}


DEFAULT = ListBehaviour()

DESCRIPTION = (
    "How the generator's lists break the assumptions of the multiple-systems estimate: the parameters "
    "(ingestion/generator/list_behaviour.py) and, per year, what they did: rough sleepers outside "
    "shelters who are chronic or homeless only part of the year, ambulance calls that became hospital "
    "stays, housed persons flagged with no known address (false positives, with how many have an "
    "address in a hospital discharge), and records whose personal code was mistyped."
)


def frailty(rng: np.random.Generator, n: int, sigma: float) -> np.ndarray:
    """Log-normal catchability factors with mean 1."""
    if sigma <= 0:
        return np.ones(n)
    return rng.lognormal(-(sigma**2) / 2, sigma, size=n)


def mistype_codes(codes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Another valid old-format code with the same birth date (a wrong serial), so the record links elsewhere.

    New-format codes (`32...`, no check digit) get another random tail.
    """
    from .codes import check_digits, digits_of

    codes = np.asarray(codes, dtype=np.int64).copy()
    new = codes // 1_000_000_000 == 32
    codes[new] = (
        32_000_000_000
        + (codes[new] % 1_000_000_000 + rng.integers(1, 999_999_999, size=int(new.sum()))) % 1_000_000_000
    )
    old = ~new
    if old.any():
        prefix = codes[old] // 10
        serial = prefix % 1000
        prefix = prefix - serial + (serial + rng.integers(1, 1000, size=serial.size)) % 1000
        codes[old] = prefix * 10 + check_digits(digits_of(prefix * 10)[:, :10])
    return codes
