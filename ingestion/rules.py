"""Row rules derived from a contract, as SQL over the delivered strings.

Each rule yields a (rule, column) pair per row; a row gets the first failing rule in
`RULE_ORDER`, so a fault has one unambiguous name on the quarantine table and the receipt.
Personal-code faults are not row rules: such rows load under a source-local pseudonym.

Field-level issues (issue 23): a rule about one value alone (`FIELD_RULES`) that fails on an
optional column (`field_level_columns`: not required, not part of the key, not a date a row rule
compares) does not quarantine the row. The field is set to null (unknown, as registers record
"data not collected") and the issue is written to `ingest.field_issues` with file, line, column,
rule and a reason that does not quote the value. A required field, a repeated row or key and a
contradiction between two fields (`date_order`) still quarantine the whole row. The dates a row
rule compares stay row-level because their null has a meaning (an end date left empty = the stay
is still open), except an end date whose rule is marked `unknown_end` (shelter check-out, hospital
discharge, prison release, Housing First move-in, exit and tenancy end): a broken one is set to unknown
with a field issue, and dbt staging flags the record (`*_unknown`) so no consumer reads it as open
(dbt doc `end_date_unknown`: a stay counts its first day only; a Housing First follow-up is censored or
not computable). An implausible field-level date is not compared by `date_order` (it is unknown).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from ingestion.contracts import Column, Contract

RULE_ORDER = (
    "duplicate_row",  # identical to an earlier row of the same file (the first copy loads)
    "missing_required",  # a required column is empty
    "invalid_characters",  # a control character (NUL, …) in a value: a binary or broken export
    "value_too_long",  # a text value longer than the column's max_length
    "invalid_date",  # does not parse with the contract's date format
    "invalid_number",  # integer/decimal that does not parse
    "invalid_boolean",  # not jā/nē
    "unknown_code",  # not in the contract's code list
    "out_of_range",  # outside the contract's min/max
    "implausible_date",  # a date outside the contract's plausible_dates (e.g. a stay in 1850 or 9999)
    "date_order",  # a row rule's later date before its earlier date
    "duplicate_key",  # primary key of an earlier loaded row, different content
)
#: rules that judge one value alone: on a field-level (optional) column they null the field, the row loads
FIELD_RULES = frozenset(
    {
        "invalid_characters",
        "value_too_long",
        "invalid_date",
        "invalid_number",
        "invalid_boolean",
        "unknown_code",
        "out_of_range",
        "implausible_date",
    }
)
FILE_RULES = ("empty_file", "missing_columns", "wrong_encoding", "unreadable", "no_contract")

INTEGER_PATTERN = r"^[+-]?\d+$"
#: Control characters other than tab, line feed and carriage return (RE2 syntax).
CONTROL_CHARACTERS = r"[\x{0}-\x{8}\x{b}\x{c}\x{e}-\x{1f}\x{7f}]"
#: At most this many characters of a delivered value are quoted in a quarantine reason.
QUOTED_CHARACTERS = 40
_STRFTIME_TO_HUMAN = {"%d": "DD", "%m": "MM", "%Y": "YYYY", "%y": "YY"}


def sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def human_date_format(date_format: str) -> str:
    return re.sub("|".join(map(re.escape, _STRFTIME_TO_HUMAN)), lambda m: _STRFTIME_TO_HUMAN[m.group(0)], date_format)


def decimal_pattern(decimal: str) -> str:
    return r"^[+-]?\d+(" + re.escape(decimal) + r"\d+)?$"


def typed_expression(column: Column, contract: Contract) -> str:
    """SQL turning the delivered string into the raw table's typed value (NULL if it does not parse)."""
    v = quoted(column.name)
    fmt = contract.file
    if column.type == "date":
        return f"CAST(try_strptime({v}, {sql_literal(fmt.date_format)}) AS DATE)"
    if column.type == "integer":
        return f"CASE WHEN regexp_full_match({v}, {sql_literal(INTEGER_PATTERN)}) THEN TRY_CAST({v} AS BIGINT) END"
    if column.type == "decimal":
        normalised = f"replace({v}, {sql_literal(fmt.decimal)}, '.')" if fmt.decimal != "." else v
        return (
            f"CASE WHEN regexp_full_match({v}, {sql_literal(decimal_pattern(fmt.decimal))}) "
            f"THEN TRY_CAST({normalised} AS DECIMAL(18,4)) END"
        )
    if column.type == "boolean":
        return f"CASE lower({v}) WHEN 'jā' THEN true WHEN 'ja' THEN true WHEN 'nē' THEN false WHEN 'ne' THEN false END"
    return v


def _quoted_value(column: Column) -> str:
    """SQL quoting a delivered value in a reason, cut at QUOTED_CHARACTERS (codes are masked by then)."""
    v = quoted(column.name)
    return f"CASE WHEN length({v}) > {QUOTED_CHARACTERS} THEN left({v}, {QUOTED_CHARACTERS}) || '…' ELSE {v} END"


def _failures(
    contract: Contract, delivered_on: dt.date | None = None, typed: Callable[[Column], str] | None = None
) -> list[tuple[str, str, str, str]]:
    """(rule, column, SQL condition that is true when the row fails, reason SQL) in rule order.

    `typed(column)` is the SQL of the column's typed value in conditions; by default the parse
    itself (`typed_expression`), or a column the caller computed once per row.
    """
    fmt = contract.file
    delivered_on = delivered_on or dt.date.today()
    typed_sql = typed or (lambda c: typed_expression(c, contract))  # noqa: E731
    checks: list[tuple[str, str, str, str]] = []
    for c in contract.columns:
        if c.required:
            checks.append(
                (
                    "missing_required",
                    c.name,
                    f"{quoted(c.name)} IS NULL",
                    sql_literal(f"required column '{c.header}' is empty"),
                )
            )
    for c in contract.columns:
        if c.type != "personal_code":  # a broken code loads under a source-local pseudonym
            checks.append(
                (
                    "invalid_characters",
                    c.name,
                    f"regexp_matches({quoted(c.name)}, {sql_literal(CONTROL_CHARACTERS)})",
                    sql_literal(f"'{c.header}' contains a control character (a binary or broken export)"),
                )
            )
    for c in contract.columns:
        if c.type in {"string", "code"}:
            checks.append(
                (
                    "value_too_long",
                    c.name,
                    f"length({quoted(c.name)}) > {c.max_length}",
                    f"{sql_literal(repr(c.header) + ' is ')} || length({quoted(c.name)}) || "
                    f"{sql_literal(f' characters long (at most {c.max_length})')}",
                )
            )
    value_reason = lambda c, text: (  # noqa: E731 - small local formatter
        f"{sql_literal(f'{c.header!r} = ')} || '''' || {_quoted_value(c)} || '''' || {sql_literal(' ' + text)}"
    )
    for rule, types in (
        ("invalid_date", {"date"}),
        ("invalid_number", {"integer", "decimal"}),
        ("invalid_boolean", {"boolean"}),
    ):
        for c in contract.columns:
            if c.type in types:
                expected = {
                    "date": f"is not a date in {human_date_format(fmt.date_format)}",
                    "integer": "is not a whole number",
                    "decimal": f"is not a number (decimal separator '{fmt.decimal}')",
                    "boolean": "is not jā/nē",
                }[c.type]
                checks.append(
                    (
                        rule,
                        c.name,
                        f"{quoted(c.name)} IS NOT NULL AND {typed_sql(c)} IS NULL",
                        value_reason(c, expected),
                    )
                )
    for c in contract.columns:
        if c.type == "code":
            allowed = ", ".join(sql_literal(k) for k in c.codes)
            checks.append(
                (
                    "unknown_code",
                    c.name,
                    f"{quoted(c.name)} IS NOT NULL AND {quoted(c.name)} NOT IN ({allowed})",
                    value_reason(c, "is not in the code list"),
                )
            )
    for c in contract.columns:
        if c.type in {"integer", "decimal"} and (c.min is not None or c.max is not None):
            typed = typed_sql(c)
            bounds = []
            if c.min is not None:
                bounds.append(f"{typed} < {c.min}")
            if c.max is not None:
                bounds.append(f"{typed} > {c.max}")
            checks.append(
                (
                    "out_of_range",
                    c.name,
                    f"({' OR '.join(bounds)})",
                    value_reason(
                        c, f"is outside {c.min if c.min is not None else '-∞'}..{c.max if c.max is not None else '∞'}"
                    ),
                )
            )
    latest = _years_later(delivered_on, contract.plausible_dates.years_after_delivery)
    for c in contract.columns:
        if c.type == "date":
            earliest = contract.plausible_dates.earliest_for(c.name)
            typed = typed_sql(c)
            checks.append(
                (
                    "implausible_date",
                    c.name,
                    f"({typed} < DATE '{earliest.isoformat()}' OR {typed} > DATE '{latest.isoformat()}')",
                    value_reason(c, f"is outside the plausible dates {earliest:%d.%m.%Y}..{latest:%d.%m.%Y}"),
                )
            )
    fields = field_level_columns(contract)
    for r in contract.row_rules:
        first, then = contract.column(r.first), contract.column(r.then)
        # a field-level date that is implausible is set to unknown (its own field issue): it is not compared
        plausible = "".join(
            f" AND {typed_sql(c)} BETWEEN DATE '{contract.plausible_dates.earliest_for(c.name).isoformat()}' "
            f"AND DATE '{latest.isoformat()}'"
            for c in (first, then)
            if c.name in fields
        )
        checks.append(
            (
                "date_order",
                then.name,
                f"{typed_sql(then)} < {typed_sql(first)}{plausible}",
                sql_literal(f"'{then.header}' is before '{first.header}'"),
            )
        )
    return checks


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def row_checks(
    contract: Contract, delivered_on: dt.date | None = None, typed: Callable[[Column], str] | None = None
) -> list[tuple[str, str, str, str]]:
    """Rules 2-11 as (rule, column, failing condition, reason SQL), in RULE_ORDER; see `_failures`."""
    return _failures(contract, delivered_on, typed)


def rule_index_sql(checks: list[tuple[str, str, str, str]]) -> str:
    """The index in `checks` of a row's first failing check (NULL: none fails), evaluated once per row.

    Rule name, column and reason follow from the index, so no condition is evaluated twice.
    """
    if not checks:
        return "CAST(NULL AS INTEGER)"
    return "CASE " + " ".join(f"WHEN {cond} THEN {i}" for i, (_, _, cond, _) in enumerate(checks)) + " END"


def rule_reason_sql(checks: list[tuple[str, str, str, str]], index: str) -> str:
    """The reason of check number `index`: meant for the few failing rows only."""
    if not checks:
        return "CAST(NULL AS VARCHAR)"
    return f"CASE {index} " + " ".join(f"WHEN {i} THEN {reason}" for i, (_, _, _, reason) in enumerate(checks)) + " END"


def field_level_columns(contract: Contract) -> frozenset[str]:
    """Columns whose invalid value is set to null with a field issue instead of quarantining the row:
    optional, not the personal code, not part of the primary key, not a date a row rule compares unless
    it is the end date of a rule marked `unknown_end` (dbt doc `end_date_unknown` says how each measure reads
    such a record: a stay counts its first day only, a Housing First move-in or exit makes the follow-up not
    computable or censored)."""
    unknown_ends = {r.then for r in contract.row_rules if r.unknown_end}
    strict_ends = {r.then for r in contract.row_rules if not r.unknown_end}
    # an unknown_end date that is also the start of another rule (Housing First move-in: after the referral,
    # before the exit) is field-level too: set to unknown, it leaves that rule's comparison unknown, never broken
    compared = ({r.first for r in contract.row_rules} - unknown_ends) | strict_ends
    return frozenset(
        c.name
        for c in contract.columns
        if not c.required
        and c.type != "personal_code"
        and c.name not in contract.primary_key
        and c.name not in compared
    )


def split_checks(
    contract: Contract, checks: list[tuple[str, str, str, str]]
) -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str, str, str]]]:
    """(row-level checks, field-level checks), each in rule order: see the module docstring."""
    fields = field_level_columns(contract)
    is_field = [rule in FIELD_RULES and column in fields for rule, column, _, _ in checks]
    return ([c for c, f in zip(checks, is_field) if not f], [c for c, f in zip(checks, is_field) if f])


def field_issue_reason(contract: Contract, rule: str, column_name: str, delivered_on: dt.date | None = None) -> str:
    """The reason of a field issue, without the delivered value (it is not kept anywhere)."""
    c = contract.column(column_name)
    fmt = contract.file
    what = {
        "invalid_characters": "contains a control character (a binary or broken export)",
        "value_too_long": f"is longer than {c.max_length} characters",
        "invalid_date": f"is not a date in {human_date_format(fmt.date_format)}",
        "invalid_number": (
            "is not a whole number" if c.type == "integer" else f"is not a number (decimal separator '{fmt.decimal}')"
        ),
        "invalid_boolean": "is not jā/nē",
        "unknown_code": "is not in the code list",
        "out_of_range": (f"is outside {c.min if c.min is not None else '-∞'}..{c.max if c.max is not None else '∞'}"),
    }
    if rule == "implausible_date":
        latest = _years_later(delivered_on or dt.date.today(), contract.plausible_dates.years_after_delivery)
        earliest = contract.plausible_dates.earliest_for(c.name)
        text = f"is outside the plausible dates {earliest:%d.%m.%Y}..{latest:%d.%m.%Y}"
    else:
        text = what[rule]
    return f"{c.header!r} {text}; set to unknown, the row loaded"
