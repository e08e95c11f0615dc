"""The run's own quality page: every validation with stage, tier, limit, observed value and status, offline."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from homeless_monitor.quality.page import render_page
from homeless_monitor.quality.severity import Outcome, Severity


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
        Outcome(
            "delivery",
            "delivery__x",
            "raw/x",
            "quarantined_share_high",
            Severity.ERROR,
            "failed",
            file_name="x_2024.csv",
            extra={"limit": "between 0 and 0.05", "observed": "0.083"},
        ),
        Outcome(
            "mart",
            "marts__y",
            "marts/y",
            "no_rows",
            Severity.BLOCK,
            "passed",
            extra={"limit": "between 1 and ∞", "observed": "0 of 3 rows outside"},
        ),
    ]
    page = parse(render_page("r1", outcomes, "1 passed, 0 warnings, 1 errors, 0 blocked"))
    by_rule = {r["cells"][1].split("expect")[0]: r for r in page.rows}
    assert set(by_rule) == {"quarantined_share_high", "no_rows"}
    failed = by_rule["quarantined_share_high"]
    assert (failed["attrs"]["data-stage"], failed["attrs"]["data-tier"], failed["attrs"]["data-status"]) == (
        "delivery",
        "error",
        "failed",
    )
    assert failed["cells"][3:6] == ["between 0 % and 5 %", "8.3 %", "FAILED"]  # a share, as a percentage
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


def test_values_are_formatted_for_reading_and_delivery_rows_are_files():
    from homeless_monitor.quality.page import number, percent, readable

    share = Outcome(
        "delivery",
        "s",
        "raw/x",
        "duplicate_row",
        Severity.WARNING,
        "failed",
        expectation="expect_column_values_to_be_between(share_duplicate_row)",
        extra={"files_validated": 3},
    )
    assert readable("0.03225806451612903", share) == "3.2 %"
    assert readable("between 0.0 and 0.02", share) == "between 0 % and 2 %"
    assert readable("0 of 10 rows outside", share) == "0 of 10 files outside"
    assert readable("0 of 1 rows outside", share) == "0 of 1 file outside"
    mart = Outcome("mart", "s", "marts/y", "rate_not_persons_over_population", Severity.ERROR, "passed")
    assert readable("0 of 3 rows outside", mart) == "0 of 3 rows outside"
    assert readable("between 1.0 and 5000.0", mart) == "between 1 and 5000"
    assert readable("between 0.0 and 0.0", mart) == "exactly 0"
    assert readable("between 0.9 and 12345.678", mart) == "between 0.9 and 12,345.7"
    assert readable("year 2024 in nmpd_izsaukumi_2024.csv", mart) == "year 2024 in nmpd_izsaukumi_2024.csv"
    assert (number(0.041666666666666664), percent(0.041666666666666664), percent(0.0)) == ("0.04167", "4.2 %", "0 %")
    page = render_page("r1", [share, mart], "…")
    assert "0.0322" not in page and not re.search(r"\d\.\d{5,}", page)  # no raw float anywhere
    assert "table-layout:fixed" in page and "max-width:1232px" in page  # fits a 1,280 px screen


def test_the_dbt_tests_of_the_run_are_listed_after_the_expectations():
    from dagster import AssetCheckResult, AssetCheckSpec, DagsterInstance, MaterializeResult, asset, materialize

    from dagster_project.assets.quality import dbt_tests_of_run

    @asset(
        check_specs=[
            AssetCheckSpec("not_null_m_person_id", asset="m"),
            AssetCheckSpec("unique_m_id", asset="m"),
            AssetCheckSpec("ge_mart", asset="m"),
        ]
    )
    def m():
        yield MaterializeResult()
        yield AssetCheckResult(
            check_name="not_null_m_person_id",
            passed=False,
            metadata={"unique_id": "test.p.not_null_m_person_id", "dagster_dbt/failed_row_count": 3},
        )
        yield AssetCheckResult(check_name="unique_m_id", passed=True, metadata={"unique_id": "test.p.unique_m_id"})
        yield AssetCheckResult(check_name="ge_mart", passed=True, metadata={"passed": 8})

    with DagsterInstance.ephemeral() as instance:
        result = materialize([m], instance=instance)
        tests = dbt_tests_of_run(instance, result.run_id, ("ge_delivery", "ge_staging", "ge_mart"))
    assert [(t.model, t.kind, t.passed, t.failing_rows) for t in tests] == [
        ("m", "not_null", False, 3),
        ("m", "unique", True, None),
    ]
    page = parse(render_page("r1", [], "…", tests))
    html = render_page("r1", [], "…", tests)
    assert "dbt tests (2 run in this run's dbt build: 1 failed)" in html
    assert "FAILED (3 rows)" in html and page.urls == []
