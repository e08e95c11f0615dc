"""The run's quality page: one self-contained HTML file that works offline.

Built from the stored outcomes (`quality.check_results`): every Great Expectations expectation with
its stage, tier (block / error / warning), the limit it was held to, what was observed and its
status; then every dbt test the run's dbt build ran (from Dagster's asset check evaluations of the
run). Values are formatted for reading (shares as percentages, numbers rounded, "files" where the
validated rows are delivered files), and the page fits a 1,280 px screen. The CSS is inline;
nothing is fetched. (GE's own Data Docs are built beside it, with their scripts shipped locally.)
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from homeless_monitor.quality.severity import Outcome, tally

STAGES = ("delivery", "staging", "mart")
STATUS_WORD = {"passed": "passed", "failed": "FAILED", "not_evaluated": "not evaluated"}
CSS = """
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;padding:20px 24px;max-width:1232px;
color:#1d2433;background:#fff}
table{table-layout:fixed} td,th{overflow-wrap:break-word} small,code{overflow-wrap:anywhere} small{color:#5b6478}
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


_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?(?![\w.])")
_ROWS_OUTSIDE = re.compile(r"^(\d+) of (\d+) rows outside$")


def number(value: float) -> str:
    """12345.0 -> '12,345'; 2024.0 -> '2024' (below 10,000 ungrouped: years stay years); 0.0416666 -> '0.0417'."""
    if float(value).is_integer():
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.1f}"


def percent(value: float) -> str:
    """A share as a percentage: 0.0416666 -> '4.2 %', 0.02 -> '2 %', 0.0 -> '0 %'."""
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{'0' if text == '-0' else text} %"


def is_share(o: Outcome) -> bool:
    return "share" in o.rule or "share" in o.expectation


def readable(text: str, o: Outcome, shares: bool = True) -> str:
    """A limit or an observed value as a reader wants it: shares as percentages, other numbers rounded
    and grouped, and 'files' where the rows the expectation validated are delivered files."""
    text = "" if text is None else str(text)
    same = re.fullmatch(r"between (\S+) and \1", text)
    if same:  # "between 0 and 0": nothing may be outside
        text = f"exactly {same.group(1)}"
    counted = _ROWS_OUTSIDE.match(text)
    if counted:
        unit = "file" if o.stage == "delivery" or "files_validated" in o.extra else "row"
        outside, total = int(counted.group(1)), int(counted.group(2))
        return f"{outside:,} of {total:,} {unit}{'s' if total != 1 else ''} outside"
    share = shares and is_share(o)

    def one(match: re.Match) -> str:
        token = match.group(0)
        value = float(token)
        if share:
            return percent(value)
        return number(value)

    return _NUMBER.sub(one, text)


def _row(o: Outcome) -> str:
    where = ", ".join(p for p in (o.file_name, o.rows) if p) or ""
    return (
        f'<tr class="validation row-{o.status}" data-stage="{_e(o.stage)}" data-status="{_e(o.status)}" '
        f'data-tier="{_e(o.severity.value)}" data-carried-from="{_e(o.carried_from or "")}">'
        f"<td>{_e(o.asset)}</td><td><code>{_e(o.rule)}</code><br><small>{_e(o.expectation)}</small></td>"
        f'<td class="tier-{_e(o.severity.value)}">{_e(o.severity.value)}</td>'
        f"<td>{_e(readable(o.extra.get('limit', ''), o))}</td><td>{_e(readable(o.extra.get('observed', ''), o))}</td>"
        f'<td class="status {_e(o.status)}">{_e(STATUS_WORD.get(o.status, o.status))}</td>'
        f"<td>{_e(where)}</td><td>{_e(readable(o.detail, o, shares=False))}</td>"
        f'<td class="{"carried" if o.carried_from else "fresh"}">{_e(validated_in(o))}</td></tr>'
    )


def validated_in(o: Outcome) -> str:
    """Which run's validation an outcome is: this run, or one it was carried forward from."""
    return f"carried forward from run {o.carried_from}" if o.carried_from else "this run"


@dataclass(frozen=True)
class DbtTest:
    """One dbt test the run's dbt build ran, as Dagster recorded it (an asset check of the model)."""

    model: str  # the asset, e.g. marts/mart_oecd_hc31
    name: str  # dbt's test name
    passed: bool
    severity: str  # ERROR (blocks what is downstream) or WARN
    failing_rows: int | None = None

    @property
    def kind(self) -> str:
        for prefix in (
            "not_null",
            "unique",
            "accepted_values",
            "relationships",
            "expression_is_true",
            "unique_combination_of_columns",
            "accepted_range",
            "assert",
        ):
            if prefix in self.name:
                return prefix
        return "data test"


def _dbt_section(tests: Sequence[DbtTest]) -> list[str]:
    failed = sum(not t.passed for t in tests)
    parts = [
        f'<h2 id="dbt">dbt tests ({len(tests):,} run in this run\'s dbt build: {failed:,} failed)</h2>',
        '<p class="meta">Schema, data and unit tests of the dbt models, as dbt ran them during the build '
        "(a model not rebuilt in this run is not tested again). A failed test of severity ERROR stops what "
        "is downstream of its model; WARN is noted.</p>",
        '<table><colgroup><col style="width:24%"><col style="width:14%"><col style="width:42%">'
        '<col style="width:8%"><col style="width:12%"></colgroup><thead><tr><th>model</th><th>test</th>'
        "<th>name</th><th>severity</th><th>status</th></tr></thead><tbody>",
    ]
    for t in tests:
        status = "passed" if t.passed else "failed"
        failing = "" if t.passed or t.failing_rows is None else f" ({t.failing_rows:,} rows)"
        parts.append(
            f'<tr class="dbt-test row-{status}" data-status="{status}"><td>{_e(t.model)}</td>'
            f"<td>{_e(t.kind)}</td><td><small>{_e(t.name)}</small></td><td>{_e(t.severity)}</td>"
            f'<td class="status {status}">{_e(STATUS_WORD[status])}{_e(failing)}</td></tr>'
        )
    parts.append("</tbody></table>")
    return parts


def render_page(
    run_id: str, outcomes: Sequence[Outcome], counts_line: str, dbt_tests: Sequence[DbtTest] | None = None
) -> str:
    """The page as a string: a table per stage, failures first, then the dbt tests."""
    counts = tally(list(outcomes))
    carried = sum(1 for o in outcomes if o.carried_from)
    parts = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        f"<title>Quality checks, run {_e(run_id)}</title><style>{CSS}</style></head><body>",
        f'<h1>Quality checks</h1><div class="meta">run <code>{_e(run_id)}</code> · {_e(counts_line)}</div>',
        '<div class="counts">'
        f'<span class="passed">{counts["passed"]} passed</span>'
        f'<span class="not_evaluated">{counts["warning"]} warning{"s" if counts["warning"] != 1 else ""}</span>'
        f'<span class="failed">{counts["error"]} error{"s" if counts["error"] != 1 else ""}</span>'
        f'<span class="failed">{counts["blocked"]} blocked</span></div>',
        '<p class="meta">Tiers: <b>block</b> stops publication; <b>error</b> is published and flagged; '
        "<b>warning</b> is noted. A failed expectation is listed once per file or row it names.</p>",
        f'<p class="meta">{len(outcomes) - carried} validated in this run; {carried} carried forward '
        "from earlier runs (deliveries and years that did not change since they were validated: "
        "their verdicts count as before, and a blocking failure carried forward still blocks).</p>",
    ]
    stages = [s for s in STAGES if any(o.stage == s for o in outcomes)]
    stages += sorted({o.stage for o in outcomes} - set(stages))
    order = {"failed": 0, "not_evaluated": 1, "passed": 2}
    for stage in stages:
        rows = sorted(
            (o for o in outcomes if o.stage == stage),
            key=lambda o: (order.get(o.status, 3), o.asset, o.rule, o.file_name or ""),
        )
        parts.append(f'<h2 id="{_e(stage)}">{_e(stage)} ({len(rows)} validations)</h2>')
        parts.append(
            '<table><colgroup><col style="width:13%"><col style="width:17%">'
            '<col style="width:6%"><col style="width:11%"><col style="width:10%">'
            '<col style="width:7%"><col style="width:13%"><col style="width:15%">'
            '<col style="width:8%"></colgroup>'
            "<thead><tr><th>asset</th><th>rule / expectation</th><th>tier</th><th>limit</th>"
            "<th>observed</th><th>status</th><th>file / rows</th><th>detail</th><th>validated</th>"
            "</tr></thead><tbody>"
        )
        parts += [_row(o) for o in rows]
        parts.append("</tbody></table>")
    if dbt_tests is not None:
        parts += _dbt_section(dbt_tests)
    parts.append("</body></html>")
    return "\n".join(parts)
