"""The yearly report, read back from its HTML against a hand-made public tier.

The tier below is written by hand in the public format (Parquet; a suppressed measure `m` is NULL with
`m_suppressed = true`; the release id in manifest.json). Every check reads the published files and the
HTML's data attributes independently of the code that wrote them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from homeless_monitor.report.render import write_report

YEAR = 2024
RELEASE = "2025-01-15T060000Z-2024"
K = 5
C = "SUPPRESSED"  # a suppressed cell in the hand-made rows

BREAKDOWN = [
    "year",
    "geo_level",
    "nuts3_code",
    "nuts3_name",
    "municipality_atvk",
    "municipality_name",
    "ethos_light_category",
    "sex",
    "age_group",
]


def _geo(level, code="ALL", name="Latvija", atvk="ALL", muni="ALL"):
    return dict(geo_level=level, nuts3_code=code, nuts3_name=name, municipality_atvk=atvk, municipality_name=muni)


NAT = _geo("national")
RIGA = _geo("municipality", "LV006", "Rīga", "0001000", "Rīga")
VALMIERA = _geo("municipality", "LV008", "Vidzeme", "0942000", "Valmieras novads")
ADAZI = _geo("municipality", "LV007", "Pierīga", "0804000", "Ādažu novads")


def flow_rows():
    rows = []

    def add(year, geo, cat="ALL", sex="ALL", age="ALL", persons=None, population=None, rate=None):
        cell = {"ethos_light_category": cat, "sex": sex, "age_group": age}
        rows.append({"year": year, **geo, **cell, "persons": persons, "population": population, "rate_per_10000": rate})

    add(2023, NAT, persons=1200, population=1_880_000, rate=6.383)
    add(2024, NAT, persons=1250, population=1_870_000, rate=6.6845)
    add(2023, NAT, "1", persons=0)
    add(2024, NAT, "1", persons=C)
    add(2023, NAT, "2", persons=500)
    add(2024, NAT, "2", persons=520)
    add(2023, NAT, "3", persons=700)
    add(2024, NAT, "3", persons=730)
    for sex, age, persons in [
        ("female", "25-39", 120),
        ("male", "25-39", 400),
        ("female", "65+", C),
        ("male", "65+", 60),
        ("female", "ALL", 300),
        ("male", "ALL", 950),
        ("ALL", "25-39", 520),
        ("ALL", "65+", C),
    ]:
        add(2024, NAT, sex=sex, age=age, persons=persons)
    add(2024, _geo("nuts3", "LV006", "Rīga"), persons=900, population=605_000, rate=14.876)
    add(2024, _geo("nuts3", "LV008", "Vidzeme"), persons=350, population=193_000, rate=18.1347)
    add(2024, RIGA, persons=900, population=605_000, rate=14.876)
    add(2024, VALMIERA, persons=347, population=173_000, rate=20.0578)
    add(2024, ADAZI, persons=C, population=20_000, rate=C)
    return rows


def pit_rows():
    rows = []
    for year, geo, cat, persons in [
        (2023, NAT, "ALL", 280),
        (2024, NAT, "ALL", 300),
        (2024, NAT, "2", 120),
        (2024, NAT, "3", 180),
        (2023, NAT, "2", 110),
        (2023, NAT, "3", 170),
        (2024, RIGA, "ALL", 210),
        (2024, VALMIERA, "ALL", 90),
        (2024, ADAZI, "ALL", C),
    ]:
        night = {"year": year, "reference_night": dt.date(year, 11, 15)}
        rows.append({**night, **geo, "ethos_light_category": cat, "sex": "ALL", "age_group": "ALL", "persons": persons})
    return rows


def national(year, **measures):
    return dict(year=year, **NAT, ethos_light_category="ALL", sex="ALL", age_group="ALL", **measures)


def rows(columns: str, *values: tuple) -> list[dict]:
    """A hand-made table: its column names once (space-separated), then one tuple a row."""
    names = columns.split()
    return [dict(zip(names, row, strict=True)) for row in values]


LISTS = "shelter,ambulance,police"  # the lists the capture-recapture estimate used


TABLES = {
    "mart_homeless_flow_yearly": (flow_rows, ["persons", "population", "rate_per_10000"]),
    "mart_homeless_point_in_time": (pit_rows, ["persons"]),
    "mart_oecd_hc31": (
        lambda: rows(
            "year count_type ethos_light_coverage persons population rate_per_10000 share_women"
            " includes_domestic_violence_shelters",
            (2024, "flow", "2+3", 1240, 1_870_000, 6.631, 0.24, True),
            (2023, "flow", "2+3", 1190, 1_880_000, 6.3298, 0.22, True),
            (2024, "point_in_time", "2+3", 290, 1_870_000, 1.5508, 0.2, True),
            (2023, "point_in_time", "2+3", 270, 1_880_000, 1.4362, 0.19, True),
        ),
        ["persons", "population", "rate_per_10000", "share_women"],
    ),
    "mart_first_time_homeless": (
        lambda: [
            national(2024, persons_entering=800, first_time_persons=400, first_time_share=0.5),
            national(2023, persons_entering=780, first_time_persons=390, first_time_share=0.5),
        ],
        ["persons_entering", "first_time_persons", "first_time_share"],
    ),
    "mart_length_of_homelessness": (
        lambda: [
            national(
                y, persons=p, median_nights_in_year=n, mean_spell_nights=s, long_term_persons=lp, long_term_share=ls
            )
            for y, p, n, s, lp, ls in [(2024, 1250, 60, 95.4, 130, 0.104), (2023, 1200, 58, 90.0, 120, 0.1)]
        ],
        ["persons", "median_nights_in_year", "mean_spell_nights", "long_term_persons", "long_term_share"],
    ),
    "mart_returns_to_homelessness": (
        lambda: rows(
            "exit_year exit_destination persons_exited return_share_6_months return_share_12_months"
            " return_share_24_months followup_complete_6_months followup_complete_12_months"
            " followup_complete_24_months",
            (2023, "ALL", 150, 0.1, 0.2, 0.3, True, True, False),
            (2024, "ALL", 160, 0.05, C, C, True, False, False),
        ),
        ["persons_exited", "return_share_6_months", "return_share_12_months", "return_share_24_months"],
    ),
    "mart_epoch_indicators": (
        lambda: rows(
            "year indicator_code value unit is_measured note",
            (2024, "rough_sleepers_point_in_time", C, "persons", True, None),
            (2024, "accommodation_stays_over_6_months", 0.04, "share", True, None),
            (2024, "prison_release_to_shelter_30_days", 12, "releases", True, "Denominator: all releases."),
            (
                2024,
                "evictions_prevented",
                None,
                "cases",
                False,
                "Not measured: no source delivers eviction prevention.",
            ),
        ),
        ["value"],
    ),
    "mart_hf_retention": (
        lambda: rows(
            "programme_id municipality entry_cohort horizon horizon_months participants_observed retained retention_pct",
            ("HF1", "all", "all", "12_months", 12, 40, 36, 90.0),
            ("HF1", "all", "all", "6_months", 6, 45, 42, 93.3333),
        ),
        ["participants_observed", "retained", "retention_pct"],
    ),
    "mart_hf_survival": (
        lambda: [
            dict(programme_id="HF1", municipality="all", day=d, months=m, survival_probability=s)
            for d, m, s in [(0, 0.0, 1.0), (91, 2.99, 0.97), (183, 6.01, 0.95), (365, 11.99, 0.9)]
        ],
        ["survival_probability"],
    ),
    "mart_hf_wellbeing": (
        lambda: rows(
            "programme_id municipality wave indicator unit numerator denominator value",
            ("HF1", "all", "month_6_10", "csq8_total", "score_8_32", 825, 30, 27.5),
        ),
        ["numerator", "denominator", "value"],
    ),
    "mart_hf_crisis_use_summary": (
        lambda: rows(
            "programme_id municipality crisis_window participants ambulance_call_pct hospital_stay_pct"
            " mean_police_contacts mean_crisis_cost_eur",
            ("HF1", "all", "before", 40, 55.0, 40.0, 2.1, 3120.4),
            ("HF1", "all", "after", 40, 30.0, C, 0.8, 1410.2),
        ),
        ["participants", "ambulance_call_pct", "hospital_stay_pct", "mean_police_contacts", "mean_crisis_cost_eur"],
    ),
    "mart_hf_costs": (
        lambda: rows(
            "programme_id municipality cost_per_client_day_eur short_stay_eur_day boarding_house_eur_day",
            ("HF1", "all", 21.35, 14.9, 25.0),
        ),
        ["cost_per_client_day_eur", "short_stay_eur_day", "boarding_house_eur_day"],
    ),
    # model outputs as the public tier publishes them (to the nearest 10); 2023's likelihood has no upper end
    "mart_homelessness_estimate": (
        lambda: rows(
            "year lists_used list_count observed_persons estimated_persons ci_lower ci_upper hidden_persons"
            " chao_lower_bound model criterion",
            (2023, LISTS, 3, 1510, 2440.0, 2010.0, None, 930.0, 2200.0, "independence", "bic"),
            (2024, LISTS, 3, 1604, 2630.0, 2280.0, 3170.0, 1030.0, 2410.0, "independence + shelter:ambulance", "bic"),
        ),
        ["observed_persons", "estimated_persons", "ci_lower", "ci_upper", "hidden_persons", "chao_lower_bound"],
    ),
    "mart_cost_of_homelessness": (
        lambda: rows(
            "year cost_item unit_cost_eur homeless_persons homeless_cost_per_person_year_eur"
            " general_cost_per_person_year_eur excess_cost_per_person_year_eur excess_cost_national_eur"
            " homeless_cost_per_person_day_eur housing_first_eur_day",
            *(
                (year, item, unit, persons, homeless, general, round(homeless - general, 2))
                + (round((homeless - general) * persons), round(homeless / 365, 2), 19.2)
                for year, persons in ((2023, 1480), (2024, 1566))
                for item, unit, homeless, general in (
                    ("ambulance_call", 182.5, 410.55, 31.2),
                    ("inpatient_day", 310.0, 1860.0, 402.75),
                    ("police_contact", 95.0, 230.1, 12.4),
                    ("prison_day", 48.3, 910.0, 55.0),
                    ("shelter_night", 14.9, 1250.0, 0.0),
                    ("all", None, 4660.65, 501.35),
                )
            ),
        ),
        # the per-person figures and the national excess (unit costs and housing_first_eur_day are not counts)
        "homeless_persons homeless_cost_per_person_year_eur general_cost_per_person_year_eur"
        " excess_cost_per_person_year_eur excess_cost_national_eur homeless_cost_per_person_day_eur".split(),
    ),
    "mart_data_quality": (
        lambda: (
            [
                dict(source=src, file_name=f, metric=m, dimension=dim, value=v)
                for src, f in [
                    ("shelter_stays", "patversmes_uzturesanas_2024.csv"),
                    ("shelter_stays", "patversmes_uzturesanas_2023.csv"),
                ]
                for m, dim, v in [
                    ("rows_received", "all", 1000),
                    ("rows_loaded", "all", 990),
                    ("rows_quarantined", "all", 10),
                    ("linkage_rate", "person_id", 0.9965),
                    ("timeliness_median_days", "event_to_receipt", 30),
                ]
            ]
            + [
                dict(
                    source="ref_municipalities",
                    file_name="ref_pasvaldibas_2025.csv",
                    metric="rows_received",
                    dimension="all",
                    value=43,
                )
            ]
        ),
        ["value"],
    ),
}


def write_tier(published: Path, release: str = RELEASE, edit=None, withheld: tuple[str, ...] = ()) -> None:
    """The public tier as the tiers code writes it: Parquet with m / m_suppressed, and the manifest (withheld:
    its `municipal_rows_withheld`, "table year")."""
    public = published / "public"
    public.mkdir(parents=True, exist_ok=True)
    for table, (make, measures) in TABLES.items():
        df = pd.DataFrame(make())
        if edit:
            df = edit(table, df)
        for m in measures:
            if m not in df.columns:
                continue
            suppressed = df[m].apply(lambda v: isinstance(v, str) and v == C)
            df[m] = pd.to_numeric(df[m].where(~suppressed, None), errors="coerce")
            df[f"{m}_suppressed"] = suppressed
        with duckdb.connect() as con:
            con.register("df", df)
            con.execute(f"COPY df TO '{public / (table + '.parquet')}' (FORMAT PARQUET)")
    disclosure = {"k": K, "municipal_rows_withheld": list(withheld)}
    (published / "manifest.json").write_text(json.dumps({"release_id": release, "disclosure_control": disclosure}))


# --- reading the HTML back ---------------------------------------------------------------------------------


class Spans(HTMLParser):
    """Every <span class="num ..."> with its attributes and text; and each numeric table cell's content."""

    def __init__(self):
        super().__init__()
        self.spans: list[dict] = []
        self.numeric_tds: list[str] = []
        self._span: dict | None = None
        self._td: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "span" and "num" in (a.get("class") or "").split():
            self._span = {**a, "text": ""}
        if tag == "td" and a.get("class") == "n":
            self._td = []

    def handle_endtag(self, tag):
        if tag == "span" and self._span is not None:
            self.spans.append(self._span)
            self._span = None
        if tag == "td" and self._td is not None:
            self.numeric_tds.append("".join(self._td))
            self._td = None

    def handle_data(self, data):
        if self._span is not None:
            self._span["text"] += data
        elif self._td is not None:
            self._td.append(data)


def spans(html: str) -> Spans:
    parser = Spans()
    parser.feed(html)
    return parser


def public_table(published: Path, table: str) -> pd.DataFrame:
    return duckdb.connect().execute(f"SELECT * FROM read_parquet('{published / 'public' / (table + '.parquet')}')").df()


def key_mask(df: pd.DataFrame, key: dict) -> pd.Series:
    """The rows whose columns, read as text, hold the key's values."""
    mask = pd.Series(True, index=df.index)
    for column, value in key.items():
        mask &= df[column].astype(str) == value
    return mask


def public_row(published: Path, table: str, key: dict) -> pd.Series:
    df = public_table(published, table)
    mask = key_mask(df, key)
    assert mask.sum() == 1, f"{table} {key}: {mask.sum()} rows"
    return df[mask].iloc[0]


#: How the report shows each kind of value (the specification of the printed figure): scale and decimals.
SHOWN = {
    "count": (1, 0),
    "number": (1, 0),
    "rate": (1, 1),
    "share": (100, 1),
    "pct": (1, 1),
    "pp": (100, 1),
    "mean": (1, 1),
    "nights": (1, 0),
    "score": (1, 1),
    "eur": (1, 0),
    "eur_day": (1, 2),
    "eur_mln": (Decimal("0.000001"), 1),
}


def half_up(value: float, scale: int, decimals: int) -> float:
    """Rounding as statistical tables print: half up on the value as written (0.9965 -> 99.7 %)."""
    exact = Decimal(repr(float(value))) * (scale if isinstance(scale, Decimal) else Decimal(scale))
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def printed_number(text: str, lang: str) -> float:
    """'1 234,5 %' (lv) or '€1,234.5' (en) back to 1234.5."""
    text = text.replace("\u00a0", " ").replace("p.p.", "").replace("pp", "").replace("%", "").replace("€", "")
    text = text.replace("milj.", "").replace("million", "")
    text = text.replace(" ", "").replace("−", "-")
    text = text.replace(",", ".") if lang == "lv" else text.replace(",", "")
    return float(text)


def expected_value(published: Path, span: dict) -> float | None:
    """The value a span names, worked out from the Parquet (None when the public cell is suppressed)."""
    op = span.get("data-op")
    if op == "absent":  # a zero: the public table has no row for the key
        df = public_table(published, span["data-table"])
        assert key_mask(df, json.loads(span["data-key"])).sum() == 0
        return 0.0
    if op in ("pct_change", "abs_pct_change", "diff"):
        values = []
        for arg in json.loads(span["data-args"]):
            try:
                row = public_row(published, arg["table"], arg["key"])
            except AssertionError:  # an operand the tier does not publish
                return None
            value = None if bool(row.get(f"{arg['column']}_suppressed", False)) else row[arg["column"]]
            values.append(value)
        new, old = values
        if new is None or old is None:
            return None
        # changes are computed from the operands as printed: their kind's scale and decimals
        kind = span.get("data-operand-kind") or span["data-kind"]
        kind = "share" if kind == "pp" else kind
        scale, decimals = SHOWN[kind]
        new, old = half_up(new, scale, decimals), half_up(old, scale, decimals)
        if op == "diff":
            return (new - old) / float(scale) if kind == "share" else new - old
        change = 100 * (new - old) / old
        return abs(change) if op == "abs_pct_change" else change
    if op == "count_rows":
        df = public_table(published, span["data-table"])
        mask = (df["municipality_atvk"] != "UNKNOWN") & key_mask(df, json.loads(span["data-key"]))
        return float(mask.sum())
    row = public_row(published, span["data-table"], json.loads(span["data-key"]))
    column = span["data-column"]
    if bool(row.get(f"{column}_suppressed", False)):
        return None
    return float(row[column])


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    published = tmp_path_factory.mktemp("published")
    write_tier(published)
    written = write_report(published, YEAR, pdf=False, today=dt.date(2025, 1, 15))
    html = {lang: (written.folder / f"report-{YEAR}-{lang}.html").read_text(encoding="utf-8") for lang in ("lv", "en")}
    return published, written, html


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_every_printed_number_equals_the_public_value_it_names(report, lang):
    published, _, html = report
    found = spans(html[lang]).spans
    assert len(found) > 100
    for span in found:
        assert span["data-release"] == RELEASE
        assert_printed_as_published(published, span, lang)


def assert_printed_as_published(published: Path, span: dict, lang: str) -> float | None:
    """A span's value is the public table's, printed as the report formats its kind ('c' when
    suppressed, '–' when missing); returns the public value."""
    if "data-missing" in span:
        assert span["text"] == "–"
        return None
    expected = expected_value(published, span)
    if span.get("data-suppressed") == "true":
        assert span["text"] == "c" and expected is None, span
        return None
    assert float(span["data-value"]) == pytest.approx(expected, rel=1e-12), span
    scale, decimals = SHOWN[span["data-kind"]]
    assert printed_number(span["text"], lang) == pytest.approx(half_up(expected, scale, decimals), abs=1e-9), span
    return expected


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_numeric_table_cells_hold_only_named_figures(report, lang):
    _, _, html = report
    for content in spans(html[lang]).numeric_tds:
        assert content.strip() in ("", "*"), f"an unnamed number in a table cell: {content!r}"


def test_latvian_numbers_use_a_decimal_comma_and_space_thousands(report):
    _, _, html = report
    lv, en = spans(html["lv"]).spans, spans(html["en"]).spans
    named = lambda ss: {(s.get("data-table"), s.get("data-column"), s.get("data-key")): s["text"] for s in ss}  # noqa: E731
    flow = (
        "mart_oecd_hc31",
        "persons",
        json.dumps({"count_type": "flow", "ethos_light_coverage": "2+3", "year": "2024"}, sort_keys=True),
    )
    rate = (
        "mart_homeless_flow_yearly",
        "rate_per_10000",
        json.dumps(
            {"age_group": "ALL", "ethos_light_category": "ALL", "geo_level": "national", "sex": "ALL", "year": "2024"},
            sort_keys=True,
        ),
    )
    assert named(lv)[flow] == "1\u00a0240" and named(en)[flow] == "1,240"
    assert named(lv)[rate] == "6,7" and named(en)[rate] == "6.7"  # 6.6845, half up
    linkage = (
        "mart_data_quality",
        "value",
        json.dumps({"file_name": "patversmes_uzturesanas_2024.csv", "metric": "linkage_rate"}, sort_keys=True),
    )
    assert named(lv)[linkage] == "99,7\u00a0%" and named(en)[linkage] == "99.7%"  # half up, as tables round


def test_no_element_loads_from_the_network(report):
    _, _, html = report
    for text in html.values():
        assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
        assert not re.search(r"""url\(\s*["']?\s*(https?:)?//""", text, re.I)
        assert "@import" not in text and "<script" not in text.lower() and "<link" not in text.lower()
        assert text.count("<svg") >= 4  # charts are inline


def test_no_small_count_and_suppressed_cells_are_marked_not_zero(report):
    _, _, html = report
    for lang, text in html.items():
        found = spans(text).spans
        counts = [float(s["data-value"]) for s in found if s["data-kind"] == "count" and "data-value" in s]
        assert counts and not [v for v in counts if 1 <= v <= K - 1]
        adazi = [
            s
            for s in found
            if s.get("data-table") == "mart_homeless_flow_yearly"
            and json.loads(s["data-key"]).get("municipality_atvk") == "0804000"
        ]
        assert len(adazi) == 2 and all(s["text"] == "c" and s["data-suppressed"] == "true" for s in adazi)
        zero = [
            s
            for s in found
            if s.get("data-key")
            and json.loads(s["data-key"]).get("ethos_light_category") == "1"
            and json.loads(s["data-key"]).get("year") == "2023"
        ]
        assert zero and zero[0]["text"] == "0"  # a true zero is published as 0 ...
        one = [
            s
            for s in found
            if s.get("data-key")
            and json.loads(s["data-key"]).get("ethos_light_category") == "1"
            and json.loads(s["data-key"]).get("year") == "2024"
            and s.get("data-table", "").endswith("flow_yearly")
        ]
        assert one and one[0]["text"] == "c"  # ... a hidden one as c
        assert ("konfidenciāls" if lang == "lv" else "confidential") in text


def test_both_languages_carry_the_same_figures(report):
    _, _, html = report
    names = ("data-table", "data-column", "data-key", "data-op", "data-args", "data-value", "data-suppressed")
    figures = {
        lang: sorted(tuple(s.get(n) or "" for n in names) for s in spans(text).spans) for lang, text in html.items()
    }
    assert figures["lv"] == figures["en"]


def test_latvian_text_uses_the_ministrys_terms(report):
    _, _, html = report
    for term in (
        "Bezpajumtniecības monitoringa ziņojums 2024",
        "naktspatversm",
        "patversm",
        "Mājoklis vispirms",
        "nav mērīts",
        "2024. gada 15. novembris",
    ):
        assert term in html["lv"], term
    assert "not measured" in html["en"] and "15 November 2024" in html["en"]


def test_every_table_has_its_csv_with_the_public_values(report):
    published, written, html = report
    table_ids = set(re.findall(r'data-table-id="([a-z0-9_]+)"', html["lv"])) - {"revisions", "sources", "ethos_light"}
    assert {
        "key_figures",
        "trend_flow",
        "geography_municipalities",
        "who_sex_age",
        "epoch_objectives",
        "hf_retention",
        "data_quality",
    } <= table_ids
    for table_id in table_ids:
        assert (written.folder / "data" / f"{table_id}.csv").exists(), table_id
        assert (written.folder / "data" / f"{table_id}.xlsx").exists(), table_id
        assert (written.folder / "data" / f"{table_id}-lv.csv").exists(), table_id
    muni = pd.read_csv(written.folder / "data" / "geography_municipalities.csv", dtype=str, keep_default_na=False)
    riga = muni[
        (muni.municipality_atvk == "0001000")
        & (muni.measure == "persons")
        & (muni.source_table == "mart_homeless_flow_yearly")
    ]
    assert riga[["value", "flag"]].values.tolist() == [["900", ""]]
    adazi = muni[(muni.municipality_atvk == "0804000") & (muni.measure == "rate_per_10000")]
    assert adazi[["value", "flag"]].values.tolist() == [["", "c"]]


def test_revisions_list_earlier_years_that_changed_since_the_previous_report(tmp_path):
    write_tier(tmp_path, release="release-A")
    write_report(tmp_path, YEAR, langs=("en",), pdf=False)

    def revise(table, df):  # a late delivery: 2023's national flow grows from 1200 to 1210
        if table == "mart_homeless_flow_yearly":
            hit = (df.year == 2023) & (df.geo_level == "national") & (df.ethos_light_category == "ALL")
            df.loc[hit, "persons"] = 1210
        return df

    write_tier(tmp_path, release="release-B", edit=revise)
    written = write_report(tmp_path, YEAR, langs=("en",), pdf=False)
    html = (written.folder / f"report-{YEAR}-en.html").read_text(encoding="utf-8")
    section = html[html.index('id="technical-note"') : html.index('id="data"')]
    rows = re.findall(r"<tr>(.*?)</tr>", section[section.index('id="t-revisions"') :], re.S)
    cells = [re.sub(r"<[^>]+>", "|", r) for r in rows if "persons during the year: persons" in r]
    assert {c.split("|")[1] for c in cells} == {"key_figures.csv", "trend_flow.csv"}  # both files hold the figure
    assert all("national, 2023" in c and "|1200|" in c and "|1210|" in c for c in cells)
    assert json.loads((written.folder / "report.json").read_text())["revisions_against"] == "2024, release-A"


def test_the_yearly_asset_writes_both_languages_and_the_pdf_has_every_section(tmp_path):
    from dagster import materialize
    from pypdf import PdfReader

    from dagster_project.assets.report import yearly_monitoring_report
    from dagster_project.resources.release import ReleaseResource

    write_tier(tmp_path)
    result = materialize(
        [yearly_monitoring_report],
        partition_key=str(YEAR),
        resources={"release": ReleaseResource(published_dir=str(tmp_path))},
    )
    assert result.success
    folder = tmp_path / "reports" / str(YEAR)
    for lang in ("lv", "en"):
        assert (folder / f"report-{YEAR}-{lang}.html").exists() and (folder / f"report-{YEAR}-{lang}.pdf").exists()
    text = " ".join(page.extract_text() for page in PdfReader(folder / f"report-{YEAR}-lv.pdf").pages)
    text = " ".join(text.split())
    for title in (
        "1. Galvenie secinājumi",
        "2. Datu aptvērums",
        "3. Tendences kopš 2023. gada",
        "4. Ģeogrāfija",
        "5. Dzimums un vecums",
        "6. Ceļi bezpajumtniecībā",
        "7. Dzīvošana uz ielas, slēptā bezpajumtniecība un izmaksas",
        "8. Lisabonas deklarācijas (EPOCH) mērķi",
        "9. Mājoklis vispirms",
        "10. Pielikums: datu kvalitāte",
        "11. Metodoloģija",
        "12. Dati aiz attēliem un tabulām",
    ):
        assert title in text, title
    assert RELEASE in text
    for lang in ("lv", "en"):  # tagged for screen readers (PDF/UA), its headings kept as bookmarks
        reader = PdfReader(folder / f"report-{YEAR}-{lang}.pdf")
        root = reader.trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"] is True or str(root["/MarkInfo"]["/Marked"]) == "True"
        assert "/StructTreeRoot" in root and str(root.get("/Lang")).startswith(lang)
        flat = lambda items: [x for i in items for x in (flat(i) if isinstance(i, list) else [i])]  # noqa: E731, B023
        assert len(flat(reader.outline)) >= 12


def test_the_default_job_reports_the_latest_complete_year_and_the_yearly_job_its_partition(tmp_path):
    from dagster_project.assets.report import latest_complete_year
    from dagster_project.definitions import defs
    from dagster_project.resources.release import ReleaseResource

    write_tier(tmp_path)
    release = ReleaseResource(published_dir=str(tmp_path))
    assert latest_complete_year(release, today=dt.date(2025, 1, 15)) == 2024
    assert latest_complete_year(release, today=dt.date(2024, 6, 1)) == 2023  # 2024 still running
    default = {k.to_user_string() for k in defs.resolve_job_def("monitoring_release").asset_layer.selected_asset_keys}
    yearly = {
        k.to_user_string() for k in defs.resolve_job_def("yearly_monitoring_release").asset_layer.selected_asset_keys
    }
    assert "report/monitoring_report" in default and "report/yearly_monitoring_report" not in default
    assert "report/yearly_monitoring_report" in yearly and "report/monitoring_report" not in yearly


# --- a publication a reader can use (issue 25) -----------------------------------------------------------------

#: Common English words that never occur in Latvian prose (a paragraph holding several is English).
ENGLISH = {
    "the",
    "and",
    "of",
    "with",
    "from",
    "which",
    "are",
    "is",
    "not",
    "persons",
    "during",
    "year",
    "when",
    "this",
    "that",
    "for",
    "by",
    "were",
    "was",
    "been",
    "has",
    "have",
    "each",
    "their",
    "than",
    "into",
}


def visible_text(html: str) -> list[str]:
    """The text a reader sees, one string per paragraph-like element (no tags, attributes, styles or SVG)."""
    body = html[html.index("<body") :]
    body = re.sub(r"<svg.*?</svg>", " ", body, flags=re.S)
    blocks = re.split(r"</?(?:p|h[1-6]|li|dt|dd|td|th|caption|figcaption)\b[^>]*>", body)
    return [" ".join(re.sub(r"<[^>]+>", " ", b).split()) for b in blocks if re.sub(r"<[^>]+>", "", b).strip()]


def test_the_latvian_edition_has_no_english_paragraph_and_no_internal_name(report):
    _, _, html = report
    for text in visible_text(html["lv"]):
        words = re.findall(r"\w+", text)
        english = [w for w in words if w.lower() in ENGLISH]
        assert len(english) < 3, f"English in the Latvian edition: {text[:200]!r}"
        prose = re.sub(r"data/\S+\.(csv|xlsx)", " ", text)  # file names of the open data are names, not words
        assert "mart_" not in prose and "fct_" not in prose and "dim_" not in prose, text[:200]
        assert not re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", prose), f"a snake_case name: {text[:200]!r}"
    for text in visible_text(html["en"]):
        prose = re.sub(r"data/\S+\.(csv|xlsx)", " ", text)
        assert "mart_" not in prose and not re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", prose), text[:200]
    assert RELEASE in html["lv"] and html["lv"].count(RELEASE + "<") <= 1  # the release id once, in the colophon


def test_key_findings_are_sentences_about_published_figures_with_changes_from_printed_values(report):
    published, _, html = report
    lv = html["lv"][html["lv"].index('id="key-findings"') : html["lv"].index("</section>")]
    en = html["en"][html["en"].index('id="key-findings"') : html["en"].index("</section>")]
    findings = [p for p in re.findall(r'<p class="finding">(.*?)</p>', en, re.S)]
    texts = [" ".join(re.sub(r"<[^>]+>", "", p).split()) for p in findings]
    # the year's total 1250 against 1200: +4.2 % ("more"); the reference night 300 against 280: +7.1 %
    assert (
        texts[0] == "In 2024, 1,250 persons experienced homelessness (all ETHOS Light categories), 4.2% more "
        "than in 2023 (1,200)."
    )
    assert texts[1].startswith("On the reference night, 15 November 2024, 300 persons were homeless, 7.1% more")
    assert any("estimated at 2,630 (95% interval 2,280 to 3,170)" in t for t in texts)
    assert len(re.findall(r'<p class="finding">', lv)) == len(findings)
    assert "2024. gada 15. novembrī" in lv and "vairāk nekā 2023. gadā" in lv
    for span in spans("".join(re.findall(r'<p class="finding">.*?</p>', lv, re.S))).spans:
        assert span.get("data-suppressed") != "true" and "data-missing" not in span  # never about a hidden figure
    # the series starts in 2023: first-time and long-term homelessness are not computable, so no sentence
    assert not any("first time" in t or "long-term" in t for t in texts)


def test_a_change_is_worked_out_from_the_rounded_values_as_printed(report):
    _, _, html = report
    found = spans(html["en"]).spans
    women = [s for s in found if s.get("data-op") == "diff" and "share_women" in s.get("data-args", "")]
    assert women and women[0]["text"] == "+2.0\u00a0pp"  # 24.0 % - 22.0 %
    rate = [
        s
        for s in found
        if s.get("data-op") == "pct_change"
        and "rate_per_10000" in s.get("data-args", "")
        and "mart_homeless_flow_yearly" in s.get("data-args", "")
    ]
    assert rate and rate[0]["text"] == "+4.7%"  # from 6.4 and 6.7 as printed (6.383 -> 6.6845 would be 4.72)


def test_municipalities_are_in_latvian_order_with_not_known_last(report):
    from homeless_monitor.report.fmt import latvian_key

    _, _, html = report
    table = html["lv"][html["lv"].index('id="t-geography_municipalities"') :]
    names = re.findall(r'<td class="label">(.*?)</td>', table[: table.index("</table>")])
    assert names == ["Ādažu novads", "Rīga", "Valmieras novads"]
    assert sorted(
        ["Rīga", "Ķekavas novads", "Kandavas novads", "Ādažu novads", "Zilupes novads", "Čašnīku"], key=latvian_key
    ) == ["Ādažu novads", "Čašnīku", "Kandavas novads", "Ķekavas novads", "Rīga", "Zilupes novads"]


def test_open_data_opens_in_latvian_excel(report):
    from openpyxl import load_workbook

    _, written, _ = report
    raw = (written.folder / "data" / "geography_nuts3-lv.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8 (Rīga stays Rīga)
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].count(";") >= 3 and "14,876" in text  # `;` between fields, a decimal comma
    book = load_workbook(written.folder / "data" / "geography_nuts3.xlsx")
    values = [row for row in book["dati"].iter_rows(values_only=True)]
    assert 14.876 in [v for row in values for v in row] and "vārdnīca" in book.sheetnames
    assert (written.folder / "data" / "dictionary.csv").exists() and (written.folder / "data" / "vardnica.csv").exists()


def test_the_estimate_sensitivity_table_is_shown_when_the_release_has_it(tmp_path, report):
    _, _, html = report
    assert 'id="t-estimate_sensitivity"' not in html["lv"]  # not in the release: no table, no error
    write_tier(tmp_path)
    sensitivity = pd.DataFrame(
        rows(
            "year model_key model_label_en model_label_lv estimate lower upper is_chosen reason_en reason_lv",
            (2024, "chao", "Chao", "Čao", 2700.0, None, None, False, "not chosen: a figure", "neizvēlēts: rādītājs"),
            (2024, "independence", "Independent lists", "Neatkarīgi saraksti", 2500.0, 2300.0, 2700.0, False, "-", "-"),
            (2024, "model_average", "Model average", "Modeļu vidējais", 2630.0, 2280.0, 3170.0, True, "-", "-"),
            (2024, "half_year_presence", "Half-years", "Pusgadi", 2640.0, 2290.0, 3180.0, True, "c", "c"),
        )
    )
    # one published row (the first model_average row stands for a release before the half-year method)
    sensitivity.loc[sensitivity["model_key"] == "model_average", "is_chosen"] = False
    sensitivity.loc[sensitivity["model_key"] == "half_year_presence", ["reason_en", "reason_lv"]] = (
        "chosen: it allows for part-year homelessness",
        "izvēlēts: tas ņem vērā daļgada bezpajumtniecību",
    )
    for m in ("estimate", "lower", "upper"):
        sensitivity[f"{m}_suppressed"] = False
    with duckdb.connect() as con:
        con.register("df", sensitivity)
        con.execute(
            f"COPY df TO '{tmp_path / 'public' / 'mart_homelessness_estimate_sensitivity.parquet'}' (FORMAT PARQUET)"
        )
    written = write_report(tmp_path, YEAR, langs=("lv",), pdf=False)
    lv = (written.folder / f"report-{YEAR}-lv.html").read_text(encoding="utf-8")
    table = lv[lv.index('id="t-estimate_sensitivity"') :]
    table = table[: table.index("</table>")]
    assert "Modeļu vidējais" in table and "Neatkarīgi saraksti" in table and "✓" in table
    # the published row first, the method published before next, Chao's figure last; the reason is said
    order = [table.index(label) for label in ("Pusgadi", "Modeļu vidējais", "Neatkarīgi saraksti", "Čao")]
    assert order == sorted(order)
    assert "Kāpēc publicēts šis modelis: tas ņem vērā daļgada bezpajumtniecību." in lv
    assert "izvēlēts:" not in lv
    for span in spans(table).spans:
        assert_printed_as_published(tmp_path, span, "lv")


def test_an_open_upper_end_is_explained_only_when_a_year_has_one(tmp_path, report):
    _, _, html = report
    assert "there is no upper bound" in html["en"]  # the hand-made 2023 estimate has no upper end

    def bounded(table, df):
        return df.assign(ci_upper=df["ci_upper"].fillna(2900.0)) if table == "mart_homelessness_estimate" else df

    write_tier(tmp_path, edit=bounded)
    written = write_report(tmp_path, YEAR, langs=("en",), pdf=False)
    assert "there is no upper bound" not in (written.folder / f"report-{YEAR}-en.html").read_text(encoding="utf-8")


def test_withheld_municipal_rows_are_said_so_and_never_printed_as_0(tmp_path):
    """The release withheld 2024's reference-night rows of every municipality but Rīga (disclosure control:
    coarser detail instead of a hidden total). A missing row is otherwise a true zero, printed 0; here
    Valmiera's and Ādaži's reference-night cells print "–", Rīga's its 210, and a note says why."""

    def edit(table, df):
        if table != "mart_homeless_point_in_time":
            return df
        town = (df["geo_level"] == "municipality") & (df["municipality_atvk"] != "0001000") & (df["year"] == 2024)
        return df[~town]

    write_tier(tmp_path, edit=edit, withheld=("mart_homeless_point_in_time 2024",))
    written = write_report(tmp_path, YEAR, pdf=False)
    for lang, note in (("en", "reference night of 2024 is not published by municipality"), ("lv", "uzskaites naktī")):
        html = (written.folder / f"report-{YEAR}-{lang}.html").read_text(encoding="utf-8")
        table = html[html.index('id="t-geography_municipalities"') :]
        table = table[: table.index("</table>")]
        pit = {
            json.loads(span["data-key"])["municipality_atvk"]: span["text"]
            for span in spans(table).spans
            if span.get("data-table") == "mart_homeless_point_in_time"
        }
        assert pit == {"0001000": "210", "0942000": "–", "0804000": "–"}, lang
        assert note in html, lang
