"""Coarsening: each variable as the spec asks (age to bands, dates to month or to days since an entry,
municipality to NUTS3). Works on the selected rows before k-anonymity is checked; the age in years is
kept aside (column AGE_COLUMN) so that k-anonymity can widen the bands later."""

from __future__ import annotations

import pandas as pd

AGE_COLUMN = "__age"
TOP_AGE = 80  # ages from 80 on share one band, whatever the width


def age_band(age: float | None, width: int) -> str:
    """'25-29' for width 5; 'all' for width 0 (fully generalised); 'unknown' when the age is missing."""
    if age is None or pd.isna(age):
        return "unknown"
    if width == 0:
        return "all"
    age = int(age)
    if age >= TOP_AGE:
        return f"{TOP_AGE}+"
    if age < 0:
        return "unknown"
    low = (age // width) * width
    return f"{low}-{min(low + width - 1, TOP_AGE - 1)}"


def number_band(value: float | None, width: int) -> str:
    """'10-14' for 12.5 at width 5 (10 <= value < 15); 'unknown' when missing."""
    if value is None or pd.isna(value):
        return "unknown"
    low = int(value // width) * width
    return f"{low}-{low + width - 1}"


def _reference_year(values: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("Float64")
    return pd.to_datetime(values).dt.year.astype("Float64")


def coarsen(frame: pd.DataFrame, rules: dict, nuts3_of: dict[str, str], age_width: int = 5) -> pd.DataFrame:
    """Apply every rule to a copy of frame; rules read the original (uncoarsened) columns."""
    original = frame.copy()
    out = frame.copy()
    for column, rule in rules.items():
        method, target = rule["method"], rule.get("as", column)
        values = original[column]
        if method == "age_band":
            ages = _reference_year(original[rule["at"]]) - values.astype("Float64")
            out[AGE_COLUMN] = ages
            result = ages.map(lambda a: age_band(a, age_width))
        elif method == "month":
            result = pd.to_datetime(values).dt.strftime("%Y-%m")
        elif method == "year":
            result = pd.to_datetime(values).dt.year.astype("Int64")
        elif method == "days_since":
            result = (pd.to_datetime(values) - pd.to_datetime(original[rule["from"]])).dt.days.astype("Int64")
        elif method == "band":
            result = values.map(lambda v: number_band(v, int(rule["width"])))  # noqa: B023
        elif method == "nuts3":
            result = values.map(lambda code: nuts3_of.get(code, "unknown") if isinstance(code, str) else "unknown")
        else:  # validated in spec.py; here only as a guard
            raise ValueError(f"unknown coarsening method {method}")
        if target != column:
            out = out.drop(columns=[column])
        out[target] = result
    return out
