"""Charts drawn with Altair (Vega-Lite) and rendered offline to inline SVG by vl-convert: no script,
font or image is fetched when the report is opened. Numbers on axes follow the report's language."""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass

import altair as alt
import pandas as pd
import vl_convert as vlc

D3_LOCALES = {
    "lv": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0€"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]},
}
FONT = "DejaVu Sans, Arial, sans-serif"
#: Okabe & Ito's colour-blind-safe palette; every category has one fixed colour, the same in both editions.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
GREY = "#999999"
ETHOS_COLOURS = {
    "1": OKABE_ITO["vermillion"],
    "2": OKABE_ITO["orange"],
    "3": OKABE_ITO["blue"],
    "4": OKABE_ITO["green"],
    "5": OKABE_ITO["purple"],
    "6": OKABE_ITO["sky"],
}
SEX_COLOURS = {"female": OKABE_ITO["vermillion"], "male": OKABE_ITO["blue"], "unknown": GREY}
PALETTE = [OKABE_ITO[c] for c in ("blue", "vermillion", "green", "orange", "purple", "sky", "black")]


@dataclass(frozen=True)
class Axes:
    """What a chart of series plots: the x and y columns, the column naming each series, the axis
    titles, and optionally a fixed colour per named series (domain -> colours)."""

    x: str
    y: str
    series: str
    x_title: str
    y_title: str
    domain: list[str] | None = None
    colours: list[str] | None = None


def _scale(domain: list[str] | None, colours: list[str] | None) -> alt.Scale:
    """A fixed colour per named series (domain -> colours), else the palette in order."""
    if domain and colours:
        return alt.Scale(domain=list(domain), range=list(colours))
    return alt.Scale(range=PALETTE)


def _svg(chart: alt.Chart, lang: str) -> str:
    if chart.data is None or len(chart.data) == 0:  # nothing shown (all hidden): no chart, the table says why
        return ""
    return _render(chart, lang)


def _render(chart: alt.TopLevelMixin, lang: str) -> str:
    spec = chart.configure(font=FONT).configure_view(stroke=None).to_dict()
    svg = vlc.vegalite_to_svg(spec, format_locale=D3_LOCALES[lang])
    # a chart is a figure of the document: as wide as the page allows, its height from the viewBox
    return re.sub(r'<svg ([^>]*?)width="([\d.]+)" height="([\d.]+)"', r'<svg \1width="100%"', svg, count=1)


def lines(df: pd.DataFrame, axes: Axes, lang: str, width: int = 560, height: int = 260) -> str:
    """One line per series (e.g. ETHOS Light category) over years, each labelled at its last point."""
    if df.empty:
        return ""
    x, y, series, x_title, y_title, domain, colours = astuple(axes)
    color = alt.Color(
        f"{series}:N",
        title=None,
        scale=_scale(domain, colours),
        legend=alt.Legend(orient="bottom", columns=2, labelLimit=320),
    )
    base = alt.Chart(df).encode(
        x=alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0)), y=alt.Y(f"{y}:Q", title=y_title), color=color
    )
    last = df.sort_values(x).groupby(series, as_index=False).tail(1)
    last = last.assign(_label=last[series].astype(str).str.split(" ").str[0])  # "2." / the series' first word
    labels = (
        alt.Chart(last)
        .mark_text(align="left", dx=6, fontSize=10, fontWeight="bold")
        .encode(
            x=alt.X(f"{x}:O"),
            y=alt.Y(f"{y}:Q"),
            text="_label:N",
            color=alt.Color(f"{series}:N", scale=_scale(domain, colours), legend=None),
        )
    )
    chart = alt.layer(base.mark_line(point=True), labels).properties(width=width, height=height)
    return _render(chart, lang)


def bars(
    df: pd.DataFrame,
    category: str,
    value: str,
    value_title: str,
    lang: str,
    width: int = 480,
    color: str | None = None,
    order: list[str] | None = None,
    domain: list[str] | None = None,
    colours: list[str] | None = None,
) -> str:
    """Horizontal bars, largest first unless an order is given (e.g. rate per 10,000 by region)."""
    encode = dict(
        y=alt.Y(f"{category}:N", title=None, sort=order or "-x", axis=alt.Axis(labelLimit=420)),
        x=alt.X(f"{value}:Q", title=value_title),
    )
    if color:
        encode["color"] = alt.Color(
            f"{color}:N", title=None, scale=_scale(domain, colours), legend=alt.Legend(orient="bottom")
        )
        encode["yOffset"] = alt.YOffset(f"{color}:N", sort=domain) if domain else alt.YOffset(f"{color}:N")
    chart = alt.Chart(df).mark_bar(color=PALETTE[0]).encode(**encode).properties(width=width)
    return _svg(chart, lang)


def steps(df: pd.DataFrame, axes: Axes, lang: str) -> str:
    """A Kaplan-Meier curve: a step line per series, y as a share 0-1."""
    x, y, series, x_title, y_title, domain, colours = astuple(axes)
    chart = (
        alt.Chart(df)
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X(f"{x}:Q", title=x_title),
            y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
            color=alt.Color(
                f"{series}:N", title=None, scale=_scale(domain, colours), legend=alt.Legend(orient="bottom")
            ),
        )
        .properties(width=520, height=240)
    )
    return _svg(chart, lang)


def interval(
    lines_df: pd.DataFrame, band_df: pd.DataFrame, axes: Axes, low: str, high: str, lang: str, width=560, height=240
) -> str:
    """Lines over years (e.g. observed, estimated) with a shaded band between `low` and `high` (an interval)."""
    if lines_df.empty:
        return ""
    x, y, series, x_title, y_title, domain, colours = astuple(axes)
    x_enc = alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0))
    line = (
        alt.Chart(lines_df)
        .mark_line(point=True)
        .encode(
            x=x_enc,
            y=alt.Y(f"{y}:Q", title=y_title),
            color=alt.Color(
                f"{series}:N",
                title=None,
                scale=_scale(domain, colours),
                legend=alt.Legend(orient="bottom", columns=3, labelLimit=320),
            ),
        )
    )
    layers = [line]
    if not band_df.empty:
        layers.insert(
            0,
            alt.Chart(band_df)
            .mark_area(opacity=0.2, color=OKABE_ITO["blue"])
            .encode(x=x_enc, y=alt.Y(f"{low}:Q", title=y_title), y2=alt.Y2(f"{high}:Q")),
        )
    return _render(alt.layer(*layers).properties(width=width, height=height), lang)
