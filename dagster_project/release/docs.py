"""Table and column descriptions from the dbt YAML (the dbt docs), for the analyst database's
comments and the public data dictionaries: one text, written once, shown everywhere."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from ingestion.paths import PROJECT_ROOT

MODELS_DIR = PROJECT_ROOT / "dbt" / "models"


@lru_cache(maxsize=1)
def model_docs(models_dir: Path = MODELS_DIR) -> dict[str, dict]:
    """{model: {"description": str, "columns": {column: description}}} from every models YAML."""
    docs: dict[str, dict] = {}
    for path in sorted(models_dir.rglob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in content.get("models", []) or []:
            columns = {c["name"]: " ".join(str(c.get("description", "")).split())
                       for c in model.get("columns", []) or [] if "name" in c}
            docs[model["name"]] = {"description": " ".join(str(model.get("description", "")).split()),
                                   "columns": columns}
    return docs


def describe(model: str) -> str:
    return model_docs().get(model, {}).get("description", "")


def describe_column(model: str, column: str) -> str:
    return model_docs().get(model, {}).get("columns", {}).get(column, "")
