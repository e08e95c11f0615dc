"""Typed generator columns -> the text an institution delivers, as its contract says.

Generators build columns with English names and natural values (English codes, numpy
dates, bools, floats); this module turns them into the delivered strings: Latvian code
values (the keys of `codes`), the contract's date format, decimal comma, `jā`/`nē`.
Nothing about formats is restated here: it is all read from the contract.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ingestion.contracts import BOOLEAN_VALUES, Column, Contract

#: The spelling written for True/False: the first delivered spelling the contracts accept.
TRUE_TEXT = next(k for k, v in BOOLEAN_VALUES.items() if v)
FALSE_TEXT = next(k for k, v in BOOLEAN_VALUES.items() if not v)

Columns = dict[str, np.ndarray]


def _is_missing(values: np.ndarray) -> np.ndarray:
    if values.dtype.kind == "M":
        return np.isnat(values)
    if values.dtype.kind == "f":
        return np.isnan(values)
    if values.dtype.kind == "O":
        return pd.isna(values) | (values == "")
    return np.zeros(values.size, dtype=bool)


def _by_unique(values: np.ndarray, render) -> np.ndarray:
    """Render each distinct value once (dates and codes repeat a lot)."""
    inverse, uniq = pd.factorize(values, sort=True)
    uniq = np.asarray(uniq)
    if values.dtype.kind == "M":  # pandas may widen the unit; render calendar days
        uniq = uniq.astype("datetime64[D]")
    rendered = np.array([render(u) for u in uniq.tolist()], dtype=object)
    return rendered[inverse]


def format_column(column: Column, values: np.ndarray, contract: Contract) -> np.ndarray:
    """One column as delivered strings (object array); missing values become ''."""
    values = np.asarray(values)
    missing = _is_missing(values)
    out = np.full(values.size, "", dtype=object)
    present = ~missing
    if not present.any():
        return out
    v = values[present]
    kind = column.type
    if kind == "date":
        fmt = contract.file.date_format
        out[present] = _by_unique(v.astype("datetime64[D]"), lambda d: d.strftime(fmt))
    elif kind == "code":
        delivered = {english: latvian for latvian, english in column.codes.items()}
        if len(delivered) != len(column.codes):
            raise ValueError(f"{contract.source}.{column.name}: codes are not one-to-one")
        out[present] = _by_unique(v, lambda c: delivered[str(c)])
    elif kind == "boolean":
        out[present] = np.where(v.astype(bool), TRUE_TEXT, FALSE_TEXT)
    elif kind == "integer":
        out[present] = v.astype(np.int64).astype(str).astype(object)
    elif kind == "decimal":
        text = np.char.mod("%.2f", v.astype(float))
        out[present] = np.char.replace(text, ".", contract.file.decimal).astype(object)
    else:  # string, personal_code
        out[present] = v.astype(str).astype(object)
    return out


def format_columns(contract: Contract, typed: Mapping[str, np.ndarray]) -> Columns:
    """All contract columns, in contract order; a column the generator left out is empty."""
    n = len(next(iter(typed.values())))
    formatted: Columns = {}
    for column in contract.columns:
        if column.name in typed:
            formatted[column.name] = format_column(column, typed[column.name], contract)
        else:
            formatted[column.name] = np.full(n, "", dtype=object)
    unknown = set(typed) - set(formatted)
    if unknown:
        raise KeyError(f"{contract.source}: columns not in the contract: {sorted(unknown)}")
    return formatted
