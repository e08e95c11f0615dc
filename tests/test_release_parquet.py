"""The analyst tier also as Parquet partitioned by year, with the marts' schema; person-level marts
stay out of it (they go to the restricted tier)."""

import json

import duckdb

from homeless_monitor.release.publish import publish


def make_work_file(path):
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute(
            "CREATE TABLE marts.mart_flow AS SELECT * FROM (VALUES (2023, 'ALL', 10), (2024, 'ALL', 12), "
            "(2024, '0001000', 7)) t(year, municipality_atvk, persons)"
        )
        con.execute(
            "CREATE TABLE marts.mart_sums AS SELECT year, sum(persons) AS persons FROM marts.mart_flow GROUP BY year"
        )
        con.execute("CREATE TABLE marts.dim_thing AS SELECT 'a' AS code")
        con.execute("CREATE TABLE marts.fct_person_days AS SELECT 'P1' AS person_id, 2024 AS year")


def test_analyst_marts_are_written_as_year_partitioned_parquet_and_person_rows_are_restricted(tmp_path):
    work = tmp_path / "work.duckdb"
    make_work_file(work)
    publish(work, tmp_path / "published", {"release_id": "r1"})
    release = tmp_path / "published" / "releases" / "r1"
    manifest = json.loads((release / "manifest.json").read_text())
    exported = {entry["table"]: entry for entry in manifest["analyst_parquet"]}

    assert set(exported) == {"marts.mart_flow", "marts.mart_sums", "marts.dim_thing"}  # no person-level table
    assert manifest["tiers"]["restricted"] == ["fct_person_days"]
    assert exported["marts.mart_flow"]["partitioned_by"] == "year" and exported["marts.mart_flow"]["rows"] == 3
    assert sorted(p.name for p in (release / "analyst_parquet/mart_flow").iterdir()) == ["year=2023", "year=2024"]

    con = duckdb.connect()
    flow = con.execute(
        f"SELECT year, municipality_atvk, persons FROM read_parquet('{release}/analyst_parquet/mart_flow/*/*.parquet') "
        "ORDER BY ALL"
    ).fetchall()
    assert flow == [(2023, "ALL", 10), (2024, "0001000", 7), (2024, "ALL", 12)]
    types = dict(
        con.execute(
            f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "
            f"read_parquet('{release}/analyst_parquet/mart_sums/*/*.parquet'))"
        ).fetchall()
    )
    assert types["persons"] == "BIGINT"  # a 128-bit sum in the warehouse, a BIGINT in Parquet
    assert (release / "analyst_parquet/dim_thing.parquet").exists()
