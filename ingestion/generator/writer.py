"""Writes deliveries exactly as institutions send them, and records what was injected.

Reusable by every generator (the national set, the Housing First pilot): hand it typed
columns with the contract's English names; it formats them by the contract, injects the
requested faults, writes CSV (streamed in chunks) or XLSX, and keeps the manifest
`_faults.json` that tests and the loader's receipts are checked against.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import shutil
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from ingestion.contracts import Contract, all_contracts, contract_for_file

from .faults import FaultLog, FaultRates, inject
from .formatting import format_columns

MANIFEST_NAME = "_faults.json"
#: Fixed timestamp inside XLSX files, so a seed gives byte-identical workbooks.
_XLSX_TIME = datetime(2025, 1, 1)
CHUNK_ROWS = 250_000


@dataclass
class FileReport:
    """One delivered file: its rows and the faults planted in it."""

    name: str
    source: str
    data_rows: int = 0
    faults: FaultLog = field(default_factory=FaultLog)

    def manifest_entry(self) -> dict:
        quarantine = {r: len(p) for r, p in sorted(self.faults.quarantine.items()) if p}
        return {
            "source": self.source,
            "data_rows": self.data_rows,
            "quarantine": quarantine,
            # physical lines: the header is line 1, the first data row line 2
            "quarantine_lines": {
                r: [p + 2 for p in sorted(ps)] for r, ps in sorted(self.faults.quarantine.items()) if ps
            },
            "invalid_personal_codes": dict(sorted((s, n) for s, n in self.faults.personal_codes.items() if n)),
        }


class CsvDelivery:
    """A CSV delivery being written chunk by chunk (constant memory for any scale)."""

    def __init__(self, writer: DeliveryWriter, contract: Contract, name: str, rates: FaultRates):
        self.writer, self.contract, self.rates = writer, contract, rates
        self.report = FileReport(name, contract.source)
        self._chunk = 0
        self._handle = open(writer.out_dir / name, "wb")
        self._encoder = codecs.getincrementalencoder(contract.file.encoding)()
        self._emit([[c.header for c in contract.columns]])

    def _emit(self, rows) -> None:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=self.contract.file.delimiter, lineterminator="\r\n").writerows(rows)
        self._handle.write(self._encoder.encode(buffer.getvalue()))

    def write(self, typed: Mapping[str, np.ndarray]) -> None:
        """Append rows given as typed columns (English names); faults are injected per chunk."""
        n = len(next(iter(typed.values())))
        for start in range(0, n, CHUNK_ROWS):
            part = {k: np.asarray(v)[start : start + CHUNK_ROWS] for k, v in typed.items()}
            cols = format_columns(self.contract, part)
            cols, log = inject(self.contract, cols, self.rates, self.writer.rng_for(self.report.name, self._chunk))
            self._chunk += 1
            self.report.faults.merge(log.shift(self.report.data_rows))
            ordered = [cols[c.name].tolist() for c in self.contract.columns]
            self.report.data_rows += len(ordered[0])
            self._emit(zip(*ordered))

    def close(self) -> FileReport:
        self._handle.write(self._encoder.encode("", final=True))
        self._handle.close()
        self.writer.reports[self.report.name] = self.report
        return self.report

    def __enter__(self) -> CsvDelivery:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class DeliveryWriter:
    """Deliveries of one generated set, in one folder, with one fault manifest."""

    def __init__(
        self, out_dir: Path, seed: int, generator: str = "national", contracts: dict[str, Contract] | None = None
    ):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.seed, self.generator = seed, generator
        self.contracts = contracts or all_contracts()
        self.reports: dict[str, FileReport] = {}

    def rng_for(self, name: str, chunk: int = 0) -> np.random.Generator:
        """Fault randomness depends only on seed, file name and chunk: stable across runs."""
        return np.random.default_rng([self.seed, zlib.crc32(name.encode()), chunk])

    def file_name(self, source: str, tag: str) -> str:
        """The delivery's name: the contract's pattern with `*` replaced by the tag (e.g. a year)."""
        contract = self.contracts[source]
        name = contract.file.pattern.replace("*", str(tag), 1)
        if not contract.matches(name) or contract_for_file(name, self.contracts) is not contract:
            raise ValueError(f"{name} does not match only {source}")
        return name

    def open_csv(self, source: str, tag: str, rates: FaultRates | None = None) -> CsvDelivery:
        contract = self.contracts[source]
        if contract.file.format != "csv":
            raise ValueError(f"{source} is delivered as {contract.file.format}")
        return CsvDelivery(self, contract, self.file_name(source, tag), rates or FaultRates.none())

    def write_csv(
        self, source: str, tag: str, typed: Mapping[str, np.ndarray], rates: FaultRates | None = None
    ) -> FileReport:
        with self.open_csv(source, tag, rates) as delivery:
            delivery.write(typed)
        return delivery.report

    def write_xlsx(
        self, source: str, tag: str, typed: Mapping[str, np.ndarray], rates: FaultRates | None = None
    ) -> FileReport:
        """An XLSX delivery: header row of contract headers, numbers as numeric cells."""
        from openpyxl import Workbook

        contract = self.contracts[source]
        name = self.file_name(source, tag)
        cols = format_columns(contract, typed)
        cols, log = inject(contract, cols, rates or FaultRates.none(), self.rng_for(name))
        book = Workbook(write_only=True)
        book.properties.created = book.properties.modified = _XLSX_TIME
        book.properties.creator = contract.sender[:60] or "generator"
        sheet = book.create_sheet("Dati")
        sheet.append([c.header for c in contract.columns])
        numeric = {c.name: c.type for c in contract.columns if c.type in ("integer", "decimal")}
        rows = zip(
            *[
                [_cell(v, numeric.get(c.name), contract.file.decimal) for v in cols[c.name].tolist()]
                for c in contract.columns
            ]
        )
        n = 0
        for row in rows:
            sheet.append(list(row))
            n += 1
        raw = io.BytesIO()
        book.save(raw)
        _write_stable_zip(raw.getvalue(), self.out_dir / name)
        report = FileReport(name, source, n, log)
        self.reports[name] = report
        return report

    def copy_delivery(self, path: Path) -> FileReport:
        """Copy a ready-made delivery (e.g. a reference file) unchanged."""
        contract = contract_for_file(path.name, self.contracts)
        if contract is None:
            raise ValueError(f"{path.name} matches no contract")
        shutil.copyfile(path, self.out_dir / path.name)
        with open(path, encoding=contract.file.encoding, newline="") as handle:
            rows = sum(1 for _ in csv.reader(handle, delimiter=contract.file.delimiter)) - 1
        report = FileReport(path.name, contract.source, rows)
        self.reports[path.name] = report
        return report

    def manifest(self, **header) -> dict:
        return {
            "generator": self.generator,
            **header,
            "files": {name: self.reports[name].manifest_entry() for name in sorted(self.reports)},
        }

    def write_manifest(self, **header) -> Path:
        path = self.out_dir / MANIFEST_NAME
        path.write_text(json.dumps(self.manifest(**header), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path


def _cell(text: str, numeric: str | None, decimal: str):
    """Numbers go into numeric cells (as a municipality's spreadsheet has them); faulty text stays text."""
    if not numeric or not text:
        return text or None
    try:
        return int(text) if numeric == "integer" else float(text.replace(decimal, "."))
    except ValueError:
        return text


def _write_stable_zip(data: bytes, path: Path) -> None:
    """Re-zip with fixed entry timestamps: openpyxl stamps the wall clock into the archive."""
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl sets `modified` to now on save
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*",
                    rb"\g<1>" + _XLSX_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
                    content,
                )
            target.writestr(fixed, content)
