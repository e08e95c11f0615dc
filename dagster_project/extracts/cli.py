"""The `extract` and `drill` commands of homeless-monitor (kept here so cli.py only dispatches)."""
from __future__ import annotations

import json
from pathlib import Path

from dagster_project.extracts.drill import DrillError, drill, parse_cell
from dagster_project.extracts.register import log_access, register_path
from dagster_project.extracts.spec import SpecError, load_spec
from dagster_project.extracts.take import resolve_release, take_extract
from dagster_project.release.resource import ReleaseResource
from dagster_project.release.tiers import analyst_file, restricted_file


def extract_command(spec_path: Path, out: Path, release_id: str | None) -> int:
    published = ReleaseResource().published
    try:
        spec = load_spec(spec_path)
        extract = take_extract(spec, published, out.resolve(), release_id)
    except (SpecError, FileNotFoundError) as error:
        print(f"extract not taken: {error}")
        return 2
    manifest = extract.manifest
    protection = manifest["protection"]
    print(f"extract {manifest['extract_id']} (release {manifest['release_id']}) written to {extract.directory}")
    print(f"  rows {manifest['rows']:,}" + (f", persons {manifest['persons']:,}" if manifest["persons"] is not None else "")
          + f"; k required {protection['k_required']}, achieved {protection['k_achieved']}; "
          f"rows suppressed {protection['rows_suppressed']}"
          + (f"; {'; '.join(protection['generalisations'])}" if protection.get("generalisations") else ""))
    print(f"  registered in {register_path(published)}")
    return 0


def drill_command(mart: str, cell_text: str, release_id: str | None, episodes: bool) -> int:
    published = ReleaseResource().published
    try:
        release, the_id = resolve_release(published, release_id)
        cell = parse_cell(cell_text)
        found = drill(mart, cell, restricted_file(release), analyst_file(release))
    except (DrillError, FileNotFoundError) as error:
        print(f"drill-down refused: {error}")
        return 2
    log_access(published, the_id, mart, cell, len(found.persons))
    print(f"{mart} {json.dumps(cell)} in release {the_id}: the mart says {found.cell_value}, "
          f"{len(found.persons)} persons listed (access logged)")
    table = found.episodes if episodes else found.persons
    print(table.to_string(index=False) if len(table) else "(nobody)")
    return 0
