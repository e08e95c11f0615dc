"""Research extracts, on hand-made restricted and analyst tier files (schema `marts`): the spec is
checked against the dbt docs, person ids become extract-specific keyed pseudonyms, k-anonymity is
reached by generalising then suppressing (answers worked out by hand), the same spec on the same
release gives byte-identical files, and every extract is registered in a 0600 file."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from homeless_monitor.extracts.coarsen import AGE_COLUMN, age_band
from homeless_monitor.extracts.dictionary import column_definition
from homeless_monitor.extracts.kanon import protect, protect_counts
from homeless_monitor.extracts.register import register_path
from homeless_monitor.extracts.spec import SPECS_DIR, SpecError, load_spec, parse_spec
from homeless_monitor.extracts.take import PSEUDONYM_COLUMN, extract_id, take_extract
from homeless_monitor.release.tiers import ANALYST_FILE, MANIFEST_FILE, RESTRICTED_FILE
from ingestion.pseudonym import extract_pseudonym

KEY = b"test-key"


def _read_parquet(path: Path) -> pd.DataFrame:
    return duckdb.sql(f"select * from read_parquet('{path}')").df()


RELEASE = "2025-01-31T120000Z"


def _spells_spec(**overrides) -> dict:
    spec = {
        "name": "spells_test",
        "title": "Spells",
        "purpose": "testing",
        "recipient": "a researcher",
        "level": "person",
        "person_column": "person_id",
        "source": {
            "tier": "restricted",
            "table": "int_person_homeless_spells",
            "joins": [{"table": "dim_person", "using": ["person_id"], "columns": ["sex", "birth_year"]}],
        },
        "variables": ["person_id", "start_date", "nights", "sex", "birth_year"],
        "coarsen": {
            "birth_year": {"method": "age_band", "at": "start_date", "as": "age_band"},
            "start_date": {"method": "year", "as": "start_year"},
        },
        "quasi_identifiers": {"sex": "sex", "age": "age_band", "year": "start_year"},
        "k": 5,
        "max_suppression": 0.05,
    }
    spec.update(overrides)
    return spec


@pytest.fixture
def published(tmp_path) -> Path:
    """A release with 12 persons: 6 women born 1990 and 5 men born 1990 (aged 30 in 2020), one man born
    1985 (35); one spell each in 2020. And an HC3.1 table with 1,234, 3 and 0 persons."""
    root = tmp_path / "published"
    root.mkdir()
    (root / MANIFEST_FILE).write_text(json.dumps({"release_id": RELEASE}))
    persons = (
        [(f"P{i:02d}", "female", 1990) for i in range(6)]
        + [(f"P{i:02d}", "male", 1990) for i in range(6, 11)]
        + [("P11", "male", 1985)]
    )
    with duckdb.connect(str(root / RESTRICTED_FILE)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.dim_person (person_id varchar, sex varchar, birth_year integer)")
        con.executemany("insert into marts.dim_person values (?, ?, ?)", persons)
        con.execute(
            "create table marts.int_person_homeless_spells (person_id varchar, spell_number integer, "
            "start_date date, exit_date date, nights integer)"
        )
        con.executemany(
            "insert into marts.int_person_homeless_spells values (?, 1, '2020-03-01', '2020-03-10', 10)",
            [(p[0],) for p in persons],
        )
        # crisis events: each person a police contact 40 days before the first homelessness (2020-03-01);
        # P00 also an ambulance call 800 days before, P01 a hospital admission 10 days after
        con.execute(
            "create table marts.fct_crisis_events (person_id varchar, event_type varchar, event_date date, "
            "event_end_date date, first_homeless_date date, days_before_first_homelessness integer)"
        )
        con.executemany(
            "insert into marts.fct_crisis_events values (?, 'police', date '2020-03-01' - 40, null, '2020-03-01', 40)",
            [(p[0],) for p in persons],
        )
        con.execute(
            "insert into marts.fct_crisis_events values ('P00', 'ambulance', date '2020-03-01' - 800, null, "
            "'2020-03-01', 800), ('P01', 'hospital', '2020-03-11', '2020-03-15', '2020-03-01', -10)"
        )
        # person-nights: P00 three, P01 two, nobody else any (a join on person_id multiplies P00 and P01)
        con.execute("create table marts.fct_service_days (person_id varchar, service_date date, service_year integer)")
        con.executemany(
            "insert into marts.fct_service_days values (?, ?, 2020)",
            [
                ("P00", "2020-03-01"),
                ("P00", "2020-03-02"),
                ("P00", "2020-03-03"),
                ("P01", "2020-03-01"),
                ("P01", "2020-03-02"),
            ],
        )
    with duckdb.connect(str(root / ANALYST_FILE)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.mart_oecd_hc31 (year integer, count_type varchar, ethos_light_coverage varchar, "
            "persons bigint, population bigint, rate_per_10000 double, share_women double, "
            "includes_children boolean, includes_domestic_violence_shelters boolean, includes_refugees boolean, "
            "includes_asylum_seekers boolean)"
        )
        con.executemany(
            "insert into marts.mart_oecd_hc31 values (2020, ?, ?, ?, 1900000, ?, ?, false, false, false, false)",
            [
                ("flow", "all", 1234, 6.4947, 0.3),
                ("point_in_time", "1", 3, 0.0158, 0.6667),
                ("point_in_time", "2+3", 0, 0.0, None),
            ],
        )
    return root


def test_number_bands():
    from homeless_monitor.extracts.coarsen import number_band

    assert [number_band(v, 5) for v in (0, 4.9, 5, 12.5, None)] == ["0-4", "0-4", "5-9", "10-14", "unknown"]


def test_age_bands():
    assert [age_band(a, 5) for a in (0, 29, 30, 34, 79, 80, 95)] == [
        "0-4",
        "25-29",
        "30-34",
        "30-34",
        "75-79",
        "80+",
        "80+",
    ]
    assert age_band(34, 10) == "30-39" and age_band(34, 20) == "20-39" and age_band(34, 0) == "all"
    assert age_band(None, 5) == "unknown"


def test_suppression_within_budget_keeps_the_bands():
    """k = 5, 10 % budget: groups women 30-34 (6), men 30-34 (5), man 35-39 (1): 1 of 12 persons (8.3 %)
    is in a small group, within budget: no generalisation, that person suppressed, k achieved 5."""
    frame = pd.DataFrame(
        {"pid": [f"P{i}" for i in range(12)], "sex": ["female"] * 6 + ["male"] * 6, AGE_COLUMN: [30] * 11 + [35]}
    )
    frame["age_band"] = frame[AGE_COLUMN].map(lambda a: age_band(a, 5))
    result = protect(frame, {"sex": "sex", "age": "age_band"}, k=5, max_suppression=0.10, person_column="pid")
    assert result.report["generalisation_level"] == 0 and result.report["generalisations"] == []
    assert result.report["persons_suppressed"] == 1 and "P11" not in set(result.frame["pid"])
    assert result.report["k_achieved"] == 5


def test_generalisation_before_suppression():
    """Same persons, 5 % budget: 8.3 % is too much; 10-year bands put the man of 35 with the men of 30
    (30-39: 6 men, 6 women), nobody is suppressed and k achieved is 6."""
    frame = pd.DataFrame(
        {"pid": [f"P{i}" for i in range(12)], "sex": ["female"] * 6 + ["male"] * 6, AGE_COLUMN: [30] * 11 + [35]}
    )
    frame["age_band"] = frame[AGE_COLUMN].map(lambda a: age_band(a, 5))
    result = protect(frame, {"sex": "sex", "age": "age_band"}, k=5, max_suppression=0.05, person_column="pid")
    assert result.report["generalisations"] == ["age bands widened to 10 years"]
    assert result.report["persons_suppressed"] == 0 and result.report["k_achieved"] == 6
    assert set(result.frame["age_band"]) == {"30-39"} and AGE_COLUMN not in result.frame


def test_counts_below_k_are_suppressed_with_what_is_computed_from_them():
    frame = pd.DataFrame({"persons": [1234, 3, 0], "rate": [6.5, 0.02, 0.0]})
    result = protect_counts(frame, ("persons",), {"rate": "persons"}, k=5)
    assert result.frame["persons_suppressed"].tolist() == [False, True, False]
    assert result.frame["persons"].isna().tolist() == [False, True, False]
    assert result.frame["rate"].isna().tolist() == [False, True, False]
    assert result.report["k_achieved"] == 1234 and result.report["cells_suppressed"] == 1


def test_spec_rejects_undocumented_columns_and_exact_dates():
    with pytest.raises(SpecError, match="'secret' is not a documented column"):
        parse_spec(_spells_spec(variables=["person_id", "secret", "start_date", "birth_year"]))
    with pytest.raises(SpecError, match="exact date 'exit_date'"):
        parse_spec(_spells_spec(variables=["person_id", "start_date", "exit_date", "birth_year", "sex"]))
    with pytest.raises(SpecError, match="missing 'recipient'"):
        parse_spec({k: v for k, v in _spells_spec().items() if k != "recipient"})


@pytest.mark.parametrize("path", sorted(SPECS_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_ready_made_specs_are_valid(path):
    spec = load_spec(path)
    assert spec.recipient and spec.purpose and len(spec.sha256) == 64


def test_person_extract_pseudonyms_k_anonymity_and_dictionary(published, tmp_path):
    spec = parse_spec(_spells_spec(), sha256="a" * 64)
    extract = take_extract(spec, published, tmp_path / "out", key=KEY)
    manifest = extract.manifest
    assert manifest["extract_id"] == extract_id(spec, RELEASE) == f"spells_test-{RELEASE}-aaaaaaaa"
    frame = _read_parquet(extract.directory / "spells_test.parquet")
    # 6 women and 6 men aged 30-39 (the man of 35 joins the men of 30 once bands are 10 years wide)
    assert manifest["protection"]["k_achieved"] == 6 and manifest["rows"] == 12
    assert manifest["protection"]["generalisations"] == ["age bands widened to 10 years"]
    assert list(frame.columns) == [PSEUDONYM_COLUMN, "start_year", "nights", "sex", "age_band"]
    expected = {extract_pseudonym(KEY, manifest["extract_id"], f"P{i:02d}") for i in range(12)}
    assert set(frame[PSEUDONYM_COLUMN]) == expected  # the ministry, holding the key, re-links
    assert not any(value.startswith("P") for value in frame[PSEUDONYM_COLUMN])
    dictionary = pd.read_csv(extract.directory / "data_dictionary.csv").set_index("column")
    assert list(dictionary.index) == list(frame.columns)  # every output column, in the extract's order
    assert dictionary.loc["nights", "definition"] == column_definition("int_person_homeless_spells", "nights")
    assert dictionary.loc["sex", "definition"] == column_definition("dim_person", "sex")
    assert dictionary.loc["nights", "transformation"] == "none"
    # a coarsened column is described as it is in the extract, then where it comes from
    assert dictionary.loc["age_band", "definition"].startswith("Age group at start_date, in 5-year bands")
    assert (
        "From birth_year: " + column_definition("dim_person", "birth_year") in dictionary.loc["age_band", "definition"]
    )
    assert "5-year bands" in dictionary.loc["age_band", "transformation"]
    assert dictionary.loc["start_year", "definition"].startswith("Calendar year of start_date.")
    assert dictionary.loc["age_band", "source"] == "dim_person.birth_year"
    csv = pd.read_csv(extract.directory / "spells_test.csv")
    assert len(csv) == 12 and list(csv.columns) == list(frame.columns)


def test_two_extracts_cannot_be_joined_on_person(published, tmp_path):
    first = take_extract(parse_spec(_spells_spec(), "a" * 64), published, tmp_path / "a", key=KEY)
    other = take_extract(parse_spec(_spells_spec(name="spells_other"), "b" * 64), published, tmp_path / "b", key=KEY)
    ids_first = set(_read_parquet(first.directory / "spells_test.parquet")[PSEUDONYM_COLUMN])
    ids_other = set(_read_parquet(other.directory / "spells_other.parquet")[PSEUDONYM_COLUMN])
    assert len(ids_first) == len(ids_other) == 12 and not ids_first & ids_other


def test_same_spec_same_release_gives_identical_files_and_is_registered(published, tmp_path):
    spec_file = tmp_path / "spec.yaml"
    spec_file.write_text(yaml.safe_dump(_spells_spec()))
    spec = load_spec(spec_file)
    first = take_extract(spec, published, tmp_path / "one", key=KEY)
    second = take_extract(spec, published, tmp_path / "two", key=KEY)
    digest = lambda d: {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.iterdir())}  # noqa: E731
    assert digest(first.directory) == digest(second.directory)
    assert len(digest(first.directory)) == 4  # parquet, csv, data dictionary, manifest
    register = register_path(published)
    assert stat.S_IMODE(register.stat().st_mode) == 0o600
    with duckdb.connect(str(register), read_only=True) as con:
        assert con.execute(
            "select extract_id, spec_sha256, recipient, times_issued from extracts_register"
        ).fetchall() == [(first.manifest["extract_id"], spec.sha256, "a researcher", 2)]


def test_aggregate_extract_suppresses_small_counts(published, tmp_path):
    extract = take_extract(load_spec(SPECS_DIR / "oecd_hc31.yaml"), published, tmp_path / "out", key=KEY)
    frame = _read_parquet(extract.directory / "oecd_hc31.parquet").set_index(["count_type", "ethos_light_coverage"])
    assert frame.loc[("flow", "all"), "persons"] == 1234
    assert (
        pd.isna(frame.loc[("point_in_time", "1"), "persons"])
        and frame.loc[("point_in_time", "1"), "persons_suppressed"]
    )
    assert pd.isna(frame.loc[("point_in_time", "1"), "rate_per_10000"])
    assert pd.isna(frame.loc[("point_in_time", "1"), "share_women"])
    assert frame.loc[("point_in_time", "2+3"), "persons"] == 0
    assert extract.manifest["protection"]["k_achieved"] == 1234
    assert PSEUDONYM_COLUMN not in frame.columns
    csv_text = (extract.directory / "oecd_hc31.csv").read_text()
    assert csv_text.splitlines()[0].startswith("year,count_type,ethos_light_coverage,persons")


def test_extract_command(published, tmp_path, monkeypatch, capsys):
    """`homeless-monitor extract --spec FILE --out DIR` on the current release; a bad spec is refused."""
    from dagster_project.run.cli import main

    monkeypatch.setenv("HOMELESS_MONITOR_DATA", str(published.parent))
    monkeypatch.setenv("HOMELESS_MONITOR_PSEUDONYM_KEY", "cli-test-key")
    assert main(["extract", "--spec", str(SPECS_DIR / "oecd_hc31.yaml"), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert f"extract oecd_hc31-{RELEASE}-" in printed and "k required 5, achieved 1234" in printed
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(_spells_spec(variables=["person_id", "secret"])))
    assert main(["extract", "--spec", str(bad), "--out", str(tmp_path / "out")]) == 2
    assert "not a documented column" in capsys.readouterr().out


@pytest.mark.parametrize("path", sorted(SPECS_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_ready_made_spec_is_taken_from_a_real_release_twice_with_identical_files(national_run, path, tmp_path):
    """On the suite's national run's published release: the spec's tables and columns exist in its tier,
    the protection holds (k achieved >= k, or nothing left to publish), and taking it again gives the
    same bytes."""
    assert national_run.returncode == 0, national_run.output[-3000:]
    published = national_run.data_dir / "published"
    spec = load_spec(path)
    first = take_extract(spec, published, tmp_path / "first", key=KEY, register=False)
    second = take_extract(spec, published, tmp_path / "second", key=KEY, register=False)
    digests = [
        {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(e.directory.iterdir())}
        for e in (first, second)
    ]
    assert digests[0] == digests[1] and len(digests[0]) >= 4
    protection = first.manifest["protection"]
    assert first.manifest["rows"] == 0 or protection["k_achieved"] is None or protection["k_achieved"] >= spec.k
    if spec.name == "housing_first_cohort":
        assert (
            "csq8_total" in duckdb.sql(f"SELECT * FROM '{first.directory / (spec.name + '.parquet')}' LIMIT 0").columns
        )


def test_dropping_a_person_from_a_small_group_never_leaves_another_group_below_k():
    """P0-P4 have a spell in 2023 (group of 5); P0 also has the only 2024 spell (group of 1). P0 leaves
    the extract, which leaves 2023 with P1-P4: 4 < 5, so they leave too. By hand: nobody is published
    (a single pass would publish P1-P4 with k achieved 4)."""
    frame = pd.DataFrame(
        {"person_id": [f"P{i}" for i in range(5)] + ["P0"], "year": [2023] * 5 + [2024], "sex": ["female"] * 6}
    )
    result = protect(frame, {"sex": "sex", "year": "year"}, k=5, max_suppression=1.0, person_column="person_id")
    assert len(result.frame) == 0 and result.report["persons_suppressed"] == 5


def test_an_aggregate_extract_hides_every_cell_the_public_tier_hides():
    """Row 0 (3) is below k; row 2 (7) is published in the analyst tier but hidden by the public tier's
    secondary suppression (its flag): both are hidden in the extract, rows 1 and 3 are not."""
    frame = pd.DataFrame(
        {"persons": [3, 20, 7, 30], "persons_suppressed": [True, False, True, False], "rate": [0.3, 2.0, 0.7, 3.0]}
    )
    result = protect_counts(frame, ("persons",), {"rate": "persons"}, k=5)
    assert result.frame["persons"].isna().tolist() == [True, False, True, False]
    assert result.frame["rate"].isna().tolist() == [True, False, True, False]
    assert result.frame["persons_suppressed"].tolist() == [True, False, True, False]
    assert result.report["cells_suppressed"] == 2


def _multiplying_spec() -> dict:
    spec = _spells_spec()
    spec["source"]["joins"].append({"table": "fct_service_days", "using": ["person_id"], "columns": ["service_year"]})
    spec["variables"] = [*spec["variables"], "service_year"]
    return spec


def test_a_join_that_multiplies_rows_is_refused_with_the_counts(published, tmp_path):
    """12 spells, one per person; P00 has 3 nights and P01 2, the others none (left join: one row each).
    By hand: 10 + 3 + 2 = 15 rows after the join, 15 / 12 = 1.2 per source row. Nothing is written."""
    from homeless_monitor.extracts.take import RowsMultiplied

    said: list[str] = []
    spec = parse_spec(_multiplying_spec(), sha256="b" * 64)
    with pytest.raises(RowsMultiplied) as refused:
        take_extract(spec, published, tmp_path / "out", key=KEY, say=said.append)
    assert str(refused.value).startswith(
        "the join of fct_service_days on person_id (15 rows, 1.2 per source row) multiplies rows: the population "
        "is 12 rows of int_person_homeless_spells, joined 15 rows; nothing was written."
    )
    assert "--allow-multiplied-rows" in str(refused.value)
    assert said == ["rows: 12 in the population of int_person_homeless_spells, 15 after the joins"]
    assert not (tmp_path / "out").exists() and not register_path(published).exists()


def test_multiplied_rows_taken_only_with_a_reason_kept_in_manifest_and_register(published, tmp_path):
    spec = parse_spec(_multiplying_spec(), sha256="b" * 64)
    extract = take_extract(
        spec,
        published,
        tmp_path / "out",
        key=KEY,
        allow_multiplied_rows="nights per person wanted for a sequence analysis",
    )
    assert extract.manifest["rows_counted"] == {"population": 12, "after_joins": 15}
    assert extract.manifest["multiplied_rows_allowed"] == "nights per person wanted for a sequence analysis"
    with duckdb.connect(str(register_path(published)), read_only=True) as con:
        assert con.execute("select multiplied_rows_allowed from extracts_register").fetchall() == [
            ("nights per person wanted for a sequence analysis",)
        ]


def test_a_join_with_one_row_per_source_row_is_taken_without_a_flag(published, tmp_path):
    extract = take_extract(parse_spec(_spells_spec(), sha256="a" * 64), published, tmp_path / "out", key=KEY)
    assert extract.manifest["rows_counted"] == {"population": 12, "after_joins": 12}
    assert "multiplied_rows_allowed" not in extract.manifest


def test_a_refused_spec_lists_the_tables_and_columns_it_may_use():
    with pytest.raises(SpecError) as refused:
        parse_spec(_spells_spec(variables=["person_id", "postcode"]))
    text = str(refused.value)
    assert "variable 'postcode' is not a documented column of int_person_homeless_spells" in text
    assert "\n  int_person_homeless_spells: " in text and "nights" in text.split("int_person_homeless_spells: ")[1]
    assert "\n  dim_person: " in text
    with pytest.raises(SpecError) as refused:
        parse_spec(
            _spells_spec(
                source={"tier": "restricted", "table": "stg_police__contacts"},
                variables=["person_id"],
                coarsen={},
                quasi_identifiers={},
            )
        )
    text = str(refused.value)
    assert "table 'stg_police__contacts' is not in the restricted tier" in text
    assert "\n  fct_crisis_events: " in text and "\n  fct_service_days: " in text
    assert "mart_oecd_hc31" not in text  # an analyst-tier table is not offered to a restricted spec


def test_the_ready_made_crisis_before_first_homelessness_spec(published, tmp_path):
    """By hand: 14 events; the call 800 days before and the admission 10 days after fall outside 1..730
    days before, so 12 police contacts of 12 persons, 40 days before (band 30-59), first homeless in 2020;
    6 women and 6 men aged 30-39 once bands are 10 years wide (the man of 35, as above)."""
    spec = load_spec(SPECS_DIR / "crisis_before_first_homelessness.yaml")
    extract = take_extract(spec, published, tmp_path / "out", key=KEY)
    frame = _read_parquet(extract.directory / f"{spec.name}.parquet")
    assert extract.manifest["rows_counted"] == {"population": 12, "after_joins": 12}
    assert list(frame.columns) == [
        PSEUDONYM_COLUMN,
        "event_type",
        "days_before_band",
        "first_homeless_year",
        "sex",
        "age_band",
    ]
    assert len(frame) == 12 and frame[PSEUDONYM_COLUMN].nunique() == 12
    assert set(frame["event_type"]) == {"police"} and set(frame["days_before_band"]) == {"30-59"}
    assert set(frame["first_homeless_year"]) == {2020} and set(frame["age_band"]) == {"30-39"}
    dictionary = pd.read_csv(extract.directory / "data_dictionary.csv").set_index("column")
    assert "In this extract: age bands widened to 10 years." in dictionary.loc["age_band", "definition"]
    assert dictionary.loc["days_before_band", "definition"].startswith(
        "Band of 30 of days_before_first_homelessness ('30-59' = at least 30, below 60;"
    )
