"""The municipal shelter report, tallied from the person-level stays as municipalities do it.

Each municipality counts the persons it served, so a person served in two towns is counted
twice nationally: that double count is what the warehouse's unduplicated flow corrects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .geography import Geography
from .population import Population
from .providers import SERVICE_TYPES, Providers

AGE_BOUNDS = [(0, 17, "0-17"), (18, 24, "18-24"), (25, 39, "25-39"), (40, 64, "40-64"), (65, 200, "65+")]


def age_group(age: np.ndarray) -> np.ndarray:
    out = np.empty(age.size, dtype=object)
    for low, high, label in AGE_BOUNDS:
        out[(age >= low) & (age <= high)] = label
    return out


def shelter_counts(
    stays: dict[str, np.ndarray], pop: Population, geo: Geography, providers: Providers, year: int
) -> dict[str, np.ndarray]:
    """Rows per municipality, service type, sex and age group with persons served > 0.

    Beds are a property of the municipality's providers of a service type, so they are given
    once per municipality and service type (on its first row) and left empty on the others.
    """
    jan1, after = np.datetime64(f"{year}-01-01"), np.datetime64(f"{year + 1}-01-01")
    check_out = np.where(np.isnat(stays["check_out"]), after, stays["check_out"])
    active = (stays["check_in"] < after) & (check_out >= jan1)
    first = np.maximum(stays["check_in"][active], jan1)
    last = np.minimum(check_out[active], after)
    person = stays["person"][active]
    frame = pd.DataFrame(
        {
            "muni": stays["muni"][active],
            "service": stays["service"][active],
            "person": person,
            "male": pop.male[person],
            "age_group": age_group(year - pop.birth_year(person)),
            "nights": (last - first).astype(np.int64),
        }
    )
    grouped = (
        frame.groupby(["muni", "service", "male", "age_group"], sort=True)
        .agg(persons=("person", "nunique"), nights=("nights", "sum"))
        .reset_index()
    )
    grouped["service_rank"] = grouped["service"].map(SERVICE_TYPES.index)
    grouped = grouped.sort_values(
        ["muni", "service_rank", "male", "age_group"], ascending=[True, True, False, True], kind="stable"
    )
    beds = (
        pd.DataFrame({"muni": providers.muni, "service": providers.service, "beds": providers.beds})
        .groupby(["muni", "service"])["beds"]
        .sum()
    )
    block_start = ~grouped.duplicated(["muni", "service"])
    bed_values = np.array([beds.get((m, s), 0) for m, s in zip(grouped["muni"], grouped["service"])], dtype=float)
    bed_values[~block_start.to_numpy()] = np.nan
    n = len(grouped)
    return {
        "municipality_atvk": geo.atvk[grouped["muni"].to_numpy()],
        "year": np.full(n, year),
        "service_type": grouped["service"].to_numpy(dtype=str),
        "sex": np.where(grouped["male"].to_numpy(), "male", "female"),
        "age_group": grouped["age_group"].to_numpy(dtype=str),
        "persons_served": grouped["persons"].to_numpy(),
        "bed_nights": grouped["nights"].to_numpy(),
        "beds": bed_values,
    }
