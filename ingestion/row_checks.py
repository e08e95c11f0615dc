"""The row rules over one delivery, in as few passes over its rows as the rules allow.

Produces two in-memory tables the loader writes from:

- `checked`: every delivered row once, already typed as its raw table wants it (the personal
  code replaced by the pseudonym columns), with `_line` and `_rule_no`, the index of the first
  failing check of rules 2-11 (`rules.row_checks`; NULL when none fails). Each typed value is
  parsed once and each condition evaluated once per row.
- `quarantined`: the few rows that do not load, with their rule, column, reason and values.
- `field_issues`: per loaded row and optional column whose value failed a rule about that value
  alone, the rule and a reason without the value; the field is null in `checked` (issue 23,
  `rules.field_level_columns`). `_rule_no` counts only the row-level checks.

Rule 1 (a row identical to an earlier one) and rule 12 (a key already on an earlier line) can
only hit rows whose key occurs more than once, since identical rows have identical keys. So one
aggregate over the key finds those rows; only they are compared column by column and numbered by
key, and when the key is unique (the usual case) neither window runs at all.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from ingestion.contracts import Column, Contract
from ingestion.rules import (
    CONTROL_CHARACTERS,
    field_issue_reason,
    quoted,
    row_checks,
    rule_index_sql,
    rule_reason_sql,
    split_checks,
    sql_literal,
    typed_expression,
)

TYPED_TYPES = {"date", "integer", "decimal", "boolean"}  # the types whose raw value is not the delivered string
PERSON_COLUMNS = ("person_id", "person_id_status", "birth_year_from_code")


def _typed_name(column: Column) -> str:
    return quoted("_t_" + column.name) if column.type in TYPED_TYPES else quoted(column.name)


def _key_name(contract: Contract, name: str) -> str:
    """The column of `checked` that holds a key column as delivered (personal code: the pseudonym)."""
    column = contract.column(name)
    if column.type == "personal_code":
        return "person_id"
    return quoted("_k_" + name) if column.type in TYPED_TYPES else quoted(name)


def _replaced(contract: Contract) -> tuple[str, str]:
    """SELECT list and join of the delivered rows with the code column replaced by its pseudonym."""
    pc = contract.personal_code_column
    if pc is None:
        return "d.*", ""
    return (
        f"d.* REPLACE (m.person_id AS {quoted(pc.name)}), m.person_id, m.person_id_status, m.birth_year_from_code",
        f"LEFT JOIN code_map_t m ON d.{quoted(pc.name)} = m.raw_code",
    )


def check_rows(con: duckdb.DuckDBPyConnection, contract: Contract, delivered_on: dt.date) -> None:
    """Create `checked` and `quarantined` from view `delivered` (and `code_map_t` if the source has codes)."""
    checks = row_checks(contract, delivered_on, typed=_typed_name)
    select, join = _replaced(contract)
    typed = [f"{typed_expression(c, contract)} AS {_typed_name(c)}" for c in contract.columns if c.type in TYPED_TYPES]
    texts = [quoted(c.name) for c in contract.columns if c.type != "personal_code"]
    if texts:  # one search per row for a control character; the per-column search runs only on rows that have one
        typed.append(
            f"regexp_matches(concat_ws(chr(10), {', '.join(texts)}), {sql_literal(CONTROL_CHARACTERS)}) AS _has_control"
        )
        checks = [
            (rule, column, f"_has_control AND {condition}" if rule == "invalid_characters" else condition, reason)
            for rule, column, condition, reason in checks
        ]
    row_level, field_level = split_checks(contract, checks)
    # per field-level column: the index in `field_level` of its first failing check (NULL: the value is fine)
    field_index = {}
    for i, (_, column, condition, _) in enumerate(field_level):
        field_index.setdefault(column, []).append(f"WHEN {condition} THEN {i}")
    flags = [f"CASE {' '.join(whens)} END AS {_field_flag(column)}" for column, whens in field_index.items()]
    outputs = []
    for c in contract.columns:
        if c.type == "personal_code":
            outputs += PERSON_COLUMNS
            continue
        value = _typed_name(c) if c.type in TYPED_TYPES else quoted(c.name)
        if c.name in field_index:  # an invalid optional value loads as null (unknown)
            value = f"CASE WHEN {_field_flag(c.name)} IS NULL THEN {value} END"
        outputs.append(f"{value} AS {quoted(c.name)}")
    outputs += [
        f"{quoted(k)} AS {_key_name(contract, k)}"
        for k in contract.primary_key
        if contract.column(k).type in TYPED_TYPES
    ]
    con.execute(f"""
        CREATE TABLE checked AS
        SELECT _line, {", ".join(outputs)}, _rule_no{"".join(", " + _field_flag(c) for c in field_index)}
        FROM (SELECT *, {rule_index_sql(row_level)} AS _rule_no{"".join(", " + f for f in flags)}
              FROM (SELECT {select}{"".join(", " + t for t in typed)} FROM delivered d {join}))""")
    _repeated_rows(con, contract)
    _quarantined(con, contract, row_level)
    _field_issues(con, contract, field_level, list(field_index), delivered_on)


def _field_flag(column: str) -> str:
    return quoted("_f_" + column)


def _field_issues(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    field_level: list[tuple[str, str, str, str]],
    columns: list[str],
    delivered_on: dt.date,
) -> None:
    """Table `field_issues` (_line, _rule, _rule_column, _reason): the nulled fields of the rows that load."""
    if not columns:
        con.execute("CREATE TABLE field_issues (_line BIGINT, _rule VARCHAR, _rule_column VARCHAR, _reason VARCHAR)")
        return
    names = "[" + ", ".join(sql_literal(rule) for rule, _, _, _ in field_level) + "]"
    reasons = (
        "["
        + ", ".join(
            sql_literal(field_issue_reason(contract, rule, column, delivered_on)) for rule, column, _, _ in field_level
        )
        + "]"
    )
    any_flag = " OR ".join(f"{_field_flag(c)} IS NOT NULL" for c in columns)
    per_column = " UNION ALL ".join(
        f"SELECT _line, {names}[{_field_flag(c)} + 1], {sql_literal(c)}, {reasons}[{_field_flag(c)} + 1] "
        f"FROM hit WHERE {_field_flag(c)} IS NOT NULL"
        for c in columns
    )
    con.execute(f"""
        CREATE TABLE field_issues AS
        WITH hit AS (
            SELECT _line, {", ".join(_field_flag(c) for c in columns)} FROM checked
            WHERE _rule_no IS NULL AND ({any_flag}) AND _line NOT IN (SELECT _line FROM repeated)
        ), issues (_line, _rule, _rule_column, _reason) AS ({per_column})
        SELECT * FROM issues ORDER BY _line, _rule_column""")


def _repeated_rows(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    """Table `repeated` (_line, _rule, _rule_column, _reason): rows failing rule 1 or rule 12."""
    keys = [_key_name(contract, k) for k in contract.primary_key]
    key_list = ", ".join(keys)
    con.execute(f"""
        CREATE TABLE key_rows AS
        SELECT c._line, c._rule_no, {", ".join("c." + k for k in keys)}
        FROM checked c SEMI JOIN (SELECT {key_list} FROM checked GROUP BY ALL HAVING count(*) > 1) k
             ON {" AND ".join(f"c.{k} IS NOT DISTINCT FROM k.{k}" for k in keys)}""")
    if con.execute("SELECT count(*) FROM key_rows").fetchone()[0] == 0:
        con.execute("CREATE TABLE repeated (_line BIGINT, _rule VARCHAR, _rule_column VARCHAR, _reason VARCHAR)")
        con.execute("DROP TABLE key_rows")
        return
    delivered = ", ".join(f"d.{quoted(c.name)}" for c in contract.columns)  # as delivered: the raw code too
    key_text = " || '/' || ".join(f"coalesce({k}, '')" for k in keys)
    con.execute(f"""
        CREATE TABLE repeated AS
        WITH copies AS (
            SELECT k.*, row_number() OVER (PARTITION BY {delivered} ORDER BY d._line) AS _copy,
                   min(d._line) OVER (PARTITION BY {delivered}) AS _first_line
            FROM key_rows k JOIN (SELECT * FROM delivered WHERE _line IN (SELECT _line FROM key_rows)) d
                 ON d._line = k._line
        ), keyed AS (
            SELECT *, row_number() OVER (PARTITION BY {key_list} ORDER BY _line) AS _key_copy,
                   min(_line) OVER (PARTITION BY {key_list}) AS _key_first
            FROM copies WHERE _copy = 1 AND _rule_no IS NULL
        )
        SELECT _line, 'duplicate_row' AS _rule, CAST(NULL AS VARCHAR) AS _rule_column,
               'identical to line ' || _first_line AS _reason
        FROM copies WHERE _copy > 1
        UNION ALL
        SELECT _line, 'duplicate_key', {sql_literal(contract.primary_key[0])},
               'primary key ' || {key_text} || ' already on line ' || _key_first
        FROM keyed WHERE _key_copy > 1""")
    con.execute("DROP TABLE key_rows")


def _quarantined(con: duckdb.DuckDBPyConnection, contract: Contract, checks: list[tuple[str, str, str, str]]) -> None:
    """Table `quarantined`: every row that does not load, with its values (the code as its pseudonym)."""
    select, join = _replaced(contract)
    names = "[" + ", ".join(sql_literal(rule) for rule, _, _, _ in checks) + "]" if checks else "[NULL]"
    columns = "[" + ", ".join(sql_literal(column) for _, column, _, _ in checks) + "]" if checks else "[NULL]"
    row_values = (
        "json_object("
        + ", ".join(  # the code column already holds the pseudonym
            f"{sql_literal('person_id' if c.type == 'personal_code' else c.name)}, s.{quoted(c.name)}"
            for c in contract.columns
        )
        + ")"
    )
    reason = rule_reason_sql(checks, "b._rule_no")  # its column names resolve to `s`, the delivered values
    con.execute(f"""
        CREATE TABLE quarantined AS
        WITH bad AS (
            SELECT c._line, c._rule_no, r._rule, r._rule_column, r._reason
            FROM checked c LEFT JOIN repeated r ON r._line = c._line
            WHERE c._rule_no IS NOT NULL OR r._line IS NOT NULL
        ), s AS (
            SELECT {select} FROM (SELECT * FROM delivered WHERE _line IN (SELECT _line FROM bad)) d {join}
        )
        SELECT b._line,
               CASE WHEN b._rule IS NOT NULL THEN b._rule ELSE {names}[b._rule_no + 1] END AS _rule,
               CASE WHEN b._rule IS NOT NULL THEN b._rule_column ELSE {columns}[b._rule_no + 1] END AS _rule_column,
               CASE WHEN b._rule IS NOT NULL THEN b._reason ELSE ({reason}) END AS _reason,
               {row_values} AS _row_values
        FROM bad b JOIN s ON s._line = b._line""")
