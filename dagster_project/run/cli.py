"""`homeless-monitor`: generate synthetic deliveries, and run the Dagster job in process.

`run` executes the same Dagster job that the UI and the schedules run; there is no second pipeline.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from homeless_monitor.settings import Settings, current

DEFAULT_YEARS = "2015-2024"
DEFAULT_SCALE = 1.0
DEFAULT_SEED = 20241115


def _years(text: str) -> range:
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


#: what the project's Dagster instance always has: no telemetry, and no "Join the Dagster community"
#: pop-up over the asset graph (`nux`, Dagster's new-user experience; instance setting since 1.x)
INSTANCE_SETTINGS = {"telemetry": {"enabled": False}, "nux": {"enabled": False}}


def ensure_instance_settings(config: Path) -> None:
    """Write the settings above into dagster.yaml, keeping whatever else an operator configured there."""
    import yaml

    from dagster_project.run.dagster_storage import QuickSqliteEventLogStorage, instance_settings

    current = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}) if config.exists() else {}
    wanted = {**current, **{k: {**(current.get(k) or {}), **v} for k, v in INSTANCE_SETTINGS.items()}}
    # the run history without a disk flush per event (dagster_project/run/dagster_storage.py), unless an
    # operator configured the instance's storage; an operator's `synchronous` level is kept
    ours = (current.get("event_log_storage") or {}).get("class") == QuickSqliteEventLogStorage.__name__
    if ours or not any(current.get(k) for k in ("storage", "run_storage", "event_log_storage", "schedule_storage")):
        storage = instance_settings(str(config.parent.resolve()))
        if ours:
            kept = (current["event_log_storage"].get("config") or {}).get("synchronous")
            storage["config"]["synchronous"] = kept or storage["config"]["synchronous"]
        wanted["event_log_storage"] = storage
    if wanted != current:
        config.write_text(yaml.safe_dump(wanted, sort_keys=False), encoding="utf-8")


def prepare_environment(settings: Settings | None = None) -> Path:
    """The project's Dagster home (settings: DAGSTER_HOME, else under the data folder), with no
    telemetry and no community pop-up; returns it. Nothing is written to the environment: paths reach
    the job as run config (run_config_for), the Dagster home as the instance (instance_for)."""
    home = (settings or current()).dagster_home
    home.mkdir(parents=True, exist_ok=True)
    ensure_instance_settings(home / "dagster.yaml")
    return home


def instance_for(settings: Settings):
    """The Dagster instance of the settings' Dagster home (run history, event logs)."""
    from dagster import DagsterInstance

    return DagsterInstance.from_config(str(prepare_environment(settings)))


def settings_from(args: argparse.Namespace) -> Settings:
    """The environment's settings with the command's --data-dir, --inbox and --warehouse on top."""
    from dataclasses import replace

    settings = current().with_data_dir(getattr(args, "data_dir", None))
    if getattr(args, "inbox", None) is not None:
        settings = replace(settings, inbox=args.inbox.resolve())
    if getattr(args, "warehouse", None) is not None:
        settings = replace(settings, warehouse=args.warehouse.resolve())
    return settings


def generate(out: Path, years: range, scale: float, seed: int, pilot: bool = False) -> None:
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if pilot:
        from ingestion.generator.pilot import generate_pilot

        generate_pilot(out, seed=seed)
    else:
        from ingestion.generator import generate_national

        generate_national(out, years=years, scale=scale, seed=seed)
    print(f"generated {'pilot cohort' if pilot else 'national set'} in {out} ({time.perf_counter() - started:.1f} s)")


def _default_inbox_ready(inbox: Path, years: range, scale: float, seed: int) -> bool:
    manifest = inbox / "_faults.json"
    if not manifest.exists():
        return False
    made = json.loads(manifest.read_text())
    from ingestion.generator.pilot import PILOT_YEARS

    with_pilot = all(year in years for year in PILOT_YEARS)  # an inbox from before the pilot was included is remade
    return (
        made.get("seed") == seed
        and made.get("scale") == scale
        and made.get("years") == [years[0], years[-1]]
        and made.get("pilot_cohort", False) == with_pilot
        and made.get("pilot_follow_up", False) == with_pilot  # the programme's delivery after the pilot
    )


def run_config_for(
    settings: Settings, full_refresh: bool = False, dates: dict | None = None, log_level: str = "INFO"
) -> dict:
    """The monitoring_release run config: the settings' paths for every resource, and the dbt asset's
    options (dates, full refresh)."""
    paths = {
        "data_path": str(settings.data_dir),
        "inbox_dir": str(settings.inbox),
        "work_path": str(settings.warehouse),
    }
    run_config: dict = {
        "resources": {
            "warehouse": {"config": paths},
            "release": {"config": paths},
            "pseudonym_key": {"config": {"data_path": str(settings.data_dir)}},
        },
        "loggers": {"console": {"config": {"log_level": log_level}}},
    }
    dbt_config = {
        **({"full_refresh": True} if full_refresh else {}),
        **{k: v for k, v in (dates or {}).items() if v is not None},
    }
    if dbt_config:
        run_config["ops"] = {"warehouse_dbt_models": {"config": dbt_config}}
    return run_config


def execute_pipeline(
    settings: Settings,
    full_refresh: bool = False,
    dates: dict | None = None,
    listener=None,
    run_id: str | None = None,
):
    """Execute the monitoring_release job in process; return Dagster's result (events, run id).

    `listener(event_log_entry)` sees every event of the run as it happens (the stage lines).
    """
    import uuid

    from dagster_project.definitions import defs

    job = defs.resolve_job_def("monitoring_release")
    instance = instance_for(settings)
    run_id = run_id or str(uuid.uuid4())
    if listener is not None:
        instance.add_event_listener(run_id, listener)
    run_config = run_config_for(settings, full_refresh, dates, log_level="DEBUG" if listener else "INFO")
    return job.execute_in_process(run_config=run_config, instance=instance, raise_on_error=False, run_id=run_id)


def _date(text: str) -> str:
    """YYYY-MM-DD, checked."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from error


def _night(text: str) -> tuple[int, int]:
    """MM-DD (e.g. 11-15, the night of 15 November), checked against a leap year."""
    import datetime as dt

    try:
        month, day = (int(p) for p in text.split("-"))
        dt.date(2024, month, day)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a night MM-DD: {text!r}") from error
    return month, day


def run_dates(args: argparse.Namespace) -> dict:
    """The release's dates given on the command line, as the dbt asset's config fields."""
    month, day = args.reference_night or (None, None)
    return {
        "as_of_date": args.as_of_date,
        "pit_month": month,
        "pit_day": day,
        "hf_evaluation_date": args.hf_evaluation_date,
    }


def print_warehouse_summary(warehouse: Path) -> None:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() ORDER BY 1, 2").fetchall()
        per_schema: dict[str, list[int]] = {}
        for schema, table in tables:
            count = con.execute(f'SELECT count(*) FROM "{schema}"."{table}"').fetchone()[0]
            per_schema.setdefault(schema, []).append(count)
        print("warehouse", warehouse)
        for schema, counts in per_schema.items():
            print(f"  {schema:<13} {len(counts):>3} tables  {sum(counts):>12,} rows")
        receipts = con.execute("""
            SELECT status, count(*), sum(rows_read), sum(rows_loaded), sum(rows_quarantined)
            FROM ingest.receipts GROUP BY ALL ORDER BY 1""").fetchall()
        for status, files, read, loaded, quarantined in receipts:
            print(
                f"  receipts: {files} {status} (rows read {read or 0:,}, loaded {loaded or 0:,}, "
                f"quarantined {quarantined or 0:,})"
            )


def export_postgres(warehouse: Path, postgres: dict) -> int:
    """Copy dbt's sources to the PostgreSQL named by HM_PG_* (`postgres`: the settings' connection
    keywords; the database is created if needed)."""
    from ingestion.postgres_raw import copy_to_postgres, ensure_database

    settings = postgres
    started = time.perf_counter()
    ensure_database(settings)
    copied = copy_to_postgres(warehouse, settings)
    print(
        f"copied {len(copied)} tables, {sum(t['rows'] for t in copied):,} rows from {warehouse} to "
        f"postgresql://{settings['user']}@{settings['host']}:{settings['port']}/{settings['dbname']} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    print("next: cd dbt && dbt build --target postgres")
    return 0


def run_ui(command: list[str], cwd: Path, grace_seconds: float = 20.0, env: dict | None = None) -> int:
    """Run `dagster dev` as a child; on SIGINT/SIGTERM pass the signal on and wait for it to stop.

    `dagster dev` shuts its webserver and daemon down on SIGINT/SIGTERM; replacing this process by it
    (exec) left the UI running when started in the background and sent a signal.
    """
    import signal
    import subprocess

    child = subprocess.Popen(command, cwd=cwd, env=env, start_new_session=True)  # signals reach it only through us
    signalled: list[int] = []

    def forward(signum, _frame):
        signalled.append(signum)
        if child.poll() is None:
            child.send_signal(signum)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    deadline = None
    try:
        while True:
            try:
                code = child.wait(timeout=0.5)
                return 0 if signalled else code
            except subprocess.TimeoutExpired:
                if signalled and deadline is None:
                    deadline = time.monotonic() + grace_seconds
                if deadline is not None and time.monotonic() > deadline:  # e.g. waiting on a launched run
                    os.killpg(child.pid, signal.SIGKILL)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def approve_cli(args: argparse.Namespace) -> int:
    """`release approve`: publish a blocked run's warehouse after review; the disclosure audit still applies."""
    settings = settings_from(args)
    from dagster_project.run.approve import NothingToApprove, approve_release
    from homeless_monitor.release.publish import DisclosureAuditFailed

    try:
        with instance_for(settings) as instance:  # the run history that says how the run ended
            path = approve_release(
                settings.warehouse,
                settings.published,
                args.run_id,
                args.reason,
                approved_by=settings.user,
                instance=instance,
            )
    except (NothingToApprove, ValueError, DisclosureAuditFailed) as refused:
        print(f"not released: {refused}", file=sys.stderr)
        return 1
    print(f"released run {args.run_id} as {path.name} (approval recorded in {path / 'manifest.json'})")
    return 0


def release_cli(args: argparse.Namespace) -> int:
    """`release list | show [ID] | rollback ID --reason …` (approve: approve_cli)."""
    if args.release_command == "approve":
        return approve_cli(args)
    settings = settings_from(args)
    from homeless_monitor.release.operator import ReleaseNotFound, checks_text, list_releases, rollback, show_release

    published = settings.published
    try:
        if args.release_command == "list":
            releases = list_releases(published)
            if not releases:
                print(f"no releases in {published}")
                return 0
            print(f"  {'release':<24} {'created':<26} {'checks':<44} {'size':>9}  run")
            for r in releases:
                flag = "*" if r["current"] else " "
                note = " (approved)" if r["approved"] else ""
                print(
                    f"{flag} {r['release_id']:<24} {r['created_at'] or '-':<26} {checks_text(r['checks']):<44} "
                    f"{r['bytes'] / 1e6:>6.1f} MB  {r['run_id'] or '-'}{note}"
                )
            print("* = current release")
            return 0
        if args.release_command == "show":
            print(show_release(published, args.release_id))
            return 0
        from dagster_project.run.run_lock import RunLockBusy, run_lock

        try:
            with run_lock(settings.data_dir, settings.warehouse):  # never while a run publishes
                entry = rollback(published, args.release_id, args.reason)
        except RunLockBusy as busy:
            print(f"not rolled back: {busy}", file=sys.stderr)
            return 3
        print(
            f"current release is now {entry['release_id']} (was {entry['previous_release_id']}); "
            f"logged in {published / 'release_log.jsonl'}"
        )
        print(
            "the yearly report in published/reports/ is from the newest run: rewrite it with "
            "`homeless-monitor report --year YEAR` if it should match"
        )
        return 0
    except (ReleaseNotFound, ValueError) as refused:
        print(f"release {args.release_command}: {refused}", file=sys.stderr)
        return 1


def receipt_cli(args: argparse.Namespace) -> int:
    """`receipt FILE...`: (re)write the HTML receipt of deliveries, and with --pdf the PDF too."""
    import duckdb

    from ingestion.receipt_html import write_html_receipt

    warehouse = settings_from(args).warehouse
    try:
        con = duckdb.connect(str(warehouse), read_only=True) if warehouse.exists() else None
    except duckdb.IOException:
        print(f"the warehouse {warehouse} is in use by a run: try again when it has finished", file=sys.stderr)
        return 3
    status = 0
    try:
        for delivery in args.files:
            written = write_html_receipt(delivery.resolve(), con, pdf=args.pdf)
            if not written:
                print(
                    f"{delivery}: no {delivery.name}.receipt.json beside it (load it with `homeless-monitor run` "
                    "first)",
                    file=sys.stderr,
                )
                status = 1
            for path in written:
                print(path)
    finally:
        if con is not None:
            con.close()
    return status


def write_report_cli(args: argparse.Namespace) -> int:
    from homeless_monitor.report.public import PublicTierMissing
    from homeless_monitor.report.render import write_report

    settings = current()
    published = args.published or settings.published
    langs = tuple(code.strip() for code in args.lang.split(",") if code.strip())
    try:
        written = write_report(published, args.year, langs, args.release, pdf=not args.no_pdf, inbox=settings.inbox)
    except PublicTierMissing as missing:
        print(f"no report: {missing}", file=sys.stderr)
        return 1
    print(
        f"report {args.year} (release {written.release_id}) in {written.folder}: "
        + ", ".join(p.name for p in written.files if p.suffix in (".html", ".pdf"))
        + f"; seconds {written.seconds}"
    )
    return 0


def _data_dir_arguments(parser: argparse.ArgumentParser, warehouse_help: str | None = None) -> None:
    """--data-dir, after --warehouse when the command reads or locks a work file (its help says which)."""
    if warehouse_help:
        parser.add_argument("--warehouse", type=Path, default=None, help=warehouse_help)
    parser.add_argument("--data-dir", type=Path, default=None, help="data folder (default: ./data)")


def main(argv: list[str] | None = None, _guarded: bool = False) -> int:
    parser = argparse.ArgumentParser(prog="homeless-monitor", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write synthetic deliveries (national set, or the Housing First pilot)")
    gen.add_argument(
        "--years",
        default=DEFAULT_YEARS,
        metavar="FIRST-LAST",
        help=f"the years to generate deliveries for, e.g. 2015-2024 or 2024 (default {DEFAULT_YEARS})",
    )
    gen.add_argument(
        "--scale",
        type=float,
        default=DEFAULT_SCALE,
        help="volume relative to Latvia's: 1.0 = national volumes (about 600 MB), 0.02 = a small "
        f"test set (default {DEFAULT_SCALE})",
    )
    gen.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"random seed: the same seed, years and scale give the same files (default {DEFAULT_SEED})",
    )
    gen.add_argument(
        "--pilot",
        action="store_true",
        help="the 2022-2023 Housing First pilot cohort alone "
        "(the national set includes it when its years cover 2021-2024)",
    )
    gen.add_argument("--out", type=Path, default=None, help="folder to write into (default: DATA/inbox)")

    run = sub.add_parser("run", help="run the whole pipeline (the Dagster job, in process)")
    run.add_argument(
        "--inbox", type=Path, help="folder of delivery files (default: generate the synthetic set into DATA/inbox)"
    )
    run.add_argument("--warehouse", type=Path, help="DuckDB work file (default: DATA/warehouse/work.duckdb)")
    run.add_argument(
        "--data-dir",
        type=Path,
        help="data folder for every output of the run: warehouse, releases, quality pages, logs, "
        "Dagster home, demo key (default: $HOMELESS_MONITOR_DATA, else ./data)",
    )
    run.add_argument(
        "--as-of-date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="date open stays and waits run to (dbt var as_of_date; default: the latest record)",
    )
    run.add_argument(
        "--reference-night",
        type=_night,
        metavar="MM-DD",
        help="point-in-time reference night (dbt vars pit_month/pit_day; default 11-15)",
    )
    run.add_argument(
        "--hf-evaluation-date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="date Housing First outcomes are measured at (dbt var hf_evaluation_date; "
        "default: a programme's published evaluation date, else its latest record)",
    )
    run.add_argument(
        "--years",
        default=DEFAULT_YEARS,
        metavar="FIRST-LAST",
        help=f"without --inbox: the years of the synthetic set to generate (default {DEFAULT_YEARS})",
    )
    run.add_argument(
        "--scale",
        type=float,
        default=DEFAULT_SCALE,
        help=f"without --inbox: the synthetic set's volume, 1.0 = national (default {DEFAULT_SCALE})",
    )
    run.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"without --inbox: the synthetic set's random seed (default {DEFAULT_SEED})",
    )
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every dbt model and year (default: only the years new deliveries reach)",
    )

    sub.add_parser("contracts", help="print the source contracts as Markdown")

    export = sub.add_parser(
        "export-postgres", help="copy the raw layer (pseudonyms only) to PostgreSQL for `dbt build --target postgres`"
    )
    export.add_argument(
        "--warehouse", type=Path, default=None, help="DuckDB work file to copy from (default: the data folder's)"
    )

    ext = sub.add_parser(
        "extract", help="take a research extract (pseudonymised, coarsened, k-anonymous) from a release"
    )
    ext.add_argument(
        "--spec",
        type=Path,
        required=True,
        help="extract spec (YAML); ready-made: homeless_monitor/extracts/specs/*.yaml",
    )
    ext.add_argument("--release", help="release id (default: the current release)")
    ext.add_argument("--out", type=Path, required=True, help="folder to write the extract into")
    ext.add_argument(
        "--allow-multiplied-rows",
        metavar="REASON",
        help="take the extract even though a join matches several rows per source row (refused "
        "otherwise); the reason is written to the manifest and the register",
    )

    drill = sub.add_parser("drill", help="list the pseudonymised persons behind a mart cell (authorised analysts)")
    drill.add_argument(
        "mart",
        help="the mart's model name: one whose dbt meta has a drill_measure (flow, reference night, first-time, HC3.1)",
    )
    drill.add_argument("--cell", required=True, help="e.g. year=2024,municipality_atvk=0001000,ethos_light_category=2")
    drill.add_argument("--release", help="release id (default: the current release)")
    drill.add_argument("--episodes", action="store_true", help="list each person's episodes, not one row per person")
    drill.add_argument(
        "--purpose",
        required=True,
        help="why you need the persons behind this cell (e.g. the case or query number); "
        "logged with the access in restricted_register.duckdb",
    )

    rel = sub.add_parser("release", help="operator actions on releases")
    rel_sub = rel.add_subparsers(dest="release_command", required=True)
    approve = rel_sub.add_parser("approve", help="publish a run that blocked, after review (recorded in the manifest)")
    approve.add_argument("run_id", help="the blocked run's id (printed by `homeless-monitor run`)")
    approve.add_argument("--reason", required=True, help="why the blocking checks may be overridden")
    _data_dir_arguments(approve, "DuckDB work file (default: the data folder's)")
    listing = rel_sub.add_parser("list", help="list the published releases, newest first (* = current)")
    _data_dir_arguments(listing)
    show = rel_sub.add_parser("show", help="describe a release: run, code, checks, tiers, sizes, its log lines")
    show.add_argument("release_id", nargs="?", default=None, help="release id (default: the current release)")
    _data_dir_arguments(show)
    back = rel_sub.add_parser(
        "rollback", help="make an earlier release the current one again (logged in published/release_log.jsonl)"
    )
    back.add_argument("release_id", help="the release to make current (see `release list`)")
    back.add_argument("--reason", required=True, help="why (written to the release log)")
    _data_dir_arguments(back, "DuckDB work file whose run lock to take (default: the data folder's)")
    rec = sub.add_parser(
        "receipt",
        help="write a delivery's receipt for its provider as HTML (and PDF), "
        "Latvian and English (`run` writes the HTML of every delivery)",
    )
    rec.add_argument(
        "files",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="delivered file(s) in the inbox, each with its .receipt.json beside it",
    )
    rec.add_argument(
        "--pdf",
        action="store_true",
        help="also write <file>.receipt.pdf (WeasyPrint; about a minute for a receipt of 2,500 lines)",
    )
    _data_dir_arguments(rec, "DuckDB work file the lines are read from (default: the data folder's)")
    rep = sub.add_parser("report", help="write the yearly monitoring report (HTML + PDF + CSV) from the public tier")
    rep.add_argument("--year", type=int, required=True, help="reporting year, e.g. 2024")
    rep.add_argument("--lang", default="lv,en", help="languages, comma-separated (lv, en)")
    rep.add_argument("--release", default=None, help="release id (default: the current release)")
    rep.add_argument("--published", type=Path, default=None, help="published folder (default: data/published)")
    rep.add_argument("--no-pdf", action="store_true", help="HTML and CSV only")

    ui = sub.add_parser("ui", help="start the Dagster UI (dagster dev) with the project's Dagster home")
    ui.add_argument("--port", default="3000", help="port of the Dagster UI (default 3000)")
    ui.add_argument("--data-dir", type=Path, help="data folder whose Dagster home and runs to show")

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    if args.command == "generate":
        generate((args.out or current().inbox).resolve(), _years(args.years), args.scale, args.seed, args.pilot)
        return 0
    if args.command == "contracts":
        from ingestion.contract_docs import contracts_markdown

        print(contracts_markdown())
        return 0
    if args.command == "export-postgres":
        settings = settings_from(args)
        return export_postgres(settings.warehouse, settings.postgres.connect_kwargs())
    if args.command == "extract":
        from homeless_monitor.extracts.cli import extract_command

        return extract_command(current(), args.spec, args.out, args.release, args.allow_multiplied_rows)
    if args.command == "drill":
        from homeless_monitor.extracts.cli import drill_command

        return drill_command(current(), args.mart, args.cell, args.release, args.episodes, args.purpose)

    if args.command == "release":
        return release_cli(args)
    if args.command == "report":
        return write_report_cli(args)
    if args.command == "receipt":
        return receipt_cli(args)

    if args.command == "ui":
        settings = settings_from(args)
        home = prepare_environment(settings)
        from ingestion.paths import PROJECT_ROOT

        dagster = str(Path(sys.executable).with_name("dagster"))
        # the UI's processes (webserver, daemon, code server) read the settings from their environment
        env = {**os.environ, "HOMELESS_MONITOR_DATA": str(settings.data_dir), "DAGSTER_HOME": str(home)}
        if args.data_dir is not None:  # --data-dir moves the inbox and the work file too
            env.update(HOMELESS_MONITOR_INBOX=str(settings.inbox), HOMELESS_MONITOR_WAREHOUSE=str(settings.warehouse))
        return run_ui([dagster, "dev", "-w", "workspace.yaml", "-p", args.port], PROJECT_ROOT, env=env)

    settings = settings_from(args)
    if not _guarded:  # one run at a time; a killed run's leftovers go; no key, no run (dagster_project/run/run_lock.py)
        from dagster_project.run.run_lock import guarded_run

        return guarded_run(
            settings.data_dir, settings.warehouse, settings.published, lambda: main(argv, _guarded=True), settings
        )
    started = time.perf_counter()
    if args.inbox is None:
        years = _years(args.years)
        if _default_inbox_ready(settings.inbox, years, args.scale, args.seed):
            print(f"using the synthetic set already in {settings.inbox}")
        else:
            generate(settings.inbox, years, args.scale, args.seed)
    result = run_quietly(settings, args.full_refresh, run_dates(args))
    ok = result.success
    if settings.warehouse.exists():
        print_warehouse_summary(settings.warehouse)
    from dagster_project.run.summary import run_summary

    print(run_summary(result, settings.warehouse, settings.published, settings.quality))
    print(f"log (Dagster events, dbt per-model lines, debug): {run_log_path(result.run_id, settings)}")
    print(f"{'run succeeded' if ok else 'RUN FAILED'} in {time.perf_counter() - started:.1f} s")
    return 0 if ok else 1


def run_log_path(run_id: str, settings: Settings | None = None) -> Path:
    return (settings or current()).logs / f"run-{run_id}.log"


def run_quietly(settings: Settings, full_refresh: bool, dates: dict):
    """Run the job with one console line per stage; everything else goes to the run's log file."""
    import uuid

    from dagster_project.run.run_output import StageLines, quiet_run

    run_id = str(uuid.uuid4())
    print(
        f"run {run_id}: {settings.inbox} -> {settings.warehouse}" + "".join(f"; {k} {v}" for k, v in dates.items() if v)
    )
    with quiet_run(run_log_path(run_id, settings)) as console:
        from dagster_project.definitions import defs

        steps = len(defs.resolve_job_def("monitoring_release").nodes_in_topological_order)
        return execute_pipeline(settings, full_refresh, dates, listener=StageLines(console, steps), run_id=run_id)


if __name__ == "__main__":
    sys.exit(main())
