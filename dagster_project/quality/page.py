"""The run's quality page: one self-contained HTML file that works offline.

GE's Data Docs load their CSS and scripts from a CDN, so offline they show no styles and no
status. This page is the project's own, built from the same stored outcomes
(`quality.check_results`): every expectation with its stage, tier (block / error / warning), the
limit it was held to, what was observed and its status. The CSS is inline; nothing is fetched.
"""
from __future__ import annotations

import html
from collections.abc import Sequence

from dagster_project.quality.severity import Outcome, tally

STAGES = ("delivery", "staging", "mart")
STATUS_WORD = {"passed": "passed", "failed": "FAILED", "not_evaluated": "not evaluated"}
CSS = """
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1d2433;background:#fff}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:2px solid #dde3ee;padding-bottom:4px}
.meta{color:#5b6478;margin-bottom:16px} .counts span{display:inline-block;margin-right:14px;padding:3px 10px;border-radius:12px}
table{border-collapse:collapse;width:100%;font-size:13px} th,td{border-bottom:1px solid #e6e9f0;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f5f9;position:sticky;top:0} code{font-size:12px;color:#38425a}
.passed{background:#e7f6ec;color:#17643a} .failed{background:#fde8e8;color:#a4161a;font-weight:600}
.not_evaluated{background:#fff6dc;color:#7a5b00} .tier-block{color:#a4161a;font-weight:600} .tier-error{color:#b45309}
.tier-warning{color:#5b6478} td.status{white-space:nowrap;text-align:center;border-radius:4px}
tr.row-failed td{background:#fff8f8} td.carried{color:#5b6478;font-style:italic}
"""


def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def _row(o: Outcome) -> str:
    where = ", ".join(p for p in (o.file_name, o.rows) if p) or ""
    return (f'<tr class="validation row-{o.status}" data-stage="{_e(o.stage)}" data-status="{_e(o.status)}" '
            f'data-tier="{_e(o.severity.value)}" data-carried-from="{_e(o.carried_from or "")}">'
            f"<td>{_e(o.asset)}</td><td><code>{_e(o.rule)}</code><br><small>{_e(o.expectation)}</small></td>"
            f'<td class="tier-{_e(o.severity.value)}">{_e(o.severity.value)}</td>'
            f"<td>{_e(o.extra.get('limit', ''))}</td><td>{_e(o.extra.get('observed', ''))}</td>"
            f'<td class="status {_e(o.status)}">{_e(STATUS_WORD.get(o.status, o.status))}</td>'
            f"<td>{_e(where)}</td><td>{_e(o.detail)}</td>"
            f'<td class="{"carried" if o.carried_from else "fresh"}">{_e(validated_in(o))}</td></tr>')


def validated_in(o: Outcome) -> str:
    """Which run's validation an outcome is: this run, or one it was carried forward from."""
    return f"carried forward from run {o.carried_from}" if o.carried_from else "this run"


def render_page(run_id: str, outcomes: Sequence[Outcome], counts_line: str) -> str:
    """The page as a string: a table per stage, failures first."""
    counts = tally(list(outcomes))
    carried = sum(1 for o in outcomes if o.carried_from)
    parts = ["<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">",
             f"<title>Quality checks, run {_e(run_id)}</title><style>{CSS}</style></head><body>",
             f"<h1>Quality checks</h1><div class=\"meta\">run <code>{_e(run_id)}</code> · {_e(counts_line)}</div>",
             "<div class=\"counts\">"
             f"<span class=\"passed\">{counts['passed']} passed</span>"
             f"<span class=\"not_evaluated\">{counts['warning']} warnings</span>"
             f"<span class=\"failed\">{counts['error']} errors</span>"
             f"<span class=\"failed\">{counts['blocked']} blocked</span></div>",
             "<p class=\"meta\">Tiers: <b>block</b> stops publication; <b>error</b> is published and flagged; "
             "<b>warning</b> is noted. A failed expectation is listed once per file or row it names.</p>",
             f"<p class=\"meta\">{len(outcomes) - carried} validated in this run; {carried} carried forward "
             "from earlier runs (deliveries and years that did not change since they were validated: "
             "their verdicts count as before, and a blocking failure carried forward still blocks).</p>"]
    stages = [s for s in STAGES if any(o.stage == s for o in outcomes)]
    stages += sorted({o.stage for o in outcomes} - set(stages))
    order = {"failed": 0, "not_evaluated": 1, "passed": 2}
    for stage in stages:
        rows = sorted((o for o in outcomes if o.stage == stage),
                      key=lambda o: (order.get(o.status, 3), o.asset, o.rule, o.file_name or ""))
        parts.append(f"<h2 id=\"{_e(stage)}\">{_e(stage)} ({len(rows)} validations)</h2>")
        parts.append("<table><thead><tr><th>asset</th><th>rule / expectation</th><th>tier</th><th>limit</th>"
                     "<th>observed</th><th>status</th><th>file / rows</th><th>detail</th><th>validated</th>"
                     "</tr></thead><tbody>")
        parts += [_row(o) for o in rows]
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)
