"""The three release tiers on the suite's national run (`national_run`, scale 0.02): what each holds,
what it must never hold, and that the public tier's small-number protection holds up to an attacker
who reads the published files."""

from __future__ import annotations

import json
import os
import stat

import duckdb
import pandas as pd
import pytest
import test_end_to_end as end_to_end

from homeless_monitor.disclosure.attacker import audit
from homeless_monitor.disclosure.control import withhold_municipal_rows
from homeless_monitor.disclosure.primary import DEFAULT_K
from homeless_monitor.disclosure.tables import PUBLIC_TABLES, build_problem, read_public_frames
from homeless_monitor.release.restricted import PERSON_COLUMNS
from homeless_monitor.release.tiers import (
    ANALYST_FILE,
    CONFIDENTIAL_FLAG,
    CSV_FLAG_SUFFIX,
    MANIFEST_FILE,
    PUBLIC_DIR,
    RESTRICTED_FILE,
    SUPPRESSED_SUFFIX,
    analyst_file,
    public_table,
    release_dir,
    restricted_file,
)
from ingestion.loader import file_sha256 as sha256

K = DEFAULT_K
IDENTIFIER_WORDS = ("person_id", "client_id", "pseudonym", "personal_code", "episode_id", "spell_id")


@pytest.fixture(scope="module")
def published(national_run):
    assert national_run.returncode == 0, national_run.output[-4000:]
    return national_run.data_dir / "published"


def _parquet(path) -> pd.DataFrame:
    return duckdb.sql(f"SELECT * FROM '{path}'").df()


def _tables(path) -> dict[str, list[str]]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()
    out: dict[str, list[str]] = {}
    for schema, table in rows:
        out.setdefault(schema, []).append(table)
    return out


def test_a_run_leaves_three_tiers_and_no_full_warehouse_copy(published):
    manifest = json.loads((published / MANIFEST_FILE).read_text())
    current = release_dir(published)
    versioned = release_dir(published, manifest["release_id"])
    assert not (published / "warehouse.duckdb").exists()
    assert sorted(p.name for p in versioned.glob("*.duckdb")) == [ANALYST_FILE, RESTRICTED_FILE]
    for release in (current, versioned):
        assert public_table(release, "mart_homeless_flow_yearly").exists()
        assert public_table(release, "mart_homeless_flow_yearly", "csv").exists()
        assert public_table(release, "mart_homeless_flow_yearly", "dictionary.csv").exists()
        assert analyst_file(release).exists() and restricted_file(release).exists()
    # every file of the release is in the manifest with its SHA-256, and nothing else is there
    files = {f["path"]: f["sha256"] for f in manifest["files"]}
    on_disk = {str(p.relative_to(versioned)) for p in versioned.rglob("*") if p.is_file()} - {MANIFEST_FILE}
    assert set(files) == on_disk
    assert all(sha256(versioned / path) == digest for path, digest in files.items())
    assert manifest["disclosure_control"]["audit"] == "passed"


def test_every_published_file_is_read_only(published):
    files = [p for p in published.rglob("*") if p.is_file()]
    assert len(files) > 20
    modes = {str(p.relative_to(published)): oct(stat.S_IMODE(os.stat(p).st_mode)) for p in files}
    assert {m for m in modes.values()} == {"0o444"}, modes


def test_no_raw_staging_or_ingest_table_in_any_tier(published):
    analyst, restricted = _tables(published / ANALYST_FILE), _tables(published / RESTRICTED_FILE)
    assert set(analyst) == {"marts"} and set(restricted) == {"marts"}
    for table in analyst["marts"]:
        assert table.startswith(("mart_", "dim_")), table
    for table in restricted["marts"]:  # person-level marts and the person-level intermediates extracts read
        assert table.startswith(("mart_", "dim_", "fct_", "int_person_", "int_hf__")), table
    assert set(restricted["marts"]) >= {"fct_service_days", "dim_person", "int_person_homeless_spells"}
    public = {p.name.split(".")[0] for p in (published / PUBLIC_DIR).iterdir()}
    assert public and all(name.startswith("mart_") for name in public)


def test_no_person_identifier_in_the_public_or_analyst_tier(published):
    with duckdb.connect(str(published / ANALYST_FILE), read_only=True) as con:
        columns = [c for (c,) in con.execute("SELECT column_name FROM information_schema.columns").fetchall()]
    for path in (published / PUBLIC_DIR).glob("*.parquet"):
        columns += list(duckdb.sql(f"SELECT * FROM '{path}' LIMIT 0").columns)
    assert len(columns) > 100
    assert [c for c in columns if any(word in c.lower() for word in IDENTIFIER_WORDS)] == []
    # and the restricted tier is where the person-level tables went
    with duckdb.connect(str(published / RESTRICTED_FILE), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM marts.fct_service_days").fetchone()[0] > 0
        assert PERSON_COLUMNS[0] in [
            c
            for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'fct_service_days'"
            ).fetchall()
        ]


def test_no_public_count_is_between_1_and_k_minus_1_and_suppressed_cells_are_flagged_never_zero(published):
    checked = 0
    for spec in PUBLIC_TABLES:
        path = public_table(published, spec.name)
        if not path.exists():
            continue
        frame = _parquet(path)
        csv = pd.read_csv(public_table(published, spec.name, "csv"), dtype=str, keep_default_na=False)
        for column in spec.counts:
            values = frame[column].dropna().astype(float)
            assert not ((values > 0) & (values < K)).any(), (spec.name, column)
            hidden = frame[column + SUPPRESSED_SUFFIX]
            assert frame.loc[hidden, column].isna().all()
            assert (csv.loc[hidden.values, column] == "").all()
            assert (csv.loc[hidden.values, column + CSV_FLAG_SUFFIX] == CONFIDENTIAL_FLAG).all()
            assert (csv.loc[~hidden.values, column + CSV_FLAG_SUFFIX] == "").all()
            checked += int(hidden.sum())
    assert checked > 50  # small data: plenty of cells to protect


def test_the_attacker_recovers_no_suppressed_cell_from_the_published_files(national_run, published):
    """Independent of the publisher: the pattern is read back from the public Parquet flags, the true
    values from the work file (less the municipal rows the manifest says were withheld), and every
    suppressed cell's attacker LP must leave width >= k."""
    with duckdb.connect(str(national_run.warehouse), read_only=True) as con:
        frames = read_public_frames(con)
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    withheld = [w.split(" ") for w in manifest["disclosure_control"]["municipal_rows_withheld"]]
    frames = withhold_municipal_rows(frames, [(table, int(year)) for table, year in withheld])
    cm = build_problem(frames)
    hidden: set[int] = set()
    for spec in PUBLIC_TABLES:
        if spec.name not in frames:
            continue
        flags = _parquet(public_table(published, spec.name))
        assert len(flags) == len(frames[spec.name])
        for column in spec.counts:
            for position in flags.index[flags[column + SUPPRESSED_SUFFIX]]:
                hidden.add(cm.cells[(spec.name, position, column)])
    assert len(hidden) > 50
    assert audit(cm.problem, hidden, K) == []


def test_the_analyst_tier_is_documented_and_flagged(published):
    with duckdb.connect(str(published / ANALYST_FILE), read_only=True) as con:
        comment = con.execute(
            "SELECT comment FROM duckdb_tables() WHERE table_name = 'mart_homeless_flow_yearly'"
        ).fetchone()[0]
        assert comment and "unduplicated persons" in comment
        column_comment = con.execute(
            "SELECT comment FROM duckdb_columns() WHERE table_name = 'mart_homeless_flow_yearly' "
            "AND column_name = 'persons_suppressed'"
        ).fetchone()[0]
        assert "public tier" in column_comment
        # unsuppressed: small counts are there, flagged
        small = con.execute(
            "SELECT count(*) FROM marts.mart_homeless_flow_yearly WHERE persons BETWEEN 1 AND 4 AND persons_suppressed"
        ).fetchone()[0]
        assert small > 0
        years = {
            f"year={y}" for (y,) in con.execute("SELECT DISTINCT year FROM marts.mart_homeless_flow_yearly").fetchall()
        }
    parquet = {p.name for p in (published / "analyst_parquet" / "mart_homeless_flow_yearly").glob("year=*")}
    assert parquet == years and len(years) >= 2


def test_the_privacy_scan_covers_every_tier(national_run, published):
    """No personal code from the input (in any spelling) in any table or file of any tier."""
    codes = end_to_end._input_personal_codes(national_run.inbox)
    assert len(codes) > 1000
    lengths = {len(c) for c in codes}
    texts = [
        t
        for database in (published / ANALYST_FILE, published / RESTRICTED_FILE)
        for t in end_to_end._text_of_duckdb(database)
    ]
    for path in (published / PUBLIC_DIR).iterdir():
        texts.append(
            (
                path.name,
                path.read_bytes()
                if path.suffix == ".csv"
                else duckdb.sql(f"SELECT * FROM '{path}'").df().to_csv().encode(),
            )
        )
    assert len(texts) > 20
    leaks = [f"{where}: {len(found)}" for where, data in texts if (found := end_to_end._codes_in(data, codes, lengths))]
    assert leaks == []
