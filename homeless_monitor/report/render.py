"""Write the report: HTML (one self-contained file per language), PDF (WeasyPrint), and the CSV behind
every table and chart, under published/reports/<year>/.

Every printed number is a <span class="num"> carrying data-table, data-column, data-key (the row),
data-value (the public value, unrounded) and data-release, or data-op with its operands for a derived
figure; a suppressed value carries data-suppressed and shows "c".
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from homeless_monitor.report import fmt
from homeless_monitor.report.cells import Cell
from homeless_monitor.report.model import Chart, Heading, Paragraph, Report, Table
from homeless_monitor.report.public import PublicTier
from homeless_monitor.report.revisions import find_previous, revisions
from homeless_monitor.report.sections import Builder
from homeless_monitor.report.texts import COLUMNS, translator

LANGS = ("lv", "en")
DICTIONARY = "dictionary"
REPORTS_DIR = "reports"
DATA_DIR = "data"


def _ref(c: Cell) -> dict:
    return {"table": c.table, "column": c.column, "key": c.key_dict}


def cell_html(c: Cell, lang: str, release: str) -> Markup:
    attrs: dict[str, str] = {"class": "num", "data-release": release, "data-kind": c.kind}
    if c.op == "absent":  # a zero: the table has no row for this key
        attrs.update(
            {
                "data-op": c.op,
                "data-table": c.table,
                "data-column": c.column,
                "data-key": json.dumps(c.key_dict, sort_keys=True),
            }
        )
    elif c.op == "count_rows":
        attrs.update({"data-op": c.op, "data-table": c.table, "data-key": json.dumps(c.key_dict, sort_keys=True)})
    elif c.op:
        attrs.update({"data-op": c.op, "data-args": json.dumps([_ref(a) for a in c.args], sort_keys=True)})
        if c.args:  # a change is computed from its operands as printed: their kind says how they were rounded
            attrs["data-operand-kind"] = c.args[0].kind
    else:
        attrs.update(
            {"data-table": c.table, "data-column": c.column, "data-key": json.dumps(c.key_dict, sort_keys=True)}
        )
    if c.suppressed:
        attrs["class"] += " c"
        attrs["data-suppressed"] = "true"
        text = "c"
    elif c.missing or c.value is None:
        attrs["data-missing"] = "true"
        text = "–"  # not computable or no data (the legend says so); a published zero prints 0
    else:
        attrs["data-value"] = repr(c.value)
        text = fmt.value(c.value, c.kind, lang)
        if c.op in ("pct_change", "diff") and float(fmt.printed(c.value, c.kind)) != 0:
            text = fmt.signed(text, c.value < 0)
    rendered = " ".join(f'{k}="{escape(v)}"' for k, v in attrs.items())
    return Markup(f"<span {rendered}>{escape(text)}</span>")


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("homeless_monitor.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.tests["cell"] = lambda v: isinstance(v, Cell)
    env.tests["marked"] = lambda v: isinstance(v, tuple)
    env.tests["table"] = lambda v: isinstance(v, Table)
    env.tests["chart"] = lambda v: isinstance(v, Chart)
    env.tests["paragraph"] = lambda v: isinstance(v, Paragraph)
    env.tests["heading"] = lambda v: isinstance(v, Heading)
    return env


def html(report: Report) -> str:
    t, label = translator(report.lang)

    def num(c: Cell) -> Markup:
        return cell_html(c, report.lang, report.release_id)

    def paragraph(p: Paragraph) -> Markup:
        return Markup(p.text.format(*[num(c) for c in p.cells]) if p.cells else p.text)  # prose may hold braces

    template = _environment().get_template("report.html.j2")
    other = "en" if report.lang == "lv" else "lv"
    lq, rq = ("\u201e", "\u201c") if report.lang == "lv" else ("\u201c", "\u201d")
    return template.render(
        r=report,
        t=t,
        label=label,
        num=num,
        paragraph=paragraph,
        k=report.k,
        km1=report.k - 1,
        other_file=f"report-{report.year}-{other}.html",
        lq=lq,
        rq=rq,
    )


def csv_frame(table: Table) -> pd.DataFrame:
    """The data behind a table, one line per public value: its table, column, row key, value and flag."""
    lines = []
    for c in table.cells():
        if (c.op and c.op != "absent") or c.table is None:
            continue
        line = {
            "source_table": c.table,
            "measure": c.column,
            **c.key_dict,
            "value": None if c.suppressed else c.value,
            "flag": "c" if c.suppressed else ("" if not c.missing else "-"),
        }
        lines.append(line)
    for row in table.rows:
        for item in row:
            if isinstance(item, tuple) and isinstance(item[0], Cell) and not item[0].op:
                c = item[0]
                lines.append(
                    {
                        "source_table": c.table,
                        "measure": c.column,
                        **c.key_dict,
                        "value": None if c.suppressed else c.value,
                        "flag": "c" if c.suppressed else "",
                    }
                )
    df = pd.DataFrame(lines)
    if not df.empty:
        df["value"] = pd.Series([line["value"] for line in lines], dtype=object)  # counts stay whole
        front = ["source_table", "measure"]
        df = df[front + [c for c in df.columns if c not in front + ["value", "flag"]] + ["value", "flag"]]
    return df


def _write_atomic(path: Path, data: bytes) -> None:
    """Replace a file in one step (published files may be read-only; the folder is not)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o444)
    os.replace(tmp, path)


def _no_network(url: str, *args, **kwargs):
    raise ValueError(f"the report fetches nothing: refused {url}")


def pdf_bytes(text: str, lang: str) -> bytes:
    """The PDF, tagged for screen readers (WeasyPrint's PDF/UA-1 variant: structure tree, /MarkInfo, language,
    title; headings stay the bookmarks)."""
    from weasyprint import HTML

    return HTML(string=text, url_fetcher=_no_network).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


@dataclass
class Written:
    folder: Path
    files: list[Path]
    seconds: dict[str, float]
    release_id: str


def write_report(
    published: Path,
    year: int,
    langs: tuple[str, ...] = LANGS,
    release_id: str | None = None,
    pdf: bool = True,
    today: dt.date | None = None,
    inbox: Path | None = None,
) -> Written:
    """Build and write the report for `year` from the public tier of a release (default: the current one).
    `inbox`: the deliveries the release was built from (synthetic when it holds the generator's manifest)."""
    unknown = [lang for lang in langs if lang not in LANGS]
    if unknown:
        raise ValueError(f"languages {unknown}: the report is written in {', '.join(LANGS)}")
    tier = PublicTier.open(published, release_id)
    tier.inbox = inbox
    out = published / REPORTS_DIR / str(year)
    previous = find_previous(published / REPORTS_DIR, tier.release_id)
    files, seconds, tables = [], {}, {}
    revised = None
    for lang in langs:
        started = time.perf_counter()
        builder = Builder(tier, year, lang, revised, previous.label if previous else None)
        report = builder.build(today or dt.date.today())
        if revised is None:  # the first language's tables are the CSVs (both languages hold the same cells)
            tables = {tab.id: csv_frame(tab) for tab in report.tables() if tab.id != "revisions" and tab.has_data}
            revised = revisions(previous, tables, year) if previous else []
            builder.revisions = revised
            at = next(i for i, s in enumerate(report.sections) if s.id == "technical-note")
            note = builder.technical_note(report.used)
            note.number = report.sections[at].number
            report.sections[at] = note
        text = html(report)
        path = out / f"report-{year}-{lang}.html"
        _write_atomic(path, text.encode("utf-8"))
        files.append(path)
        seconds[f"html_{lang}"] = round(time.perf_counter() - started, 2)
        if pdf:
            started = time.perf_counter()

            pdf_path = out / f"report-{year}-{lang}.pdf"
            _write_atomic(pdf_path, pdf_bytes(text, lang))
            files.append(pdf_path)
            seconds[f"pdf_{lang}"] = round(time.perf_counter() - started, 2)
    for stale in [*(out / DATA_DIR).glob("*.csv"), *(out / DATA_DIR).glob("*.xlsx")]:  # tables no longer there
        if stale.stem.removesuffix("-lv") not in tables and stale.stem not in (DICTIONARY, "vardnica"):
            stale.unlink()
    for name, frame in tables.items():
        path = out / DATA_DIR / f"{name}.csv"
        _write_atomic(path, frame.to_csv(index=False).encode("utf-8"))
        files.append(path)
        files += write_excel_ready(out / DATA_DIR, name, frame)
    files += write_dictionary(out / DATA_DIR, tables)
    meta = {
        "reporting_year": year,
        "release_id": tier.release_id,
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "languages": list(langs),
        "tables": sorted(tables),
        "seconds": seconds,
        "revisions_against": previous.label if previous else None,
    }
    _write_atomic(out / "report.json", json.dumps(meta, indent=2).encode("utf-8"))
    files.append(out / "report.json")
    return Written(out, files, seconds, tier.release_id)


def _lv_header(column: str) -> str:
    return COLUMNS[column][0].split(" (")[0].split(":")[0] if column in COLUMNS else column.replace("_", " ")


def write_excel_ready(folder: Path, name: str, frame: pd.DataFrame) -> list[Path]:
    """Beside <name>.csv: <name>-lv.csv for Latvian Excel (UTF-8 with a BOM, `;` between fields, a decimal
    comma) and <name>.xlsx (openpyxl; numbers as numbers, a dictionary sheet)."""
    lv = frame.rename(columns=_lv_header)
    text = lv.to_csv(index=False, sep=";", decimal=",")
    if "value" in frame.columns:  # values are objects (counts stay whole): write the decimal comma by hand
        values = frame["value"].map(
            lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).replace(".", ",")
        )
        lv[_lv_header("value")] = values
        text = lv.to_csv(index=False, sep=";")
    csv_path = folder / f"{name}-lv.csv"
    _write_atomic(csv_path, ("\ufeff" + text).encode("utf-8"))
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "dati"
    sheet.append([_lv_header(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        sheet.append([None if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in row])
    words = book.create_sheet("vārdnīca")
    words.append(["Kolonna", "Nozīme", "Column", "Meaning"])
    for column in frame.columns:
        lv_text, en_text = COLUMNS.get(column, (column, column))
        words.append([_lv_header(column), lv_text, column, en_text])
    import io

    buffer = io.BytesIO()
    book.save(buffer)
    xlsx_path = folder / f"{name}.xlsx"
    _write_atomic(xlsx_path, buffer.getvalue())
    return [csv_path, xlsx_path]


def write_dictionary(folder: Path, tables: dict[str, pd.DataFrame]) -> list[Path]:
    """data/dictionary.csv (UTF-8) and data/vardnica.csv (Latvian Excel: BOM, `;`): every column of the files."""
    columns = sorted({c for frame in tables.values() for c in frame.columns}, key=lambda c: (c not in COLUMNS, c))
    frame = pd.DataFrame(
        [
            {
                "column": c,
                "header_lv": _lv_header(c),
                "meaning_lv": COLUMNS.get(c, (c, c))[0],
                "meaning_en": COLUMNS.get(c, (c, c))[1],
            }
            for c in columns
        ]
    )
    en_path, lv_path = folder / f"{DICTIONARY}.csv", folder / "vardnica.csv"
    _write_atomic(en_path, frame.to_csv(index=False).encode("utf-8"))
    _write_atomic(lv_path, ("\ufeff" + frame.to_csv(index=False, sep=";")).encode("utf-8"))
    return [en_path, lv_path]
