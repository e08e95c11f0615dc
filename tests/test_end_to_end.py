"""End to end on a small generated national set: the CLI runs the Dagster job, every generated
row is either loaded or quarantined under the rule the generator injected, and no personal code
from the input appears anywhere the pipeline wrote."""

import csv
import gzip
import json
import re
import sqlite3
from pathlib import Path

import duckdb

from ingestion.contracts import all_contracts, contract_for_file
from ingestion.paths import DBT_PROJECT_DIR


def test_the_cli_run_succeeds_and_builds_raw_staging_and_marts(national_run):
    assert national_run.returncode == 0, national_run.output[-4000:]
    with duckdb.connect(str(national_run.warehouse), read_only=True) as con:
        schemas = {
            s
            for (s,) in con.execute(
                "SELECT DISTINCT schema_name FROM duckdb_tables() UNION SELECT DISTINCT schema_name FROM duckdb_views()"
            ).fetchall()
        }
        assert {"raw", "ingest", "staging", "marts"} <= schemas
        assert con.execute("SELECT count(*) FROM marts.mart_homeless_flow_yearly").fetchone()[0] > 0


def test_every_generated_row_is_loaded_or_quarantined_with_the_injected_rule(national_run):
    """Each injected fault is found under its rule: a fault in an optional field as a field set to
    unknown (the row loads, issue 23), any other as a quarantined row."""
    from ingestion.rules import FIELD_RULES, field_level_columns

    with duckdb.connect(str(national_run.warehouse), read_only=True) as con:
        receipts = {
            r[0]: r[1:]
            for r in con.execute(
                "SELECT file_name, status, rows_read, rows_loaded, quarantined_by_rule, invalid_personal_codes, source, "
                "field_issues_by_rule FROM ingest.receipts"
            ).fetchall()
        }
        assert set(national_run.manifest["files"]) <= set(receipts)
        contracts = all_contracts()
        for file_name, expected in national_run.manifest["files"].items():
            status, read, loaded, by_rule, bad_codes, source, by_field = receipts[file_name]
            injected = expected.get("quarantine", {})
            quarantined, fields = json.loads(by_rule), json.loads(by_field or "{}")
            assert status == "loaded", file_name
            assert read == expected["data_rows"], file_name
            assert set(fields) <= FIELD_RULES, file_name
            assert {k: quarantined.get(k, 0) + fields.get(k, 0) for k in set(quarantined) | set(fields)} == {
                k: v for k, v in injected.items() if v
            }, file_name
            assert loaded == expected["data_rows"] - sum(quarantined.values()), file_name
            assert json.loads(bad_codes) == {k: v for k, v in expected.get("invalid_personal_codes", {}).items() if v}
            in_raw = con.execute(f"SELECT count(*) FROM raw.{source} WHERE _file_name = ?", [file_name]).fetchone()[0]
            assert in_raw == loaded, file_name
            optional = field_level_columns(contracts[source])
            for rule, lines in expected.get("quarantine_lines", {}).items():
                found = [
                    n
                    for (n,) in con.execute(
                        "SELECT source_row_number FROM ingest.quarantine WHERE file_name = ? AND rule = ? "
                        "UNION ALL SELECT source_row_number FROM ingest.field_issues WHERE file_name = ? AND rule = ? "
                        "ORDER BY 1",
                        [file_name, rule, file_name, rule],
                    ).fetchall()
                ]
                assert found == sorted(lines), (file_name, rule)
            nulled = con.execute(
                "SELECT DISTINCT column_name FROM ingest.field_issues WHERE file_name = ?", [file_name]
            ).fetchall()
            assert {c for (c,) in nulled} <= optional, file_name


def _input_personal_codes(inbox: Path) -> set[str]:
    """Every personal code delivered (valid or not), as its digits only (separators removed)."""
    codes: set[str] = set()
    for path in inbox.iterdir():
        contract = contract_for_file(path.name)
        if contract is None or contract.personal_code_column is None or path.name.endswith(".json"):
            continue
        with open(path, encoding=contract.file.encoding, newline="") as f:
            reader = csv.reader(f, delimiter=contract.file.delimiter)
            header = [h.strip().lstrip("\ufeff") for h in next(reader)]
            position = header.index(contract.personal_code_column.header)
            for row in reader:
                value = re.sub(r"[^0-9]", "", row[position]) if position < len(row) else ""
                if len(value) >= 10:  # a code, or a code with a digit dropped (a generator fault)
                    codes.add(value)
    return codes


#: A run of digits, with any hyphen, dash or space between them removed, can hold a code.
DIGIT_RUN = re.compile(rb"[0-9](?:[0-9]|[-\s]|\xe2\x80[\x90-\x95]|\xc2\xa0)*[0-9]")
SEPARATORS = re.compile(rb"[^0-9]")


def _codes_in(data: bytes, codes: set[str], lengths: set[int]) -> set[str]:
    """Input codes found anywhere in the bytes, also inside a longer digit run or split by a separator."""
    found = set()
    for run in DIGIT_RUN.findall(data):
        digits = SEPARATORS.sub(b"", run).decode()
        if len(digits) < min(lengths):
            continue
        for n in lengths:
            found |= {digits[i : i + n] for i in range(len(digits) - n + 1)} & codes
    return found


def _text_of_duckdb(path: Path) -> list[tuple[str, bytes]]:
    """Every text value of every table and view of a DuckDB file (its bytes are compressed)."""
    out = []
    with duckdb.connect(str(path), read_only=True) as con:
        columns = con.execute("""
            SELECT table_schema, table_name, column_name FROM information_schema.columns
            WHERE data_type IN ('VARCHAR', 'JSON') AND table_schema NOT IN ('information_schema', 'pg_catalog')
              AND table_catalog = current_database()""").fetchall()
        for schema, table, column in columns:
            values = con.execute(
                f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM "{schema}"."{table}" '
                f"WHERE regexp_matches(CAST(\"{column}\" AS VARCHAR), '[0-9]')"
            ).fetchall()
            out.append((f"{path}:{schema}.{table}.{column}", "\n".join(v for (v,) in values if v).encode()))
    return out


def _text_of_parquet(path: Path) -> list[tuple[str, bytes]]:
    with duckdb.connect() as con:
        frame = con.execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    return [(str(path), "\n".join(map(str, frame)).encode())]


def _text_of_sqlite(path: Path) -> list[tuple[str, bytes]]:
    """Dagster's run and event-log storage, dumped as SQL text (also what sits in its WAL)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [(str(path), "\n".join(con.iterdump()).encode())]
    finally:
        con.close()


def _everything_written(run) -> list[tuple[str, bytes]]:
    """(where, content) for everything the run wrote: every file under its base folder but the
    deliveries, with DuckDB files, Parquet and SQLite read through their engines as well as raw."""
    items: list[tuple[str, bytes]] = []
    paths = [
        p
        for p in run.base.rglob("*")
        if p.is_file() and not (p.parent == run.inbox and contract_for_file(p.name) and not p.name.endswith(".json"))
    ]
    paths += [p for p in (DBT_PROJECT_DIR / "logs").rglob("*") if p.is_file()]
    for path in paths:
        data = path.read_bytes()
        items.append((str(path), data))
        if path.suffix == ".gz":
            items.append((str(path), gzip.decompress(data)))
        if data.startswith(b"SQLite format 3\0"):
            items += _text_of_sqlite(path)
        elif path.suffix == ".parquet":
            items += _text_of_parquet(path)
        elif path.suffix == ".duckdb" and not path.name.endswith(".wal"):
            items += _text_of_duckdb(path)
    return items


def test_no_personal_code_or_key_reaches_anything_the_run_wrote(national_run):
    """Warehouse, published tiers, Dagster storage and compute logs, receipts, quality pages,
    reports, dbt logs, the console: no input code (in any spelling) and not the pseudonym key."""
    codes = _input_personal_codes(national_run.inbox)
    assert len(codes) > 1000  # the scan is meaningful only if there is something to find
    lengths = {len(c) for c in codes}
    key = (national_run.data_dir / "secrets" / "pseudonym.key").read_bytes().strip()
    assert len(key) >= 32

    written = _everything_written(national_run)
    names = " ".join(where for where, _ in written)
    for expected in ("work.duckdb", ".receipt.json", "dagster_home", "published", "quality"):
        assert expected in names, f"the scan missed {expected}"
    assert any(where.endswith(".db") for where, _ in written)  # Dagster's SQLite storage
    written.append(("run output", national_run.output.encode()))

    leaks = []
    for where, data in written:
        found = _codes_in(data, codes, lengths)
        if found:
            leaks.append(f"{where}: {len(found)} code(s)")
        if key in data and not where.endswith("pseudonym.key"):
            leaks.append(f"{where}: the pseudonym key")
    assert leaks == []


def test_the_first_run_wrote_a_receipt_beside_every_delivery(national_run):
    deliveries = [p for p in national_run.inbox.iterdir() if contract_for_file(p.name) and not p.name.endswith(".json")]
    assert len({contract_for_file(p.name).source for p in deliveries}) == len(all_contracts())
    for path in deliveries:
        receipt = json.loads(path.with_name(path.name + ".receipt.json").read_text(encoding="utf-8"))
        assert receipt["status"] == "loaded" and receipt["file_sha256"]
