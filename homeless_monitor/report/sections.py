"""The sections of the yearly report, assembled from the public tier in one language.

Each figure is a Cell naming its public table, column and row; where the public tier lacks a table or
a row, the cell is 'missing' and shows as not published / not measured, never as an invented value.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from markupsafe import escape

from homeless_monitor.disclosure.definitions import mart
from homeless_monitor.report import charts, fmt
from homeless_monitor.report.cells import Cell, cell, diff, not_computable, pct_change
from homeless_monitor.report.model import Chart, Heading, Paragraph, Report, Section, Table
from homeless_monitor.report.public import PublicTier
from homeless_monitor.report.texts import DEFINITIONS, OBJECTIVES, translator

# the marts by their role in dbt meta (disclosure/definitions.py): dbt's YAML is the one place their
# model names are written
FLOW, PIT, FIRST = mart("flow"), mart("point_in_time"), mart("first_time")
RETURNS, LENGTH, EPOCH, HC31, DQ = mart("returns"), mart("length"), mart("epoch"), mart("hc31"), mart("data_quality")
HF_RET, HF_SURV, HF_WB = mart("hf_retention"), mart("hf_survival"), mart("hf_wellbeing")
HF_CRISIS, HF_COSTS = mart("hf_crisis_use"), mart("hf_costs")
ESTIMATE, COST = mart("estimate"), mart("cost")
SENSITIVITY = mart("estimate_sensitivity")  # issue 24's table: shown only when the release has it
#: the order a reader meets the sensitivity rows in, after the published one: its variant with the likely
#: housed kept, the method published before, the single models from the simplest, Chao's figure last
SENSITIVITY_ORDER = (
    "likely_housed_kept",
    "model_average",
    "independence",
    "bic_stepwise",
    "aic_stepwise",
    "aic_best",
    "heterogeneity",
    "covariates",
    "chao",
)
COST_ITEMS = ("ambulance_call", "inpatient_day", "police_contact", "prison_day", "shelter_night", "all")
#: A national total row of the breakdown marts.
NATIONAL = dict(geo_level="national", sex="ALL", age_group="ALL")
BREAKDOWN_KEYS = ["year", "geo_level", "nuts3_code", "municipality_atvk", "ethos_light_category", "sex", "age_group"]
EPOCH_KINDS = {"persons": "count", "nights": "nights", "share": "share", "releases": "count", "cases": "count"}


def count_cell(tier: PublicTier, table: str, **key) -> Cell:
    """Persons in a breakdown (flow, reference night): the marts write a row only for a non-empty cell, so a
    row the table lacks, in a year the table holds, is a true zero, printed 0 (op "absent" names the key) -
    unless the release withheld that year's municipal rows (then the row is not published, not zero)."""
    c = cell(tier, table, "persons", "count", **key)
    withheld = key.get("geo_level") == "municipality" and (table, int(key.get("year", 0))) in (
        tier.withheld_municipal_rows
    )
    if (
        c.missing
        and not withheld
        and tier.table(table) is not None
        and not tier.rows(table, year=key.get("year")).empty
        and tier.rows(table, **key).empty
    ):
        return Cell(table, "persons", c.key, 0, "count", op="absent")
    return c


def reference_night(tier: PublicTier, year: int) -> dt.date | None:
    rows = tier.rows(PIT, year=year, geo_level="national")
    if rows.empty or "reference_night" not in rows.columns:
        return None
    value = rows["reference_night"].dropna()
    return pd.Timestamp(value.iloc[0]).date() if len(value) else None


class Builder:
    """Builds the report for one year and language; `t` and `label` give the words."""

    def __init__(self, tier: PublicTier, year: int, lang: str, revisions: list[dict] | None, previous: str | None):
        self.tier, self.year, self.lang = tier, year, lang
        self.t, self.label = translator(lang)
        self.revisions, self.previous = revisions, previous

    # -- helpers ---------------------------------------------------------------------------------------
    def years(self, table: str, column: str = "year") -> list[int]:
        """Years of a table's series: up to the reporting year, and only years with deliveries."""
        df = self.tier.table(table)
        if df is None or column not in df.columns:
            return []
        return sorted(int(y) for y in df[column].dropna().unique() if int(y) in self.series_years())

    def series_years(self) -> set[int]:
        """Years for which a delivered file exists (a file name carries its year); a year before the first
        delivery holds only the look-back of records that reach into it, so it is not part of the series."""
        df = self.tier.table(DQ)
        found = set()
        if df is not None and "file_name" in df.columns:
            records = df[~df["source"].astype(str).str.startswith("ref_")]  # reference lists span many years
            for name in records["file_name"].dropna().astype(str).unique():
                found |= {int(m) for m in re.findall(r"(?<!\d)(20\d\d)(?!\d)", name)}
        flow = self.tier.table(FLOW)
        first = min(found) if found else min([self.year] + ([] if flow is None else [int(y) for y in flow["year"]]))
        return set(range(first, self.year + 1))

    # -- history: figures that need earlier years ---------------------------------------------------
    def history_complete(self, table: str, year: int) -> bool:
        """Whether a figure needing earlier history (first-time: 730 days; long-term: 3 years) can be read for
        `year`: the mart's own `history_complete` flag where it has one, else 2 full years before `year`."""
        rows = self.tier.rows(table, year=year, ethos_light_category="ALL", **NATIONAL)
        if not rows.empty and "history_complete" in rows.columns and not pd.isna(rows.iloc[0]["history_complete"]):
            return bool(rows.iloc[0]["history_complete"])
        return year >= min(self.series_years()) + 2

    def hcell(self, table: str, column: str, kind: str, **key) -> Cell:
        """A cell of a table that needs history: not computable ("–") in the years without it."""
        c = cell(self.tier, table, column, kind, **key)
        year = int(key.get("year", self.year))
        return c if self.history_complete(table, year) else not_computable(c)

    # -- 1 key findings --------------------------------------------------------------------------------
    def finding(
        self, text_key: str, now: Cell, before: Cell | None, extra: list[Cell] = (), **fields
    ) -> Paragraph | None:
        """One sentence about a published figure, with its change against the year before in words (rise,
        fall, unchanged, from the printed values); None when the figure is hidden or not computable."""
        t, y = self.t, self.year
        if not now.shown:
            return None
        persons = t("person_one") if fmt.plural_one(now.value, self.lang) else t("person_many")
        text = t(text_key, year=y, persons=persons, **fields)
        cells = [now]
        if before is not None and before.shown:
            change = pct_change(now, before, absolute=True)
            signed = pct_change(now, before)
            if change.shown:
                rounded = float(fmt.printed(signed.value, "pct"))
                word = "f_same" if rounded == 0 else ("f_up" if rounded > 0 else "f_down")
                text += t(word, prev=y - 1)
                cells += [change, before]
            else:
                text += t("f_nochange")
        else:
            text += t("f_nochange")
        if extra:
            while len(cells) < 3:  # placeholders {3}, {4} follow the change and the year before
                cells.append(Cell(None, None, (), None, "count", missing=True))
            cells += list(extra)
        return Paragraph(text, cells, cls="finding")

    def key_findings(self) -> Section:
        t, y = self.t, self.year
        nat_all = dict(ethos_light_category="ALL", **NATIONAL)
        out: list = []

        def pair(table: str, column: str, kind: str, history: bool = False, **key) -> tuple[Cell, Cell]:
            get = self.hcell if history else (lambda *a, **k: cell(self.tier, *a, **k))
            return get(table, column, kind, year=y, **key), get(table, column, kind, year=y - 1, **key)

        out.append(self.finding("f_total", *pair(FLOW, "persons", "count", **nat_all)))
        night = reference_night(self.tier, y)
        out.append(
            self.finding(
                "f_night",
                *pair(PIT, "persons", "count", **nat_all),
                night=fmt.date(night, self.lang, "loc") if night else "",
            )
        )
        est, est_before = pair(ESTIMATE, "estimated_persons", "number")
        low, high = (
            cell(self.tier, ESTIMATE, "ci_lower", "number", year=y),
            cell(self.tier, ESTIMATE, "ci_upper", "number", year=y),
        )
        if low.shown and high.shown:
            out.append(self.finding("f_estimate", est, est_before, [low, high]))
        out.append(self.finding("f_first", *pair(FIRST, "first_time_persons", "count", history=True, **nat_all)))
        out.append(self.finding("f_long", *pair(LENGTH, "long_term_persons", "count", history=True, **nat_all)))
        out = [p for p in out if p is not None]
        blocks: list = out or [Paragraph(t("f_none"))]
        blocks.append(self.key_figures())
        return Section(1, "key-findings", t("s_findings"), blocks)

    # -- key figures table -----------------------------------------------------------------------------
    def key_figures(self) -> Table:
        t, y = self.t, self.year
        rows = []

        def add(label: str, table: str, column: str, kind: str, change: str | None, history: bool = False, **key):
            year_col = "exit_year" if "exit_year" in key else "year"
            get = self.hcell if history else (lambda *a, **k: cell(self.tier, *a, **k))
            now = get(table, column, kind, **key)
            prev_key = {**key, year_col: int(key[year_col]) - 1}
            before = get(table, column, kind, **prev_key)
            if (
                not now.shown
                and not now.suppressed
                and not before.shown
                and not before.suppressed
                and self.tier.rows(table, **key).empty
            ):
                return  # a figure this release does not publish at all: no empty row
            ch = ""
            if change == "pct":
                ch = pct_change(now, before)
            elif change == "pp":
                d = diff(now, before)
                ch = Cell(d.table, d.column, d.key, d.value, "pp", d.suppressed, d.missing, d.op, d.args)
            rows.append([label, now, before, ch])

        nat = dict(year=y, ethos_light_category="ALL", **NATIONAL)
        hc = dict(ethos_light_coverage="2+3")
        add(t("kf_total"), FLOW, "persons", "count", "pct", **nat)
        add(t("kf_total_rate"), FLOW, "rate_per_10000", "rate", "pct", **nat)
        add(t("kf_night"), PIT, "persons", "count", "pct", **nat)
        add(t("kf_estimate"), ESTIMATE, "estimated_persons", "number", "pct", year=y)
        add(t("kf_first_persons"), FIRST, "first_time_persons", "count", "pct", history=True, **nat)
        add(t("kf_first_time"), FIRST, "first_time_share", "share", "pp", history=True, **nat)
        add(t("kf_long_term"), LENGTH, "long_term_persons", "count", "pct", history=True, **nat)
        add(t("kf_long_term_share"), LENGTH, "long_term_share", "share", "pp", history=True, **nat)
        add(t("kf_flow"), HC31, "persons", "count", "pct", year=y, count_type="flow", **hc)
        add(t("kf_pit"), HC31, "persons", "count", "pct", year=y, count_type="point_in_time", **hc)
        add(t("kf_women"), HC31, "share_women", "share", "pp", year=y, count_type="flow", **hc)
        add(
            t("kf_returns", exit_year=y - 1),
            RETURNS,
            "return_share_12_months",
            "share",
            "pp",
            exit_year=y - 1,
            exit_destination="ALL",
        )
        for programme, horizon in self.hf_headline():
            label = t(
                "kf_hf_retention",
                horizon=self.label("horizon", horizon).lower(),
                programme=self.label("programme", programme),
            )
            rows.append(
                [
                    label,
                    cell(
                        self.tier,
                        HF_RET,
                        "retention_pct",
                        "pct",
                        programme_id=programme,
                        municipality="all",
                        entry_cohort="all",
                        horizon=horizon,
                    ),
                    "",
                    "",
                ]
            )
        notes = [t("kf_note2")]
        return Table(
            "key_figures",
            t("kf_table"),
            [t("indicator"), str(y), str(y - 1), t("change")],
            rows,
            [FLOW, PIT, ESTIMATE, FIRST, LENGTH, HC31, RETURNS, HF_RET],
            notes,
        )

    def hf_headline(self) -> list[tuple[str, str]]:
        """(programme, horizon) of the Housing First headline: 12 months after move-in, else the evaluation date."""
        ret = self.tier.rows(HF_RET, municipality="all", entry_cohort="all")
        out = []
        for programme in sorted(ret["programme_id"].unique()) if not ret.empty else []:
            rows = ret[ret["programme_id"] == programme]
            if "retention_pct" in rows.columns:  # a horizon whose retention is published (not "not yet reached")
                shown = rows[rows["retention_pct"].notna()]
            else:
                shown = rows.iloc[0:0]
            horizons = set(shown["horizon"])
            for pick in ("12_months", "evaluation", "24_months", "6_months"):
                if pick in horizons:
                    out.append((programme, pick))
                    break
        return out

    # -- 2 coverage ------------------------------------------------------------------------------------
    def coverage(self) -> Section:
        t, y = self.t, self.year
        night = reference_night(self.tier, y)
        blocks: list = [
            Paragraph(t("cov_intro", year=y, night=fmt.date(night, self.lang) if night else t("not_published")))
        ]
        files = self.delivered_files()
        if files.empty:
            blocks.append(Paragraph(f"{t('cov_sources', year=y)}: {t('not_published')}."))
        else:
            names = sorted(
                {self.label("source", src) for src in files["source"].unique() if not str(src).startswith("ref_")},
                key=fmt.latvian_key,
            )
            blocks.append(Paragraph(f"{t('cov_sources', year=y)}: {escape('; '.join(names))}."))
        munis = self.tier.rows(
            FLOW, year=y, geo_level="municipality", ethos_light_category="ALL", sex="ALL", age_group="ALL"
        )
        munis = munis[munis["municipality_atvk"] != "UNKNOWN"] if not munis.empty else munis
        count = Cell(
            FLOW,
            None,
            tuple(
                sorted(
                    dict(
                        year=str(y), geo_level="municipality", ethos_light_category="ALL", sex="ALL", age_group="ALL"
                    ).items()
                )
            ),
            len(munis) if self.tier.table(FLOW) is not None else None,
            "number",
            missing=self.tier.table(FLOW) is None,
            op="count_rows",
        )
        blocks.append(Paragraph(t("cov_municipalities", year=y) + ": {0}.", [count]))
        shelters = files[files["source"] == "shelter_stays"] if not files.empty else files
        linkage = [self.dq_cell(f, "linkage_rate", "share") for _, f in shelters.iterrows()]
        if linkage:
            blocks.append(
                Paragraph(
                    t("cov_linkage_shelters", year=y)
                    + " "
                    + ", ".join("{%d}" % i for i in range(len(linkage)))  # noqa: UP031
                    + ". "
                    + t("cov_linkage"),
                    linkage,
                )
            )
        else:
            blocks.append(Paragraph(t("cov_linkage")))
        not_counted = [t("cov_cat6"), t("cov_refugees")]
        dv = self.tier.rows(HC31, year=y, count_type="flow", ethos_light_coverage="2+3")
        if not dv.empty and "includes_domestic_violence_shelters" in dv.columns:
            not_counted.append(
                t("cov_dv", value=t("yes") if bool(dv.iloc[0]["includes_domestic_violence_shelters"]) else t("no"))
            )
        blocks.append(Paragraph(f"<strong>{t('cov_not_counted')}.</strong> " + " ".join(not_counted)))
        return Section(2, "coverage", t("s2"), blocks)

    def delivered_files(self) -> pd.DataFrame:
        """Deliveries for the year: files whose name carries the year (one row per file)."""
        df = self.tier.table(DQ)
        if df is None or "file_name" not in df.columns:
            return pd.DataFrame()
        files = df[df["file_name"].astype(str).str.contains(str(self.year))]
        ids = ["source", "file_name"] + (["load_id"] if "load_id" in df.columns else [])  # a file re-delivered
        if "load_id" in df.columns and "metric" in df.columns:  # a load that read no rows (the same file read
            received = files[files["metric"] == "rows_received"]  # again and skipped) is no delivery
            empty = received[pd.to_numeric(received["value"], errors="coerce").fillna(0) == 0]
            keep = ~files.set_index(ids).index.isin(empty.set_index(ids).index)
            loaded = files[keep]
            files = loaded if not loaded.empty else files
        return files.drop_duplicates(ids)[ids].sort_values(ids)

    # -- 3 trends --------------------------------------------------------------------------------------
    def trend(self, table: str, title_key: str, table_id: str) -> Chart | None:
        t = self.t
        df = self.tier.rows(table, **NATIONAL)
        if df.empty:
            return None
        df = df[df["year"].astype(int) <= self.year]
        found = set(df["ethos_light_category"].astype(str).unique())
        single = sorted(c for c in found if c != "ALL" and "+" not in c)
        cats = single + sorted(c for c in found if "+" in c) + (["ALL"] if "ALL" in found else [])
        years = [yr for yr in sorted(int(v) for v in df["year"].unique()) if yr in self.series_years()]
        rows, plot, points = [], [], {}
        for cat in cats:  # one row per category, years across (as the Finnish series tables)
            row: list = [self.ethos_name(cat)]
            for year in years:
                c = count_cell(self.tier, table, year=year, ethos_light_category=cat, **NATIONAL)
                row.append(c)
                if c.shown and cat in single:  # components only: totals are not drawn among them
                    plot.append({"year": year, "category": self.ethos_name(cat), "code": cat, "persons": c.value})
                    points[cat] = points.get(cat, 0) + 1
            rows.append(row)
        headers = [t("category")] + [str(yr) for yr in years]
        notes = [t("n_series_start", first=years[0])] if years else []
        if table == FLOW:
            notes.append(t("n_rough_annual"))
        tab = Table(table_id, t(title_key), headers, rows, [table], notes)
        chart_notes = [t("n_total_not_drawn"), t("chart_hidden")]
        if any(n == 1 for n in points.values()):
            chart_notes.insert(1, t("n_single_point"))
        domain = [self.ethos_name(c) for c in single]
        colours = [charts.ETHOS_COLOURS.get(c, charts.GREY) for c in single]
        axes = charts.Axes("year", "persons", "category", t("year"), t("persons"), domain, colours)
        svg = charts.lines(pd.DataFrame(plot), axes, self.lang)
        return Chart(table_id, t(title_key), svg, tab, chart_notes)

    def ethos_name(self, cat: str) -> str:
        """'2' -> '2. Naktspatversmēs …', '2+3' -> the combined coverage in words, 'ALL' -> all categories."""
        if cat == "ALL":
            return self.t("all_categories")
        if "+" in cat:
            return self.label("coverage", cat)
        return f"{cat}. {self.label('ethos', cat)}"

    def trends(self) -> Section:
        first = min(self.series_years())
        blocks = [
            b for b in (self.trend(FLOW, "trend_flow", "trend_flow"), self.trend(PIT, "trend_pit", "trend_pit")) if b
        ]
        return Section(3, "trends", self.t("s3", first=first), blocks or [Paragraph(self.t("not_published"))])

    # -- 4 geography -----------------------------------------------------------------------------------
    def geography(self) -> Section:
        t, y = self.t, self.year
        blocks: list = []
        reg = self.tier.rows(FLOW, year=y, geo_level="nuts3", ethos_light_category="ALL", sex="ALL", age_group="ALL")
        if not reg.empty:
            reg = reg.assign(_unknown=reg["nuts3_code"].astype(str) == "UNKNOWN").sort_values(
                ["_unknown", "nuts3_code"]
            )
            rows, plot = [], []
            for _, r in reg.iterrows():
                key = dict(
                    year=y,
                    geo_level="nuts3",
                    nuts3_code=r["nuts3_code"],
                    ethos_light_category="ALL",
                    sex="ALL",
                    age_group="ALL",
                )
                p, rate = (
                    cell(self.tier, FLOW, "persons", "count", **key),
                    cell(self.tier, FLOW, "rate_per_10000", "rate", **key),
                )
                name = str(r["nuts3_name"]) if r["nuts3_code"] != "UNKNOWN" else t("unknown")
                rows.append([name, p, rate])
                if rate.shown:
                    plot.append({"region": name, "rate": rate.value})
            tab = Table("geography_nuts3", t("geo_nuts3", year=y), [t("region"), t("persons"), t("rate")], rows, [FLOW])
            svg = charts.bars(pd.DataFrame(plot), "region", "rate", t("rate"), self.lang)  # one colour: blue
            blocks.append(Chart("geography_nuts3", t("geo_nuts3", year=y), svg, tab, [t("chart_hidden")]))
        withheld = self.withheld_notes()
        mun = self.tier.rows(
            FLOW, year=y, geo_level="municipality", ethos_light_category="ALL", sex="ALL", age_group="ALL"
        )
        if not mun.empty:
            rows = []
            mun = mun.assign(
                _unknown=mun["municipality_atvk"].astype(str) == "UNKNOWN",
                _key=mun["municipality_name"].astype(str).map(fmt.latvian_key),
            )
            mun = mun.sort_values(["_unknown", "_key", "municipality_atvk"])  # Latvian order, "not known" last
            for _, r in mun.iterrows():
                key = dict(
                    geo_level="municipality",
                    municipality_atvk=r["municipality_atvk"],
                    ethos_light_category="ALL",
                    sex="ALL",
                    age_group="ALL",
                    year=y,
                )
                rows.append(
                    [
                        str(r["municipality_name"]) if r["municipality_atvk"] != "UNKNOWN" else t("unknown"),
                        cell(self.tier, FLOW, "persons", "count", **key),
                        cell(self.tier, FLOW, "rate_per_10000", "rate", **key),
                        count_cell(self.tier, PIT, **key),
                    ]
                )
            blocks.append(
                Table(
                    "geography_municipalities",
                    t("geo_muni", year=y),
                    [t("municipality"), t("flow_persons"), t("rate"), t("pit_persons")],
                    rows,
                    [FLOW, PIT],
                    [t("geo_note")] + withheld,
                )
            )
        elif withheld:
            blocks.append(Paragraph(" ".join(withheld)))
        return Section(4, "geography", t("s4"), blocks or [Paragraph(t("not_published"))])

    def withheld_notes(self) -> list[str]:
        """A note for each headline breakdown whose municipal rows of this year the release withheld."""
        notes = (("geo_withheld_flow", FLOW), ("geo_withheld_pit", PIT))
        return [
            self.t(text, year=self.year)
            for text, table in notes
            if (table, self.year) in self.tier.withheld_municipal_rows
        ]

    # -- 5 who -----------------------------------------------------------------------------------------
    def who(self) -> Section:
        t, y = self.t, self.year
        df = self.tier.rows(FLOW, year=y, geo_level="national", ethos_light_category="ALL")
        if df.empty:
            return Section(5, "who", t("s5"), [Paragraph(t("not_published"))])
        sexes = [s for s in ("female", "male", "unknown", "ALL") if s in set(df["sex"].astype(str))]
        ages = sorted(a for a in df["age_group"].astype(str).unique() if a not in ("ALL", "unknown"))
        ages += [a for a in ("unknown", "ALL") if a in set(df["age_group"].astype(str))]
        rows, plot = [], []
        for age in ages:
            row: list = [self.label("age", age)]
            for sex in sexes:
                c = count_cell(
                    self.tier, FLOW, year=y, geo_level="national", ethos_light_category="ALL", sex=sex, age_group=age
                )
                row.append(c)
                if c.shown and sex != "ALL" and age != "ALL":
                    plot.append({"age": self.label("age", age), "sex": self.label("sex", sex), "persons": c.value})
            rows.append(row)
        tab = Table(
            "who_sex_age",
            t("who_table", year=y),
            [t("age_group")] + [self.label("sex", s) for s in sexes],
            rows,
            [FLOW],
        )
        shown_sexes = [s for s in sexes if s != "ALL"]
        svg = charts.bars(
            pd.DataFrame(plot),
            "age",
            "persons",
            t("persons"),
            self.lang,
            color="sex",
            order=[self.label("age", a) for a in ages if a != "ALL"],
            domain=[self.label("sex", s) for s in shown_sexes],
            colours=[charts.SEX_COLOURS[s] for s in shown_sexes],
        )
        notes = [t("chart_hidden")]
        unknown = cell(
            self.tier,
            FLOW,
            "persons",
            "count",
            year=y,
            geo_level="national",
            ethos_light_category="ALL",
            sex="unknown",
            age_group="ALL",
        )
        blocks: list = []
        if unknown.shown and unknown.value:
            blocks.append(Paragraph(t("who_unknown"), [unknown]))
        return Section(5, "who", t("s5"), blocks + [Chart("who_sex_age", t("who_table", year=y), svg, tab, notes)])

    # -- 6 pathways ------------------------------------------------------------------------------------
    def pathways(self) -> Section:
        t = self.t
        blocks: list = []
        nat = dict(ethos_light_category="ALL", **NATIONAL)
        if self.tier.table(FIRST) is not None:
            rows = [
                [str(yr), cell(self.tier, FIRST, "persons_entering", "count", year=yr, **nat)]
                + [
                    self.hcell(FIRST, col, kind, year=yr, **nat)
                    for col, kind in (("first_time_persons", "count"), ("first_time_share", "share"))
                ]
                for yr in self.years(FIRST)
            ]
            blocks.append(
                Table(
                    "pathways_first_time",
                    t("pw_first"),
                    [t("year"), t("persons_entering"), t("first_time_persons"), t("first_time_share")],
                    rows,
                    [FIRST],
                    [t("n_not_computable")],
                )
            )
        if self.tier.table(RETURNS) is not None:
            rows = []
            for yr in self.years(RETURNS, "exit_year"):
                key = dict(exit_year=yr, exit_destination="ALL")
                row: list = [str(yr), cell(self.tier, RETURNS, "persons_exited", "count", **key)]
                r = self.tier.rows(RETURNS, **key)
                for months in (6, 12, 24):
                    row.append(cell(self.tier, RETURNS, f"return_share_{months}_months", "share", **key))
                    complete = r.iloc[0].get(f"followup_complete_{months}_months") if not r.empty else True
                    if complete is not None and not pd.isna(complete) and not bool(complete):
                        row[-1] = (row[-1], "*")
                rows.append(row)
            blocks.append(
                Table(
                    "pathways_returns",
                    t("pw_returns"),
                    [t("exit_year"), t("persons_exited"), t("within_6"), t("within_12"), t("within_24")],
                    rows,
                    [RETURNS],
                    [t("followup_note")],
                )
            )
        if self.tier.table(LENGTH) is not None:
            cols = (
                ("persons", "count"),
                ("median_nights_in_year", "nights"),
                ("mean_spell_nights", "nights"),
                ("long_term_persons", "count"),
                ("long_term_share", "share"),
            )
            rows = [
                [str(yr)]
                + [cell(self.tier, LENGTH, c, k, year=yr, **nat) for c, k in cols[:3]]
                + [self.hcell(LENGTH, c, k, year=yr, **nat) for c, k in cols[3:]]
                for yr in self.years(LENGTH)
            ]
            plot = [{"year": r[0], "series": t("long_term_persons"), "persons": r[4].value} for r in rows if r[4].shown]
            tab = Table(
                "pathways_length",
                t("pw_length"),
                [
                    t("year"),
                    t("persons"),
                    t("median_nights_in_year"),
                    t("mean_spell_nights"),
                    t("long_term_persons"),
                    t("long_term_share"),
                ],
                rows,
                [LENGTH],
                [t("n_not_computable")],
            )
            axes = charts.Axes(
                "year",
                "persons",
                "series",
                t("year"),
                t("persons"),
                [t("long_term_persons")],
                [charts.OKABE_ITO["blue"]],
            )
            svg = charts.lines(pd.DataFrame(plot), axes, self.lang, height=180)
            blocks.append(Chart("pathways_length", t("pw_length"), svg, tab, [t("chart_hidden")]))
        return Section(6, "pathways", t("s6"), blocks or [Paragraph(t("not_published"))])

    # -- rough sleeping, hidden homelessness and cost -------------------------------------------------
    def rough_sleeping(self) -> list:
        """ETHOS Light 1 over the years: flow, rate, reference night, and the 1+2+3 coverage of HC3.1."""
        t = self.t
        years = self.years(FLOW)
        if not years:
            return []
        cat1 = dict(ethos_light_category="1", **NATIONAL)
        rows = [
            [
                str(yr),
                cell(self.tier, FLOW, "persons", "count", year=yr, **cat1),
                cell(self.tier, FLOW, "rate_per_10000", "rate", year=yr, **cat1),
                cell(self.tier, PIT, "persons", "count", year=yr, **cat1),
                cell(self.tier, HC31, "persons", "count", year=yr, count_type="flow", ethos_light_coverage="1+2+3"),
            ]
            for yr in years
        ]
        return [
            Paragraph(t("rs_intro")),
            Table(
                "rough_sleeping",
                t("rs_table"),
                [t("year"), t("rs_flow"), t("rs_rate"), t("rs_pit"), t("rs_123")],
                rows,
                [FLOW, PIT, HC31],
                [t("n_rough_annual"), t("n_series_start", first=years[0])],
            ),
        ]

    def estimate(self) -> list:
        """The multiple-systems estimate with its interval and Chao's bound beside observed persons."""
        t, y = self.t, self.year
        years = self.years(ESTIMATE)
        if not years:
            return []
        now = self.tier.rows(ESTIMATE, year=y)
        lists = str(now.iloc[0]["lists_used"]) if not now.empty and "lists_used" in now.columns else ""
        names = ", ".join(self.label("list", n.strip()) for n in re.split(r"[,+;]\s*", lists) if n.strip())
        blocks: list = [Paragraph(t("est_intro", lists=names or t("not_published")))]
        measures = (
            ("observed_persons", "count"),
            ("estimated_persons", "number"),
            ("ci_lower", "number"),
            ("ci_upper", "number"),
            ("chao_lower_bound", "number"),
            ("hidden_persons", "number"),
        )
        if not now.empty:
            blocks.append(
                Paragraph(t("est_year", year=y), [cell(self.tier, ESTIMATE, m, k, year=y) for m, k in measures[:5]])
            )
        rows, plot, band, models = [], [], [], {}
        unbounded = False
        for yr in years:
            cells = [cell(self.tier, ESTIMATE, m, k, year=yr) for m, k in measures]
            model = self.tier.rows(ESTIMATE, year=yr)
            words = model.iloc[0].get(f"model_label_{self.lang}") if not model.empty else None
            if words is None:  # the published method's label in the reader's language, from the sensitivity table
                words = self.chosen_model_label(yr)
            models[yr] = (
                str(words)
                if words is not None and not pd.isna(words)
                else self.model_label(model.iloc[0].get("model") if not model.empty else None)
            )
            rows.append([str(yr), *cells])
            # an estimate with no upper end that is not a suppressed one: the likelihood stays flat
            unbounded = unbounded or (cells[1].shown and cells[3].value is None and not cells[3].suppressed)
            for c, series in (
                (cells[0], "observed_persons"),
                (cells[1], "estimated_persons"),
                (cells[4], "chao_lower_bound"),
            ):
                if c.shown:
                    plot.append({"year": yr, "series": t(series), "persons": c.value})
            if cells[2].shown and cells[3].shown:
                band.append({"year": yr, "low": cells[2].value, "high": cells[3].value})
        notes = [t("est_unbounded")] if unbounded else []
        if models.get(y) and models[y] != "–":  # the model in words, once (it makes the table unreadable per row)
            notes.insert(0, t("est_model", year=y, model=models[y]))
        tab = Table(
            "homelessness_estimate", t("est_chart"), [t("year")] + [t(m) for m, _ in measures], rows, [ESTIMATE], notes
        )
        domain = [t("observed_persons"), t("estimated_persons"), t("chao_lower_bound")]
        colours = [charts.OKABE_ITO["black"], charts.OKABE_ITO["blue"], charts.OKABE_ITO["orange"]]
        axes = charts.Axes("year", "persons", "series", t("year"), t("persons"), domain, colours)
        svg = charts.interval(pd.DataFrame(plot), pd.DataFrame(band), axes, "low", "high", self.lang)
        chao, est = (
            cell(self.tier, ESTIMATE, "chao_lower_bound", "number", year=y),
            cell(self.tier, ESTIMATE, "estimated_persons", "number", year=y),
        )
        if chao.shown and est.shown and chao.value > est.value:
            tab.notes.append(t("n_chao_above"))
        blocks.append(Chart("homelessness_estimate", t("est_chart"), svg, tab, [t("est_band"), t("chart_hidden")]))
        return blocks + self.sensitivity()

    def chosen_model_label(self, year: int) -> str | None:
        """The label of the sensitivity table's chosen row (the published method) in the reader's language."""
        df = self.tier.rows(SENSITIVITY, year=year)
        column = f"model_label_{self.lang}"
        if df.empty or column not in df.columns or "is_chosen" not in df.columns:
            return None
        chosen = df[df["is_chosen"].fillna(False).astype(bool)]
        return None if chosen.empty else str(chosen.iloc[0][column])

    def model_label(self, model) -> str:
        """The chosen model in words: 'independence + shelter:police' -> 'independent lists; shelter users ×
        police contacts' (each list by its name in the reader's language, never a code)."""
        if model is None or pd.isna(model) or re.search(r"[()]| of ", str(model)):
            return "–"  # no code form to put in words (a description in English is not shown to readers)
        parts = [p.strip() for p in re.split(r"[+,;]", str(model)) if p.strip()]
        words = []
        for part in parts:
            if part == "independence":
                words.append(self.t("independence"))
            elif ":" in part:
                words.append(" × ".join(self.label("list_short", n.strip()) for n in part.split(":")))
            else:
                words.append(self.label("list", part))
        return "; ".join(words)

    def sensitivity(self) -> list:
        """The estimate under other methods (issue 24's table, when the release publishes it): one row per
        method, its label in the reader's language, estimate, 95% interval, whether it is the published one."""
        t, y = self.t, self.year
        df = self.tier.rows(SENSITIVITY, year=y)
        if df.empty:
            return []
        label_col = next((c for c in (f"model_label_{self.lang}", "model_label", "model") if c in df.columns), None)
        key_col = next((c for c in ("model_key", "model", "model_id") if c in df.columns), None)
        if label_col is None or key_col is None:
            return []
        measures = [
            next((m for m in names if m in df.columns), None)
            for names in (("estimate", "estimated_persons"), ("lower", "ci_lower"), ("upper", "ci_upper"))
        ]
        headers = [t(h) for h, m in zip(("estimated_persons", "ci_lower", "ci_upper"), measures) if m]
        chosen_col = next((c for c in ("is_chosen", "chosen", "selected") if c in df.columns), None)
        is_chosen = df[chosen_col].fillna(False).astype(bool) if chosen_col else pd.Series(False, index=df.index)
        rank = df[key_col].map({k: i for i, k in enumerate(SENSITIVITY_ORDER)}).fillna(len(SENSITIVITY_ORDER))
        df = df.assign(_chosen=is_chosen, _rank=rank).sort_values(["_chosen", "_rank"], ascending=[False, True])
        rows, notes = [], [t("est_sens_note")]
        for _, r in df.iterrows():
            key = {"year": y, key_col: r[key_col]}
            label = str(r[label_col]) if label_col.startswith("model_label_") else self.model_label(r[label_col])
            reason = r.get(f"reason_{self.lang}")
            if r["_chosen"] and isinstance(reason, str) and reason.strip():
                # why the published method was chosen, in the reader's language (the mart's reason column)
                head, _, rest = reason.partition(":")
                words = rest.strip() if rest and len(head) <= 12 else reason.strip()  # without "chosen:"
                notes.append(t("est_sens_why", reason=words.rstrip(".")))
            rows.append(
                [
                    label,
                    *[cell(self.tier, SENSITIVITY, m, "number", **key) for m in measures if m],
                    "✓" if r["_chosen"] else "",
                ]
            )
        return [
            Table(
                "estimate_sensitivity",
                t("est_sens", year=y),
                [t("model")] + headers + [t("chosen")],
                rows,
                [SENSITIVITY],
                notes,
            )
        ]

    def cost(self) -> list:
        """Crisis-service cost per person-year, homeless against everyone else, and per day beside Housing First."""
        t, y = self.t, self.year
        if self.tier.table(COST) is None:
            return []
        blocks: list = [Paragraph(t("cost_intro"))]
        measures = (
            ("unit_cost_eur", "eur_day"),
            ("homeless_cost_per_person_year_eur", "eur"),
            ("general_cost_per_person_year_eur", "eur"),
            ("excess_cost_per_person_year_eur", "eur"),
        )
        rows, plot = [], []
        for item in COST_ITEMS:
            if self.tier.rows(COST, year=y, cost_item=item).empty:
                continue
            cells = [cell(self.tier, COST, m, k, year=y, cost_item=item) for m, k in measures]
            rows.append([self.label("cost", item), *cells])
            if item != "all":
                for c, group in ((cells[1], "homeless"), (cells[2], "general_population")):
                    if c.shown:
                        plot.append({"item": self.label("cost", item), "group": t(group), "eur": c.value})
        if rows:
            tab = Table(
                "cost_by_item", t("cost_table", year=y), [t("cost_item")] + [t(m) for m, _ in measures], rows, [COST]
            )
            svg = charts.bars(
                pd.DataFrame(plot),
                "item",
                "eur",
                "EUR",
                self.lang,
                color="group",
                order=[self.label("cost", i) for i in COST_ITEMS[:-1]],
                domain=[t("homeless"), t("general_population")],
                colours=[charts.OKABE_ITO["vermillion"], charts.OKABE_ITO["blue"]],
            )
            blocks.append(Chart("cost_by_item", t("cost_chart", year=y), svg, tab, [t("chart_hidden")]))
        per_year = (
            ("homeless_persons", "count"),
            ("excess_cost_per_person_year_eur", "eur"),
            ("excess_cost_national_eur", "eur_mln"),
            ("homeless_cost_per_person_day_eur", "eur_day"),
            ("housing_first_eur_day", "eur_day"),
        )
        rows = [
            [str(yr)] + [cell(self.tier, COST, m, k, year=yr, cost_item="all") for m, k in per_year]
            for yr in self.years(COST)
        ]
        if rows:
            blocks.append(
                Table(
                    "cost_per_year",
                    t("cost_years"),
                    [t("year")] + [t(m) for m, _ in per_year],
                    rows,
                    [COST],
                    [t("cost_note"), t("n_cost_person_year")],
                )
            )
        return blocks

    def hidden_homelessness(self) -> Section:
        blocks = self.rough_sleeping() + self.estimate() + self.cost()
        return Section(
            0, "rough-sleeping-hidden-cost", self.t("s_hidden"), blocks or [Paragraph(self.t("not_published"))]
        )

    # -- 7 EPOCH ---------------------------------------------------------------------------------------
    def epoch_value(self, code: str) -> Cell:
        rows = self.tier.rows(EPOCH, year=self.year, indicator_code=code)
        kind = EPOCH_KINDS.get(str(rows.iloc[0]["unit"]), "mean") if not rows.empty else "count"
        return cell(self.tier, EPOCH, "value", kind, year=self.year, indicator_code=code)

    def epoch_note(self, code: str | None) -> str:
        rows = self.tier.rows(EPOCH, year=self.year, indicator_code=code) if code else pd.DataFrame()
        if rows.empty:
            return self.t("not_measured")
        r = rows.iloc[0]
        measured = r.get("is_measured")
        note = "" if pd.isna(r.get("note")) else str(r.get("note"))
        if measured is not None and not pd.isna(measured) and not bool(measured):
            reason = note.split(":", 1)[1].strip() if note.lower().startswith("not measured:") else note
            return self.t("not_measured") + (f" – {reason}" if reason and self.lang == "en" else "")
        return note if self.lang == "en" else ""

    def epoch(self) -> Section:
        t, y = self.t, self.year
        rows = []
        for objective, code in OBJECTIVES:
            value = self.epoch_value(code) if code else Cell(EPOCH, "value", (), None, "count", missing=True)
            rows.append([t(objective), self.label("epoch", code) if code else "–", value, self.epoch_note(code)])
        blocks: list = [
            Paragraph(t("epoch_intro")),
            Table("epoch_objectives", t("s7"), [t("objective"), t("indicator"), t("value"), t("note")], rows, [EPOCH]),
        ]
        df = self.tier.rows(EPOCH, year=y)
        if not df.empty:
            all_rows = [
                [self.label("epoch", code), self.epoch_value(code), self.epoch_note(code)]
                for code in df["indicator_code"]
            ]
            codes = set(df["indicator_code"].astype(str))
            notes = (
                [t("n_prison")]
                if {"prison_release_to_shelter_30_days", "prison_release_to_shelter_90_days"} <= codes
                else []
            )
            if any(c.startswith("rough_sleepers") for c in codes):
                notes.append(t("n_rough_annual"))
            blocks.append(
                Table(
                    "epoch_indicators",
                    t("epoch_all", year=y),
                    [t("indicator"), t("value"), t("note")],
                    all_rows,
                    [EPOCH],
                    notes,
                )
            )
        return Section(7, "epoch", t("s7"), blocks)

    # -- 8 Housing First -------------------------------------------------------------------------------
    def housing_first(self) -> Section:
        t = self.t
        blocks: list = []
        surv = self.tier.rows(HF_SURV, municipality="all")
        ret = self.tier.rows(HF_RET, municipality="all", entry_cohort="all")
        if not ret.empty:
            rows = []
            for _, r in ret.sort_values(["programme_id", "horizon_months"], na_position="last").iterrows():
                key = dict(programme_id=r["programme_id"], municipality="all", entry_cohort="all", horizon=r["horizon"])
                reached = str(r.get("horizon_status", "")) != "not_yet_reached"  # follow-up not yet that long
                figures = [
                    cell(self.tier, HF_RET, m, k, **key)
                    for m, k in (("participants_observed", "count"), ("retained", "count"), ("retention_pct", "pct"))
                ]
                label = f"{self.programme(r['programme_id'])}: {self.label('horizon', r['horizon']).lower()}"
                rows.append(
                    [
                        label + ("" if reached else f" ({t('not_reached')})"),
                        *(figures if reached else [not_computable(c) for c in figures]),
                    ]
                )
            tab = Table(
                "hf_retention",
                t("hf_horizons"),
                [t("horizon"), t("participants_observed"), t("retained"), t("retention_pct")],
                rows,
                [HF_RET],
                [t("n_hf")],
            )
            if not surv.empty and "survival_probability" in surv.columns:
                shown = surv.dropna(subset=["survival_probability"])
                plot = pd.DataFrame(
                    {
                        "months": shown["months"].astype(float),
                        "survival": shown["survival_probability"].astype(float),
                        "programme": shown["programme_id"].map(self.programme),
                    }
                )
                names = sorted(plot["programme"].unique())
                axes = charts.Axes(
                    "months", "survival", "programme", t("months"), t("survival"), names, charts.PALETTE[: len(names)]
                )
                svg = charts.steps(plot, axes, self.lang)
                blocks.append(Chart("hf_retention", t("hf_retention"), svg, tab, [t("chart_hidden")]))
            else:
                blocks.append(tab)
        wb = self.tier.rows(HF_WB, municipality="all", indicator="csq8_total")
        if not wb.empty:
            rows = [
                [f"{self.programme(r['programme_id'])}: {self.label('wave', r['wave'])}"]
                + [
                    cell(
                        self.tier,
                        HF_WB,
                        column,
                        kind,
                        programme_id=r["programme_id"],
                        municipality="all",
                        indicator="csq8_total",
                        wave=r["wave"],
                    )
                    for column, kind in (("denominator", "count"), ("value", "score"))
                ]
                for _, r in wb.iterrows()
            ]
            blocks.append(Table("hf_csq8", t("hf_csq8"), ["", t("participants"), t("value")], rows, [HF_WB]))
        cr = self.tier.rows(HF_CRISIS, municipality="all")
        if not cr.empty:
            measures = (
                ("participants", "count"),
                ("ambulance_call_pct", "pct"),
                ("hospital_stay_pct", "pct"),
                ("mean_police_contacts", "mean"),
                ("mean_crisis_cost_eur", "eur"),
            )
            rows = []
            for programme in sorted(cr["programme_id"].unique()):
                for window in ("before", "after"):
                    key = dict(programme_id=programme, municipality="all", crisis_window=window)
                    rows.append(
                        [f"{self.programme(programme)}: {t(window).lower()}"]
                        + [cell(self.tier, HF_CRISIS, m, k, **key) for m, k in measures]
                    )
            blocks.append(Table("hf_crisis_use", t("hf_crisis"), [""] + [t(m) for m, _ in measures], rows, [HF_CRISIS]))
        co = self.tier.rows(HF_COSTS, municipality="all")
        if not co.empty:
            measures = (
                ("cost_per_client_day_eur", "eur_day"),
                ("short_stay_eur_day", "eur_day"),
                ("boarding_house_eur_day", "eur_day"),
            )
            rows = [
                [self.programme(p)]
                + [cell(self.tier, HF_COSTS, m, k, programme_id=p, municipality="all") for m, k in measures]
                for p in sorted(co["programme_id"].unique())
            ]
            blocks.append(Table("hf_costs", t("hf_costs"), [""] + [t(m) for m, _ in measures], rows, [HF_COSTS]))
        return Section(8, "housing-first", t("s8"), blocks or [Paragraph(t("hf_none"))])

    def programme(self, code) -> str:
        """A Housing First programme by its name, capitalised to start a row label."""
        name = self.label("programme", code)
        return name[:1].upper() + name[1:]

    # -- 9 data quality --------------------------------------------------------------------------------
    def data_quality(self) -> Section:
        t = self.t
        files = self.delivered_files()
        if files.empty:
            return Section(9, "data-quality", t("s9"), [Paragraph(t("not_published"))])
        metrics = (
            ("rows_received", "count"),
            ("rows_loaded", "count"),
            ("rows_quarantined", "count"),
            ("linkage_rate", "share"),
            ("timeliness_median_days", "nights"),
        )
        dq = self.tier.table(DQ)
        if dq is not None and "metric" in dq.columns and (dq["metric"] == "timeliness_days").any():
            metrics += (("timeliness_days", "nights"),)  # the delivery lag after the period's end (issue 23)
        rows = []
        files = files.assign(_name=files["source"].map(lambda src: self.label("source", src)))
        files = files.assign(_key=files["_name"].map(fmt.latvian_key)).sort_values(["_key", "file_name"])
        seen: dict[str, int] = {}
        for _, f in files.iterrows():
            seen[f["_name"]] = seen.get(f["_name"], 0) + 1
            several = (files["_name"] == f["_name"]).sum() > 1
            row: list = [f["_name"] + (f" ({t('delivery_n', n=seen[f['_name']])})" if several else "")]
            for metric, kind in metrics:
                row.append(self.dq_cell(f, metric, kind))
            rows.append(row)
        return Section(
            9,
            "data-quality",
            t("s9"),
            [
                Table(
                    "data_quality",
                    t("dq_table", year=self.year),
                    [t("m_source")] + [t(m) for m, _ in metrics],
                    rows,
                    [DQ],
                    [t("n_timeliness")] + ([t("n_timeliness_synthetic")] if self.tier.synthetic() else []),
                )
            ],
        )

    def dq_cell(self, delivery: pd.Series, metric: str, kind: str) -> Cell:
        """A data-quality metric of one delivery (file, and load when the table names it)."""
        key = dict(file_name=delivery["file_name"], metric=metric)
        if "load_id" in delivery:
            key["load_id"] = delivery["load_id"]
        if len(self.tier.rows(DQ, **key)) > 1:
            key["dimension"] = "all"
        return cell(self.tier, DQ, "value", kind, **key)

    # -- methodology -----------------------------------------------------------------------------------
    def technical_note(self, used: list[str]) -> Section:
        """The methodology, written for readers in the report's language (no warehouse names)."""
        t, lab = self.t, self.label
        k, protection = self.tier.disclosure()
        blocks: list = [Heading(t("m_purpose_h"), "m-purpose"), Paragraph(escape(t("m_purpose", year=self.year)))]
        if self.tier.synthetic():
            blocks.append(Paragraph(f"<strong>{escape(t('synthetic_note'))}</strong>"))
        blocks += [
            Heading(t("m_ethos_h"), "m-ethos"),
            Table(
                "ethos_light",
                t("m_ethos_h"),
                [t("m_ethos_cat"), t("m_ethos_situation"), t("m_ethos_seen")],
                [[code, lab("ethos", code), lab("ethos_seen", code)] for code in "123456"],
                [],
            ),
        ]
        files = self.delivered_files()
        delivered = [s for s in (files["source"].unique() if not files.empty else []) if not str(s).startswith("ref_")]
        listed = sorted(
            set(delivered) | {"ref_population", "ref_unit_costs"}, key=lambda s: fmt.latvian_key(lab("source", s))
        )
        blocks += [
            Heading(t("m_sources_h"), "m-sources"),
            Table(
                "sources",
                t("m_sources_h"),
                [t("m_source"), t("m_institution")],
                [[lab("source", s), lab("institution", s)] for s in listed],
                [],
            ),
        ]
        blocks += [
            Heading(t("m_coverage_h"), "m-coverage"),
            Paragraph(escape(t("m_coverage"))),
            Paragraph(escape(t("cov_cat6"))),
            Paragraph(escape(t("cov_placement"))),
        ]
        items = "".join(f"<dt>{escape(name[self.i])}</dt><dd>{escape(text[self.i])}</dd>" for name, text in DEFINITIONS)
        blocks += [Heading(t("m_defs_h"), "m-definitions"), Paragraph(f"<dl class='defs'>{items}</dl>", cls="defs")]
        if ESTIMATE in used:
            blocks += [Heading(t("m_estimate_h"), "m-estimate"), Paragraph(escape(t("m_estimate")))]
        if COST in used:
            blocks += [Heading(t("m_cost_h"), "m-cost"), Paragraph(escape(t("m_cost")))]
        prot = t("m_protection", k=protection) if protection else ""
        blocks += [
            Heading(t("m_disclosure_h"), "m-disclosure"),
            Paragraph(escape(t("m_disclosure", k=k, km1=k - 1, protection=prot))),
            Heading(t("m_rounding_h"), "m-rounding"),
            Paragraph(escape(t("m_rounding"))),
        ]
        if ESTIMATE in used:
            blocks.append(Paragraph(escape(t("tn_rounding"))))
        blocks += [Heading(t("m_revisions_h"), "m-revisions"), Paragraph(escape(t("m_revisions")))]
        if self.previous is None:
            blocks.append(Paragraph(escape(t("rev_first"))))
        elif not self.revisions:
            blocks.append(Paragraph(escape(t("rev_none", previous=self.previous))))
        else:
            blocks.append(Paragraph(escape(t("rev_intro", previous=self.previous))))
            rows = [
                [
                    r["file"],
                    ", ".join(part.partition("=")[2] for part in r["row"].split(", ")),
                    self.revised_column(r["column"]),
                    r["old"],
                    r["new"],
                ]
                for r in self.revisions
            ]
            blocks.append(
                Table(
                    "revisions",
                    t("tn_revisions"),
                    [t("data_file"), t("row"), t("column"), t("old_value"), t("new_value")],
                    rows,
                    [],
                )
            )
        blocks += [
            Heading(t("m_calendar_h"), "m-calendar"),
            Paragraph(escape(t("m_calendar"))),
            Heading(t("m_contact_h"), "m-contact"),
            Paragraph(escape(t("m_contact"))),
        ]
        return Section(10, "technical-note", t("s_method"), blocks)

    def revised_column(self, column: str) -> str:
        """'mart_x.persons' -> 'persons during the year: persons' (the table by its name, the measure in words)."""
        table, _, measure = str(column).partition(".")
        return f"{self.label('table', table)}: {measure.replace('_', ' ')}"

    @property
    def i(self) -> int:
        return 0 if self.lang == "lv" else 1

    def build(self, generated: dt.date) -> Report:
        t, y = self.t, self.year
        sections = [
            self.key_findings(),
            self.coverage(),
            self.trends(),
            self.geography(),
            self.who(),
            self.pathways(),
            self.hidden_homelessness(),
            self.epoch(),
            self.housing_first(),
            self.data_quality(),
        ]
        used = sorted(
            {
                s
                for sec in sections
                for b in sec.blocks
                for s in (b.sources if isinstance(b, Table) else b.table.sources if isinstance(b, Chart) else [])
            }
        )
        sections.append(self.technical_note(used))
        night = reference_night(self.tier, y)
        colophon = [
            (t("publisher"), t("publisher_name")),
            (t("reporting_year"), str(y)),
            (t("release"), self.tier.release_id),
            (t("generated"), fmt.date(generated, self.lang, "loc")),
        ]
        sections.append(Section(0, "data", t("s11"), [Paragraph(escape(t("data_intro")))]))
        for number, section in enumerate(sections, 1):  # numbered in order, so a new section fits anywhere
            section.number = number
        front = [
            (t("reporting_year"), str(y)),
            (t("reference_night"), fmt.date(night, self.lang) if night else t("not_published")),
            (t("generated"), fmt.date(generated, self.lang, "loc")),
        ]
        return Report(
            y,
            self.lang,
            self.tier.release_id,
            self.tier.disclosure_threshold(),
            t("title", year=y),
            front,
            sections,
            used,
            synthetic=self.tier.synthetic(),
            colophon=colophon,
        )
