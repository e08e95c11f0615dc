"""The dbt project: sources generated from the contracts, a full `dbt build` (models, schema tests,
reconciliation tests, unit tests) on a scratch warehouse seeded with hand-made raw rows, the answers
to those rows worked out by hand, and a documentation check on every non-staging model and column.

dbt writes its target and logs under pytest's tmp dir; nothing is written into the repository.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dbt_run import run_dbt  # noqa: E402

from ingestion import dbt_sources  # noqa: E402
from ingestion.paths import REFERENCE_DIR  # noqa: E402
from ingestion.warehouse import ensure_schema  # noqa: E402


def test_sources_yml_is_generated_from_the_contracts():
    """`dbt/models/staging/_sources.yml` is exactly what ingestion/dbt_sources.py renders."""
    committed = dbt_sources.SOURCES_FILE.read_text(encoding="utf-8")
    assert committed == dbt_sources.render(), "stale _sources.yml: run `python -m ingestion.dbt_sources`"


# --- hand-made raw rows ------------------------------------------------------------------------

RIGA, LIEPAJA = "0001000", "0005000"


def _lineage(load: str, row: int) -> tuple:
    return (load, f"{load}.csv", f"sha-{load}", row)


def _seed_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Two municipalities, their 2020 population, the real ETHOS Light mapping, and one man (P1)
    with a night-shelter stay in Rīga (delivered, then corrected by a later delivery) and a shelter
    stay in Liepāja that covers the 15 November reference night."""
    ensure_schema(con)
    con.executemany(
        "INSERT INTO ingest.receipts (load_id, source, file_name, file_sha256, file_bytes, status, reason, "
        "rows_read, rows_loaded, rows_quarantined, quarantined_by_rule, invalid_personal_codes, received_at, "
        "loaded_at) VALUES (?, ?, ?, ?, 0, 'loaded', NULL, ?, ?, 0, '{}', '{}', NULL, ?)",
        [
            ("L1", "shelter_stays", "L1.csv", "sha-L1", 2, 2, "2021-01-10 10:00:00"),
            ("L2", "shelter_stays", "L2.csv", "sha-L2", 1, 1, "2021-02-10 10:00:00"),
            ("R1", "ref_municipalities", "R1.csv", "sha-R1", 2, 2, "2021-01-01 10:00:00"),
        ],
    )
    con.executemany(
        "INSERT INTO raw.ref_municipalities VALUES (?, ?, 'valstspilsēta', ?, ?, 'verified', 'test', ?, ?, ?, ?)",
        [
            (RIGA, "Rīga", "LV006", "Rīga", *_lineage("R1", 1)),
            (LIEPAJA, "Liepāja", "LV003", "Kurzeme", *_lineage("R1", 2)),
        ],
    )
    con.executemany(
        "INSERT INTO raw.ref_population VALUES (?, 2020, ?, 'test', ?, ?, ?, ?)",
        [(RIGA, 600_000, *_lineage("R2", 1)), (LIEPAJA, 60_000, *_lineage("R2", 2))],
    )
    with open(REFERENCE_DIR / "ref_ethos_light_2025.csv", encoding="utf-8") as f:
        mapping = list(csv.reader(f, delimiter=";"))[1:]
    con.executemany(
        "INSERT INTO raw.ref_ethos_light VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(m[0], m[1], int(m[2]), m[3] or None, m[4], *_lineage("R3", i)) for i, m in enumerate(mapping, 2)],
    )
    stay = "INSERT INTO raw.shelter_stays VALUES (?, 'P1', 'valid', 1985, 'V', 1985, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    con.executemany(
        stay,
        [
            # first delivery: S1 checked out 3 March (wrong), later corrected to 5 March
            (
                "S1",
                "PR1",
                RIGA,
                "naktspatversme",
                "2020-03-01",
                "2020-03-03",
                "iela",
                "cita patversme",
                *_lineage("L1", 2),
            ),
            ("S2", "PR2", LIEPAJA, "patversme", "2020-11-10", "2020-11-20", None, "īrēts mājoklis", *_lineage("L1", 3)),
            (
                "S1",
                "PR1",
                RIGA,
                "naktspatversme",
                "2020-03-01",
                "2020-03-05",
                "iela",
                "cita patversme",
                *_lineage("L2", 2),
            ),
        ],
    )
    # the municipal reports count P1 in both towns
    con.executemany(
        "INSERT INTO raw.shelter_counts VALUES (?, 2020, ?, 'V', '25-39', 1, ?, 1, ?, ?, ?, ?)",
        [(RIGA, "naktspatversme", 4, *_lineage("C1", 2)), (LIEPAJA, "patversme", 10, *_lineage("C1", 3))],
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Run `dbt build` and `dbt docs generate` once on the hand-made warehouse."""
    base = tmp_path_factory.mktemp("dbt")
    warehouse = base / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        _seed_raw(con)
    env = {**os.environ, "HOMELESS_MONITOR_WAREHOUSE": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "False"}
    outputs = {}
    for command in (["build"], ["docs", "generate"]):
        done = run_dbt(*command, env=env, tmp=base, timeout=600)
        outputs[command[0]] = done
        assert done.returncode == 0, f"dbt {' '.join(command)} failed:\n{done.stdout[-6000:]}\n{done.stderr[-2000:]}"
    return base, warehouse, outputs


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_dbt_build_passes_models_schema_reconciliation_and_unit_tests(built):
    _, _, outputs = built
    log = outputs["build"].stdout
    assert " ERROR=0 " in log
    assert " unit tests" in log  # the unit tests ran as part of the build


def _national_and_municipal(warehouse: Path, mart: str, column: str) -> dict:
    """2020's value of a mart's column by municipality code ('ALL' = the nation), all categories, sexes, ages."""
    return dict(
        _query(
            warehouse,
            f"""
        select municipality_atvk, {column} from marts.{mart}
        where year = 2020 and sex = 'ALL' and age_group = 'ALL' and ethos_light_category = 'ALL'
          and geo_level in ('national', 'municipality')""",
        )
    )


def test_staging_keeps_the_latest_delivery_and_decodes_codes(built):
    _, warehouse, _ = built
    rows = _query(
        warehouse,
        "select stay_id, check_out_date::varchar, service_type, prior_situation, exit_destination, "
        "load_id from staging.stg_shelters__stays order by stay_id",
    )
    assert rows == [
        ("S1", "2020-03-05", "night_shelter", "street", "other_shelter", "L2"),
        ("S2", "2020-11-20", "shelter", None, "rented_home", "L1"),
    ]


def test_flow_counts_a_person_in_two_towns_once_nationally(built):
    """By hand: P1 slept rough (night before S1), in a night shelter in Rīga and a shelter in Liepāja
    in 2020: 1 nationally, 1 in each town; 1 in each of categories 1, 2, 3; rate in Rīga
    1 / 600,000 x 10,000 = 0.0167, nationally 1 / 660,000 x 10,000 = 0.0152."""
    _, warehouse, _ = built
    cells = dict(
        _query(
            warehouse,
            """
        select geo_level || ':' || municipality_atvk || ':' || ethos_light_category, persons
        from marts.mart_homeless_flow_yearly
        where year = 2020 and sex = 'ALL' and age_group = 'ALL'""",
        )
    )
    assert cells["national:ALL:ALL"] == 1
    assert cells[f"municipality:{RIGA}:ALL"] == 1
    assert cells[f"municipality:{LIEPAJA}:ALL"] == 1
    assert cells["national:ALL:1"] == cells["national:ALL:2"] == cells["national:ALL:3"] == 1
    rates = _national_and_municipal(warehouse, "mart_homeless_flow_yearly", "rate_per_10000")
    assert rates == {"ALL": pytest.approx(0.0152), RIGA: pytest.approx(0.0167), LIEPAJA: pytest.approx(0.1667)}
    # sex and age group come from the person: a man born 1985 is 35 in 2020
    assert _query(
        warehouse,
        """select persons from marts.mart_homeless_flow_yearly where year = 2020
        and geo_level = 'national' and ethos_light_category = 'ALL' and sex = 'male' and age_group = '25-39'""",
    ) == [(1,)]


def test_service_days_and_point_in_time(built):
    """Nights: street 29 Feb, S1 1-4 March (corrected check-out 5 March), S2 10-19 November = 15.
    On the night of 15 November P1 is in the Liepāja shelter: 1 nationally, 1 in Liepāja, none in Rīga."""
    _, warehouse, _ = built
    assert _query(warehouse, "select count(*) from marts.fct_service_days") == [(15,)]
    pit = _national_and_municipal(warehouse, "mart_homeless_point_in_time", "persons")
    assert pit == {"ALL": 1, LIEPAJA: 1}


def test_shelter_counts_reconciliation_shows_the_double_count(built):
    """The towns report 1 + 1 = 2 persons; person level there is 1 person: implied double count 1."""
    _, warehouse, _ = built
    assert _query(
        warehouse,
        """
        select reported_persons, person_level_persons, sum_municipal_person_level_persons, implied_double_count
        from marts.mart_shelter_counts_reconciliation
        where year = 2020 and municipality_atvk = 'ALL' and service_type = 'ALL'""",
    ) == [(2, 1, 2, 1)]


def test_every_non_staging_model_and_column_is_documented(built):
    """Like dagster-open-platform's check: every model outside staging has a description, and every
    column it actually has (dbt docs catalog) has a description in YAML."""
    base, _, _ = built
    manifest = json.loads((base / "target" / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((base / "target" / "catalog.json").read_text(encoding="utf-8"))
    problems = []
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] != "model" or node["package_name"] != "homeless_monitor":
            continue
        if "staging" in node["fqn"][1:2]:
            continue
        if not node.get("description", "").strip():
            problems.append(f"{node['name']}: no description")
        documented = {name.lower(): c.get("description", "") for name, c in node["columns"].items()}
        actual = catalog["nodes"].get(unique_id, {}).get("columns", {})
        for column in actual:
            if not documented.get(column.lower(), "").strip():
                problems.append(f"{node['name']}.{column}: no description")
        for column in documented:
            if actual and column not in {c.lower() for c in actual}:
                problems.append(f"{node['name']}.{column}: documented but not in the model")
    assert not problems, "undocumented models/columns:\n" + "\n".join(problems)
