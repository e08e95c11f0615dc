"""Column definitions from the dbt docs: the models' YAML files are the one written definition of
every column, so an extract's data dictionary quotes them rather than restating them. Read from dbt's
parsed manifest (as release/docs.py reads them): `{{ doc(...) }}` blocks come rendered, and there is
one reader of the dbt docs."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path, PurePosixPath


@lru_cache(maxsize=4)
def dbt_docs(manifest: Path | None = None) -> dict[str, dict]:
    """model name -> {"description": str, "columns": {column: description}, "layer": the models/ folder
    (staging, intermediate, marts), "tier": its meta tier or None} for every documented model."""
    if manifest is None:
        from homeless_monitor.dbt_manifest import ensure_manifest

        manifest = ensure_manifest()
    nodes = json.loads(Path(manifest).read_text(encoding="utf-8"))["nodes"].values()
    docs: dict[str, dict] = {}
    for node in sorted(nodes, key=lambda n: n.get("original_file_path", "")):
        if node.get("resource_type") != "model":
            continue
        columns = {
            name: " ".join(str(c.get("description", "")).split())
            for name, c in (node.get("columns") or {}).items()
            if c.get("description")
        }
        if not columns and not node.get("description"):
            continue  # not documented
        meta = (node.get("config") or {}).get("meta") or node.get("meta") or {}
        docs[node["name"]] = {
            "description": " ".join(str(node.get("description", "")).split()),
            "columns": columns,
            "layer": PurePosixPath(node["original_file_path"]).parts[1],
            "tier": meta.get("tier"),
        }
    return docs


def tier_tables(tier: str) -> dict[str, list[str]]:
    """The tables a spec of `tier` may read and their documented columns, as the release writes them
    (release/restricted.py, release/analyst.py): the restricted tier holds the person-level marts, the
    marts marked restricted and the person-level intermediates it names; the analyst tier the other marts."""
    from homeless_monitor.release.restricted import PERSON_COLUMNS, RESTRICTED_EXTRA

    extra = {table for _, table in RESTRICTED_EXTRA}
    tables = {}
    for name, doc in sorted(dbt_docs().items()):
        person_level = any(c in doc["columns"] for c in PERSON_COLUMNS)
        if tier == "restricted":
            ok = (
                (doc["layer"] == "marts" and person_level)
                or name in extra
                or (doc["layer"] in ("marts", "intermediate") and doc["tier"] == "restricted")
            )
        else:
            ok = doc["layer"] == "marts" and not person_level and doc["tier"] != "restricted"
        if ok:
            tables[name] = sorted(doc["columns"])
    return tables


def what_a_spec_may_use(tier: str, models: list[str] | None = None) -> str:
    """The refusal's list: every table of the tier (or only `models` among them) with its columns."""
    tables = tier_tables(tier)
    chosen = {m: tables[m] for m in (models or []) if m in tables} or tables
    lines = [
        f"a {tier}-tier spec may use "
        + (
            "these columns"
            if models and chosen is not tables
            else f"these {len(tables)} tables and their documented columns"
        )
        + ":"
    ]
    lines += [f"  {table}: {', '.join(columns)}" for table, columns in chosen.items()]
    if chosen is not tables:
        lines.append(f"  (other tables of the tier: {', '.join(t for t in tables if t not in chosen)})")
    return "\n".join(lines)


def column_definition(model: str, column: str) -> str | None:
    """The dbt description of model.column, or None when it is not documented."""
    return dbt_docs().get(model, {}).get("columns", {}).get(column)
