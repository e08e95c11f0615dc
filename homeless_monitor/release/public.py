"""The public tier: the disclosure-controlled tables as Parquet and CSV (UTF-8), each with a data
dictionary (column, type, definition from the dbt docs, protection applied).

Parquet: a suppressed measure `m` is NULL with `m_suppressed = true`. CSV: the value is empty and
`m_flag` holds `c` (Eurostat's confidentiality flag). A suppressed cell is never shown as 0.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from homeless_monitor.disclosure.control import Controlled
from homeless_monitor.disclosure.tables import PublicTable
from homeless_monitor.duckdb_limits import bound
from homeless_monitor.release.docs import describe, describe_column
from homeless_monitor.release.tiers import CONFIDENTIAL_FLAG, CSV_FLAG_SUFFIX, PUBLIC_DIR, SUPPRESSED_SUFFIX

DICTIONARY_SUFFIX = "dictionary.csv"


def _ordered(frame: pd.DataFrame, spec: PublicTable) -> list[str]:
    """Each protected measure followed by its flag."""
    columns = []
    for column in frame.columns:
        if column.endswith(SUPPRESSED_SUFFIX):
            continue
        columns.append(column)
        if column + SUPPRESSED_SUFFIX in frame.columns:
            columns.append(column + SUPPRESSED_SUFFIX)
    return columns


def _protection(spec: PublicTable, column: str, k: int) -> str:
    if column in spec.counts:
        return (
            f"count: 1 to {k - 1} suppressed (primary); zero is published, so a suppressed cell is never 0; "
            f"further cells suppressed so that no suppressed cell can be narrowed to an interval narrower "
            f"than {k} from the published figures of every public table, and no difference of two "
            f"published nested counts is 1 to {k - 1} (secondary)"
        )
    rounding = (
        f"model output, rounded half up to the nearest {spec.rounded[column]}; " if column in spec.rounded else ""
    )
    if column in spec.derived:
        deps = ", ".join(d.lstrip("~") for d in spec.derived[column])
        least = spec.min_count.get(column)
        fewer = f", or {deps} is below {least}" if least else ""
        return f"{rounding}suppressed when {deps} is suppressed or from 1 to {k - 1}{fewer}"
    if rounding:
        return rounding.rstrip("; ")
    if column.endswith(SUPPRESSED_SUFFIX):
        return "true where the measure is suppressed (its value is null)"
    if column.endswith(CSV_FLAG_SUFFIX):
        return f"'{CONFIDENTIAL_FLAG}' where the measure is suppressed (its value is empty)"
    return ""


def _table_protection(spec: PublicTable, withheld_years: Sequence[int]) -> str:
    """The table row's protection: which rows are published, and the years whose municipal rows the
    disclosure control withheld (coarser detail instead of a hidden national, NUTS3 or Rīga total)."""
    parts = [spec.note or (f"rows published: {spec.where}" if spec.where != "true" else "")]
    if withheld_years:
        years = ", ".join(str(y) for y in sorted(withheld_years))
        parts.append(
            f"municipal rows withheld for {years} (Rīga's kept): some of them could only have been protected by "
            "hiding a national, NUTS3 or Rīga total, so they are left out and the totals published; a missing "
            "municipality in those years is not a zero"
        )
    return "; ".join(p for p in parts if p)


def write_table(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    name: str,
    frame: pd.DataFrame,
    spec: PublicTable,
    k: int,
    withheld_years: Sequence[int] = (),
) -> list[Path]:
    frame = frame[_ordered(frame, spec)]
    con.register("public_frame", frame)
    # the mart's own column types (pandas turns dates into timestamps); 128-bit sums as BIGINT
    original = {c: ("BIGINT" if t == "HUGEINT" else t) for c, t in frame.attrs.get("duckdb_types", {}).items()}
    columns = [(c, original.get(c, t)) for c, t, *_ in con.execute("DESCRIBE SELECT * FROM public_frame").fetchall()]
    select = ", ".join(f'CAST("{c}" AS {original[c]}) AS "{c}"' if c in original else f'"{c}"' for c, _ in columns)
    parquet = out_dir / f"{name}.parquet"
    con.execute(f"CREATE OR REPLACE TEMP TABLE typed AS SELECT {select} FROM public_frame")
    con.execute(f"COPY typed TO '{parquet}' (FORMAT PARQUET, COMPRESSION ZSTD)")
    # CSV: the flag as Eurostat's 'c' instead of a boolean
    csv_select = []
    for c, t in columns:  # noqa: B007
        if c.endswith(SUPPRESSED_SUFFIX):
            base = c[: -len(SUPPRESSED_SUFFIX)]
            csv_select.append(f'CASE WHEN "{c}" THEN \'{CONFIDENTIAL_FLAG}\' END AS "{base}{CSV_FLAG_SUFFIX}"')
        else:
            csv_select.append(f'"{c}"')
    csv_path = out_dir / f"{name}.csv"
    con.execute(f"COPY (SELECT {', '.join(csv_select)} FROM typed) TO '{csv_path}' (HEADER, DELIMITER ',')")
    dictionary = out_dir / f"{name}.{DICTIONARY_SUFFIX}"
    with dictionary.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["column", "type", "definition", "protection"])
        writer.writerow(
            [
                "(table)",
                "",
                describe(name),
                _table_protection(spec, withheld_years),
            ]
        )
        for c, t in columns:
            if c.endswith(SUPPRESSED_SUFFIX):
                base = c[: -len(SUPPRESSED_SUFFIX)]
                writer.writerow(
                    [c, "BOOLEAN (Parquet only)", f"Whether {base} is suppressed.", _protection(spec, c, k)]
                )
                writer.writerow(
                    [
                        base + CSV_FLAG_SUFFIX,
                        "VARCHAR (CSV only)",
                        f"Confidentiality flag of {base}.",
                        _protection(spec, base + CSV_FLAG_SUFFIX, k),
                    ]
                )
            else:
                writer.writerow([c, t, describe_column(name, c), _protection(spec, c, k)])
    con.unregister("public_frame")
    return [parquet, csv_path, dictionary]


def write_public(release: Path, controlled: Controlled) -> list[str]:
    out_dir = release / PUBLIC_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="hm-public-spill-") as spill, duckdb.connect() as con:
        bound(con, Path(spill))
        for name, frame in controlled.tables.items():
            withheld_years = [year for table, year in controlled.withheld if table == name]
            write_table(con, out_dir, name, frame, controlled.specs[name], controlled.k, withheld_years)
            written.append(name)
    return written
