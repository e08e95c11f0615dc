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
import unicodedata
from pathlib import Path

import duckdb
import pandas as pd

from ingestion.contracts import Column, Contract
from ingestion.guard import mask_text

CHUNK_BYTES = 16 * 1024 * 1024
#: A longer line is not a delivery row (DuckDB's default is 2 MB); values are capped far lower by the rules.
MAX_LINE_BYTES = 8 * 1024 * 1024
UTF8_BOM = codecs.BOM_UTF8


class RejectedFile(Exception):
    """The whole file cannot be read by its contract; the reason goes on the receipt."""

    def __init__(self, rule: str, reason: str):
        super().__init__(reason)
        self.rule = rule
        self.reason = reason


def read_delivery(
    con: duckdb.DuckDBPyConnection, path: Path, contract: Contract, table: str, notes: list[str] | None = None
) -> int:
    """Create view `table` (over table `<table>_all`) of the delivered rows as strings; return the row count.

    `notes` receives what the receipt should say about a file that loads (e.g. optional columns missing).
    """
    if path.stat().st_size == 0:
        raise RejectedFile("empty_file", "the file is empty (0 bytes)")
    _reject_other_formats(path, contract)
    notes = notes if notes is not None else []
    if contract.file.format == "xlsx":
        rows = _read_xlsx(con, path, contract, table, notes)
    else:
        rows = _read_csv(con, path, contract, table, notes)
    if rows == 0:
        raise RejectedFile("empty_file", "the file has a header but no data rows")
    return rows


# --- what kind of file is it really? ------------------------------------------------------------

_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (an XLSX workbook or a compressed file)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Word workbook"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip-compressed file"),
)


def _reject_other_formats(path: Path, contract: Contract) -> None:
    """Name the real format of a file that is not what its name and contract say."""
    with open(path, "rb") as f:
        head = f.read(4096)
    expected = (
        "an XLSX workbook"
        if contract.file.format == "xlsx"
        else f"a {contract.file.encoding} text file separated by '{contract.file.delimiter}'"
    )
    for magic, kind in _MAGIC:
        if head.startswith(magic) and not (magic == b"PK\x03\x04" and contract.file.format == "xlsx"):
            raise RejectedFile("wrong_format", f"the file is {kind}, not {expected} as the contract says")
    if contract.file.format == "xlsx":
        return
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(head):
        raise RejectedFile(
            "wrong_encoding",
            f"the file is UTF-16 text; re-export it as {contract.file.encoding} "
            "(e.g. 'CSV (semicolon delimited)', not 'Unicode text')",
        )
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    if controls > 0.05 * len(head):
        raise RejectedFile("wrong_format", f"the file is binary data, not {expected} as the contract says")


def _decodes_as_utf8(chunk: bytes) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")(errors="strict").decode(chunk)  # a split last character is fine
        return True
    except UnicodeDecodeError:
        return False


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of Latin text is NUL."""
    sample = head[:512]
    return len(sample) >= 8 and (
        sample[1::2].count(0) > 0.4 * len(sample[1::2]) or sample[0::2].count(0) > 0.4 * len(sample[0::2])
    )


# --- the header ---------------------------------------------------------------------------------


def _folded(text: str) -> str:
    """Header text without case, diacritics or repeated spaces: to recognise a misspelt header."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def _shown(header: str) -> str:
    """A delivered header quoted in a message: masked and cut short."""
    text = mask_text(header)
    return repr(text if len(text) <= 60 else text[:60] + "…")


def _check_header(
    found: list[str], contract: Contract, notes: list[str], raw_line: str | None = None
) -> list[int | None]:
    """Positions of the contract's columns in the delivered header (None: an optional column is absent).

    A missing required column rejects the file, with a hint when the cause is recognisable: another
    delimiter, or headers that differ only in case or diacritics.
    """
    found = [h.strip().lstrip("\ufeff") for h in found]
    missing = [c for c in contract.columns if c.header not in found]
    missing_required = [c for c in missing if c.required]
    if missing_required:
        raise RejectedFile("missing_columns", _missing_columns_reason(found, missing_required, contract, raw_line))
    if missing:
        by_fold = {_folded(h): h for h in found}
        notes.append(
            "optional columns missing, loaded as empty: "
            + ", ".join(
                c.header
                + (
                    f" ({_shown(by_fold[_folded(c.header)])} in the file differs in case or diacritics)"
                    if _folded(c.header) in by_fold
                    else ""
                )
                for c in missing
            )
        )
    return [found.index(c.header) if c.header in found else None for c in contract.columns]


def _missing_columns_reason(found: list[str], missing: list[Column], contract: Contract, raw_line: str | None) -> str:
    listed = ", ".join(c.header for c in missing)
    base = f"missing columns: {listed} (expected the {contract.source} contract's headers)"
    wanted = {_folded(c.header) for c in contract.columns}
    if raw_line is not None and contract.file.format == "csv":
        for delimiter, name in ((",", "commas"), ("\t", "tabs"), (";", "semicolons"), ("|", "vertical bars")):
            if delimiter == contract.file.delimiter:
                continue
            parts = {_folded(h.strip().lstrip("\ufeff")) for h in raw_line.split(delimiter)}
            if len(parts & wanted) >= max(1, len(wanted) // 2):
                return (
                    f"the file is separated by {name}; the contract says '{contract.file.delimiter}' "
                    f"(re-export with '{contract.file.delimiter}' as the delimiter) — {base}"
                )
    by_fold = {_folded(h): h for h in found}
    misspelt = [(c.header, by_fold[_folded(c.header)]) for c in missing if _folded(c.header) in by_fold]
    if misspelt:
        shown = "; ".join(f"{_shown(got)} should be {want!r}" for want, got in misspelt[:5])
        return f"headers differ from the contract in case or diacritics: {shown} — {base}"
    return f"{base}; the file's header has {len(found)} columns"


def _column_sql(position: int | None, trimmed: bool = False) -> str:
    if position is None:
        return "CAST(NULL AS VARCHAR)"
    return f"c{position}" if trimmed else f"NULLIF(trim(c{position}), '')"


# --- CSV ---------------------------------------------------------------------------------------


def _transcode_to_utf8(path: Path, encoding: str, out_dir: Path) -> tuple[Path, int]:
    """DuckDB reads UTF-8 only (its encodings extension would need a download): transcode here.

    Also checks that the file really is in the contract's encoding: a Windows-1257 delivery that
    decodes as UTF-8 with non-ASCII bytes, or carries a UTF-8 BOM, was exported wrongly. Line ends
    become LF (a file mixing CRLF and LF is valid CSV to a person; DuckDB's strict mode rejects it).
    Returns the UTF-8 file and its number of physical lines.
    """
    wanted = codecs.lookup(encoding).name
    with open(path, "rb") as f:
        head = f.read(3)
    if wanted == "cp1257" and head == UTF8_BOM:
        raise RejectedFile(
            "wrong_encoding", "the file is UTF-8 (it has a byte-order mark); the contract says windows-1257"
        )
    target = out_dir / "delivery.utf8.csv"
    decoder = _decoder(wanted)
    utf8_check = codecs.getincrementaldecoder("utf-8")(errors="strict") if wanted == "cp1257" else None
    looks_utf8, saw_non_ascii = True, False
    lines, carry, last = 0, b"", ""
    with open(path, "rb") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK_BYTES):
            # line ends become LF on the bytes (CR and LF are single bytes in both encodings): cheaper than on text
            data = carry + chunk
            carry = b"\r" if data.endswith(b"\r") else b""  # a CRLF split across two chunks
            data = data[:-1] if carry else data
            if b"\r" in data:
                data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            try:
                text = decoder.decode(data)
            except UnicodeDecodeError:
                _raise_encoding_error(path, encoding, wanted)  # re-read as delivered: offsets in the file's own bytes
            if utf8_check is not None and looks_utf8:
                saw_non_ascii = saw_non_ascii or not chunk.isascii()
                try:
                    utf8_check.decode(chunk)
                except UnicodeDecodeError:
                    looks_utf8 = False
            lines += text.count("\n")
            last = text[-1:] or last
            dst.write(text)
        tail = decoder.decode(carry.replace(b"\r", b"\n"), final=True)
        lines += tail.count("\n")
        last = tail[-1:] or last
        dst.write(tail)
    if utf8_check is not None and looks_utf8 and saw_non_ascii:
        raise RejectedFile("wrong_encoding", "the file is UTF-8; the contract says windows-1257")
    return target, lines + (1 if last and last != "\n" else 0)


def _decoder(wanted: str) -> codecs.IncrementalDecoder:
    return codecs.getincrementaldecoder("utf-8-sig" if wanted != "cp1257" else "cp1257")(errors="strict")


def _raise_encoding_error(path: Path, encoding: str, wanted: str) -> None:
    """Find the first undecodable chunk of the file as delivered and reject the file, naming its offset."""
    decoder, offset = _decoder(wanted), 0
    with open(path, "rb") as src:
        while chunk := src.read(CHUNK_BYTES):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                if wanted == "cp1257" and _decodes_as_utf8(chunk):
                    raise RejectedFile(
                        "wrong_encoding",
                        "the file is UTF-8 (without a byte-order mark); the contract says windows-1257",
                    ) from None
                raise RejectedFile(
                    "wrong_encoding",
                    f"bytes at offset {offset + error.start} are not valid {encoding}; re-export the file in {encoding}",
                ) from None
            offset += len(chunk)
    raise RejectedFile("wrong_encoding", f"the file is not valid {encoding}; re-export the file in {encoding}")


_CSV_LINE_ERROR = re.compile(r"CSV Error on Line: (\d+)")
_LINE_SIZE_ERROR = re.compile(r"[Mm]aximum line size")
_COLUMN_COUNT_ERROR = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


def _record_lines(utf8_path: Path, delimiter: str) -> list[int]:
    """The physical line each CSV record starts on (record 0 = the header), skipping blank lines as DuckDB does.

    Needed only when records and lines differ: a quoted field with a line break, or a blank line.
    """
    starts: list[int] = []
    with open(utf8_path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        previous = 0
        try:
            for row in reader:
                if row:
                    starts.append(previous + 1)
                previous = reader.line_num
        except csv.Error:
            pass
    return starts


def _sanitised_csv_error(error: Exception, record_lines: list[int] | None = None) -> str:
    """DuckDB quotes the offending line; keep only the line number and the column counts.

    DuckDB numbers records, not lines; `record_lines` turns its number into the file's line.
    """
    message = str(error)
    line = _CSV_LINE_ERROR.search(message)
    counts = _COLUMN_COUNT_ERROR.search(message)
    where = "somewhere in the file"
    if line:
        number = int(line.group(1))
        if record_lines and 0 < number <= len(record_lines):
            number = record_lines[number - 1]
        where = f"line {number}"
    if _LINE_SIZE_ERROR.search(message):
        return f"{where} is longer than {MAX_LINE_BYTES // (1024 * 1024)} MB (no delivery row is; file malformed)"
    if counts:
        return (
            f"{where} has {counts.group(2)} fields where the header has {counts.group(1)} (file truncated or malformed)"
        )
    return f"the file cannot be parsed as CSV at {where} (malformed quoting or line structure)"


def _read_csv(con: duckdb.DuckDBPyConnection, path: Path, contract: Contract, table: str, notes: list[str]) -> int:
    fmt = contract.file
    with tempfile.TemporaryDirectory(prefix="hm-read-") as tmp:
        utf8_path, physical_lines = _transcode_to_utf8(path, fmt.encoding, Path(tmp))
        with open(utf8_path, encoding="utf-8", newline="") as f:
            raw_line = f.readline().rstrip("\n")
            f.seek(0)
            try:
                header = next(csv.reader(f, delimiter=fmt.delimiter), None)
            except csv.Error:
                header = None
        if not header:
            raise RejectedFile("empty_file", "the file has no header line")
        positions = _check_header(header, contract, notes, raw_line)
        columns = {f"c{i}": "VARCHAR" for i in range(len(header))}
        # trimmed once while reading, and only the contract's columns kept: every later pass reads plain values
        kept = sorted({p for p in positions if p is not None})
        trimmed = ", ".join(f"NULLIF(trim(c{p}), '') AS c{p}" for p in kept) or "NULL AS c0"
        try:
            con.execute(
                f"""CREATE OR REPLACE TABLE {table}_all AS SELECT {trimmed} FROM read_csv(?, delim=?, quote='"', escape='"',
                    header=true, auto_detect=false, columns={columns!r}, strict_mode=true, null_padding=false,
                    new_line='\\n', max_line_size=?)""",
                [str(utf8_path), fmt.delimiter, MAX_LINE_BYTES],
            )
        except duckdb.Error as error:
            raise RejectedFile(
                "unreadable", _sanitised_csv_error(error, _record_lines(utf8_path, fmt.delimiter))
            ) from None
        rows = con.execute(f"SELECT count(*) FROM {table}_all").fetchone()[0]
        line_of_row = "rowid + 2"
        if rows + 1 != physical_lines:  # a line break inside a quoted field, or a blank line
            starts = _record_lines(utf8_path, fmt.delimiter)[1:]
            if len(starts) == rows:
                con.execute(
                    f"CREATE OR REPLACE TABLE {table}_lines AS "
                    "SELECT unnest(CAST(? AS BIGINT[])) AS line, unnest(range(0, ?)) AS row_index",
                    [starts, rows],
                )
                con.execute(f"""CREATE OR REPLACE TABLE {table}_all AS
                                SELECT a.*, l.line AS _physical_line FROM {table}_all a
                                JOIN {table}_lines l ON l.row_index = a.rowid ORDER BY a.rowid""")
                con.execute(f"DROP TABLE {table}_lines")
                line_of_row = "_physical_line"
    select = ", ".join(
        f'{_column_sql(pos, trimmed=True)} AS "{col.name}"' for pos, col in zip(positions, contract.columns)
    )
    # a view, not a copy: the loader reads it once for the codes and once for the rules
    con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT {line_of_row} AS _line, {select} FROM {table}_all")
    return rows


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


def _read_xlsx(con: duckdb.DuckDBPyConnection, path: Path, contract: Contract, table: str, notes: list[str]) -> int:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a broken zip/xml
        raise RejectedFile(
            "unreadable", "the file is not a readable XLSX workbook (truncated or another format)"
        ) from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise RejectedFile("empty_file", "the first sheet has no header row")
        positions = _check_header([str(h or "") for h in header], contract, notes)
        records = []
        for line, row in enumerate(rows, start=2):
            if row is None or all(v is None for v in row):
                continue
            cells = [_cell_text(row[p] if p is not None and p < len(row) else None, contract) for p in positions]
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
