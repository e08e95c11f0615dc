"""Column definitions from the dbt docs: the models' YAML files are the one written definition of
every column, so an extract's data dictionary quotes them rather than restating them."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from ingestion.paths import DBT_PROJECT_DIR


@lru_cache(maxsize=4)
def dbt_docs(models_dir: Path = DBT_PROJECT_DIR / "models") -> dict[str, dict]:
    """model name -> {"description": str, "columns": {column: description}} for every documented model."""
    docs: dict[str, dict] = {}
    for path in sorted(models_dir.rglob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in content.get("models", []) or []:
            columns = {c["name"]: " ".join(str(c.get("description", "")).split())
                       for c in model.get("columns", []) or [] if c.get("description")}
            docs[model["name"]] = {"description": " ".join(str(model.get("description", "")).split()),
                                   "columns": columns}
    return docs


def column_definition(model: str, column: str) -> str | None:
    """The dbt description of model.column, or None when it is not documented."""
    return dbt_docs().get(model, {}).get("columns", {}).get(column)
