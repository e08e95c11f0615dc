"""The provider's receipt as a page to read: `<file>.receipt.html` (and `.receipt.pdf`) beside the JSON.

Latvian first, English under it. A summary by rule comes first (how many lines each rule caught,
what is wrong, how to fix it, the first line numbers), then the personal codes that did not validate
with their line numbers (never the value: the line is loaded under a source-local pseudonym, the
provider finds the line in their own file), the optional fields that were loaded as empty (when the
loader reports them as `field_issues`), every quarantined line, and the delivery checks about the
file. The hints follow the contract's column types: a whole-number column (a birth year) asks for a
whole number, a decimal column for the contract's decimal separator.

Nothing here quotes a delivered value; line numbers, rules, column headers and the contract only.
Rendered with Jinja2 (ingestion/templates/receipt.html.j2); the PDF with WeasyPrint, offline (the
page's CSS is inline and it loads nothing).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ingestion.contracts import Contract, all_contracts
from ingestion.receipt_files import HTML_SUFFIX, PDF_SUFFIX
from ingestion.receipt_text import (
    CHECK_STATUS_LV,
    JSON_SUFFIX,
    REJECTED,
    STATUS_LV,
    TIER_LV,
    CheckResult,
    QuarantinedLine,
    _what_and_fix,
    explain,
    quarantined_lines,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
FIRST_LINES = 12  # line numbers shown per rule in the summary (all of them are in the list below it)

#: Why a personal code did not validate (LV, EN) and what to do (LV, EN).
CODE_REASONS = _what_and_fix("personal_codes")
#: Optional fields loaded as empty (issue 23's `field_issues`): the line is kept, the value is not.
FIELD_NOTE = (
    "Rinda ir ielādēta, bet šī neobligātā lauka vērtība nav derīga un ielādēta kā tukša.",
    "The line was loaded, but this optional field's value was not valid and was loaded as empty.",
)


@dataclass(frozen=True)
class Hint:
    what_lv: str
    what_en: str
    fix_lv: str
    fix_en: str


def hint(rule: str, contract: Contract | None, column: str | None) -> Hint:
    """What is wrong and how to fix it, in both languages, matching the column's type in the contract."""
    return Hint(*explain(rule, contract, column))


def line_ranges(lines: Iterable[int]) -> str:
    """'3, 7–9, 12' for 3, 7, 8, 9, 12: every line, compactly."""
    ordered = sorted(set(lines))
    parts, start, previous = [], None, None
    for line in ordered + [None]:
        if start is not None and line == previous + 1:
            previous = line
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}–{previous}")
        start = previous = line
    return ", ".join(parts)


def _header(contract: Contract | None, name: str | None) -> str:
    if not name:
        return ""
    for c in contract.columns if contract else []:
        if c.name == name or (name == "person_id" and c.type == "personal_code"):
            return c.header
    return name


def invalid_code_lines(
    con: duckdb.DuckDBPyConnection | None, receipt: Mapping, contract: Contract | None
) -> dict[str, list[int]]:
    """reason -> line numbers of the file's personal codes that did not validate, from the raw table
    (the line's status only; the code itself is never read)."""
    if con is None or contract is None or not any(c.type == "personal_code" for c in contract.columns):
        return {}
    table = contract.source
    try:
        exists = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'raw' AND table_name = ? "
            "AND database_name = current_database()",
            [table],
        ).fetchone()[0]
        if not exists:
            return {}
        rows = con.execute(
            f"""
            SELECT person_id_status, _source_row_number FROM raw."{table}"
            WHERE _file_sha256 = ? AND person_id_status NOT IN ('valid')
            ORDER BY 2""",
            [receipt.get("file_sha256")],
        ).fetchall()
    except duckdb.Error:  # a raw table of another shape: the counts in the JSON still say it
        return {}
    found: dict[str, list[int]] = defaultdict(list)
    for status, line in rows:
        found[status].append(int(line))
    return dict(found)


def render_html(
    receipt: Mapping,
    lines: Sequence[QuarantinedLine],
    checks: Sequence[CheckResult] = (),
    code_lines: Mapping[str, list[int]] | None = None,
    contracts: Mapping[str, Contract] | None = None,
) -> str:
    """The receipt page: everything it shows is worked out here; the template only lays it out."""
    contracts = contracts if contracts is not None else all_contracts()
    contract = contracts.get(receipt.get("source") or "")
    status = receipt.get("status", "")
    by_rule: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for q in lines:
        by_rule[(q.rule, q.column)].append(q.line)
    summary = []
    for (rule, column), found in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0][0], kv[0][1] or "")):
        h = hint(rule, contract, column)
        ordered = sorted(found)
        summary.append(
            {
                "rule": rule,
                "column": _header(contract, column),
                "count": len(found),
                "hint": h,
                "first_lines": ", ".join(str(n) for n in ordered[:FIRST_LINES])
                + (" …" if len(ordered) > FIRST_LINES else ""),
            }
        )
    codes_counted = dict(receipt.get("invalid_personal_codes") or {})
    code_lines = dict(code_lines or {})
    codes = []
    for reason in sorted(set(codes_counted) | set(code_lines), key=lambda r: -codes_counted.get(r, 0)):
        texts = CODE_REASONS.get(reason, (reason, reason, "skat. līgumu", "see the contract"))
        codes.append(
            {
                "reason": reason,
                "count": codes_counted.get(reason, len(code_lines.get(reason, []))),
                "what_lv": texts[0],
                "what_en": texts[1],
                "fix_lv": texts[2],
                "fix_en": texts[3],
                "lines": line_ranges(code_lines.get(reason, [])),
            }
        )
    field_issues = []
    for issue in sorted(receipt.get("field_issues") or [], key=lambda i: (i.get("line", 0), i.get("rule", ""))):
        h = hint(issue.get("rule", ""), contract, issue.get("column"))
        field_issues.append(
            {
                "line": issue.get("line"),
                "rule": issue.get("rule"),
                "column": _header(contract, issue.get("column")),
                "hint": h,
            }
        )
    rejected = None
    if status == "rejected":
        rule = (receipt.get("reason") or "unreadable").split(":")[0]
        what_lv, what_en, fix_lv, fix_en = REJECTED.get(rule, (rule, rule, "skat. līgumu", "see the contract"))
        encoding = contract.file.encoding if contract else "?"
        rejected = {
            "rule": rule,
            "what_lv": what_lv,
            "what_en": what_en,
            "fix_lv": fix_lv.format(encoding=encoding),
            "fix_en": fix_en.format(encoding=encoding),
            "patterns": [(c.file.pattern, c.title) for c in sorted(contracts.values(), key=lambda c: c.file.pattern)]
            if rule == "no_contract"
            else [],
        }
    counted = Counter(checks)
    check_rows = [
        {
            "rule": c.rule,
            "times": counted[c],
            "tier_lv": TIER_LV.get(c.tier, c.tier),
            "tier": c.tier,
            "status_lv": CHECK_STATUS_LV.get(c.status, c.status),
            "status": c.status,
            "rows": c.rows or "",
        }
        for c in sorted(counted, key=lambda c: (c.status == "passed", c.rule))
    ]
    quarantined = [
        {
            "line": q.line,
            "rule": q.rule,
            "column": _header(contract, q.column),
            "hint": hint(q.rule, contract, q.column),
        }
        for q in sorted(lines, key=lambda q: (q.line, q.rule))
    ]
    page = {
        "receipt": receipt,
        "status": status,
        "status_lv": STATUS_LV.get(status, status),
        "source_title": contract.title if contract else "—",
        "sender": getattr(contract, "sender", "") if contract else "",
        "numbers": [
            ("Rindas nolasītas", "rows read", receipt.get("rows_read", 0) or 0),
            ("ielādētas", "loaded", receipt.get("rows_loaded", 0) or 0),
            ("karantīnā (nav ielādētas)", "quarantined (not loaded)", receipt.get("rows_quarantined", 0) or 0),
            ("nederīgi personas kodi (ielādētas)", "invalid personal codes (loaded)", sum(codes_counted.values())),
            (
                "lauki ielādēti tukši",
                "fields loaded as empty",
                sum((receipt.get("field_issues_by_rule") or {}).values()) or len(field_issues),
            ),
        ],
        "summary": summary,
        "codes": codes,
        "field_issues": field_issues,
        "field_issues_by_rule": sorted((receipt.get("field_issues_by_rule") or {}).items(), key=lambda kv: -kv[1]),
        "field_note": FIELD_NOTE,
        "rejected": rejected,
        "checks": check_rows,
        "quarantined": quarantined,
    }
    return _environment().get_template("receipt.html.j2").render(**page)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["n"] = lambda value: f"{int(value):,}".replace(",", "\u00a0")  # 2 539 (Latvian grouping)
    return env


def write_pdf(html: str, target: Path) -> Path:
    from weasyprint import HTML

    HTML(string=html, base_url=str(TEMPLATES)).write_pdf(str(target))
    return target


def write_html_receipt(
    delivery: Path, con: duckdb.DuckDBPyConnection | None, checks: Iterable[CheckResult] = (), pdf: bool = False
) -> list[Path]:
    """Write `<file>.receipt.html` (and `.receipt.pdf`) from `<file>.receipt.json` and the warehouse."""
    source = delivery.with_name(delivery.name + JSON_SUFFIX)
    if not source.exists():
        return []
    receipt = json.loads(source.read_text(encoding="utf-8"))
    contract = all_contracts().get(receipt.get("source") or "")
    lines = (
        quarantined_lines(con, receipt["file_sha256"])
        if con is not None and receipt.get("status") != "rejected"
        else []
    )
    html = render_html(receipt, lines, list(checks), invalid_code_lines(con, receipt, contract))
    written = []
    try:
        target = delivery.with_name(delivery.name + HTML_SUFFIX)
        target.write_text(html, encoding="utf-8")
        written.append(target)
        if pdf:
            written.append(write_pdf(html, delivery.with_name(delivery.name + PDF_SUFFIX)))
    except OSError:  # a read-only inbox: the JSON receipt and ingest.quarantine still say it all
        return written
    return written


def write_html_receipts(
    inbox: Path,
    work_file: Path | None,
    file_names: Iterable[str],
    checks_by_file: Mapping[str, Sequence[CheckResult]] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    pdf: bool = False,
) -> list[Path]:
    """HTML (and PDF) receipts for the named files of the inbox; the pipeline calls it beside the Markdown."""
    checks_by_file = checks_by_file or {}
    names = [n for n in dict.fromkeys(file_names) if (Path(inbox) / n).exists()]
    if not names:
        return []
    own = con is None and work_file is not None and Path(work_file).exists()
    con = duckdb.connect(str(work_file), read_only=True) if own else con
    try:
        return [p for n in names for p in write_html_receipt(Path(inbox) / n, con, checks_by_file.get(n, ()), pdf)]
    finally:
        if own:
            con.close()
