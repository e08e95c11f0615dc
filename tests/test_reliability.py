"""Issue 12, defect by defect: what a careless provider, a second operator or a kill does to a run.

Hand-made shelter-stay deliveries (the contract's `;`, Windows-1257, DD.MM.YYYY), each row's
fate worked out by hand. Codes are made-up but valid (check digit computed by make_old_code).
"""

from __future__ import annotations

import codecs
import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import duckdb
import pytest
from quality_fixtures import query

from dagster_project.run import cleanup
from dagster_project.run.run_lock import EXIT_BUSY, guarded_run, run_lock
from homeless_monitor.quality.runner import GxProject
from homeless_monitor.quality.severity import Severity
from homeless_monitor.quality.stages import run_delivery_stage
from ingestion.contracts import all_contracts
from ingestion.loader import load_inbox
from ingestion.personal_code import make_old_code
from ingestion.pseudonym import pseudonym

KEY = b"reliability-key"
STAYS = all_contracts()["shelter_stays"]
HEADERS = [c.header for c in STAYS.columns]
FILE = "patversmes_uzturesanas_2024.csv"
CODE = make_old_code(date(1975, 4, 23), 840)  # '230475-18408'
OTHER = make_old_code(date(1990, 2, 2), 100)


def row(
    stay="S1",
    code=CODE,
    sex="V",
    birth="1975",
    provider="P001",
    atvk="0001000",
    service="patversme",
    check_in="01.02.2024",
    check_out="05.02.2024",
    prior="iela",
    exit_="",
) -> list[str]:
    return [stay, code, sex, birth, provider, atvk, service, check_in, check_out, prior, exit_]


def write(
    inbox: Path,
    rows: list[list[str]],
    name: str = FILE,
    header: list[str] | None = None,
    delimiter: str = ";",
    newline: str = "\r\n",
    encoding: str = "cp1257",
) -> Path:
    lines = [delimiter.join(header or HEADERS)] + [delimiter.join(r) for r in rows]
    path = inbox / name
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def everything_stored(warehouse: Path, inbox: Path) -> str:
    """All text the load wrote: every table of the warehouse and every receipt file."""
    parts = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for schema, table in con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall():
            parts.append(str(con.execute(f'SELECT * FROM "{schema}"."{table}"').fetchall()))
    parts += [p.read_text(encoding="utf-8") for p in inbox.glob("*.receipt.json")]
    return "\n".join(parts)


def digits(code: str) -> str:
    return code.replace("-", "")


# --- 1. a code with a non-ASCII character --------------------------------------------------------


@pytest.mark.parametrize(
    "separator", ["\u2013", "\u2014", "\u00a0", " ", ""], ids=["en dash", "em dash", "no-break space", "space", "none"]
)
def test_1_a_code_typed_with_an_en_dash_or_a_space_loads_as_the_same_person(inbox, tmp_path, caplog, separator):
    write(inbox, [row(code=CODE[:6] + separator + CODE[7:])])  # windows-1257 has the dashes and the NBSP
    warehouse = tmp_path / "w.duckdb"
    with caplog.at_level(logging.DEBUG):
        [receipt] = load_inbox(inbox, warehouse, KEY)
    assert receipt.status == "loaded" and receipt.rows_loaded == 1
    assert query(warehouse, "SELECT person_id, person_id_status FROM raw.shelter_stays") == [
        (pseudonym(KEY, digits(CODE)), "valid")
    ]
    assert digits(CODE) not in everything_stored(warehouse, inbox) + caplog.text


def test_1_any_non_ascii_character_in_the_code_column_loads_under_a_local_pseudonym(inbox, tmp_path, caplog):
    write(inbox, [row(code="2304Ā5–18408"), row(stay="S2", code=CODE + "ž")])
    warehouse = tmp_path / "w.duckdb"
    with caplog.at_level(logging.DEBUG):
        [receipt] = load_inbox(inbox, warehouse, KEY)
    assert (receipt.status, receipt.rows_loaded, receipt.invalid_personal_codes) == ("loaded", 2, {"bad_format": 2})
    assert query(warehouse, "SELECT count(DISTINCT person_id) FROM raw.shelter_stays WHERE person_id LIKE 'L%'") == [
        (2,)
    ]
    assert digits(CODE) not in everything_stored(warehouse, inbox) + caplog.text


def test_1_an_engine_error_during_a_load_is_a_rejection_that_quotes_no_digit(inbox, tmp_path, caplog, monkeypatch):
    """Whatever fails inside the load, the message keeps its words, never a value that could be a code."""
    from ingestion import loader

    def fail(*args, **kwargs):
        raise duckdb.ConversionException(f"Could not convert string '{CODE[:6]}/{CODE[7:]}' to INT32")

    monkeypatch.setattr(loader.Loader, "_pseudonymise", fail)
    write(inbox, [row()])
    write(inbox, [row(stay="S9")], name="patversmes_uzturesanas_2023.csv")
    with caplog.at_level(logging.DEBUG):
        receipts = load_inbox(inbox, tmp_path / "w.duckdb", KEY)
    assert [r.status for r in receipts] == ["rejected", "rejected"]  # the second file was still tried
    assert receipts[0].reason == (
        "load_error: the loader failed on this file (ConversionException: Could not "
        "convert string '######/#####' to INT##)"
    )
    assert CODE[:6] not in caplog.text + everything_stored(tmp_path / "w.duckdb", inbox)


# --- 2. codes outside the code column ------------------------------------------------------------


def test_2_a_code_in_any_other_column_is_masked_counted_and_never_stored(inbox, tmp_path, caplog):
    other_dashed = OTHER[:6] + "\u2013" + OTHER[7:]
    rows = [
        row(stay=CODE),  # identifier column: masked, the row loads
        row(stay="S2", provider=digits(OTHER)),  # no separator, plausible date: masked
        row(stay="S3", check_out=CODE),  # date column: masked, then invalid_date
        row(stay="S4", prior=CODE.replace("-", " ")),  # code-list column: masked, then unknown_code
        row(stay="S5", birth=CODE),  # number column: masked, then invalid_number
        row(stay="S6 " + OTHER + "," + CODE),  # two codes in one field: one field masked
        row(stay="S7", exit_="nav zināms"),  # nothing to mask
    ]
    write(inbox, rows)
    warehouse = tmp_path / "w.duckdb"
    with caplog.at_level(logging.DEBUG):
        [receipt] = load_inbox(inbox, warehouse, KEY)
    assert receipt.personal_codes_masked == 6
    # the masked check-out date is no date: the end is set to unknown (the stay counts its first night, issue 23),
    # like the optional prior situation and birth year; every row loads and no row is quarantined
    assert receipt.quarantined_by_rule == {}
    assert receipt.field_issues_by_rule == {"invalid_date": 1, "unknown_code": 1, "invalid_number": 1}
    assert receipt.rows_loaded == 7
    assert sorted(query(warehouse, "SELECT stay_id, provider_id FROM raw.shelter_stays")) == [
        ("S2", "[personas kods]"),
        ("S3", "P001"),
        ("S4", "P001"),
        ("S5", "P001"),
        ("S6 [personas kods],[personas kods]", "P001"),
        ("S7", "P001"),
        ("[personas kods]", "P001"),
    ]
    assert query(
        warehouse,
        "SELECT stay_id, check_out_date, prior_situation, birth_year FROM raw.shelter_stays "
        "WHERE stay_id IN ('S3', 'S4', 'S5') ORDER BY 1",
    ) == [
        ("S3", None, "iela", 1975),
        ("S4", date(2024, 2, 5), None, 1975),
        ("S5", date(2024, 2, 5), "iela", None),
    ]
    assert query(warehouse, "SELECT source_row_number, column_name, rule FROM ingest.field_issues ORDER BY 1") == [
        (4, "check_out_date", "invalid_date"),
        (5, "prior_situation", "unknown_code"),
        (6, "birth_year", "invalid_number"),
    ]
    stored = everything_stored(warehouse, inbox) + caplog.text
    for code in (CODE, OTHER, other_dashed):
        assert digits(code) not in stored.replace("-", "").replace(" ", "")
    assert query(warehouse, "SELECT personal_codes_masked FROM ingest.receipts") == [(6,)]


def test_2_dates_numbers_and_atvk_codes_are_not_taken_for_codes(inbox, tmp_path):
    rows = [
        row(stay="12345678901", provider="2024-01-02", atvk="0001000", birth="1975"),  # 11 digits, day 12 month 34
        row(stay="S2", provider="123456,78901"),
    ]  # a decimal comma is not a separator
    write(inbox, rows)
    [receipt] = load_inbox(inbox, tmp_path / "w.duckdb", KEY)
    assert receipt.personal_codes_masked == 0 and receipt.rows_loaded == 2


# --- 3. a byte copy under an unmatched name -------------------------------------------------------


def test_3_a_byte_copy_under_an_unknown_name_gets_its_own_receipt_and_never_blames_the_good_file(inbox, tmp_path):
    good = write(inbox, [row(), row(stay="S2", code=OTHER)])
    warehouse = tmp_path / "w.duckdb"
    load_inbox(inbox, warehouse, KEY)
    (inbox / "kopija.csv").write_bytes(good.read_bytes())
    time.sleep(1.1)  # the copy's receipt is certainly the later one
    [copy] = [r for r in load_inbox(inbox, warehouse, KEY) if r.file_name == "kopija.csv"]
    assert copy.status == "rejected" and copy.reason.startswith("no_contract")
    project = GxProject(tmp_path / "quality")
    for _ in range(2):  # with the copy, then without it: the good file passes both times
        with duckdb.connect(str(warehouse)) as con:
            outcomes = [
                o for os_ in run_delivery_stage(con, inbox, project, sources=["shelter_stays"]).values() for o in os_
            ]
        assert not [o for o in outcomes if o.failed], [o.line() for o in outcomes if o.failed]
        (inbox / "kopija.csv").unlink(missing_ok=True)


# --- 4. implausible dates -------------------------------------------------------------------------


def test_4_stays_in_1850_2031_and_9999_are_quarantined_as_implausible(inbox, tmp_path):
    rows = [
        row(stay="S1", check_in="01.02.1850", check_out=""),
        row(stay="S2", check_in="01.02.2024", check_out="05.02.2031"),
        row(stay="S3", check_in="01.02.9999", check_out=""),
        row(stay="S4"),
    ]
    path = write(inbox, rows)
    os.utime(path, (time.mktime((2024, 12, 1, 0, 0, 0, 0, 0, -1)),) * 2)  # delivered 1 Dec 2024
    warehouse = tmp_path / "w.duckdb"
    [receipt] = load_inbox(inbox, warehouse, KEY)
    # an implausible check-in quarantines the row; an implausible check-out is an end date set to unknown (issue 23)
    assert receipt.quarantined_by_rule == {"implausible_date": 2} and receipt.rows_loaded == 2
    assert query(warehouse, "SELECT source_row_number, column_name, reason FROM ingest.quarantine ORDER BY 1") == [
        (2, "check_in_date", "'Ierašanās datums' = '01.02.1850' is outside the plausible dates 01.01.2000..01.12.2025"),
        (4, "check_in_date", "'Ierašanās datums' = '01.02.9999' is outside the plausible dates 01.01.2000..01.12.2025"),
    ]
    assert query(warehouse, "SELECT source_row_number, column_name, rule FROM ingest.field_issues") == [
        (3, "check_out_date", "implausible_date")
    ]
    assert query(warehouse, "SELECT stay_id, check_out_date FROM raw.shelter_stays ORDER BY 1") == [
        ("S2", None),
        ("S4", date(2024, 2, 5)),
    ]
    assert query(warehouse, "SELECT min(year(check_in_date)) FROM raw.shelter_stays") == [(2024,)]


# --- 5. one provider's bad file and the national release ----------------------------------------


def _delivery_outcomes_with_a_bad_liepaja_file(inbox, tmp_path, bad_file: str):
    write(inbox, [row(), row(stay="S2", code=OTHER)])
    bad = "patversmes_uzturesanas_2024_liepaja.csv"
    if bad_file == "empty":
        (inbox / bad).write_bytes(b"")
    else:  # ISO dates everywhere: every row quarantined as invalid_date
        write(inbox, [row(stay="L1", check_in="2024-02-01", check_out="")], name=bad)
    warehouse = tmp_path / "w.duckdb"
    load_inbox(inbox, warehouse, KEY)
    with duckdb.connect(str(warehouse)) as con:
        outcomes = [
            o
            for os_ in run_delivery_stage(con, inbox, GxProject(tmp_path / "q"), sources=["shelter_stays"]).values()
            for o in os_
        ]
    assert query(warehouse, f"SELECT count(*) FROM raw.shelter_stays WHERE _file_name = '{FILE}'") == [(2,)]
    return bad, outcomes


def test_5_a_rejected_file_is_an_error_naming_source_and_file_not_a_block(inbox, tmp_path):
    """Nothing of a rejected file loads, so the release is not wrong, only without it: published, gap named."""
    bad, outcomes = _delivery_outcomes_with_a_bad_liepaja_file(inbox, tmp_path, "empty")
    assert not [o for o in outcomes if o.blocks]
    named = [o for o in outcomes if o.failed and o.rule == "file_rejected:empty_file"]
    assert [(o.source, o.file_name, o.severity) for o in named] == [("shelter_stays", bad, Severity.ERROR)]


def test_5_a_file_more_than_half_quarantined_blocks_naming_source_and_file_until_an_operator_releases_it(
    inbox, tmp_path
):
    """The ministry's rule (delivery_thresholds.yaml, block: 0.5): the run stops before publication, names
    the file, and `homeless-monitor release approve` is the way on (tests/test_release_approve.py)."""
    bad, outcomes = _delivery_outcomes_with_a_bad_liepaja_file(inbox, tmp_path, "all_quarantined")
    blocking = [o for o in outcomes if o.blocks]
    assert [(o.rule, o.source, o.file_name) for o in blocking] == [("quarantined_share_blocking", "shelter_stays", bad)]
    assert [o.severity for o in outcomes if o.failed and o.rule == "quarantined_share_high"] == [Severity.ERROR]


# --- 6. two runs at once ------------------------------------------------------------------------


def test_6_a_second_run_refuses_at_once_with_a_plain_message_and_loads_nothing(inbox, tmp_path, capsys):
    write(inbox, [row()])
    data, warehouse = tmp_path / "data", tmp_path / "data" / "warehouse" / "work.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time; from pathlib import Path; from dagster_project.run.run_lock import run_lock\n"
                f"with run_lock(Path({str(data)!r}), Path({str(warehouse)!r})):\n"
                "    print('held', flush=True); time.sleep(60)"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        ran = []
        started = time.monotonic()
        code = guarded_run(data, warehouse, data / "published", lambda: ran.append(1) or 0)
        assert code == EXIT_BUSY and ran == [] and time.monotonic() - started < 5
        message = capsys.readouterr().err
        assert f"another run holds the warehouse {warehouse} since " in message
        assert f"pid {holder.pid}" in message
        assert not warehouse.exists()
    finally:
        holder.kill()
        holder.wait()
    assert guarded_run(data, warehouse, data / "published", lambda: 0) == 0  # the kernel freed the lock


def test_6_two_data_folders_on_one_warehouse_are_one_run_at_a_time(tmp_path, capsys):
    warehouse = tmp_path / "w.duckdb"
    with run_lock(tmp_path / "data_a", warehouse):
        assert guarded_run(tmp_path / "data_b", warehouse, tmp_path / "published", lambda: 0) == EXIT_BUSY
    assert "another run holds the warehouse" in capsys.readouterr().err


def test_6_the_cli_refuses_when_the_lock_is_held(inbox, tmp_path, monkeypatch, capsys):
    from dagster_project.run.cli import main

    monkeypatch.setenv("HOMELESS_MONITOR_DATA", str(tmp_path / "data"))
    write(inbox, [row()])
    warehouse = tmp_path / "work.duckdb"
    with run_lock(tmp_path / "data", warehouse):
        assert main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)]) == EXIT_BUSY
    assert "another run holds the warehouse" in capsys.readouterr().err
    assert not warehouse.exists()


# --- 7. leftovers of a kill ---------------------------------------------------------------------


def _orphan(warehouse: Path) -> subprocess.Popen:
    """A stand-in for the dbt child of a killed run: it carries the run mark in its environment."""
    env = {**os.environ, cleanup.RUN_MARKER_ENV: str(warehouse.resolve())}
    # a child inherits the signal mask and ignored signals: after an in-process Dagster run earlier in
    # the suite SIGTERM reached the stand-in only as SIGKILL, so it takes SIGTERM as a dbt child does
    code = (
        "import signal, time; signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM}); "
        "signal.signal(signal.SIGTERM, signal.SIG_DFL); print('ready', flush=True); time.sleep(120)"
    )
    child = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "ready"  # running (on a loaded machine, not still starting)
    return child


def test_7_the_next_run_removes_temporary_release_copies_and_ends_a_dead_runs_child(tmp_path):
    data, published = tmp_path / "data", tmp_path / "data" / "published"  # noqa: F841
    (published / "releases" / ".20241201T000000.tmp").mkdir(parents=True)
    (published / "releases" / ".20241201T000000.tmp" / "warehouse.duckdb").write_bytes(b"person-level copy")
    (published / ".warehouse.duckdb.tmp-20241201T000000").write_bytes(b"person-level copy")
    (published / "releases" / "20241101T000000").mkdir()  # a real release stays
    child = _orphan(tmp_path / "w.duckdb")
    try:  # another data folder, the same warehouse: still that warehouse's leftover
        assert guarded_run(tmp_path / "other_data", tmp_path / "w.duckdb", published, lambda: 0) == 0
        assert child.wait(timeout=10) == -signal.SIGTERM
    finally:
        child.kill()
    assert sorted(p.name for p in (published / "releases").iterdir()) == ["20241101T000000"]
    assert [p.name for p in published.iterdir() if p.is_file()] == []


def test_7_a_run_that_ends_with_an_error_leaves_no_child_and_no_temporary_copy(tmp_path):
    """Dagster turns SIGTERM into an interrupt and fails the run: what it left goes before the lock is freed."""
    published, warehouse = tmp_path / "published", tmp_path / "w.duckdb"
    started = []

    def body():
        (published / "releases" / ".r2.tmp").mkdir(parents=True)
        started.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"]))
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        guarded_run(tmp_path / "data", warehouse, published, body)
    try:
        assert started[0].wait(timeout=10) == -signal.SIGTERM
    finally:
        started[0].kill()
    assert list((published / "releases").iterdir()) == []


def test_7_sigterm_ends_the_runs_children_and_removes_its_temporaries(tmp_path):
    data = tmp_path / "data"
    script = f"""
import subprocess, sys, time
from pathlib import Path
from dagster_project.run.run_lock import guarded_run
data = Path({str(data)!r}); published = data / "published"
def body():
    (published / "releases" / ".r1.tmp").mkdir(parents=True)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    print(child.pid, flush=True)
    time.sleep(120)
    return 0
sys.exit(guarded_run(data, data / "w.duckdb", published, body))
"""
    run = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child_pid = int(run.stdout.readline())
    try:
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=15) == -signal.SIGTERM
        deadline = time.monotonic() + 10
        while cleanup._alive(child_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not cleanup._alive(child_pid)
        assert not (data / "published" / "releases" / ".r1.tmp").exists()
    finally:
        run.kill()
        if cleanup._alive(child_pid):
            os.kill(child_pid, signal.SIGKILL)


# --- 8. wrong or vague messages -----------------------------------------------------------------


def test_8_line_numbers_count_lines_after_a_field_with_a_line_break(inbox, tmp_path):
    rows = [row(stay="S1", provider='"P0\n01"'), row(stay="S2", service="viesnīca")]
    write(inbox, rows, newline="\n")
    warehouse = tmp_path / "w.duckdb"
    load_inbox(inbox, warehouse, KEY)
    # header line 1, S1 on lines 2-3, S2 on line 4
    assert query(warehouse, "SELECT source_row_number, rule FROM ingest.quarantine") == [(4, "unknown_code")]


def test_8_a_truncated_row_is_named_by_its_line_after_a_line_break(inbox, tmp_path):
    rows = [row(stay="S1", provider='"P0\n01"'), row(stay="S2")[:5]]
    write(inbox, rows, newline="\n")
    [receipt] = load_inbox(inbox, tmp_path / "w.duckdb", KEY)
    assert receipt.status == "rejected" and "line 4 has 5 fields where the header has 11" in receipt.reason


def test_8_mixed_crlf_and_lf_line_ends_load(inbox, tmp_path):
    path = inbox / FILE
    lines = [";".join(HEADERS), ";".join(row(exit_="nav zināms")), ";".join(row(stay="S2", code=OTHER, exit_="iela"))]
    path.write_bytes((lines[0] + "\r\n" + lines[1] + "\n" + lines[2] + "\r\n").encode("cp1257"))
    [receipt] = load_inbox(inbox, tmp_path / "w.duckdb", KEY)
    assert (receipt.status, receipt.rows_loaded) == ("loaded", 2)


@pytest.mark.parametrize(
    "variant, hint",
    [
        ("utf16", "the file is UTF-16 text"),
        ("utf16_no_bom", "the file is UTF-16 text"),
        ("comma", "the file is separated by commas"),
        ("tab", "the file is separated by tabs"),
        (
            "lower_case",
            "headers differ from the contract in case or diacritics: 'personas kods' should be 'Personas kods'",
        ),
        (
            "no_diacritics",
            "headers differ from the contract in case or diacritics: "
            "'Pakalpojuma sniedzeja kods' should be 'Pakalpojuma sniedzēja kods'",
        ),
        ("zip", "the file is a ZIP archive"),
        ("utf8", "the file is UTF-8 (without a byte-order mark); the contract says windows-1257"),
        ("binary", "the file is binary data"),
    ],
)
def test_8_a_file_rejected_for_its_form_says_why(inbox, tmp_path, variant, hint):
    lines = [HEADERS, row()]
    if variant in {"utf16", "utf16_no_bom"}:
        text = "\r\n".join(";".join(r) for r in lines) + "\r\n"
        data = (codecs.BOM_UTF16_LE if variant == "utf16" else b"") + text.encode("utf-16-le")
        (inbox / FILE).write_bytes(data)
    elif variant in {"comma", "tab"}:
        write(inbox, [row()], delimiter="," if variant == "comma" else "\t")
    elif variant == "lower_case":
        write(inbox, [row()], header=[h.lower() if h == "Personas kods" else h for h in HEADERS])
    elif variant == "no_diacritics":
        write(inbox, [row()], header=[h.replace("ē", "e") if h == "Pakalpojuma sniedzēja kods" else h for h in HEADERS])
    elif variant == "utf8":
        write(inbox, [row()], encoding="utf-8")
    elif variant == "binary":
        (inbox / FILE).write_bytes(bytes(range(256)) * 16)
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("stays.csv", ";".join(HEADERS))
        (inbox / FILE).write_bytes(buffer.getvalue())
    [receipt] = load_inbox(inbox, tmp_path / "w.duckdb", KEY)
    assert receipt.status == "rejected" and hint in receipt.reason, receipt.reason
    assert "wrong_encoding: bytes at offset" not in receipt.reason


def test_8_a_missing_production_key_is_one_clear_line_and_no_release_claim(tmp_path, monkeypatch, capsys):
    from dagster_project.run.cli import main

    for name in ("HOMELESS_MONITOR_PSEUDONYM_KEY", "HOMELESS_MONITOR_PSEUDONYM_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOMELESS_MONITOR_MODE", "production")
    monkeypatch.setenv("HOMELESS_MONITOR_DATA", str(tmp_path / "data"))
    (tmp_path / "inbox").mkdir()
    assert main(["run", "--inbox", str(tmp_path / "inbox"), "--warehouse", str(tmp_path / "w.duckdb")]) == 2
    out = capsys.readouterr()
    assert "production mode needs a pseudonym key" in out.err
    assert "Traceback" not in out.err + out.out and "last good release" not in out.err + out.out
    assert not (tmp_path / "w.duckdb").exists()


# --- 9. unbounded values ------------------------------------------------------------------------


def test_9_a_nul_byte_and_a_megabyte_value_are_quarantined_without_being_quoted(inbox, tmp_path):
    huge = "X" * 1_000_000
    write(inbox, [row(stay="S1\x00"), row(stay="S2", provider=huge), row(stay="S3")])
    warehouse = tmp_path / "w.duckdb"
    [receipt] = load_inbox(inbox, warehouse, KEY)
    assert receipt.quarantined_by_rule == {"invalid_characters": 1, "value_too_long": 1}
    assert receipt.rows_loaded == 1
    reasons = query(warehouse, "SELECT rule, reason FROM ingest.quarantine ORDER BY source_row_number")
    assert reasons == [
        ("invalid_characters", "'Uzturēšanās ID' contains a control character (a binary or broken export)"),
        ("value_too_long", "'Pakalpojuma sniedzēja kods' is 1000000 characters long (at most 255)"),
    ]
    assert query(warehouse, "SELECT max(length(provider_id)) FROM raw.shelter_stays") == [(4,)]


def test_9_a_missing_optional_column_loads_the_file_and_says_so(inbox, tmp_path):
    headers = [h for h in HEADERS if h != "Aiziešanas iemesls"]
    write(inbox, [row()[:-1], row(stay="S2", code=OTHER)[:-1]], header=headers)
    warehouse = tmp_path / "w.duckdb"
    [receipt] = load_inbox(inbox, warehouse, KEY)
    assert (receipt.status, receipt.rows_loaded) == ("loaded", 2)
    assert receipt.reason == "optional columns missing, loaded as empty: Aiziešanas iemesls"
    assert query(warehouse, "SELECT count(*) FROM raw.shelter_stays WHERE exit_destination IS NULL") == [(2,)]


def test_9_an_optional_column_spelt_without_diacritics_is_named_on_the_receipt(inbox, tmp_path):
    write(inbox, [row()], header=[h.replace("š", "s") if h == "Dzimšanas gads" else h for h in HEADERS])
    [receipt] = load_inbox(inbox, tmp_path / "w.duckdb", KEY)
    assert receipt.status == "loaded" and receipt.reason == (
        "optional columns missing, loaded as empty: Dzimšanas gads ('Dzimsanas gads' in the file differs in "
        "case or diacritics)"
    )


def test_9_a_missing_required_column_still_rejects_the_file(inbox, tmp_path):
    headers = [h for h in HEADERS if h != "Ierašanās datums"]
    write(inbox, [[v for i, v in enumerate(row()) if i != 7]], header=headers)
    [receipt] = load_inbox(inbox, tmp_path / "w.duckdb", KEY)
    assert receipt.status == "rejected" and receipt.reason.startswith(
        "missing_columns: missing columns: Ierašanās datums"
    )
    assert json.loads((inbox / (FILE + ".receipt.json")).read_text(encoding="utf-8"))["status"] == "rejected"
