"""Tiny hand-made deliveries for the quality and release tests: the reference files plus a few stays.

Built here, not by the synthetic generator, so the tests say exactly which row breaks which rule.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb

from ingestion.contracts import all_contracts
from ingestion.paths import REFERENCE_DIR
from ingestion.personal_code import make_old_code

STAYS_FILE = "patversmes_uzturesanas_2024_riga.csv"


def stay_rows(n: int = 12, year: int = 2024) -> list[dict[str, str]]:
    """n valid shelter stays in Rīga (ATVK 0001000) in the given year, as delivered strings."""
    rows = []
    for i in range(n):
        code = make_old_code(date(1960 + i, 1 + i % 12, 1 + i), 100 + i)
        rows.append(
            {
                "stay_id": f"S{year}-{i:04d}",
                "personal_code": code,
                "sex": "V" if i % 3 else "S",
                "birth_year": str(1960 + i),
                "provider_id": "RIGA-NP1",
                "municipality_atvk": "0001000",
                "service_type": "naktspatversme" if i % 2 else "patversme",
                "check_in_date": f"{1 + i % 28:02d}.0{1 + i % 9}.{year}",
                "check_out_date": f"{1 + i % 28:02d}.1{i % 3}.{year}",
                "prior_situation": "iela",
                "exit_destination": "nav zināms",
            }
        )
    return rows


def write_stays(
    inbox: Path, rows: list[dict[str, str]], name: str = STAYS_FILE, drop_columns: tuple[str, ...] = ()
) -> Path:
    """Write shelter stays as a municipality sends them: `;`-separated, Windows-1257, Latvian headers."""
    contract = all_contracts()["shelter_stays"]
    columns = [c for c in contract.columns if c.name not in drop_columns]
    lines = [";".join(c.header for c in columns)]
    lines += [";".join(row.get(c.name, "") for c in columns) for row in rows]
    path = inbox / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("windows-1257"))
    return path


def small_inbox(inbox: Path, stays: int = 12) -> Path:
    """Reference deliveries plus one small shelter-stays file."""
    inbox.mkdir(parents=True, exist_ok=True)
    for reference in REFERENCE_DIR.glob("*.csv"):
        shutil.copy(reference, inbox / reference.name)
    if stays:
        write_stays(inbox, stay_rows(stays))
    return inbox


def query(warehouse: Path, sql: str):
    """Rows of a read-only query on a warehouse file (the loader tests' assertions)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()
