"""Take one extract: spec + release -> Parquet, CSV, data dictionary and manifest, and a register entry.

Deterministic by construction, so the same spec on the same release gives byte-identical files: the
extract id is derived from the spec's name and hash and the release id, the pseudonyms from the id,
rows are sorted on every column, DuckDB writes with one thread, and the manifest holds no clock time
(the register keeps the date of issue).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import duckdb
import pandas as pd

from homeless_monitor.extracts.coarsen import coarsen
from homeless_monitor.extracts.dictionary import column_definition
from homeless_monitor.extracts.kanon import protect, protect_counts
from homeless_monitor.extracts.register import record_extract
from homeless_monitor.extracts.spec import Spec
from homeless_monitor.release.tiers import (
    MANIFEST_FILE,
    analyst_file,
    release_dir,
    restricted_file,
)
from homeless_monitor.settings import current
from ingestion.loader import file_sha256
from ingestion.paths import REFERENCE_DIR
from ingestion.pseudonym import extract_pseudonym

PSEUDONYM_COLUMN = "person_pseudonym"
SUPPRESSED = "_suppressed"  # the analyst tier's flag of a cell the public tier hides
SCHEMA = "marts"


@dataclass
class Extract:
    directory: Path
    manifest: dict


def resolve_release(published: Path, release_id: str | None) -> tuple[Path, str]:
    """The release folder and its id (the current release when no id is given)."""
    folder = release_dir(published, release_id)
    manifest_path = folder / MANIFEST_FILE
    if not manifest_path.is_file():
        raise FileNotFoundError(
            f"no release manifest at {manifest_path}: publish a release first "
            "(homeless-monitor run), or name an existing one with --release"
        )
    return folder, json.loads(manifest_path.read_text(encoding="utf-8"))["release_id"]


def extract_id(spec: Spec, release_id: str) -> str:
    return f"{spec.name}-{release_id}-{spec.sha256[:8]}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _alias(spec: Spec, column: str) -> tuple[str, str]:
    """The table alias and source column of a variable (join variables carry their join's prefix)."""
    for i, join in enumerate(spec.joins):
        if join.provides(column):
            return f"j{i}", join.provides(column)
    return "b", column


def _joined_from(spec: Spec, joins: tuple[int, ...] | None = None) -> tuple[str, list]:
    """`from <table> as b [left join ...] [where population]` with its parameters; `joins` picks which
    of the spec's joins (by position) take part (all when None)."""
    sql = f" from src.{SCHEMA}.{_quote(spec.table)} as b"
    params: list = []
    for i, join in enumerate(spec.joins):
        if joins is not None and i not in joins:
            continue
        where = " and ".join(f"{_quote(c)} = ?" for c in sorted(join.where)) or "true"
        params.extend(join.where[c] for c in sorted(join.where))
        on = " and ".join(f"j{i}.{_quote(c)} = b.{_quote(c)}" for c in join.on)
        sql += f" left join (select * from src.{SCHEMA}.{_quote(join.table)} where {where}) as j{i} on {on}"
    conditions = []
    for rule in spec.population:
        column, op, value = f"b.{_quote(rule['column'])}", rule["op"], rule.get("value")
        if op == "between":
            conditions.append(f"{column} between ? and ?")
            params.extend(value)
        elif op == "in":
            conditions.append(f"{column} in ({', '.join('?' for _ in value)})")
            params.extend(value)
        elif op == "is_not_null":
            conditions.append(f"{column} is not null")
        else:
            conditions.append(f"{column} {op} ?")
            params.append(value)
    if conditions:
        sql += " where " + " and ".join(conditions)
    return sql, params


def _select_sql(spec: Spec, base_flags: tuple[str, ...] = ()) -> tuple[str, list]:
    """The population's rows with the variables and what coarsening reads, from the tier file `src`
    (plus the base table's public-tier suppression flags `base_flags`)."""
    needed = list(
        dict.fromkeys(
            [
                *spec.variables,
                *base_flags,
                *[r.get("at") or r.get("from") for r in spec.coarsen.values() if r.get("at") or r.get("from")],
            ]
        )
    )
    select = []
    for column in needed:
        alias, name = _alias(spec, column)
        select.append(f"{alias}.{_quote(name)} as {_quote(column)}")
    from_sql, params = _joined_from(spec)
    return f"select {', '.join(select)}{from_sql}", params


class RowsMultiplied(ValueError):
    """A join matched more than one row for some rows of the source table: the extract would hold each of
    those rows several times (e.g. one row per person-night instead of one per person)."""


@dataclass(frozen=True)
class RowCount:
    population: int  # rows of the source table that the population filters keep
    joined: int  # rows after every join: what the extract would hold before protection
    per_join: tuple[tuple[str, int], ...]  # (join described, rows with that join alone)

    @property
    def multiplied(self) -> bool:
        return self.joined > self.population


def count_rows(con: duckdb.DuckDBPyConnection, spec: Spec) -> RowCount:
    """Count the rows before reading any: the population alone, with each join alone, with all joins."""

    def count(joins: tuple[int, ...]) -> int:
        from_sql, params = _joined_from(spec, joins)
        return con.execute(f"select count(*){from_sql}", params).fetchone()[0]

    per_join = []
    for i, join in enumerate(spec.joins):
        where = "".join(f" where {k} = {v}" for k, v in sorted(join.where.items()))
        per_join.append((f"{join.table} on {', '.join(join.on)}{where}", count((i,))))
    return RowCount(count(()), count(tuple(range(len(spec.joins)))), tuple(per_join))


def multiplied_message(spec: Spec, rows: RowCount) -> str:
    culprits = [
        f"{what} ({n:,} rows, {n / max(rows.population, 1):.1f} per source row)"
        for what, n in rows.per_join
        if n > rows.population
    ]
    return (
        f"the join of {'; '.join(culprits) or 'the joined tables together'} multiplies rows: the population is "
        f"{rows.population:,} rows of {spec.table}, joined {rows.joined:,} rows; nothing was written. A join must "
        "match at most one row per source row: narrow it with `where` (e.g. spell_number = 1), or read counts "
        "from a table with one row per person. To take the multiplied rows anyway, run again with "
        '--allow-multiplied-rows "REASON" (the reason is written to the manifest and the register).'
    )


def _nuts3_of(release: Path) -> dict[str, str]:
    """ATVK code -> NUTS3 code, from the release's dim_municipality, else the reference list."""
    for path in (analyst_file(release), restricted_file(release)):
        if path.is_file():
            with duckdb.connect(str(path), read_only=True) as con:
                found = con.execute(
                    "select count(*) from duckdb_tables() where schema_name = ? and table_name = 'dim_municipality'",
                    [SCHEMA],
                ).fetchone()[0]
                if found:
                    return dict(
                        con.execute(
                            f"select distinct atvk_code, nuts3_code from {SCHEMA}.dim_municipality order by all"
                        ).fetchall()
                    )
    reference = pd.read_csv(REFERENCE_DIR / "ref_pasvaldibas_2025.csv", sep=";", dtype=str)
    return dict(zip(reference["ATVK kods"], reference["NUTS3 kods"]))


def _software() -> dict:
    try:
        own = version("homeless-monitor")
    except PackageNotFoundError:
        own = "unknown"
    return {"homeless-monitor": own, "duckdb": duckdb.__version__, "pandas": pd.__version__}


def _transformation(spec: Spec, source: str, rule: dict | None) -> tuple[str, str]:
    """(what the output column is, the transformation in short) for a coarsened or untouched variable."""
    model, name, note = spec.source_of(source)
    defined = column_definition(model, name) + (f" (joined where {note})" if note else "")
    if not rule:
        return defined, "none"
    at, since = rule.get("at"), rule.get("from")
    method = rule["method"]
    if method == "age_band":
        return (
            f"Age group at {at}, in 5-year bands ('25-29'; '80+'; 'unknown' when the year of birth is missing), "
            f"computed as the year of {at} minus the year of birth. From {name}: {defined}",
            f"age at {at} in 5-year bands (widened if k-anonymity needed it)",
        )
    if method == "month":
        return f"Month (YYYY-MM) of {name}. From {name}: {defined}", "date to month (YYYY-MM)"
    if method == "year":
        return f"Calendar year of {name}. From {name}: {defined}", "date to year"
    if method == "days_since":
        return (
            f"Whole days from {at or since} to {name} ({name} minus {since}; null when either is null). "
            f"From {name}: {defined}",
            f"whole days since {since}",
        )
    if method == "nuts3":
        return (
            f"NUTS3 statistical region (code, e.g. LV006 Rīga) of the municipality, or LV (all Latvia) when "
            f"k-anonymity needed it. From {name}: {defined}",
            "municipality to NUTS3 region (generalised to LV if k-anonymity needed it)",
        )
    width = int(rule.get("width"))
    example = f"'{width}-{2 * width - 1}' = at least {width}, below {2 * width}"
    return (
        f"Band of {width} of {name} ({example}; 'unknown' when missing). From {name}: {defined}",
        f"bands of {width} ({example})",
    )


def _dictionary(
    spec: Spec, frame: pd.DataFrame, types: dict[str, str], generalisations: list[str] = ()
) -> pd.DataFrame:
    """One row per output column: what the column in the extract is (its own definition, with the
    transformation applied), the transformation in short, and the documented source column."""
    by_output = {spec.output_name(c): c for c in spec.variables}
    rows = []
    for column in frame.columns:
        if column == PSEUDONYM_COLUMN:
            rows.append(
                (
                    column,
                    types[column],
                    "Extract-specific keyed pseudonym of the person (HMAC-SHA256 of "
                    "the warehouse pseudonym under this extract's id): stable within this extract, different in "
                    "every other extract; only the Ministry, holding the key, can re-link it.",
                    "pseudonymised",
                    f"{spec.table}.{spec.person_column}",
                )
            )
            continue
        if column.endswith("_suppressed") and column[: -len("_suppressed")] in spec.count_columns:
            rows.append(
                (
                    column,
                    types[column],
                    f"True when {column[:-11]} was between 1 and {spec.k - 1} and is not published (null).",
                    "primary suppression",
                    "",
                )
            )
            continue
        source = by_output[column]
        model, name, _ = spec.source_of(source)
        definition, detail = _transformation(spec, source, spec.coarsen.get(source))
        role = next((r for r, c in spec.quasi_identifiers.items() if c == column), None)
        taken = [
            g
            for g in generalisations
            if role in ("age", "region") and g.startswith(("age", "region")) and g.startswith(role)
        ]
        if taken:  # what k-anonymity did to this column in this extract
            definition += f" In this extract: {'; '.join(taken)}."
            detail += f"; in this extract: {'; '.join(taken)}"
        if spec.dependent_columns.get(column):
            detail += f"; null when {spec.dependent_columns[column]} is suppressed"
            definition += f" Null when {spec.dependent_columns[column]} is suppressed."
        rows.append((column, types[column], definition, detail, f"{model}.{name}"))
    return pd.DataFrame(rows, columns=["column", "type", "definition", "transformation", "source"])


def _write(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, path: Path, fmt: str) -> None:
    con.register("out_frame", frame)
    options = "format parquet, compression zstd" if fmt == "parquet" else "format csv, header true, delimiter ','"
    con.execute(f"copy (select * from out_frame) to '{path}' ({options})")
    con.unregister("out_frame")


def take_extract(
    spec: Spec,
    published: Path,
    out: Path,
    release_id: str | None = None,
    key: bytes | None = None,
    register: bool = True,
    allow_multiplied_rows: str | None = None,
    say=lambda line: None,
) -> Extract:
    """Take the extract the spec describes from a release and write it under out/<extract id>/.

    The rows are counted first (`say` hears the count); a join that multiplies rows is refused
    (RowsMultiplied) unless `allow_multiplied_rows` gives the reason, which the manifest and the register keep."""
    release, release_id = resolve_release(published, release_id)
    tier_file = restricted_file(release) if spec.tier == "restricted" else analyst_file(release)
    if not tier_file.is_file():
        raise FileNotFoundError(f"the release has no {spec.tier} tier file ({tier_file})")
    the_id = extract_id(spec, release_id)
    with duckdb.connect() as con:
        con.execute("set threads = 1")
        con.execute(f"attach '{tier_file}' as src (read_only)")
        # an aggregate extract hides at least what the public tier hides (primary and secondary
        # suppression): the analyst tier carries those cells' flags as <count>_suppressed
        present = {
            c
            for (c,) in con.execute(
                "select column_name from information_schema.columns where table_catalog = 'src' "
                f"and table_schema = '{SCHEMA}' and table_name = ?",
                [spec.table],
            ).fetchall()
        }
        flags = tuple(
            f"{c}{SUPPRESSED}" for c in spec.count_columns if spec.level != "person" and f"{c}{SUPPRESSED}" in present
        )
        rows = count_rows(con, spec)
        say(
            f"rows: {rows.population:,} in the population of {spec.table}"
            + (f", {rows.joined:,} after the joins" if spec.joins else "")
        )
        if rows.multiplied:
            if not allow_multiplied_rows:
                raise RowsMultiplied(multiplied_message(spec, rows))
            say(
                f"joins multiply rows ({rows.population:,} -> {rows.joined:,}): taken anyway, "
                f"as asked: {allow_multiplied_rows}"
            )
        sql, params = _select_sql(spec, flags)
        frame = con.execute(sql, params).df()
    frame = coarsen(
        frame, spec.coarsen, _nuts3_of(release) if any(r["method"] == "nuts3" for r in spec.coarsen.values()) else {}
    )
    outputs = list(dict.fromkeys(spec.output_name(c) for c in spec.variables))
    if spec.level == "person":
        key = key if key is not None else current().key()
        ids = {pid: extract_pseudonym(key, the_id, str(pid)) for pid in frame[spec.person_column].dropna().unique()}
        frame[PSEUDONYM_COLUMN] = frame[spec.person_column].map(ids)
        frame = frame[frame[PSEUDONYM_COLUMN].notna()]
        columns = [PSEUDONYM_COLUMN, *[c for c in outputs if c != spec.person_column]]
        extra = [c for c in frame.columns if c.startswith("__")]
        protection = protect(
            frame[[*columns, *extra]], spec.quasi_identifiers, spec.k, spec.max_suppression, PSEUDONYM_COLUMN
        )
    else:
        protection = protect_counts(
            frame[list(dict.fromkeys([*outputs, *flags]))], spec.count_columns, spec.dependent_columns, spec.k
        )
    result = protection.frame
    result = result.sort_values(list(result.columns), na_position="last", kind="mergesort").reset_index(drop=True)

    directory = out / the_id
    directory.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        con.execute("set threads = 1")
        _write(con, result, directory / f"{spec.name}.parquet", "parquet")
        _write(con, result, directory / f"{spec.name}.csv", "csv")
        types = dict(
            con.execute(
                f"select column_name, column_type from (describe select * from "
                f"read_parquet('{directory / (spec.name + '.parquet')}'))"
            ).fetchall()
        )
        dictionary = _dictionary(spec, result, types, protection.report.get("generalisations") or [])
        _write(con, dictionary, directory / "data_dictionary.csv", "csv")
    files = {p.name: file_sha256(p) for p in sorted(directory.iterdir()) if p.name != "manifest.json"}
    manifest = {
        "extract_id": the_id,
        "release_id": release_id,
        "spec": {
            "name": spec.name,
            "title": spec.title,
            "sha256": spec.sha256,
            "purpose": spec.purpose,
            "recipient": spec.recipient,
            "level": spec.level,
            "tier": spec.tier,
            "table": spec.table,
        },
        "rows": int(len(result)),
        "rows_counted": {"population": rows.population, "after_joins": rows.joined},
        **({"multiplied_rows_allowed": allow_multiplied_rows} if rows.multiplied else {}),
        "persons": int(result[PSEUDONYM_COLUMN].nunique()) if PSEUDONYM_COLUMN in result else None,
        "columns": list(result.columns),
        "protection": protection.report,
        "files": files,
        "software": _software(),
    }
    (directory / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    if register:
        record_extract(published, manifest, hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest())
    return Extract(directory, manifest)
