"""Municipalities and their populations, read from the reference deliveries via their contracts.

The population table weights everything: where persons live, where crisis events happen,
where the homeless cohort stays (apart from Rīga's known over-representation).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ingestion.contracts import Contract, all_contracts
from ingestion.paths import REFERENCE_DIR

RIGA_NAME = "Rīga"


def read_delivery(contract: Contract, path: Path) -> pd.DataFrame:
    """A delivered CSV as text columns with the contract's English names."""
    frame = pd.read_csv(
        path, sep=contract.file.delimiter, encoding=contract.file.encoding, dtype=str, keep_default_na=False
    )
    return frame.rename(columns={c.header: c.name for c in contract.columns})


def reference_files(source: str) -> list[Path]:
    contract = all_contracts()[source]
    return sorted(p for p in REFERENCE_DIR.iterdir() if contract.matches(p.name))


@dataclass(frozen=True)
class Geography:
    """Municipalities in reference order; population per municipality for a year."""

    atvk: np.ndarray  # str codes
    names: np.ndarray
    kinds: np.ndarray  # English kind (state_city | county)
    population: dict[int, np.ndarray]  # year -> inhabitants per municipality

    @property
    def riga(self) -> int:
        return int(np.flatnonzero(self.names == RIGA_NAME)[0])

    def weights(self, year: int) -> np.ndarray:
        """Population shares for a year (nearest year available outside the table)."""
        known = sorted(self.population)
        year = min(max(year, known[0]), known[-1])
        pop = self.population[year].astype(float)
        return pop / pop.sum()


def load_geography() -> Geography:
    contracts = all_contracts()
    munis = pd.concat(
        [read_delivery(contracts["ref_municipalities"], p) for p in reference_files("ref_municipalities")]
    )
    kind_codes = contracts["ref_municipalities"].column("kind").codes
    pops = pd.concat([read_delivery(contracts["ref_population"], p) for p in reference_files("ref_population")])
    pops["year"] = pops["year"].astype(int)
    pops["population"] = pops["population"].astype(int)
    table = pops.pivot_table(index="atvk_code", columns="year", values="population", aggfunc="sum")
    table = table.reindex(munis["atvk_code"]).fillna(0).astype(np.int64)
    return Geography(
        atvk=munis["atvk_code"].to_numpy(dtype=str),
        names=munis["name"].to_numpy(dtype=str),
        kinds=munis["kind"].map(kind_codes).to_numpy(dtype=str),
        population={int(y): table[y].to_numpy() for y in table.columns},
    )
