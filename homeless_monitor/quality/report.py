"""The quality report of a run: every outcome so far, as JSON and a short Markdown page that links
the Data Docs. Rewritten after each stage, so a run stopped early still leaves its report."""

from __future__ import annotations

import json
from pathlib import Path

from homeless_monitor.quality.page import render_page
from homeless_monitor.quality.severity import Outcome, tally


def summary_line(counts: dict[str, int]) -> str:
    return (
        f"{counts['passed']} passed, {counts['warning']} warnings, {counts['error']} errors, "
        f"{counts['blocked']} blocked"
    )


def write_report(
    quality_dir: Path, run_id: str, outcomes: list[Outcome], data_docs: Path | None, dbt_tests: list | None = None
) -> Path:
    reports = quality_dir / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    counts = tally(outcomes)
    (reports / f"{run_id}.json").write_text(
        json.dumps(
            {
                "run_id": run_id,
                "summary": counts,
                "data_docs": str(data_docs) if data_docs else None,
                "outcomes": [o.as_record() for o in outcomes],
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    lines = [f"# Quality report, run {run_id}", "", summary_line(counts), ""]
    page = render_page(run_id, outcomes, summary_line(counts), dbt_tests)
    (reports / f"{run_id}.html").write_text(page, encoding="utf-8")
    (reports / "latest.html").write_text(page, encoding="utf-8")
    lines += [f"Quality page (works offline): [{run_id}.html]({run_id}.html)", ""]
    if data_docs:
        lines += [f"Great Expectations Data Docs (work offline): [{data_docs}]({data_docs.as_uri()})", ""]
    if dbt_tests:
        failed = [t for t in dbt_tests if not t.passed]
        lines += [f"dbt tests run in this run: {len(dbt_tests):,}, failed {len(failed):,}", ""]
        lines += [f"- {t.severity} {t.model}: {t.name}" for t in failed] + ([""] if failed else [])
    for tier in ("blocked", "error", "warning"):
        hits = [o for o in outcomes if o.tier() == tier]
        if hits:
            lines += [f"## {tier} ({len(hits)})", ""] + [f"- {o.line()}" for o in hits] + [""]
    path = reports / f"{run_id}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    (reports / "latest.md").write_text("\n".join(lines), encoding="utf-8")
    return path
