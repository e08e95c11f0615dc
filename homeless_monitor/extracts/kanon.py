"""k-anonymity over the quasi-identifiers, generalise then suppress (full-domain generalisation with a
suppression budget, as in Samarati's method and sdcMicro's practice).

The quasi-identifiers are the documented roles sex, age (band), region (NUTS3) and year. Every
combination of their values that appears must hold at least k distinct persons. The ladder widens the
whole column, never single records (so bands never overlap): age bands 5 -> 10 -> 20 years -> all,
region NUTS3 -> Latvia. The first rung at which at most max_suppression of the persons sit in groups
smaller than k is taken; those persons' rows are then suppressed (left out). Sex and year are never
generalised: they are what the research compares.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from homeless_monitor.extracts.coarsen import AGE_COLUMN, age_band

NATIONAL = "LV"
# (age band width, region generalised to national?) per rung
LADDER = ((5, False), (10, False), (10, True), (20, True), (0, True))


@dataclass
class Protection:
    frame: pd.DataFrame
    report: dict


def _rung_description(width: int, national: bool, roles: dict) -> list[str]:
    done = []
    if "age" in roles and width != 5:
        done.append(f"age bands widened to {width} years" if width else "age band removed (all ages)")
    if "region" in roles and national:
        done.append("region generalised from NUTS3 to Latvia")
    return done


def _at_rung(frame: pd.DataFrame, roles: dict, width: int, national: bool) -> pd.DataFrame:
    out = frame.copy()
    if "age" in roles and AGE_COLUMN in out:
        out[roles["age"]] = out[AGE_COLUMN].map(lambda a: age_band(a, width))
    if "region" in roles and national:
        out[roles["region"]] = NATIONAL
    return out


def _group_sizes(frame: pd.DataFrame, qi_columns: list[str], person_column: str | None) -> pd.Series:
    """Persons in each row's quasi-identifier group (rows when there is no person column)."""
    if not qi_columns:
        return pd.Series(len(frame), index=frame.index)
    keys = frame[qi_columns].astype("string").fillna("<null>")
    if person_column:
        grouped = frame.assign(**{f"__qi{i}": keys[c] for i, c in enumerate(qi_columns)})
        qi = [f"__qi{i}" for i in range(len(qi_columns))]
        return grouped.groupby(qi, dropna=False)[person_column].transform("nunique")
    return keys.groupby(qi_columns, dropna=False)[qi_columns[0]].transform("size")


def protect(frame: pd.DataFrame, roles: dict, k: int, max_suppression: float, person_column: str | None) -> Protection:
    """Generalise the quasi-identifiers up the ladder, then suppress what is still in groups below k."""
    qi_columns = [roles[r] for r in ("sex", "age", "region", "year") if r in roles]
    persons_total = frame[person_column].nunique() if person_column else len(frame)
    rungs = [rung for rung in LADDER if ("age" in roles or rung[0] == 5) and ("region" in roles or not rung[1])]
    rungs = list(dict.fromkeys(rungs))
    chosen = None
    for level, (width, national) in enumerate(rungs):
        candidate = _at_rung(frame, roles, width, national)
        small = _group_sizes(candidate, qi_columns, person_column) < k
        persons_small = candidate.loc[small, person_column].nunique() if person_column else int(small.sum())
        chosen = (level, width, national, candidate, small, persons_small)
        if persons_total == 0 or persons_small / persons_total <= max_suppression:
            break
    level, width, national, candidate, small, persons_small = chosen
    # a person in any small group leaves the extract altogether; that can leave another of the person's
    # groups (a spell in another year) below k, so repeat until no group is small
    keep = pd.Series(True, index=candidate.index)
    dropped_persons: set = set()
    while True:
        current = candidate.loc[keep]
        small_now = _group_sizes(current, qi_columns, person_column) < k
        if not small_now.any():
            break
        if person_column:
            dropped_persons |= set(current.loc[small_now, person_column])
            keep = ~candidate[person_column].isin(dropped_persons)
        else:
            keep.loc[current.index[small_now.to_numpy()]] = False
    persons_small = len(dropped_persons) if person_column else int((~keep).sum())
    kept = candidate.loc[keep].drop(columns=[AGE_COLUMN], errors="ignore")
    sizes = _group_sizes(kept, qi_columns, person_column)
    report = {
        "quasi_identifiers": {role: roles[role] for role in ("sex", "age", "region", "year") if role in roles},
        "k_required": k,
        "k_achieved": int(sizes.min()) if len(kept) else None,
        "groups": int(kept[qi_columns].drop_duplicates().shape[0])
        if qi_columns and len(kept)
        else (1 if len(kept) else 0),
        "generalisation_level": level,
        "generalisations": _rung_description(width, national, roles),
        "max_suppression": max_suppression,
        "rows_before": int(len(frame)),
        "rows_suppressed": int((~keep).sum()),
        "persons_before": int(persons_total),
        "persons_suppressed": int(persons_small),
    }
    return Protection(kept.reset_index(drop=True), report)


def protect_counts(frame: pd.DataFrame, count_columns: tuple[str, ...], dependent: dict, k: int) -> Protection:
    """Aggregate extracts: a count from 1 to k-1 is suppressed (null, with `<count>_suppressed` true), and so
    is every column computed from it (dependent: column -> its count column). Zero is published. A frame
    that already has `<count>_suppressed` (the public tier's primary and secondary suppression, as the
    analyst tier flags it) keeps those cells suppressed too, so no hidden cell is recoverable from totals."""
    out = frame.copy()
    suppressed_cells = 0
    for column in count_columns:
        flag = f"{column}_suppressed"
        already = out[flag].fillna(False).astype(bool) if flag in out else False
        small = out[column].between(1, k - 1) | already
        suppressed_cells += int(small.sum())
        out[f"{column}_suppressed"] = small
        out[column] = out[column].astype("Int64").mask(small)
        for derived, source in dependent.items():
            if source == column:
                out[derived] = out[derived].mask(small)
    published = [out[c].dropna() for c in count_columns]
    positives = pd.concat(published)[lambda s: s > 0] if published else pd.Series(dtype="Int64")
    report = {
        "k_required": k,
        "k_achieved": int(positives.min()) if len(positives) else None,
        "protection": f"counts 1..{k - 1} and every cell the public tier suppresses (secondary suppression "
        "included) are null with <count>_suppressed = true, with the columns derived from them; "
        "zero published",
        "cells_suppressed": suppressed_cells,
        "rows_before": int(len(frame)),
        "rows_suppressed": 0,
    }
    return Protection(out.reset_index(drop=True), report)
