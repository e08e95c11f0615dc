"""The `extract` and `drill` commands of homeless-monitor (kept here so cli.py only dispatches)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from homeless_monitor.extracts.drill import DrillError, drill, parse_cell
from homeless_monitor.extracts.register import log_access, register_path
from homeless_monitor.extracts.spec import SpecError, load_spec
from homeless_monitor.extracts.take import RowsMultiplied, resolve_release, take_extract
from homeless_monitor.release.tiers import analyst_file, restricted_file
from homeless_monitor.settings import Settings


def extract_command(
    settings: Settings, spec_path: Path, out: Path, release_id: str | None, allow_multiplied_rows: str | None = None
) -> int:
    """`extract`: take an extract from the settings' published folder (the key: the settings', when needed)."""
    published = settings.published
    try:
        spec = load_spec(spec_path)
        extract = take_extract(
            spec,
            published,
            out.resolve(),
            release_id,
            allow_multiplied_rows=allow_multiplied_rows,
            say=lambda line: print(f"  {line}"),
        )
    except (SpecError, RowsMultiplied, FileNotFoundError) as error:
        print(f"extract not taken: {error}")
        return 2
    manifest = extract.manifest
    protection = manifest["protection"]
    print(f"extract {manifest['extract_id']} (release {manifest['release_id']}) written to {extract.directory}")
    print(
        f"  rows {manifest['rows']:,}"
        + (f", persons {manifest['persons']:,}" if manifest["persons"] is not None else "")
        + f"; k required {protection['k_required']}, achieved {protection['k_achieved']}; "
        f"rows suppressed {protection['rows_suppressed']}"
        + (f"; {'; '.join(protection['generalisations'])}" if protection.get("generalisations") else "")
    )
    print(f"  registered in {register_path(published)}")
    return 0


MIN_PURPOSE = 10  # characters: a reason someone else can read in the access log, not "x"


def drill_command(
    settings: Settings, mart: str, cell_text: str, release_id: str | None, episodes: bool, purpose: str | None = None
) -> int:
    """List the persons behind a cell, after logging who asked, for what purpose, and how many were listed.
    The listing survives a reader that stops early (`| head`): no traceback, the access is logged anyway."""
    purpose = " ".join((purpose or "").split())
    if len(purpose) < MIN_PURPOSE:
        print(
            'drill-down refused: say why with --purpose "..." (at least 10 characters, e.g. the case or '
            "query number); the purpose is logged with the access",
            file=sys.stderr,
        )
        return 2
    published = settings.published
    try:
        release, the_id = resolve_release(published, release_id)
        cell = parse_cell(cell_text)
        found = drill(mart, cell, restricted_file(release), analyst_file(release))
    except (DrillError, FileNotFoundError) as error:
        print(f"drill-down refused: {error}", file=sys.stderr)
        return 2
    log_access(published, the_id, mart, cell, len(found.persons), purpose)
    table = found.episodes if episodes else found.persons
    try:
        print(
            f"{mart} {json.dumps(cell)} in release {the_id}: the mart says {found.cell_value}, "
            f"{len(found.persons)} persons listed (access logged, purpose: {purpose})"
        )
        print(table.to_string(index=False) if len(table) else "(nobody)", flush=True)
    except BrokenPipeError:
        # the reader (head, less) closed the pipe: stop quietly; point stdout at /dev/null so that the
        # interpreter's own flush at exit does not raise again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
