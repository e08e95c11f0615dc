"""The analysts' documentation: every release carries the dbt docs as one static offline page with the
project's own overview (not dbt's welcome text), written by the release/dbt_docs asset."""

from __future__ import annotations

import json
import stat

from dagster_project.assets.docs import DOCS_DIR, STATIC_PAGE
from homeless_monitor.release.tiers import MANIFEST_FILE, release_dir


def test_every_release_has_the_static_dbt_docs(national_run):
    assert national_run.returncode == 0, national_run.output[-3000:]
    published = national_run.data_dir / "published"
    release_id = json.loads((published / MANIFEST_FILE).read_text())["release_id"]
    page = release_dir(published, release_id) / DOCS_DIR / STATIC_PAGE
    text = page.read_text(encoding="utf-8")
    assert "Latvian national homelessness monitoring warehouse" in text  # the overview page
    assert "Reading the breakdown marts" in text
    assert "mart_homeless_flow_yearly" in text and "history_complete" in text
    assert "<script" in text and "http://" not in text.split("<script", 1)[0]  # one self-contained page
    assert stat.S_IMODE(page.stat().st_mode) == 0o444
    assert (published / DOCS_DIR / STATIC_PAGE).read_bytes() == page.read_bytes()
