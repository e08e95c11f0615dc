"""The written definitions of the public tables, read from dbt's manifest: each public mart's
`config.meta` in its YAML (`tier: public`, `dimensions`, `measures`, `derived`, `headline`,
`relations`). One list, written once beside the marts' descriptions; the independent audit
(disclosure/independent.py) reads nothing else besides the release's files.

Relation kinds (each over the rows a reader has): `sum` total = sum of parts; `cover` total <= sum of
parts and each part <= total (the yearly flow: a person in two towns or categories); `subset` each
part <= total; `equal` each part = total. A side names rows by column values (`'!x'`: any but x),
optionally another `table` and a `measure`; `match` lists the columns that must agree (`a=b` when
named differently; default every dimension not named on either side).
"""

from __future__ import annotations

import json
from pathlib import Path

PUBLIC_TIER = "public"


def public_definitions(manifest: Path | None = None) -> dict[str, dict]:
    """{mart: its meta} for every model whose dbt meta says `tier: public`, in manifest order."""
    if manifest is None:
        from homeless_monitor.dbt_manifest import ensure_manifest

        manifest = ensure_manifest()
    nodes = json.loads(Path(manifest).read_text(encoding="utf-8"))["nodes"].values()
    out = {}
    for node in nodes:
        if node.get("resource_type") != "model":
            continue
        meta = (node.get("config") or {}).get("meta") or node.get("meta") or {}
        if meta.get("tier") == PUBLIC_TIER:
            out[node["name"]] = meta
    return dict(sorted(out.items()))
