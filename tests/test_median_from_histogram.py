"""The median a mart reads from a histogram (dbt macro `median_from_histogram`) is DuckDB's median().

`mart_data_quality` publishes the median days from event to receipt per delivered file. median() keeps
every value of a group in memory and does not spill (at scale 10 it ran out of memory), so the mart
counts rows per file and value and reads the middle value(s) from the running total. Property: for any
groups of integers, the two agree exactly, odd and even counts alike.
"""

from pathlib import Path

import duckdb
import jinja2
from hypothesis import given, settings
from hypothesis import strategies as st

MACROS = Path(__file__).resolve().parents[1] / "dbt" / "macros" / "cross_engine.sql"


def median_from_histogram_sql() -> str:
    """The macro rendered as dbt renders it (plain Jinja: it calls no dbt context)."""
    module = jinja2.Environment(extensions=["jinja2.ext.do"]).from_string(MACROS.read_text()).module
    return str(module.median_from_histogram("histogram", ["file_id"], "days", "rows_with_days"))


def medians(con: duckdb.DuckDBPyConnection, values: dict[int, list[int]]) -> tuple[dict, dict]:
    rows = [(file_id, v) for file_id, vs in values.items() for v in vs]
    con.execute("create or replace table raw_rows (file_id integer, days integer)")
    con.executemany("insert into raw_rows values (?, ?)", rows)
    con.execute(
        "create or replace table histogram as "
        "select file_id, days, count(*) as rows_with_days from raw_rows group by all"
    )
    from_histogram = dict(con.execute(median_from_histogram_sql()).fetchall())
    direct = dict(con.execute("select file_id, median(days) from raw_rows group by file_id").fetchall())
    return from_histogram, direct


def test_a_worked_example():
    """File 1: 1, 3, 10, 20 -> (3 + 10) / 2 = 6.5; file 2: 2, 5, 5, 100, 5 -> 5; file 3: 7 -> 7."""
    from_histogram, _ = medians(duckdb.connect(), {1: [20, 1, 10, 3], 2: [5, 100, 2, 5, 5], 3: [7]})
    assert from_histogram == {1: 6.5, 2: 5.0, 3: 7.0}


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(st.integers(0, 5), st.lists(st.integers(-50, 400), min_size=1, max_size=40), min_size=1, max_size=4)
)
def test_agrees_with_duckdb_median(values):
    from_histogram, direct = medians(duckdb.connect(), values)
    assert from_histogram == direct
