"""What a report is made of, independent of HTML: sections holding paragraphs, tables and charts."""

from __future__ import annotations

from dataclasses import dataclass, field

from homeless_monitor.report.cells import Cell


@dataclass
class Table:
    """A table of cells; its id names its CSV (data/<id>.csv) and its source tables are printed under it."""

    id: str
    title: str
    headers: list[str]
    rows: list[list[Cell | str]]
    sources: list[str]
    notes: list[str] = field(default_factory=list)

    def cells(self) -> list[Cell]:
        return [c for row in self.rows for c in row if isinstance(c, Cell)]

    @property
    def has_data(self) -> bool:
        """A table of figures (it gets a CSV); a table of words (e.g. the ETHOS Light list) does not."""
        return any(
            isinstance(c, Cell) or (isinstance(c, tuple) and isinstance(c[0], Cell)) for row in self.rows for c in row
        )


@dataclass
class Chart:
    """A chart (inline SVG) with the table of the values it draws."""

    id: str
    title: str
    svg: str
    table: Table
    notes: list[str] = field(default_factory=list)


@dataclass
class Paragraph:
    text: str
    cells: list[Cell] = field(default_factory=list)  # placeholders {0}, {1}... in text are these cells
    cls: str = ""  # a CSS class (e.g. "finding")


@dataclass
class Heading:
    """A subheading inside a section (h3): kept with what follows in the PDF, a bookmark below its section."""

    text: str
    id: str = ""


@dataclass
class Section:
    number: int
    id: str
    title: str
    blocks: list[Table | Chart | Paragraph] = field(default_factory=list)


@dataclass
class Report:
    year: int
    lang: str
    release_id: str
    k: int
    title: str
    front: list[tuple[str, str]]
    sections: list[Section]
    used: list[str] = field(default_factory=list)  # public tables the report reads
    synthetic: bool = False  # the release was built from the generator's synthetic deliveries
    colophon: list[tuple[str, str]] = field(default_factory=list)  # release id etc., printed once

    def tables(self) -> list[Table]:
        out = []
        for s in self.sections:
            for b in s.blocks:
                if isinstance(b, Table):
                    out.append(b)
                elif isinstance(b, Chart):
                    out.append(b.table)
        return out
