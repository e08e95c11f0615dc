"""The restricted tier's person-night fact is stored in (year, municipality) order (issue 17), so a
one-year, one-municipality query reads only the row groups of that pair (DuckDB's min/max per row group)."""

from __future__ import annotations

from pathlib import Path

import duckdb

import homeless_monitor.release.restricted as restricted


def test_fct_service_days_is_written_sorted_by_year_then_municipality(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(restricted, "restricted_models", lambda: [])  # no dbt manifest needed here
    work = tmp_path / "work.duckdb"
    # delivered out of order: 2024 before 2023, Rīga (0001000) between two Daugavpils (0002000) rows
    rows = [
        ("P1", 2024, "0002000"),
        ("P2", 2023, "0002000"),
        ("P3", 2024, "0001000"),
        ("P4", 2023, "0001000"),
        ("P5", 2024, "0002000"),
        ("P6", 2023, "0002000"),
    ]
    with duckdb.connect(str(work)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute(
            "CREATE TABLE marts.fct_service_days (person_id VARCHAR, service_year INTEGER, municipality_atvk VARCHAR)"
        )
        con.executemany("INSERT INTO marts.fct_service_days VALUES (?, ?, ?)", rows)

    written = restricted.write_restricted(work, tmp_path / "restricted.duckdb")

    assert written == ["fct_service_days"]
    with duckdb.connect(str(tmp_path / "restricted.duckdb"), read_only=True) as con:
        stored = con.execute(
            "SELECT service_year, municipality_atvk FROM marts.fct_service_days ORDER BY rowid"
        ).fetchall()
    # by hand: 2023 Rīga, 2023 Daugavpils ×2, 2024 Rīga, 2024 Daugavpils ×2
    assert stored == [
        (2023, "0001000"),
        (2023, "0002000"),
        (2023, "0002000"),
        (2024, "0001000"),
        (2024, "0002000"),
        (2024, "0002000"),
    ]
