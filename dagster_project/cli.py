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

from ingestion.paths import data_dir, default_inbox, default_warehouse

DEFAULT_YEARS = "2015-2024"
DEFAULT_SCALE = 1.0
DEFAULT_SEED = 20241115


def _years(text: str) -> range:
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


def prepare_environment(warehouse: Path | None = None, inbox: Path | None = None) -> None:
    """Quiet telemetry, a project-local Dagster home, and the paths every step reads."""
    home = Path(os.environ.get("DAGSTER_HOME", data_dir() / "dagster_home"))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n")
    os.environ["DAGSTER_HOME"] = str(home)
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    if warehouse:
        os.environ["HOMELESS_MONITOR_WAREHOUSE"] = str(warehouse)
    if inbox:
        os.environ["HOMELESS_MONITOR_INBOX"] = str(inbox)


def generate(out: Path, years: range, scale: float, seed: int, pilot: bool = False) -> None:
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if pilot:
        from ingestion.generator.pilot import generate_pilot

        generate_pilot(out, seed=seed)
    else:
        from ingestion.generator import generate_national

        generate_national(out, years=years, scale=scale, seed=seed)
    print(f"generated {'pilot cohort' if pilot else 'national set'} in {out} "
          f"({time.perf_counter() - started:.1f} s)")


def _default_inbox_ready(inbox: Path, years: range, scale: float, seed: int) -> bool:
    manifest = inbox / "_faults.json"
    if not manifest.exists():
        return False
    made = json.loads(manifest.read_text())
    return made.get("seed") == seed and made.get("scale") == scale and made.get("years") == [years[0], years[-1]]


def execute_pipeline(inbox: Path, warehouse: Path, full_refresh: bool = False):
    """Execute the monitoring_release job in process; return Dagster's result (events, run id)."""
    prepare_environment(warehouse, inbox)
    from dagster import DagsterInstance

    from dagster_project.definitions import defs

    job = defs.get_job_def("monitoring_release")
    run_config = {
        "resources": {"warehouse": {"config": {"inbox_dir": str(inbox), "work_path": str(warehouse)}}},
        "loggers": {"console": {"config": {"log_level": "INFO"}}},
    }
    if full_refresh:
        run_config["ops"] = {"warehouse_dbt_models": {"config": {"full_refresh": True}}}
    return job.execute_in_process(run_config=run_config, instance=DagsterInstance.get(), raise_on_error=False)


def print_warehouse_summary(warehouse: Path) -> None:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY 1, 2").fetchall()
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
            print(f"  receipts: {files} {status} (rows read {read or 0:,}, loaded {loaded or 0:,}, "
                  f"quarantined {quarantined or 0:,})")


def export_postgres(warehouse: Path) -> int:
    """Copy dbt's sources to the PostgreSQL named by HM_PG_* (creating the database if needed)."""
    from ingestion.postgres_raw import connection_settings, copy_to_postgres, ensure_database

    settings = connection_settings()
    started = time.perf_counter()
    ensure_database(settings)
    copied = copy_to_postgres(warehouse, settings)
    print(f"copied {len(copied)} tables, {sum(t['rows'] for t in copied):,} rows from {warehouse} to "
          f"postgresql://{settings['user']}@{settings['host']}:{settings['port']}/{settings['dbname']} "
          f"in {time.perf_counter() - started:.1f} s")
    print("next: cd dbt && dbt build --target postgres")
    return 0


def main(argv: list[str] | None = None, _guarded: bool = False) -> int:
    parser = argparse.ArgumentParser(prog="homeless-monitor", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write synthetic deliveries (national set, or the Housing First pilot)")
    gen.add_argument("--years", default=DEFAULT_YEARS, help="e.g. 2015-2024")
    gen.add_argument("--scale", type=float, default=DEFAULT_SCALE, help="1.0 = Latvia's national volumes")
    gen.add_argument("--seed", type=int, default=DEFAULT_SEED)
    gen.add_argument("--pilot", action="store_true", help="the 2022-2023 Housing First pilot cohort instead")
    gen.add_argument("--out", type=Path, default=default_inbox())

    run = sub.add_parser("run", help="run the whole pipeline (the Dagster job, in process)")
    run.add_argument("--inbox", type=Path, help="folder of delivery files (default: generate the synthetic set)")
    run.add_argument("--warehouse", type=Path, default=default_warehouse(), help="DuckDB work file")
    run.add_argument("--years", default=DEFAULT_YEARS)
    run.add_argument("--scale", type=float, default=DEFAULT_SCALE)
    run.add_argument("--seed", type=int, default=DEFAULT_SEED)
    run.add_argument("--full-refresh", action="store_true",
                     help="rebuild every dbt model and year (default: only the years new deliveries reach)")

    sub.add_parser("contracts", help="print the source contracts as Markdown")

    export = sub.add_parser("export-postgres",
                            help="copy the raw layer (pseudonyms only) to PostgreSQL for `dbt build --target postgres`")
    export.add_argument("--warehouse", type=Path, default=default_warehouse(), help="DuckDB work file to copy from")

    ui = sub.add_parser("ui", help="start the Dagster UI (dagster dev) with the project's Dagster home")
    ui.add_argument("--port", default="3000")

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    if args.command == "generate":
        generate(args.out.resolve(), _years(args.years), args.scale, args.seed, args.pilot)
        return 0
    if args.command == "contracts":
        from ingestion.contract_docs import contracts_markdown

        print(contracts_markdown())
        return 0
    if args.command == "export-postgres":
        return export_postgres(args.warehouse.resolve())

    if args.command == "ui":
        prepare_environment()
        from ingestion.paths import PROJECT_ROOT

        dagster = str(Path(sys.executable).with_name("dagster"))
        os.chdir(PROJECT_ROOT)
        os.execv(dagster, [dagster, "dev", "-w", "workspace.yaml", "-p", args.port])

    if not _guarded:  # one run at a time; a killed run's leftovers go; no key, no run (dagster_project/run_lock.py)
        from dagster_project.release.resource import ReleaseResource
        from dagster_project.run_lock import guarded_run

        return guarded_run(data_dir(), args.warehouse.resolve(), ReleaseResource().published,
                           lambda: main(argv, _guarded=True))
    started = time.perf_counter()
    inbox = args.inbox
    if inbox is None:
        inbox = default_inbox()
        years = _years(args.years)
        if _default_inbox_ready(inbox, years, args.scale, args.seed):
            print(f"using the synthetic set already in {inbox}")
        else:
            generate(inbox, years, args.scale, args.seed)
    result = execute_pipeline(inbox.resolve(), args.warehouse.resolve(), args.full_refresh)
    ok = result.success
    if args.warehouse.resolve().exists():
        print_warehouse_summary(args.warehouse.resolve())
    from dagster_project.quality.summary import run_summary
    from dagster_project.release.resource import ReleaseResource

    release = ReleaseResource()
    print(run_summary(result, args.warehouse.resolve(), release.published, release.quality))
    print(f"{'run succeeded' if ok else 'RUN FAILED'} in {time.perf_counter() - started:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
