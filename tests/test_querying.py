"""docs/querying.md: each of the five questions' SQL (written for the analyst file's `marts` schema) is
run on the suite's national run, and its answer must equal the same figure counted straight from the
person-level facts it summarises (fct_service_days, the spells, the Housing First participants). And
the README's example query returns what its comment says."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
QUERYING = ROOT / "docs" / "querying.md"
RIGA = "0001000"


def doc_queries(text: str) -> dict[str, str]:
    """The ```sql blocks of a document that start with a `-- qN` line, by N."""
    blocks = re.findall(r"```sql\n(.*?)```", text, flags=re.S)
    return {m.group(1): block for block in blocks if (m := re.match(r"-- (q\d)\n", block))}


@pytest.fixture(scope="module")
def con(national_run):
    assert national_run.returncode == 0, national_run.output[-3000:]
    with duckdb.connect(str(national_run.warehouse), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def queries() -> dict[str, str]:
    found = doc_queries(QUERYING.read_text(encoding="utf-8"))
    assert sorted(found) == ["q1", "q2", "q3", "q4", "q5"]
    return found


def test_q1_persons_in_2_3_in_riga(con, queries):
    rows = con.execute(queries["q1"]).fetchall()
    assert len(rows) == 1
    counted = con.execute(
        """select count(distinct person_id) from marts.fct_service_days
        where service_year = 2024 and municipality_atvk = ? and ethos_light_category in (2, 3)""",
        [RIGA],
    ).fetchone()[0]
    assert counted > 0 and rows[0][0] == counted


def test_q2_point_in_time_nationally(con, queries):
    rows = con.execute(queries["q2"]).fetchall()
    assert len(rows) == 1
    night, persons, _ = rows[0]
    counted = con.execute(
        "select count(distinct person_id) from marts.fct_service_days where service_date = ?", [night]
    ).fetchone()[0]
    assert (night.month, night.day) == (11, 15) and persons == counted


def test_q3_housing_first_retention_at_12_months(con, queries):
    rows = con.execute(queries["q3"]).fetchall()
    assert rows, "a 12-month row for every programme, reached or not"
    for programme, status, observed, retained, denominator, pct, first_reached in rows:
        # by hand from the participants: the 12-month date, who reached it, who was retained, who counts
        expected = con.execute(
            """
            with housed as (
                select p.*, d.evaluation_date, cast(p.move_in_date + interval 12 month as date) as status_date
                from intermediate.int_hf__participants as p
                join intermediate.int_hf__programme_dates as d using (programme_id)
                where p.programme_id = ? and p.move_in_date is not null and p.move_in_date <= d.evaluation_date
            ), reached as (select * from housed where status_date <= evaluation_date)
            select
                (select count(*) from reached),
                (select count(*) from reached where exit_date is null or exit_date > status_date
                                                 or exit_reason = 'own_housing'),
                (select count(*) from reached where not (exit_date is not null and exit_date <= status_date and
                    coalesce(exit_reason, '') not in ('own_housing', 'prison', 'long_hospital_stay', 'eviction',
                                                      'returned_to_homelessness', 'lost_contact'))),
                (select min(status_date) from housed)
        """,
            [programme],
        ).fetchone()
        assert (observed, retained, denominator, first_reached) == expected
        assert status == ("not_yet_reached" if observed == 0 else status)
        assert pct is None if denominator == 0 else pct == pytest.approx(100 * retained / denominator)


def test_q4_first_time_share_2024(con, queries):
    rows = con.execute(queries["q4"]).fetchall()
    assert len(rows) == 1
    entering, first_time, share, _ = rows[0]
    # an entry: a night with no night before it; the person's earliest in 2024; first-time when no
    # night falls in the 730 days before it
    counted = con.execute("""
        with nights as (select distinct person_id, service_date from marts.fct_service_days),
        entries as (
            select person_id, min(service_date) as entry_date from nights as n
            where year(service_date) = 2024 and not exists (
                select 1 from nights as b where b.person_id = n.person_id and b.service_date = n.service_date - 1)
            group by person_id
        )
        select count(*), count(*) filter (where not exists (
            select 1 from nights as b where b.person_id = entries.person_id
              and b.service_date between entry_date - 730 and entry_date - 1))
        from entries
    """).fetchone()
    history_complete = rows[0][3]
    if not history_complete:
        # the set starts less than 730 days before 2024: first-time is not computable, never a number
        assert entering == counted[0] and first_time is None and share is None
        return
    assert (entering, first_time) == counted
    assert share == pytest.approx(round(first_time / entering, 4))


def test_q5_returns_within_12_months(con, queries):
    rows = con.execute(queries["q5"]).fetchall()
    assert rows
    for exit_year, exited, returned, share, followup_complete in rows:
        if not followup_complete:
            # 12 months after the exits of this year are not yet observed: not yet reached, never a low number
            assert returned is None and share is None
            continue
        counted = con.execute(
            """
            with first_exits as (
                select person_id, min(exit_date) as exit_date from intermediate.int_person_homeless_spells
                where is_exit_to_housing and is_confirmed_exit and year(exit_date) = ?
                group by person_id
            )
            select count(*), count(*) filter (where s.next_start_date - f.exit_date <= 365)
            from first_exits as f
            join intermediate.int_person_homeless_spells as s using (person_id, exit_date)
        """,
            [exit_year],
        ).fetchone()
        assert (exited, returned) == counted
        assert share == pytest.approx(round(returned / exited, 4))


def test_readme_example_returns_what_its_comment_says(con):
    """The README's first example: national unduplicated persons per year and ETHOS Light category:
    one row per year and category, and the 'ALL' row equals the national count of distinct persons."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sql\n(-- unduplicated persons[^\n]*\n)(select[^;]*;)", readme)
    assert block, "the README's example query"
    rows = con.execute(block.group(2)).fetchall()
    keys = [(r[0], r[1]) for r in rows]
    assert len(keys) == len(set(keys)), "one row per year and category"
    by_key = {(r[0], r[1]): r[2] for r in rows}
    for (year, category), persons in by_key.items():
        if category == "ALL":
            counted = con.execute(
                "select count(distinct person_id) from marts.fct_service_days where service_year = ?", [year]
            ).fetchone()[0]
            assert persons == counted
