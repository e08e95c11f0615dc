"""The written definitions of the marts, read from dbt's manifest: each mart's `config.meta` in its
YAML. One list, written once beside the marts' descriptions:

- `role`: the name code uses for a mart (`flow`, `point_in_time`, ...); the report, the release, the
  drill-down and the CLI find a mart's model name by its role (`mart()`), never by restating it;
- `drill_measure`: the count a drill-down of the mart lists persons for;
- for the public marts (`tier: public`): `dimensions`, `measures` (protected counts), `derived`
  (rates, shares, means, medians with their inputs), `headline`, `relations`, and the table design:
  `rows` (the published rows, a SQL filter: data minimisation), `drop` (columns not published),
  `rounded` (model outputs published to the nearest n), `note`. The suppression
  (disclosure/tables.py), the independent audit (disclosure/independent.py, which reads nothing else
  besides the release's files) and the data dictionaries read them from here.

Relation kinds (each over the rows a reader has): `sum` total = sum of parts; `cover` total <= sum of
parts and each part <= total (the yearly flow: a person in two towns or categories); `subset` each
part <= total; `equal` each part = total (the same count published twice: HC3.1's and EPOCH's national
counts are the flow's and the reference night's, the cost mart repeats the year's persons on every
item). Every relation the suppression and the audit use is written here - within a table and across
tables; each reads it in its own code (disclosure/tables.py, disclosure/independent.py). A side names rows by column values (`'!x'`: any but x),
optionally another `table` and a `measure`; `match` lists the columns that must agree (`a=b` when
named differently; default every dimension not named on either side).

A derived measure's `inputs` (optional) lists the counts it is computed from when they are not its
numerator, denominator and count (`'~x'`: an input that is not published, e.g. women of HC3.1's
persons with a recorded sex).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

PUBLIC_TIER = "public"


def _model_metas(manifest: Path | None = None) -> dict[str, dict]:
    if manifest is None:
        from homeless_monitor.dbt_manifest import ensure_manifest

        manifest = ensure_manifest()
    nodes = json.loads(Path(manifest).read_text(encoding="utf-8"))["nodes"].values()
    out = {}
    for node in nodes:
        if node.get("resource_type") != "model":
            continue
        out[node["name"]] = (node.get("config") or {}).get("meta") or node.get("meta") or {}
    return out


def public_definitions(manifest: Path | None = None) -> dict[str, dict]:
    """{mart: its meta} for every model whose dbt meta says `tier: public`, in name order."""
    metas = _model_metas(manifest)
    return dict(sorted((name, meta) for name, meta in metas.items() if meta.get("tier") == PUBLIC_TIER))


@lru_cache(maxsize=1)
def roles() -> dict[str, str]:
    """{role: mart} from dbt meta `role` (one mart per role)."""
    out: dict[str, str] = {}
    for name, meta in _model_metas().items():
        role = meta.get("role")
        if role:
            if role in out:
                raise ValueError(f"dbt meta role {role!r} on both {out[role]} and {name}")
            out[role] = name
    return out


def mart(role: str) -> str:
    """The model name of the mart with this dbt meta `role`."""
    try:
        return roles()[role]
    except KeyError:
        raise KeyError(f"no mart has dbt meta role {role!r}") from None


@lru_cache(maxsize=1)
def drill_measures() -> dict[str, str]:
    """{mart: the count its drill-down lists persons for} from dbt meta `drill_measure`."""
    return {name: meta["drill_measure"] for name, meta in _model_metas().items() if meta.get("drill_measure")}
