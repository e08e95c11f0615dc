"""The per-file summary a delivery suite validates: small, one row per file, computed in SQL.

Which files: those in the inbox now that the source's contract claims, each keyed on its own
identity (file name and SHA-256) with the latest load or rejection receipt of that name and
content (a re-delivery skipped as already loaded keeps the receipt of the load it repeats). A byte
copy of a loaded file under another name has its own receipt, so it can never stand in for, or
blame, the file that loaded. A rejected file stays in the summary (an error-tier outcome naming
source and file) until it leaves the inbox.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pandas as pd

from ingestion.contracts import Contract
from ingestion.loader import delivery_files, file_sha256
from ingestion.rules import RULE_ORDER, quoted, sql_literal


def inbox_files(inbox: Path, contract: Contract) -> dict[str, str]:
    """File name -> SHA-256 of the inbox files this contract claims."""
    if not inbox.is_dir():
        return {}
    return {p.name: _sha256(p) for p in delivery_files(inbox) if contract.matches(p.name)}


_hashed: dict[tuple[str, int, int], str] = {}


def _sha256(path: Path) -> str:
    """A file's SHA-256, hashed once per process while its size and modification time stay (the
    delivery check and the receipts it writes both need every inbox file's hash)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _hashed:
        _hashed[key] = file_sha256(path)
    return _hashed[key]


def _aggregates_sql(contract: Contract, shas: list[str]) -> str:
    """raw rows, empty required values, values outside code lists and future dates, per file."""
    parts = ["count(*) AS raw_rows"]
    for c in contract.columns:
        name = "person_id" if c.type == "personal_code" else c.name
        if c.required:
            parts.append(f"count(*) FILTER (WHERE {quoted(name)} IS NULL) AS {quoted('null_' + name)}")
        if c.type == "code":
            allowed = ", ".join(sql_literal(k) for k in c.codes)
            parts.append(
                f"count(*) FILTER (WHERE {quoted(name)} IS NOT NULL AND {quoted(name)} NOT IN ({allowed})) "
                f"AS {quoted('unknown_' + name)}"
            )
        if c.type == "date":
            parts.append(f"count(*) FILTER (WHERE {quoted(name)} > current_date) AS {quoted('future_' + name)}")
    in_list = ", ".join(sql_literal(s) for s in shas)
    return (
        f"SELECT _file_sha256 AS file_sha256, {', '.join(parts)} FROM {contract.raw_table} "
        f"WHERE _file_sha256 IN ({in_list}) GROUP BY 1"
    )


def actual_signature(con: duckdb.DuckDBPyConnection, contract: Contract) -> str:
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'raw' AND table_name = ? ORDER BY ordinal_position",
        [contract.source],
    ).fetchall()
    return ", ".join(f"{name} {dtype}" for name, dtype in rows)


def _receipts(con: duckdb.DuckDBPyConnection, files: dict[str, str]) -> pd.DataFrame:
    """Each file's receipt: the latest load or rejection of this name with this content; a file
    skipped as already loaded under its own name falls back to the load of the same content."""
    inbox = "SELECT * FROM (VALUES " + ", ".join(["(?, ?)"] * len(files)) + ") v(file_name, file_sha256)"
    return con.execute(
        f"""
        WITH _inbox_files AS ({inbox}), own AS (
            SELECT r.file_name, r.file_sha256, r.status, r.reason, r.rows_read, r.rows_loaded, r.rows_quarantined,
                   r.quarantined_by_rule, r.field_issues_by_rule, r.loaded_at, r.load_id, 1 AS preference
            FROM ingest.receipts r JOIN _inbox_files f USING (file_name, file_sha256)
            WHERE r.status <> 'skipped_already_loaded'
        ), same_content AS (
            SELECT f.file_name, r.file_sha256, r.status, r.reason, r.rows_read, r.rows_loaded, r.rows_quarantined,
                   r.quarantined_by_rule, r.field_issues_by_rule, r.loaded_at, r.load_id, 2 AS preference
            FROM ingest.receipts r JOIN _inbox_files f USING (file_sha256)
            WHERE r.status = 'loaded'
              AND EXISTS (SELECT 1 FROM ingest.receipts s WHERE s.file_name = f.file_name
                          AND s.file_sha256 = f.file_sha256 AND s.status = 'skipped_already_loaded')
        )
        SELECT * FROM (SELECT * FROM own UNION ALL SELECT * FROM same_content)
        QUALIFY row_number() OVER (PARTITION BY file_name ORDER BY preference, loaded_at DESC, load_id DESC) = 1
        """,
        [v for pair in files.items() for v in pair],
    ).df()


def file_summary(con: duckdb.DuckDBPyConnection, contract: Contract, files: dict[str, str]) -> pd.DataFrame:
    """One row per file (name -> SHA-256): receipt status and counts, quarantine shares per rule, raw aggregates."""
    if not files:
        return pd.DataFrame()
    shas = sorted(set(files.values()))
    receipts = _receipts(con, files)
    aggregates = con.execute(_aggregates_sql(contract, shas)).df()
    signature = actual_signature(con, contract)
    rows = []
    for name, sha in files.items():
        receipt = receipts[receipts.file_name == name]
        r = (
            receipt.iloc[0].to_dict()
            if len(receipt)
            else {
                "status": "not_loaded",
                "reason": "no receipt: the file was not loaded in this warehouse",
                "rows_read": 0,
                "rows_loaded": 0,
                "rows_quarantined": 0,
                "quarantined_by_rule": "{}",
                "field_issues_by_rule": "{}",
            }
        )
        read = int(r["rows_read"] or 0)
        by_rule = json.loads(r["quarantined_by_rule"] or "{}")
        # a rule's share counts the rows it quarantined and the optional fields it set to unknown (issue 23)
        for rule, fields in json.loads(r.get("field_issues_by_rule") or "{}").items():
            by_rule[rule] = by_rule.get(rule, 0) + fields
        row = {
            "file_name": name,
            "file_sha256": sha,
            "status": r["status"],
            "reason": r["reason"] or "",
            "rows_read": read,
            "rows_loaded": int(r["rows_loaded"] or 0),
            "rows_quarantined": int(r["rows_quarantined"] or 0),
            "share_quarantined": (int(r["rows_quarantined"] or 0) / read) if read else 0.0,
            "raw_columns": signature,
        }
        row |= {f"share_{rule}": (by_rule.get(rule, 0) / read) if read else 0.0 for rule in RULE_ORDER}
        agg = aggregates[aggregates.file_sha256 == sha]
        for column in aggregates.columns.drop("file_sha256"):
            row[column] = int(agg.iloc[0][column]) if len(agg) else 0
        rows.append(row)
    return pd.DataFrame(rows)


def quarantined_lines(con: duckdb.DuckDBPyConnection, file_sha256_: str, rule: str, limit: int = 5) -> list[int]:
    """The first lines of a file quarantined under a rule or with an optional field it set to unknown."""
    return [
        line
        for (line,) in con.execute(
            "SELECT source_row_number FROM ingest.quarantine WHERE file_sha256 = ? AND rule = ? "
            "UNION SELECT source_row_number FROM ingest.field_issues WHERE file_sha256 = ? AND rule = ? "
            "ORDER BY 1 LIMIT ?",
            [file_sha256_, rule, file_sha256_, rule, limit],
        ).fetchall()
    ]


def row_units(frame: pd.DataFrame) -> list[str]:
    """Each file's unit for carrying verdicts forward: its name and a hash of everything the suite
    sees about it (receipt, quarantine shares, raw aggregates, raw schema). Every delivery expectation
    judges one row on its own, so an unchanged row gets the verdict it got before; a new load, a
    corrected file or raw rows changed behind the receipt's back change the row and are validated."""
    records = frame.to_dict(orient="records")
    return [
        f"{r['file_name']}|" + hashlib.sha256(json.dumps(r, sort_keys=True, default=str).encode()).hexdigest()[:32]
        for r in records
    ]
