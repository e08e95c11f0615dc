"""The provider's plain receipt: `<file>.receipt.md` beside the JSON receipt, in Latvian and English.

The JSON receipt counts quarantined rows per rule; a provider needs to know which lines to fix,
what is wrong with each and how to fix it. This page lists every quarantined line (line number,
rule, column) with an explanation written from the rule and the contract alone: it never quotes a
delivered value (so never a personal code), only column headers, the rule and the contract's
formats and code lists. A rejected file says why; a file no contract claims lists the file-name
patterns the contracts expect. When the delivery checks have run, their results about the file
are listed too.

Built from the receipt dict (as written to `<file>.receipt.json`) and the file's `ingest.quarantine`
rows, so the loader needs no change beyond one call.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

from ingestion.contracts import Contract, all_contracts
from ingestion.receipt_files import JSON_SUFFIX
from ingestion.receipt_files import TEXT_SUFFIX as SUFFIX
from ingestion.rules import human_date_format

MAX_CODES_LISTED = 15


@dataclass(frozen=True)
class QuarantinedLine:
    """One quarantined line as the receipt needs it: no delivered values."""

    line: int
    rule: str
    column: str | None


@dataclass(frozen=True)
class CheckResult:
    """One quality result about the file: rule, tier (block/error/warning) and status."""

    rule: str
    tier: str
    status: str
    rows: str | None = None


#: The receipt's texts (receipt_texts.yaml): per rule, what is wrong and how to fix it, in Latvian and English.
# read at import (the definitions load it): libyaml's safe loader where the wheel has it, ~10x the pure-Python one
TEXTS = yaml.load(
    (Path(__file__).resolve().parent / "receipt_texts.yaml").read_text(encoding="utf-8"),
    Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
)


def _by_rule(section: str, part: str) -> dict[str, tuple[str, str]]:
    """(Latvian, English) of one part ("what" or "fix") of every rule in a section of the texts."""
    return {rule: (t[part]["lv"], t[part]["en"]) for rule, t in TEXTS[section].items()}


def _what_and_fix(section: str) -> dict[str, tuple[str, str, str, str]]:
    """(what is wrong LV, EN, how to fix LV, EN) of every rule in a section of the texts."""
    return {rule: what + _by_rule(section, "fix")[rule] for rule, what in _by_rule(section, "what").items()}


# (Latvian, English) per row rule: what is wrong; and how to fix it. `{col}` is the column's header.
WHAT, FIX = _by_rule("row_rules", "what"), _by_rule("row_rules", "fix")
REJECTED = _what_and_fix("rejected")
STATUS_LV = {"loaded": "ielādēts", "rejected": "noraidīts", "skipped_already_loaded": "izlaists (jau ielādēts)"}
TIER_LV = {"block": "bloķē publicēšanu", "error": "kļūda", "warning": "brīdinājums"}
CHECK_STATUS_LV = {"passed": "izpildīts", "failed": "neizpildīts", "not_evaluated": "nav novērtēts"}


def receipt_path(delivery: Path) -> Path:
    return delivery.with_name(delivery.name + SUFFIX)


def _header(contract: Contract | None, name: str | None) -> str:
    if not name:
        return "?"
    if contract is not None:
        for c in contract.columns:
            if c.name == name or (name == "person_id" and c.type == "personal_code"):
                return f"„{c.header}”"
    return f"„{name}”"


def _fields(contract: Contract | None, column: str | None) -> dict[str, str]:
    col = None
    if contract is not None and column:
        col = next((c for c in contract.columns if c.name == column), None)
    codes = list(col.codes) if col is not None else []
    listed = ", ".join(f"„{c}”" for c in codes[:MAX_CODES_LISTED]) + (" …" if len(codes) > MAX_CODES_LISTED else "")
    low = "" if col is None or col.min is None else f"{col.min:g}"
    high = "" if col is None or col.max is None else f"{col.max:g}"
    return {
        "col": _header(contract, column),
        "date_format": human_date_format(contract.file.date_format) if contract else "DD.MM.YYYY",
        "decimal": contract.file.decimal if contract else ",",
        "codes": listed or "(see the contract)",
        "range": f"{low or '−∞'}…{high or '∞'}",
        "key": ", ".join(_header(contract, k) for k in contract.primary_key) if contract else "?",
        "encoding": contract.file.encoding if contract else "?",
    }


def explain(rule: str, contract: Contract | None, column: str | None) -> tuple[str, str, str, str]:
    """(what is wrong LV, EN, how to fix LV, EN) for one row rule; built from the contract only."""
    f = _fields(contract, column)
    what_lv, what_en = WHAT.get(rule, (rule, rule))
    fix_lv, fix_en = FIX.get(rule, ("skat. līgumu", "see the contract"))
    what_lv, what_en, fix_lv, fix_en = (
        what_lv.format(**f),
        what_en.format(**f),
        fix_lv.format(**f),
        fix_en.format(**f),
    )
    col = next((c for c in contract.columns if c.name == column), None) if contract and column else None
    if rule == "invalid_number" and col is not None:
        return _number_hint(contract, col, what_lv, what_en, fix_lv, fix_en)
    return what_lv, what_en, fix_lv, fix_en


def _number_hint(
    contract: Contract, col, what_lv: str, what_en: str, fix_lv: str, fix_en: str
) -> tuple[str, str, str, str]:
    """A number hint that matches the column's type: a year is a whole number, a decimal names its separator."""
    header = f"„{col.header}”"
    if col.type == "integer":
        what_lv, what_en = f"kolonnā {header} nav vesela skaitļa", f"column {header} is not a whole number"
        example = "1985" if "year" in col.name else "12"
        fix_lv = f"ierakstiet veselu skaitli bez atdalītājiem un atstarpēm (piemēram, {example})"
        fix_en = f"write a whole number without separators or spaces (e.g. {example})"
    elif col.type == "decimal":
        sep = contract.file.decimal
        example = f"12{sep}5"
        fix_lv = f"ierakstiet skaitli; decimāldaļu atdaliet ar „{sep}” (piemēram, {example})"
        fix_en = f"write a number, with „{sep}” before the decimals (e.g. {example})"
    if col.min is not None or col.max is not None:
        low = "" if col.min is None else f"{col.min:g}"
        high = "" if col.max is None else f"{col.max:g}"
        fix_lv += f"; atļauts {low or '−∞'}…{high or '∞'}"
        fix_en += f"; allowed {low or '−∞'}…{high or '∞'}"
    return what_lv, what_en, fix_lv, fix_en


def render(
    receipt: Mapping,
    lines: Sequence[QuarantinedLine],
    checks: Sequence[CheckResult] = (),
    contracts: Mapping[str, Contract] | None = None,
) -> str:
    """The receipt as Markdown: summary, each quarantined line, rejection, quality results."""
    contracts = contracts if contracts is not None else all_contracts()
    contract = contracts.get(receipt.get("source") or "")
    status = receipt.get("status", "")
    out = [
        f"# Kvīts / Receipt: {receipt['file_name']}",
        "",
        f"- Statuss / status: **{STATUS_LV.get(status, status)} / {status}**",
        f"- Avots / source: {contract.title if contract else '—'}",
        f"- Ielādes ID / load id: `{receipt.get('load_id', '')}`; SHA-256 `{receipt.get('file_sha256', '')}`",
        f"- Rindas nolasītas / rows read: {receipt.get('rows_read', 0)}; ielādētas / loaded: "
        f"{receipt.get('rows_loaded', 0)}; karantīnā / quarantined: {receipt.get('rows_quarantined', 0)}",
    ]
    fields = receipt.get("field_issues_by_rule") or {}
    if fields:
        out.append(
            f"- Lauki atzīmēti kā nezināmi (rindas ielādētas) / fields set to unknown (lines loaded): "
            f"{sum(fields.values())}"
        )
    invalid = sum((receipt.get("invalid_personal_codes") or {}).values())
    if invalid:
        out.append(
            f"- Nederīgi personas kodi (rindas ielādētas ar lokālu pseidonīmu) / invalid personal codes "
            f"(lines loaded under a source-local pseudonym): {invalid}"
        )
    out.append("")
    if status == "rejected":
        out += _rejection(receipt, contract, contracts)
    if status == "skipped_already_loaded":
        out += [
            "Šis fails jau tika ielādēts agrāk (tāds pats SHA-256); rindas zemāk ir no tās ielādes.",
            "This file was loaded before (same SHA-256); the lines below are from that load.",
            "",
        ]
    if lines:
        out += [
            "## Karantīnas rindas / Quarantined lines",
            "",
            "Rindas numurs ir faila fiziskā rinda (galvene ir 1. rinda). / "
            "The line number is the file's physical line (the header is line 1).",
            "",
            "| rinda / line | noteikums / rule | kas nepareizi | what is wrong | kā labot | how to fix |",
            "|---:|---|---|---|---|---|",
        ]
        for q in sorted(lines, key=lambda q: (q.line, q.rule)):
            what_lv, what_en, fix_lv, fix_en = explain(q.rule, contract, q.column)
            out.append(f"| {q.line} | `{q.rule}` | {what_lv} | {what_en} | {fix_lv} | {fix_en} |")
        out.append("")
    elif status == "loaded":
        out += ["Visas rindas ielādētas. / Every line was loaded.", ""]
    if receipt.get("field_issues"):  # issue 23: an invalid optional value is set to unknown, the line loads
        out += [
            "## Lauki atzīmēti kā nezināmi / Fields set to unknown",
            "",
            "Rinda ir ielādēta; šī neobligātā lauka vērtība nav derīga, tāpēc tā glabāta kā nezināma. / "
            "The line was loaded; this optional field's value is not valid, so it is stored as unknown.",
            "",
            "| rinda / line | noteikums / rule | kas nepareizi | what is wrong | kā labot | how to fix |",
            "|---:|---|---|---|---|---|",
        ]
        for issue in sorted(receipt["field_issues"], key=lambda i: (i["line"], i["column"])):
            what_lv, what_en, fix_lv, fix_en = explain(issue["rule"], contract, issue["column"])
            out.append(f"| {issue['line']} | `{issue['rule']}` | {what_lv} | {what_en} | {fix_lv} | {fix_en} |")
        out.append("")
    if checks:
        out += [
            "## Kvalitātes pārbaudes par šo failu / Quality checks about this file",
            "",
            "| noteikums / rule | līmenis / tier | rezultāts / result | rindas / rows |",
            "|---|---|---|---|",
        ]
        counted = Counter(checks)  # one row per rule, tier and result (e.g. a rule on several columns)
        for c in sorted(counted, key=lambda c: (c.status == "passed", c.rule)):
            times = f" ×{counted[c]}" if counted[c] > 1 else ""
            out.append(
                f"| `{c.rule}`{times} | {TIER_LV.get(c.tier, c.tier)} / {c.tier} | "
                f"{CHECK_STATUS_LV.get(c.status, c.status)} / {c.status} | {c.rows or ''} |"
            )
        out.append("")
    return "\n".join(out)


def _rejection(receipt: Mapping, contract: Contract | None, contracts: Mapping[str, Contract]) -> list[str]:
    rule = (receipt.get("reason") or "unreadable").split(":")[0]
    what_lv, what_en, fix_lv, fix_en = REJECTED.get(rule, (rule, rule, "skat. līgumu", "see the contract"))
    encoding = contract.file.encoding if contract else "?"
    out = [
        "## Fails noraidīts / File rejected",
        "",
        f"- Noteikums / rule: `{rule}`",
        f"- Kas nepareizi: {what_lv}",
        f"- What is wrong: {what_en}",
        f"- Kā labot: {fix_lv.format(encoding=encoding)}",
        f"- How to fix: {fix_en.format(encoding=encoding)}",
        "",
    ]
    if rule == "no_contract":
        out += [
            "Gaidītie failu nosaukumi / expected file names:",
            "",
            "| paraugs / pattern | avots / source |",
            "|---|---|",
        ]
        out += [f"| `{c.file.pattern}` | {c.title} |" for c in sorted(contracts.values(), key=lambda c: c.file.pattern)]
        out.append("")
    return out


def quarantined_lines(con: duckdb.DuckDBPyConnection, file_sha256: str) -> list[QuarantinedLine]:
    """The file's quarantined lines from its latest load (line, rule, column; never row values)."""
    rows = con.execute(
        """
        SELECT source_row_number, rule, column_name FROM ingest.quarantine
        WHERE load_id = (SELECT max(load_id) FROM ingest.quarantine WHERE file_sha256 = ?)
        ORDER BY 1, 2""",
        [file_sha256],
    ).fetchall()
    return [QuarantinedLine(int(line), rule, column) for line, rule, column in rows]


def write_plain_receipt(
    delivery: Path, con: duckdb.DuckDBPyConnection, checks: Iterable[CheckResult] = ()
) -> Path | None:
    """Write `<file>.receipt.md` from `<file>.receipt.json` and the warehouse; None if no JSON receipt."""
    source = delivery.with_name(delivery.name + JSON_SUFFIX)
    if not source.exists():
        return None
    receipt = json.loads(source.read_text(encoding="utf-8"))
    lines = quarantined_lines(con, receipt["file_sha256"]) if receipt.get("status") != "rejected" else []
    target = receipt_path(delivery)
    try:
        target.write_text(render(receipt, lines, list(checks)), encoding="utf-8")
    except OSError:  # a read-only inbox: the JSON receipt and ingest.quarantine still say it all
        return None
    return target


def write_plain_receipts(
    inbox: Path,
    work_file: Path,
    file_names: Iterable[str],
    checks_by_file: Mapping[str, Sequence[CheckResult]] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> list[Path]:
    """Plain receipts for the named files of the inbox (the one entry point the pipeline calls)."""
    checks_by_file = checks_by_file or {}
    names = [n for n in dict.fromkeys(file_names) if (Path(inbox) / n).exists()]
    if not names:
        return []
    own = con is None
    con = con or duckdb.connect(str(work_file), read_only=True)
    try:
        written = [write_plain_receipt(Path(inbox) / n, con, checks_by_file.get(n, ())) for n in names]
    finally:
        if own:
            con.close()
    return [p for p in written if p is not None]
