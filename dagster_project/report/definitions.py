"""Indicator definitions for the technical note, taken from the dbt documentation (the models' YAML),
so the report and the warehouse docs say the same thing."""
from __future__ import annotations

from functools import lru_cache

import yaml

from ingestion.paths import DBT_PROJECT_DIR


@lru_cache(maxsize=1)
def model_descriptions() -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted((DBT_PROJECT_DIR / "models").rglob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in doc.get("models", []) or []:
            if model.get("description"):
                out[model["name"]] = " ".join(str(model["description"]).split())
    return out


def definitions(tables: list[str]) -> list[tuple[str, str]]:
    """(table, description) for each public table the report uses, in the dbt docs' own words."""
    docs = model_descriptions()
    return [(t, docs[t]) for t in tables if t in docs]
