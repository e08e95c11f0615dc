"""Readers: turn one delivered file into an in-memory DuckDB table of delivered strings.

Every reader produces the same shape (`_line` = the row's line in the file, header = line 1,
then one VARCHAR column per contract column, named by its English name), or raises
`RejectedFile` with a reason a provider can act on. Reasons never quote file content, so a
personal code cannot leak into a receipt or a log through an error message.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from ingestion.contracts import Contract

CHUNK_BYTES = 16 * 1024 * 1024
UTF8_BOM = codecs.BOM_UTF8


class RejectedFile(Exception):
    """The whole file cannot be read by its contract; the reason goes on the receipt."""

    def __init__(self, rule: str, reason: str):
        super().__init__(reason)
        self.rule = rule
        self.reason = reason


def read_delivery(con: duckdb.DuckDBPyConnection, path: Path, contract: Contract, table: str) -> int:
    """Create view `table` (over table `<table>_all`) of the delivered rows as strings; return the row count."""
    if path.stat().st_size == 0:
        raise RejectedFile("empty_file", "the file is empty (0 bytes)")
    if contract.file.format == "xlsx":
        rows = _read_xlsx(con, path, contract, table)
    else:
        rows = _read_csv(con, path, contract, table)
    if rows == 0:
        raise RejectedFile("empty_file", "the file has a header but no data rows")
    return rows


def _check_header(found: list[str], contract: Contract) -> list[int]:
    """Positions of the contract's columns in the delivered header; reject if any is missing."""
    found = [h.strip().lstrip("\ufeff") for h in found]
    missing = [c.header for c in contract.columns if c.header not in found]
    if missing:
        raise RejectedFile(
            "missing_columns",
            f"missing columns: {', '.join(missing)} (expected the {contract.source} contract's headers)",
        )
    return [found.index(c.header) for c in contract.columns]


# --- CSV ---------------------------------------------------------------------------------------

def _transcode_to_utf8(path: Path, encoding: str, out_dir: Path) -> Path:
    """DuckDB reads UTF-8 only (its encodings extension would need a download): transcode here.

    Also checks that the file really is in the contract's encoding: a Windows-1257 delivery that
    decodes as UTF-8 with non-ASCII bytes, or carries a UTF-8 BOM, was exported wrongly.
    """
    wanted = codecs.lookup(encoding).name
    with open(path, "rb") as f:
        head = f.read(3)
    if wanted == "cp1257" and head == UTF8_BOM:
        raise RejectedFile("wrong_encoding", "the file is UTF-8 (it has a byte-order mark); the contract says windows-1257")
    target = out_dir / "delivery.utf8.csv"
    decoder = codecs.getincrementaldecoder("utf-8-sig" if wanted != "cp1257" else "cp1257")(errors="strict")
    utf8_check = codecs.getincrementaldecoder("utf-8")(errors="strict") if wanted == "cp1257" else None
    looks_utf8, saw_non_ascii = True, False
    offset = 0
    with open(path, "rb") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK_BYTES):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise RejectedFile(
                    "wrong_encoding",
                    f"bytes at offset {offset + error.start} are not valid {encoding}; re-export the file in {encoding}",
                ) from None
            if utf8_check is not None and looks_utf8:
                saw_non_ascii = saw_non_ascii or not chunk.isascii()
                try:
                    utf8_check.decode(chunk)
                except UnicodeDecodeError:
                    looks_utf8 = False
            dst.write(text)
            offset += len(chunk)
        dst.write(decoder.decode(b"", final=True))
    if utf8_check is not None and looks_utf8 and saw_non_ascii:
        raise RejectedFile("wrong_encoding", "the file is UTF-8; the contract says windows-1257")
    return target


_CSV_LINE_ERROR = re.compile(r"CSV Error on Line: (\d+)")
_COLUMN_COUNT_ERROR = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


def _sanitised_csv_error(error: Exception) -> str:
    """DuckDB quotes the offending line; keep only the line number and the column counts."""
    message = str(error)
    line = _CSV_LINE_ERROR.search(message)
    counts = _COLUMN_COUNT_ERROR.search(message)
    where = f"line {line.group(1)}" if line else "somewhere in the file"
    if counts:
        return (f"{where} has {counts.group(2)} fields where the header has {counts.group(1)} "
                "(file truncated or malformed)")
    return f"the file cannot be parsed as CSV at {where} (malformed quoting or line structure)"


def _read_csv(con: duckdb.DuckDBPyConnection, path: Path, contract: Contract, table: str) -> int:
    fmt = contract.file
    with tempfile.TemporaryDirectory(prefix="hm-read-") as tmp:
        utf8_path = _transcode_to_utf8(path, fmt.encoding, Path(tmp))
        with open(utf8_path, encoding="utf-8", newline="") as f:
            header = next(csv.reader(f, delimiter=fmt.delimiter), None)
        if not header:
            raise RejectedFile("empty_file", "the file has no header line")
        positions = _check_header(header, contract)
        columns = {f"c{i}": "VARCHAR" for i in range(len(header))}
        try:
            con.execute(
                f"""CREATE OR REPLACE TABLE {table}_all AS SELECT * FROM read_csv(?, delim=?, quote='"', escape='"',
                    header=true, auto_detect=false, columns={columns!r}, strict_mode=true, null_padding=false)""",
                [str(utf8_path), fmt.delimiter],
            )
        except duckdb.Error as error:
            raise RejectedFile("unreadable", _sanitised_csv_error(error)) from None
    select = ", ".join(
        f"NULLIF(trim(c{pos}), '') AS \"{col.name}\"" for pos, col in zip(positions, contract.columns)
    )
    # a view, not a copy: the loader reads it once for the codes and once for the rules
    con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT rowid + 2 AS _line, {select} FROM {table}_all")
    return con.execute(f"SELECT count(*) FROM {table}_all").fetchone()[0]


# --- XLSX --------------------------------------------------------------------------------------

def _cell_text(value: object, contract: Contract) -> str | None:
    """Render a spreadsheet cell the way the contract's text format writes it."""
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime(contract.file.date_format)
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
        return text.replace(".", contract.file.decimal)
    return str(value)


def _read_xlsx(con: duckdb.DuckDBPyConnection, path: Path, contract: Contract, table: str) -> int:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a broken zip/xml
        raise RejectedFile("unreadable", "the file is not a readable XLSX workbook (truncated or another format)") from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise RejectedFile("empty_file", "the first sheet has no header row")
        positions = _check_header([str(h or "") for h in header], contract)
        records = []
        for line, row in enumerate(rows, start=2):
            if row is None or all(v is None for v in row):
                continue
            cells = [_cell_text(row[p] if p < len(row) else None, contract) for p in positions]
            records.append([line] + [c.strip() or None if c is not None else None for c in cells])
    finally:
        workbook.close()
    frame = pd.DataFrame(records, columns=["_line"] + [c.name for c in contract.columns], dtype="object")
    frame["_line"] = frame["_line"].astype("int64")
    con.register("xlsx_frame", frame)
    casts = ", ".join(f'CAST("{c.name}" AS VARCHAR) AS "{c.name}"' for c in contract.columns)
    con.execute(f"CREATE OR REPLACE TABLE {table}_all AS SELECT _line, {casts} FROM xlsx_frame")
    con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM {table}_all")  # the CSV reader's shape
    con.unregister("xlsx_frame")
    return len(records)
