"""Revisions (technical note): figures for earlier years that changed since the previous published report.

Kept simple: the previous report is the newest published/reports/*/report.json from another release; its
data CSVs are compared with this report's, line by line on (source table, measure, row key), for the
years before the reporting year.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

YEAR_KEYS = ("year", "exit_year")


@dataclass
class Previous:
    folder: Path
    release_id: str
    year: int

    @property
    def label(self) -> str:
        return f"{self.year}, {self.release_id}"


def find_previous(reports: Path, release_id: str) -> Previous | None:
    found = []
    for meta_path in reports.glob("*/report.json"):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("release_id") != release_id:
            found.append(
                (
                    meta.get("generated_at", ""),
                    Previous(meta_path.parent, meta["release_id"], int(meta["reporting_year"])),
                )
            )
    return max(found, key=lambda f: f[0])[1] if found else None


def _value(v) -> str:
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def revisions(previous: Previous, tables: dict[str, pd.DataFrame], year: int) -> list[dict]:
    """One dict per changed value: file, row (its key), column (measure), old, new (as written in the CSVs)."""
    out = []
    for name, new in tables.items():
        old_path = previous.folder / "data" / f"{name}.csv"
        if new.empty or not old_path.exists():
            continue
        old = pd.read_csv(old_path, dtype=str, keep_default_na=False)
        new = new.astype(object).map(_value)
        keys = [c for c in new.columns if c in old.columns and c not in ("value", "flag")]
        year_col = next((c for c in YEAR_KEYS if c in keys), None)
        if year_col is None:
            continue
        merged = new.merge(old, on=keys, suffixes=("_new", "_old"))
        merged = merged[pd.to_numeric(merged[year_col], errors="coerce") < year]
        changed = merged[(merged["value_new"] != merged["value_old"]) | (merged["flag_new"] != merged["flag_old"])]
        for _, r in changed.iterrows():
            row = ", ".join(
                f"{k}={r[k]}" for k in keys if k not in ("source_table", "measure") and r[k] not in ("", "ALL")
            )
            out.append(
                {
                    "file": f"{name}.csv",
                    "row": row,
                    "column": f"{r['source_table']}.{r['measure']}",
                    "old": r["value_old"] or r["flag_old"],
                    "new": r["value_new"] or r["flag_new"],
                }
            )
    return out
