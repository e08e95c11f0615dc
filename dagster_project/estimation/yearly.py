"""The yearly multiple-systems estimate from a table of person counts by capture pattern.

Kept apart from the dbt Python model (dbt/models/marts/mart_homelessness_estimate.py) so it can be
tested on hand-made tables: one row per year with the lists used, the observed persons, the
estimate with its 95% profile-likelihood interval, Chao's lower bound and the model chosen.
"""
from __future__ import annotations

import math

import pandas as pd

from .mse import estimate_population

#: list name -> pattern column, in the order the patterns are read
LISTS = {"shelter": "on_shelter", "ambulance": "on_ambulance", "police": "on_police",
         "prison": "on_prison", "hospital": "on_hospital"}
MIN_LISTS = 2
COLUMNS = ["year", "lists_used", "list_count", "observed_persons", "estimated_persons", "ci_lower", "ci_upper",
           "hidden_persons", "chao_lower_bound", "model", "criterion", "poisson_estimate", "poisson_stderr",
           "deviance", "df", "aic", "bic"]


def yearly_estimates(overlaps: pd.DataFrame, criterion: str = "bic") -> pd.DataFrame:
    """One row per year with at least two non-empty lists; empty lists (not delivered) are left out."""
    rows = []
    for year, cells in overlaps.groupby("year", sort=True):
        used = [name for name, col in LISTS.items() if (cells[col].astype(bool) * cells["persons"]).sum() > 0]
        if len(used) < MIN_LISTS:
            continue
        freqs: dict[tuple[int, ...], float] = {}
        for record in cells.itertuples(index=False):
            pattern = tuple(int(bool(getattr(record, LISTS[name]))) for name in used)
            if any(pattern):
                freqs[pattern] = freqs.get(pattern, 0) + float(record.persons)
        result = estimate_population(freqs, len(used), criterion=criterion)
        rows.append({
            "year": int(year), "lists_used": ",".join(used), "list_count": len(used),
            "observed_persons": result.observed, "estimated_persons": _round(result.estimate),
            "ci_lower": _round(result.lower), "ci_upper": _round(result.upper),
            "hidden_persons": _round(result.estimate - result.observed),
            "chao_lower_bound": _round(result.chao_lower_bound), "model": result.model_name(used),
            "criterion": criterion, "poisson_estimate": _round(result.model.estimate),
            "poisson_stderr": _round(result.model.stderr), "deviance": round(result.model.deviance, 3),
            "df": result.model.df, "aic": round(result.model.aic, 3), "bic": round(result.model.bic, 3),
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def _round(value: float) -> float | None:
    """Whole persons; an unbounded interval end is null."""
    return float(round(value)) if math.isfinite(value) else None
