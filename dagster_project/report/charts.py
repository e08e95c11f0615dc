"""Charts drawn with Altair (Vega-Lite) and rendered offline to inline SVG by vl-convert: no script,
font or image is fetched when the report is opened. Numbers on axes follow the report's language."""
from __future__ import annotations

import re

import altair as alt
import pandas as pd
import vl_convert as vlc

D3_LOCALES = {
    "lv": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0€"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]},
}
FONT = "DejaVu Sans, Arial, sans-serif"
PALETTE = ["#1b4f72", "#c0392b", "#239b56", "#b9770e", "#6c3483", "#5d6d7e", "#17202a"]


def _svg(chart: alt.Chart, lang: str) -> str:
    if chart.data is None or len(chart.data) == 0:  # nothing shown (all hidden): no chart, the table says why
        return ""
    return _render(chart, lang)


def _render(chart: alt.TopLevelMixin, lang: str) -> str:
    spec = chart.configure(font=FONT).configure_view(stroke=None).to_dict()
    svg = vlc.vegalite_to_svg(spec, format_locale=D3_LOCALES[lang])
    # a chart is a figure of the document: as wide as the page allows, its height from the viewBox
    return re.sub(r'<svg ([^>]*?)width="([\d.]+)" height="([\d.]+)"', r'<svg \1width="100%"', svg, count=1)


def lines(df: pd.DataFrame, x: str, y: str, series: str, x_title: str, y_title: str, lang: str,
          width: int = 560, height: int = 260) -> str:
    """One line per series (e.g. ETHOS Light category) over years."""
    chart = alt.Chart(df).mark_line(point=True).encode(
        x=alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{y}:Q", title=y_title),
        color=alt.Color(f"{series}:N", title=None, scale=alt.Scale(range=PALETTE),
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=320)),
    ).properties(width=width, height=height)
    return _svg(chart, lang)


def bars(df: pd.DataFrame, category: str, value: str, value_title: str, lang: str, width: int = 480,
         color: str | None = None, order: list[str] | None = None) -> str:
    """Horizontal bars, largest first unless an order is given (e.g. rate per 10,000 by region)."""
    encode = dict(
        y=alt.Y(f"{category}:N", title=None, sort=order or "-x", axis=alt.Axis(labelLimit=260)),
        x=alt.X(f"{value}:Q", title=value_title),
    )
    if color:
        encode["color"] = alt.Color(f"{color}:N", title=None, scale=alt.Scale(range=PALETTE),
                                    legend=alt.Legend(orient="bottom"))
        encode["yOffset"] = alt.YOffset(f"{color}:N")
    chart = alt.Chart(df).mark_bar(color=PALETTE[0]).encode(**encode).properties(width=width)
    return _svg(chart, lang)


def steps(df: pd.DataFrame, x: str, y: str, series: str, x_title: str, y_title: str, lang: str) -> str:
    """A Kaplan-Meier curve: a step line per series, y as a share 0-1."""
    chart = alt.Chart(df).mark_line(interpolate="step-after").encode(
        x=alt.X(f"{x}:Q", title=x_title),
        y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.Color(f"{series}:N", title=None, scale=alt.Scale(range=PALETTE), legend=alt.Legend(orient="bottom")),
    ).properties(width=520, height=240)
    return _svg(chart, lang)


def interval(lines_df: pd.DataFrame, band_df: pd.DataFrame, x: str, y: str, series: str, low: str, high: str,
             x_title: str, y_title: str, lang: str, width: int = 560, height: int = 240) -> str:
    """Lines over years (e.g. observed, estimated) with a shaded band between `low` and `high` (an interval)."""
    if lines_df.empty:
        return ""
    x_enc = alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0))
    line = alt.Chart(lines_df).mark_line(point=True).encode(
        x=x_enc, y=alt.Y(f"{y}:Q", title=y_title),
        color=alt.Color(f"{series}:N", title=None, scale=alt.Scale(range=PALETTE),
                        legend=alt.Legend(orient="bottom", columns=3, labelLimit=320)))
    layers = [line]
    if not band_df.empty:
        layers.insert(0, alt.Chart(band_df).mark_area(opacity=0.2, color=PALETTE[0]).encode(
            x=x_enc, y=alt.Y(f"{low}:Q", title=y_title), y2=alt.Y2(f"{high}:Q")))
    return _render(alt.layer(*layers).properties(width=width, height=height), lang)
