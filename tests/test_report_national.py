"""The report's section on rough sleeping, hidden homelessness and cost, on the suite's national run
(`national_run`, scale 0.02): read back from the written HTML and PDF against the public Parquet."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from test_report import assert_printed_as_published, spans

from homeless_monitor.release.tiers import PUBLIC_DIR

SECTION = "rough-sleeping-hidden-cost"
NEW_TABLES = ("mart_homelessness_estimate", "mart_cost_of_homelessness")


@pytest.fixture(scope="module")
def published(national_run):
    assert national_run.returncode == 0, national_run.output[-4000:]
    return national_run.data_dir / "published"


@pytest.fixture(scope="module")
def folder(published):
    years = sorted((published / "reports").iterdir())
    assert years, "the run wrote no report"
    return years[-1]


def _section(html: str) -> str:
    start = html.index(f'<section id="{SECTION}"')
    return html[start : html.index("</section>", start)]


def test_the_public_tier_holds_the_estimate_and_the_cost_with_their_dictionaries(published):
    for name in NEW_TABLES:
        for suffix in ("parquet", "csv", "dictionary.csv"):
            assert (published / PUBLIC_DIR / f"{name}.{suffix}").exists(), (name, suffix)
        dictionary = pd.read_csv(published / PUBLIC_DIR / f"{name}.dictionary.csv", keep_default_na=False)
        assert (dictionary["definition"] != "").all(), dictionary[dictionary["definition"] == ""]
    columns = set(pd.read_csv(published / PUBLIC_DIR / "mart_homelessness_estimate.csv").columns)
    assert {"observed_persons", "estimated_persons", "ci_lower", "ci_upper", "chao_lower_bound"} <= columns
    assert not {"poisson_stderr", "deviance", "aic", "bic"} & columns
    manifest = json.loads((published / "manifest.json").read_text())
    listed = {f["path"] for f in manifest["files"]}
    assert {f"public/{n}.dictionary.csv" for n in NEW_TABLES} <= listed


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_section_s_numbers_are_the_public_values_they_name(published, folder, lang):
    html = (folder / f"report-{folder.name}-{lang}.html").read_text(encoding="utf-8")
    found = spans(_section(html)).spans
    tables = {s.get("data-table") for s in found}
    assert {"mart_homeless_flow_yearly", "mart_homeless_point_in_time", *NEW_TABLES} <= tables
    for span in found:
        assert span["data-release"] and span["data-key"]
        expected = assert_printed_as_published(published, span, lang)
        if expected is not None and span["data-kind"] == "count":
            assert not 1 <= expected <= 4, span  # no small count is printed


def test_every_printed_interval_holds_its_estimate(folder):
    html = (folder / f"report-{folder.name}-en.html").read_text(encoding="utf-8")
    found = [
        s
        for s in spans(_section(html)).spans
        if s.get("data-table") == "mart_homelessness_estimate" and "data-value" in s
    ]
    by_year: dict[str, dict[str, float]] = {}
    for s in found:
        by_year.setdefault(json.loads(s["data-key"])["year"], {})[s["data-column"]] = float(s["data-value"])
    assert by_year
    for year, values in by_year.items():
        if "estimated_persons" not in values:  # issue 24: a year below the minimum precision has no estimate
            assert "ci_lower" not in values and "ci_upper" not in values, year
            continue
        assert values["ci_lower"] <= values["estimated_persons"], year
        if "ci_upper" in values:
            assert values["estimated_persons"] <= values["ci_upper"], year
        assert values["observed_persons"] <= values["estimated_persons"], year
        assert all(v % 10 == 0 for c, v in values.items() if c != "observed_persons"), values


def test_the_section_is_in_both_languages_and_the_latvian_pdf(folder):
    from pypdf import PdfReader

    for lang, title in (
        ("lv", "Dzīvošana uz ielas, slēptā bezpajumtniecība un izmaksas"),
        ("en", "Rough sleeping, hidden homelessness and cost"),
    ):
        html = (folder / f"report-{folder.name}-{lang}.html").read_text(encoding="utf-8")
        assert re.search(rf'<li><a href="#{SECTION}">{title}</a></li>', html)  # in the contents
        section = _section(html)
        assert title in section and "<svg" in section and 'data-table-id="homelessness_estimate"' in section
        assert "AIC" in section  # the published method (a model average weighted by AIC) is named
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(folder / f"report-{folder.name}-lv.pdf").pages
    )
    assert "7. Dzīvošana uz ielas, slēptā bezpajumtniecība un izmaksas" in text
    for data in ("rough_sleeping", "homelessness_estimate", "cost_by_item", "cost_per_year"):
        assert (folder / "data" / f"{data}.csv").exists(), data
