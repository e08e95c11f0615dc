"""End to end on a small generated national set: the CLI runs the Dagster job, every generated
row is either loaded or quarantined under the rule the generator injected, and no personal code
from the input appears anywhere the pipeline wrote."""
import csv
import json
import re
from pathlib import Path

import duckdb

from ingestion.contracts import all_contracts, contract_for_file
from ingestion.paths import DBT_PROJECT_DIR

TOKEN = re.compile(rb"[0-9A-Za-z-]{6,16}")


def test_the_cli_run_succeeds_and_builds_raw_staging_and_marts(national_run):
    assert national_run.returncode == 0, national_run.output[-4000:]
    with duckdb.connect(str(national_run.warehouse), read_only=True) as con:
        schemas = {s for (s,) in con.execute("SELECT DISTINCT schema_name FROM duckdb_tables() "
                                             "UNION SELECT DISTINCT schema_name FROM duckdb_views()").fetchall()}
        assert {"raw", "ingest", "staging", "marts"} <= schemas
        assert con.execute("SELECT count(*) FROM marts.mart_homeless_flow_yearly").fetchone()[0] > 0


def test_every_generated_row_is_loaded_or_quarantined_with_the_injected_rule(national_run):
    with duckdb.connect(str(national_run.warehouse), read_only=True) as con:
        receipts = {r[0]: r[1:] for r in con.execute(
            "SELECT file_name, status, rows_read, rows_loaded, quarantined_by_rule, invalid_personal_codes, source "
            "FROM ingest.receipts").fetchall()}
        assert set(national_run.manifest["files"]) <= set(receipts)
        for file_name, expected in national_run.manifest["files"].items():
            status, read, loaded, by_rule, bad_codes, source = receipts[file_name]
            injected = expected.get("quarantine", {})
            assert status == "loaded", file_name
            assert read == expected["data_rows"], file_name
            assert json.loads(by_rule) == {k: v for k, v in injected.items() if v}, file_name
            assert loaded == expected["data_rows"] - sum(injected.values()), file_name
            assert json.loads(bad_codes) == {k: v for k, v in expected.get("invalid_personal_codes", {}).items() if v}
            in_raw = con.execute(f"SELECT count(*) FROM raw.{source} WHERE _file_name = ?", [file_name]).fetchone()[0]
            assert in_raw == loaded, file_name
            for rule, lines in expected.get("quarantine_lines", {}).items():
                found = [n for (n,) in con.execute(
                    "SELECT source_row_number FROM ingest.quarantine WHERE file_name = ? AND rule = ? ORDER BY 1",
                    [file_name, rule]).fetchall()]
                assert found == sorted(lines), (file_name, rule)


def _input_personal_codes(inbox: Path) -> set[bytes]:
    """Every personal code delivered (valid or not), as written and without its hyphen."""
    codes: set[bytes] = set()
    for path in inbox.iterdir():
        contract = contract_for_file(path.name)
        if contract is None or contract.personal_code_column is None or path.name.endswith(".json"):
            continue
        with open(path, encoding=contract.file.encoding, newline="") as f:
            reader = csv.reader(f, delimiter=contract.file.delimiter)
            header = [h.strip().lstrip("\ufeff") for h in next(reader)]
            position = header.index(contract.personal_code_column.header)
            for row in reader:
                value = row[position].strip() if position < len(row) else ""
                if len(value) >= 6:
                    codes.add(value.encode())
                    codes.add(value.replace("-", "").encode())
    return codes


def test_no_personal_code_reaches_any_table_receipt_log_or_file(national_run):
    codes = _input_personal_codes(national_run.inbox)
    assert len(codes) > 1000  # the scan is meaningful only if there is something to find

    leaks: list[str] = []
    with duckdb.connect(str(national_run.warehouse), read_only=True) as con:
        con.execute("CREATE TEMP TABLE codes (code VARCHAR)")
        con.executemany("INSERT INTO codes VALUES (?)", [(c.decode(),) for c in codes])
        text_columns = con.execute("""
            SELECT table_schema, table_name, column_name FROM information_schema.columns
            WHERE data_type IN ('VARCHAR', 'JSON') AND table_schema NOT IN ('information_schema', 'pg_catalog')
              AND table_catalog = current_database()""").fetchall()
        assert len(text_columns) > 50
        for schema, table, column in text_columns:
            hits = con.execute(f"""
                SELECT count(*) FROM (SELECT DISTINCT unnest(regexp_extract_all(CAST("{column}" AS VARCHAR),
                                                    '[0-9A-Za-z-]{{6,16}}')) AS token FROM "{schema}"."{table}") t
                WHERE token IN (SELECT code FROM codes)""").fetchone()[0]
            if hits:
                leaks.append(f"{schema}.{table}.{column}: {hits}")

    written = [p for p in national_run.base.rglob("*") if p.is_file()
               and not (p.parent == national_run.inbox and contract_for_file(p.name) and not p.name.endswith(".json"))]
    written += [p for p in (DBT_PROJECT_DIR / "logs").rglob("*") if p.is_file()]
    assert any(p.name.endswith(".receipt.json") for p in written)
    for path in written:
        found = set(TOKEN.findall(path.read_bytes())) & codes
        if found:
            leaks.append(f"{path}: {len(found)}")
    found = set(TOKEN.findall(national_run.output.encode())) & codes
    if found:
        leaks.append(f"run output: {len(found)}")
    assert leaks == []


def test_the_first_run_wrote_a_receipt_beside_every_delivery(national_run):
    deliveries = [p for p in national_run.inbox.iterdir() if contract_for_file(p.name) and not p.name.endswith(".json")]
    assert len({contract_for_file(p.name).source for p in deliveries}) == len(all_contracts())
    for path in deliveries:
        receipt = json.loads(path.with_name(path.name + ".receipt.json").read_text(encoding="utf-8"))
        assert receipt["status"] == "loaded" and receipt["file_sha256"]
