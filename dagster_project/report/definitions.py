"""Indicator definitions for the technical note, taken from the dbt documentation (the models' YAML),
so the report and the warehouse docs say the same thing."""
from __future__ import annotations

import re
from functools import lru_cache

import yaml

from ingestion.paths import DBT_PROJECT_DIR


DOCS_BLOCK = re.compile(r"{%-?\s*docs\s+(\w+)\s*-?%}(.*?){%-?\s*enddocs\s*-?%}", re.S)
DOC_CALL = re.compile(r"{{\s*doc\(\s*['\"](\w+)['\"]\s*\)\s*}}")


@lru_cache(maxsize=1)
def docs_blocks() -> dict[str, str]:
    """The `{% docs name %}` blocks of the dbt project's Markdown files, Markdown emphasis removed."""
    out: dict[str, str] = {}
    for path in sorted((DBT_PROJECT_DIR / "models").rglob("*.md")):
        for name, text in DOCS_BLOCK.findall(path.read_text(encoding="utf-8")):
            out[name] = re.sub(r"\*\*|`", "", text)
    return out


@lru_cache(maxsize=1)
def model_descriptions() -> dict[str, str]:
    out: dict[str, str] = {}
    blocks = docs_blocks()
    for path in sorted((DBT_PROJECT_DIR / "models").rglob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in doc.get("models", []) or []:
            if model.get("description"):
                text = DOC_CALL.sub(lambda m: blocks.get(m.group(1), ""), str(model["description"]))
                out[model["name"]] = " ".join(text.split())
    return out


def definitions(tables: list[str]) -> list[tuple[str, str]]:
    """(table, description) for each public table the report uses, in the dbt docs' own words."""
    docs = model_descriptions()
    return [(t, docs[t]) for t in tables if t in docs]
