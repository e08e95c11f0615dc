"""The run's own quality page: every validation with stage, tier, limit, observed value and status, offline."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from dagster_project.quality.page import render_page
from dagster_project.quality.severity import Outcome, Severity


class Rows(HTMLParser):
    """Collects the validation rows (their data attributes and cell texts) and every resource URL."""

    def __init__(self):
        super().__init__()
        self.rows, self.urls, self._cells = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [v for k, v in attrs.items() if k in ("src", "href") and v]
        if tag == "tr" and "validation" in (attrs.get("class") or ""):
            self.rows.append({"attrs": attrs, "cells": []})
            self._cells = self.rows[-1]["cells"]
        elif tag == "td" and self._cells is not None:
            self._cells.append("")

    def handle_endtag(self, tag):
        if tag == "tr":
            self._cells = None

    def handle_data(self, data):
        if self._cells:
            self._cells[-1] += data


def parse(html: str) -> Rows:
    rows = Rows()
    rows.feed(html)
    return rows


def test_a_hand_made_page_lists_each_outcome_with_tier_limit_observed_and_status():
    outcomes = [
        Outcome("delivery", "delivery__x", "raw/x", "quarantined_share_high", Severity.ERROR, "failed",
                file_name="x_2024.csv", extra={"limit": "between 0 and 0.05", "observed": "0.083"}),
        Outcome("mart", "marts__y", "marts/y", "no_rows", Severity.BLOCK, "passed",
                extra={"limit": "between 1 and ∞", "observed": "0 of 3 rows outside"}),
    ]
    page = parse(render_page("r1", outcomes, "1 passed, 0 warnings, 1 errors, 0 blocked"))
    by_rule = {r["cells"][1].split("expect")[0]: r for r in page.rows}
    assert set(by_rule) == {"quarantined_share_high", "no_rows"}
    failed = by_rule["quarantined_share_high"]
    assert (failed["attrs"]["data-stage"], failed["attrs"]["data-tier"], failed["attrs"]["data-status"]) == (
        "delivery", "error", "failed")
    assert failed["cells"][3:6] == ["between 0 and 0.05", "0.083", "FAILED"]
    assert by_rule["no_rows"]["cells"][2:6] == ["block", "between 1 and ∞", "0 of 3 rows outside", "passed"]


def test_the_runs_page_lists_every_stored_validation_and_loads_nothing_from_the_network(national_run):
    reports = national_run.data_dir / "quality" / "reports"
    [summary_line] = [line for line in national_run.output.splitlines() if line.startswith("quality page: ")]
    page_path = reports / re.search(r"([0-9a-f-]+\.html)", summary_line).group(1)
    html = page_path.read_text(encoding="utf-8")
    stored = json.loads(page_path.with_suffix(".json").read_text(encoding="utf-8"))["outcomes"]
    page = parse(html)
    assert len(page.rows) == len(stored) > 100
    assert {r["attrs"]["data-stage"] for r in page.rows} == {"delivery", "staging", "mart"}
    assert all(r["attrs"]["data-status"] in ("passed", "failed", "not_evaluated") for r in page.rows)
    assert all(r["attrs"]["data-tier"] in ("block", "error", "warning") for r in page.rows)
    assert sum(r["cells"][3] not in ("", "—") for r in page.rows) == len(page.rows)  # every limit named
    assert page.urls == [] and not re.search(r"https?://", html)
    assert "<style>" in html
