"""Load deliveries into the warehouse's raw layer, one file at a time, losing nothing.

For each file: skip it if its SHA-256 was loaded before; read it by its contract (or reject it
whole with a receipt); replace personal codes by keyed pseudonyms in memory; apply the row
rules; then, in one transaction, append the good rows to `raw.<source>`, the bad rows to
`ingest.quarantine`, the optional fields set to null for an invalid value to `ingest.field_issues`
and a receipt to `ingest.receipts`. A receipt file is written beside the
delivery. Raw personal codes exist only in the in-memory DuckDB used for reading.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from ingestion.code_map import create_code_map
from ingestion.contracts import Contract, all_contracts, contract_for_file
from ingestion.guard import mask_codes, mask_text
from ingestion.readers import RejectedFile, read_delivery
from ingestion.receipt_files import ALL_SUFFIXES as RECEIPT_SUFFIXES
from ingestion.receipt_files import JSON_SUFFIX
from ingestion.row_checks import check_rows
from ingestion.rules import quoted, sql_literal
from ingestion.warehouse import LINEAGE_COLUMNS, ensure_schema, raw_columns

log = logging.getLogger("homeless_monitor.ingestion")

IGNORED_PREFIXES = ("_", ".")


@dataclass
class Receipt:
    """What happened to one delivered file; stored in ingest.receipts and beside the file."""

    load_id: str
    source: str | None
    file_name: str
    file_sha256: str
    file_bytes: int
    status: str  # loaded | rejected | skipped_already_loaded
    reason: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    quarantined_by_rule: dict[str, int] = field(default_factory=dict)
    invalid_personal_codes: dict[str, int] = field(default_factory=dict)
    received_at: str | None = None
    loaded_at: str = ""
    #: fields outside the code column that held a personal code, masked before anything was stored
    personal_codes_masked: int = 0
    #: optional fields set to null for an invalid value (the row loaded): rule -> fields (issue 23)
    field_issues_by_rule: dict[str, int] = field(default_factory=dict)
    #: each such field: {"line", "column", "rule"} (no value), as in ingest.field_issues
    field_issues: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        if self.status == "skipped_already_loaded":
            return f"{self.file_name}: skipped, already loaded (same SHA-256 as an earlier delivery)"
        if self.status == "rejected":
            return f"{self.file_name}: REJECTED ({self.reason})"
        rules = ", ".join(f"{k} {v}" for k, v in sorted(self.quarantined_by_rule.items())) or "none"
        codes = sum(self.invalid_personal_codes.values())
        masked = (
            f", personal codes masked outside the code column {self.personal_codes_masked}"
            if self.personal_codes_masked
            else ""
        )
        note = f" [{self.reason}]" if self.reason else ""
        fields = ", ".join(f"{k} {v}" for k, v in sorted(self.field_issues_by_rule.items()))
        fields = f", fields set to unknown {sum(self.field_issues_by_rule.values())} ({fields})" if fields else ""
        return (
            f"{self.file_name}: read {self.rows_read}, loaded {self.rows_loaded}, "
            f"quarantined {self.rows_quarantined} ({rules}){fields}, invalid personal codes {codes}{masked}{note}"
        )


def file_sha256(path: Path) -> str:
    """A file's SHA-256 in hex, read in blocks (the one file hash of the project: deliveries, releases,
    extracts)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def delivery_files(inbox: Path) -> list[Path]:
    """Delivered files in the inbox, excluding receipts and the generator's own notes."""
    return sorted(
        p
        for p in inbox.iterdir()
        if p.is_file() and not p.name.startswith(IGNORED_PREFIXES) and not p.name.endswith(RECEIPT_SUFFIXES)
    )


class Loader:
    """Loads files into one warehouse with one pseudonym key."""

    def __init__(self, warehouse: Path, key: bytes, contracts: dict[str, Contract] | None = None):
        self.warehouse = Path(warehouse)
        self.key = key
        self.contracts = contracts or all_contracts()
        self.warehouse.parent.mkdir(parents=True, exist_ok=True)
        with duckdb.connect(str(self.warehouse)) as con:
            ensure_schema(con, self.contracts)

    # --- public ---------------------------------------------------------------------------------

    def load_source(self, contract: Contract, inbox: Path) -> list[Receipt]:
        """Load every file in the inbox that matches this source's contract."""
        return [self.load_file(p, contract) for p in delivery_files(inbox) if contract.matches(p.name)]

    def reject_unmatched(self, inbox: Path) -> list[Receipt]:
        """Files that no contract claims get a rejection receipt, so nothing vanishes silently."""
        return [
            self._finish(
                self._new_receipt(p, None), p, rejected=("no_contract", "no source contract matches this file name")
            )
            for p in delivery_files(inbox)
            if contract_for_file(p.name, self.contracts) is None
        ]

    def load_file(self, path: Path, contract: Contract) -> Receipt:
        receipt = self._new_receipt(path, contract.source)
        with duckdb.connect(str(self.warehouse)) as con:
            already = con.execute(
                "SELECT load_id FROM ingest.receipts WHERE file_sha256 = ? AND status = 'loaded' LIMIT 1",
                [receipt.file_sha256],
            ).fetchone()
            if already:
                receipt.status = "skipped_already_loaded"
                receipt.reason = f"same SHA-256 as load {already[0]}"
                self._store_receipt(con, receipt)
                log.info(receipt.summary())
                return receipt
        with tempfile.TemporaryDirectory(prefix="hm-load-") as spill:
            con = duckdb.connect()  # in memory: the only place raw personal codes ever exist
            try:
                con.execute(f"SET temp_directory = {sql_literal(spill)}")
                notes: list[str] = []
                try:
                    receipt.rows_read = read_delivery(con, path, contract, "delivered", notes)
                except RejectedFile as rejection:
                    return self._finish(receipt, path, rejected=(rejection.rule, rejection.reason))
                receipt.reason = "; ".join(notes) or None
                receipt.personal_codes_masked = mask_codes(con, contract)  # before anything is stored or quoted
                self._pseudonymise(con, contract)
                self._apply_rules(con, contract, self._delivery_date(receipt))
                self._write(con, contract, receipt)
            except Exception as error:  # noqa: BLE001 - one broken file must not stop the others
                # an engine error may quote a delivered value: keep its kind and words, not one digit
                detail = re.sub(r"[0-9]", "#", mask_text(str(error).splitlines()[0] if str(error) else ""))[:200]
                log.error("%s: could not be loaded (%s: %s)", path.name, type(error).__name__, detail)
                receipt.rows_loaded = receipt.rows_quarantined = 0
                receipt.quarantined_by_rule, receipt.invalid_personal_codes = {}, {}
                receipt.field_issues_by_rule, receipt.field_issues = {}, []
                return self._finish(
                    receipt,
                    path,
                    rejected=("load_error", f"the loader failed on this file ({type(error).__name__}: {detail})"),
                )
            finally:
                con.close()
        return self._finish(receipt, path)

    # --- steps ----------------------------------------------------------------------------------

    def _new_receipt(self, path: Path, source: str | None) -> Receipt:
        sha = file_sha256(path)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return Receipt(
            # to the microsecond: of two loads in one second the later sorts last, so staging's "latest
            # delivery" (loaded_at, then load id) never falls to the files' hashes
            load_id=f"{now:%Y%m%dT%H%M%S%f}-{sha[:12]}",
            source=source,
            file_name=path.name,
            file_sha256=sha,
            file_bytes=path.stat().st_size,
            status="loaded",
            received_at=dt.datetime.fromtimestamp(path.stat().st_mtime).isoformat(timespec="seconds"),
            loaded_at=now.isoformat(timespec="seconds"),
        )

    def _pseudonymise(self, con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
        """Map each distinct delivered code to (person_id, status, birth year), in memory."""
        column = contract.personal_code_column
        if column is not None:
            create_code_map(con, self.key, contract.source, column.name)

    @staticmethod
    def _delivery_date(receipt: Receipt) -> dt.date:
        """The file's date (its modification time): plausible dates end a year or so after it."""
        received = dt.date.fromisoformat(receipt.received_at[:10]) if receipt.received_at else dt.date.today()
        return max(received, dt.date(2000, 1, 1))

    def _apply_rules(self, con: duckdb.DuckDBPyConnection, contract: Contract, delivered_on: dt.date) -> None:
        """Tables `checked` (every row typed, `_rule_no`), `repeated`, `quarantined` and `field_issues`
        (ingestion/row_checks.py)."""
        check_rows(con, contract, delivered_on)
        con.execute("DROP VIEW delivered")
        con.execute("DROP TABLE delivered_all")
        if contract.personal_code_column:
            con.execute("DROP TABLE code_map_t")

    def _write(self, con: duckdb.DuckDBPyConnection, contract: Contract, receipt: Receipt) -> None:
        """Append good rows, quarantined rows and the receipt to the warehouse in one transaction."""
        targets = [quoted(name) for name, _ in raw_columns(contract) if name not in {n for n, _ in LINEAGE_COLUMNS}]
        lineage = [
            sql_literal(receipt.load_id),
            sql_literal(receipt.file_name),
            sql_literal(receipt.file_sha256),
            "_line",
        ]
        repeated = con.execute("SELECT count(*) FROM repeated").fetchone()[0] > 0
        good = "_rule_no IS NULL" + (" AND _line NOT IN (SELECT _line FROM repeated)" if repeated else "")
        counts = dict(con.execute("SELECT _rule, count(*) FROM quarantined GROUP BY _rule ORDER BY _rule").fetchall())
        receipt.quarantined_by_rule = counts
        receipt.rows_quarantined = sum(counts.values())
        receipt.rows_loaded = receipt.rows_read - receipt.rows_quarantined
        receipt.field_issues_by_rule = dict(
            con.execute("SELECT _rule, count(*) FROM field_issues GROUP BY _rule ORDER BY _rule").fetchall()
        )
        receipt.field_issues = [
            {"line": line, "column": column, "rule": rule}
            for line, column, rule in con.execute(
                "SELECT _line, _rule_column, _rule FROM field_issues ORDER BY _line, _rule_column"
            ).fetchall()
        ]
        if contract.personal_code_column:
            receipt.invalid_personal_codes = dict(
                con.execute(
                    f"SELECT person_id_status, count(*) FROM checked WHERE {good} AND person_id_status <> 'valid' "
                    "GROUP BY ALL ORDER BY 1"
                ).fetchall()
            )
        con.execute(f"ATTACH {sql_literal(str(self.warehouse))} AS wh")
        try:
            con.execute("BEGIN")
            con.execute(f"""INSERT INTO wh.{contract.raw_table} ({", ".join(targets + [n for n, _ in LINEAGE_COLUMNS])})
                            SELECT {", ".join(targets + lineage)} FROM checked WHERE {good}""")
            con.execute(f"""INSERT INTO wh.ingest.quarantine
                            SELECT {sql_literal(receipt.load_id)}, {sql_literal(contract.source)},
                                   {sql_literal(receipt.file_name)}, {sql_literal(receipt.file_sha256)},
                                   _line, _rule, _rule_column, _reason, _row_values
                            FROM quarantined ORDER BY _line""")
            con.execute(f"""INSERT INTO wh.ingest.field_issues
                            SELECT {sql_literal(receipt.load_id)}, {sql_literal(contract.source)},
                                   {sql_literal(receipt.file_name)}, {sql_literal(receipt.file_sha256)},
                                   _line, _rule, _rule_column, _reason
                            FROM field_issues ORDER BY _line, _rule_column""")
            self._store_receipt(con, receipt, catalog="wh.")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        finally:
            con.execute("DETACH wh")

    def _finish(self, receipt: Receipt, path: Path, rejected: tuple[str, str] | None = None) -> Receipt:
        if rejected:
            rule, reason = rejected
            receipt.status = "rejected"
            receipt.reason = f"{rule}: {reason}"
            receipt.rows_loaded = 0
            with duckdb.connect(str(self.warehouse)) as con:
                self._store_receipt(con, receipt)
            log.warning(receipt.summary())
        else:
            log.info(receipt.summary())
        write_receipt_file(receipt, path)
        return receipt

    @staticmethod
    def _store_receipt(con: duckdb.DuckDBPyConnection, receipt: Receipt, catalog: str = "") -> None:
        con.execute(
            f"""INSERT INTO {catalog}ingest.receipts (load_id, source, file_name, file_sha256, file_bytes, status,
                    reason, rows_read, rows_loaded, rows_quarantined, quarantined_by_rule, invalid_personal_codes,
                    received_at, loaded_at, personal_codes_masked, field_issues_by_rule)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                receipt.load_id,
                receipt.source,
                receipt.file_name,
                receipt.file_sha256,
                receipt.file_bytes,
                receipt.status,
                receipt.reason,
                receipt.rows_read,
                receipt.rows_loaded,
                receipt.rows_quarantined,
                json.dumps(receipt.quarantined_by_rule),
                json.dumps(receipt.invalid_personal_codes),
                receipt.received_at,
                receipt.loaded_at,
                receipt.personal_codes_masked,
                json.dumps(receipt.field_issues_by_rule),
            ],
        )


def write_receipt_file(receipt: Receipt, delivery: Path) -> Path | None:
    """The provider's copy of the receipt, beside the delivery (skipped if the inbox is read-only)."""
    target = delivery.with_name(delivery.name + JSON_SUFFIX)
    try:
        target.write_text(json.dumps(asdict(receipt), ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError:
        log.warning("could not write receipt file beside %s", delivery.name)
        return None
    return target


def load_inbox(inbox: Path, warehouse: Path, key: bytes, sources: Iterable[str] | None = None) -> list[Receipt]:
    """Load every delivery in the inbox (all sources, or the named ones); return the receipts."""
    loader = Loader(warehouse, key)
    receipts: list[Receipt] = []
    for name, contract in loader.contracts.items():
        if sources is None or name in set(sources):
            receipts += loader.load_source(contract, Path(inbox))
    if sources is None:
        receipts += loader.reject_unmatched(Path(inbox))
    return receipts
