"""Table and column descriptions from the dbt docs, for the analyst database's comments and the
public data dictionaries: one text, written once, shown everywhere.

Read from dbt's parsed manifest, so `{{ doc(...) }}` blocks are rendered as in `dbt docs`; a model's
`meta: {tier: restricted}` keeps it out of the analyst and public tiers."""

from __future__ import annotations

import json
from functools import lru_cache


def _flat(text: str | None) -> str:
    return " ".join(str(text or "").split())


@lru_cache(maxsize=1)
def model_docs() -> dict[str, dict]:
    """{model: {"description": str, "columns": {column: description}, "tier": str | None}}."""
    from homeless_monitor.dbt_manifest import ensure_manifest

    manifest = json.loads(ensure_manifest().read_text(encoding="utf-8"))
    docs: dict[str, dict] = {}
    for node in manifest["nodes"].values():
        if node.get("resource_type") not in ("model", "seed"):
            continue
        docs[node["name"]] = {
            "description": _flat(node.get("description")),
            "columns": {name: _flat(c.get("description")) for name, c in (node.get("columns") or {}).items()},
            "tier": ((node.get("config") or {}).get("meta") or {}).get("tier"),
        }
    return docs


def restricted_models() -> set[str]:
    """Models whose dbt docs mark them restricted-tier only (small cells, person-level)."""
    return {name for name, doc in model_docs().items() if doc.get("tier") == "restricted"}


def describe(model: str) -> str:
    return model_docs().get(model, {}).get("description", "")


def describe_column(model: str, column: str) -> str:
    return model_docs().get(model, {}).get("columns", {}).get(column, "")
