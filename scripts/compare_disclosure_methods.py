"""Compare the public tier's disclosure methods on a finished run (issue 22, item 3):

- (a)+(b) table redesign + cell suppression under the complete attacker: what the release published
  (its `public/*.parquet`, `<measure>_suppressed` flags);
- (a)+(c) table redesign + the cell key method (homeless_monitor/disclosure/cellkey.py) instead of
  suppression on the four breakdown marts and HC3.1 (the other public tables keep their suppression);
- (c) alone: the cell key method on the design before issue 22 (every category per municipality, sex x
  age for the four marts), counting cells only.

Per public table: cells, hidden, perturbed, published 1..k-1 (after perturbation); per report table
(selections of the rows the report shows): figures hidden or perturbed; additivity (national total vs
the sum of NUTS3 regions of the reference night); and the independent audit (disclosure/independent.py)
of the release as published and of the cell-key variant.

Record keys are computed in memory from the work warehouse's person pseudonyms (keyed with --secret)
and never written anywhere; the output has counts of cells only.

    .venv/bin/python scripts/compare_disclosure_methods.py --data-dir data [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from homeless_monitor.disclosure.breakdown import KEY, MINIMISED_BEFORE_ISSUE_22  # noqa: E402
from homeless_monitor.disclosure.cellkey import PTable, record_keys  # noqa: E402
from homeless_monitor.disclosure.definitions import mart, public_definitions  # noqa: E402
from homeless_monitor.disclosure.independent import audit_frames, read_public  # noqa: E402
from homeless_monitor.disclosure.tables import public_tables, read_public_frames  # noqa: E402

SUPPRESSED = "_suppressed"
CATEGORY_GROUPS = (("1", "1+2+3"), ("2", "2+3"), ("2", "1+2+3"), ("3", "2+3"), ("3", "1+2+3"))
AGE = """case when p.birth_year is null then 'unknown' when r.year - p.birth_year < 18 then '0-17'
    when r.year - p.birth_year < 25 then '18-24' when r.year - p.birth_year < 40 then '25-39'
    when r.year - p.birth_year < 65 then '40-64' else '65+' end"""


def person_rows_sql(kind: str) -> str:
    """One row per person and (year, category, municipality) a breakdown mart places them in: the
    flow every night of the year, the reference night, the length mart the last night of the year,
    the first-time mart (approximately) the first night of the year."""
    base = "select person_id, service_year as year, service_date, cast(ethos_light_category as varchar) as cat, municipality_atvk from marts.fct_service_days"
    if kind == "flow":
        return f"select distinct person_id, year, cat, municipality_atvk from ({base})"
    if kind == "point_in_time":
        return (
            f"select person_id, year, cat, municipality_atvk from ({base}) "
            "where extract(month from service_date) = 11 and extract(day from service_date) = 15"
        )
    order = "desc" if kind == "length" else "asc"
    return (
        f"select person_id, year, cat, municipality_atvk from (select *, row_number() over "
        f"(partition by person_id, year order by service_date {order}) as r from ({base})) where r = 1"
    )


def mart_cell_keys(con: duckdb.DuckDBPyConnection, kind: str) -> dict[tuple, float]:
    """{cell: cell key} for every cell of the breakdown key a mart can have (geography x category
    with sex and age 'ALL'; nationally sex x age with category 'ALL'): the sum of the record keys
    (registered in memory as `record_keys_in_memory`) of its distinct persons, mod 1 - the same as
    cellkey.cell_keys, in SQL (millions of person-cells)."""
    groups = ", ".join(f"('{a}', '{b}')" for a, b in CATEGORY_GROUPS)
    sql = f"""
    with r as ({person_rows_sql(kind)}),
    described as (
        select r.person_id, r.year, r.cat, coalesce(r.municipality_atvk, 'UNKNOWN') as muni,
            coalesce(m.nuts3_code, 'UNKNOWN') as nuts3, coalesce(p.sex, 'unknown') as sex, {AGE} as age
        from r left join marts.dim_person p on p.person_id = r.person_id
        left join marts.dim_municipality m on m.atvk_code = r.municipality_atvk and m.year = r.year
    ),
    cats as (
        select person_id, year, muni, nuts3, sex, age, cat as c from described
        union all select person_id, year, muni, nuts3, sex, age, 'ALL' from described
        union all select d.person_id, d.year, d.muni, d.nuts3, d.sex, d.age, g.b
        from described d join (values {groups}) as g(a, b) on g.a = d.cat
    ),
    cells as (
        select distinct year, 'national' as geo, 'ALL' as nuts3, 'ALL' as muni, c, 'ALL' as sex, 'ALL' as age, person_id from cats
        union all select distinct year, 'nuts3', nuts3, 'ALL', c, 'ALL', 'ALL', person_id from cats
        union all select distinct year, 'municipality', nuts3, muni, c, 'ALL', 'ALL', person_id from cats
        union all select distinct year, 'national', 'ALL', 'ALL', 'ALL', sex, age, person_id from cats where c = 'ALL'
        union all select distinct year, 'national', 'ALL', 'ALL', 'ALL', sex, 'ALL', person_id from cats where c = 'ALL'
        union all select distinct year, 'national', 'ALL', 'ALL', 'ALL', 'ALL', age, person_id from cats where c = 'ALL'
    )
    select cast(year as varchar), geo, nuts3, muni, c, sex, age,
        sum(k.record_key) - floor(sum(k.record_key)) as cell_key
    from cells join record_keys_in_memory as k using (person_id)
    group by all
    """
    return {tuple(row[:7]): float(row[7]) for row in con.execute(sql).fetchall()}


def row_key(row: dict) -> tuple:
    return tuple(str(row[c]) for c in KEY)


BREAKDOWN_ROLES = ("flow", "point_in_time", "first_time", "length")
EPOCH_TWINS = {"rough_sleepers_flow": "flow", "rough_sleepers_point_in_time": "point_in_time"}
HC31_CATEGORY = {"1": "1", "2+3": "2+3", "1+2+3": "1+2+3", "all": "ALL"}


def perturb_frames(frames, keys_by_mart, ptable, secret, k):
    """The frames with the breakdown marts' and HC3.1's counts perturbed by the cell key method.
    Returns (frames, per table {cells, perturbed, small_after, keyless})."""
    out, stats = {}, {}
    for name, frame in frames.items():
        spec = next((s for s in public_tables() if s.name == name), None)
        keys = keys_by_mart.get(name)
        if name == mart("epoch"):  # its rough-sleeper numerators are the flow's / reference night's category 1
            keys = {}
            for row in frame.to_dict("records"):
                source = EPOCH_TWINS.get(row["indicator_code"])
                if source:
                    twin = (str(row["year"]), "national", "ALL", "ALL", "1", "ALL", "ALL")
                    keys[(row["year"], row["indicator_code"])] = keys_by_mart[mart(source)].get(twin)
        if name == mart("hc31"):
            keys = {}
            for row in frame.to_dict("records"):
                source = mart("flow") if row["count_type"] == "flow" else mart("point_in_time")
                cat = HC31_CATEGORY.get(str(row["ethos_light_coverage"]))
                twin = (str(row["year"]), "national", "ALL", "ALL", cat, "ALL", "ALL")
                keys[(row["year"], row["count_type"], row["ethos_light_coverage"])] = keys_by_mart[source].get(twin)
        if keys is None or spec is None:
            continue
        frame = frame.copy()
        st = {"cells": 0, "perturbed": 0, "small_after": 0, "keyless": 0}
        for column in spec.counts:
            values = []
            for row in frame.to_dict("records"):
                n = row[column]
                if n is None or pd.isna(n):
                    values.append(n)
                    continue
                if name == mart("epoch"):
                    key_id = (row["year"], row["indicator_code"])
                    if column != "numerator" or key_id not in keys:
                        values.append(n)  # the other EPOCH figures keep their suppression
                        continue
                elif name == mart("hc31"):
                    key_id = (row["year"], row["count_type"], row["ethos_light_coverage"])
                else:
                    key_id = row_key(row)
                key = keys.get(key_id)
                if key is None:  # no persons found for the cell: a key from the cell's name, keyed
                    st["keyless"] += 1
                    key = float(record_keys([f"{name}|{column}|{key_id}"], secret).iloc[0])
                perturbed = int(n) + ptable.perturbation(int(n), float(key))
                st["cells"] += 1
                st["perturbed"] += perturbed != int(n)
                st["small_after"] += 0 < perturbed < k
                values.append(perturbed)
            frame[column] = pd.array(values, dtype="Int64")
        out[name] = frame
        stats[name] = st
    return out, stats


def report_tables(latest: int) -> dict[str, tuple[str, str, callable]]:
    """The report's tables as selections of public rows: (mart role, measure, row filter)."""
    tot = lambda r: (r["ethos_light_category"], r["sex"], r["age_group"]) == ("ALL", "ALL", "ALL")  # noqa: E731
    return {
        "key figures (national, latest year)": [
            (role, m, lambda r: r["year"] == latest and r["geo_level"] == "national" and tot(r))
            for role, m in (
                ("flow", "persons"),
                ("point_in_time", "persons"),
                ("first_time", "first_time_persons"),
                ("length", "long_term_persons"),
            )
        ],
        "geography NUTS3 (latest year)": [
            (role, "persons", lambda r: r["year"] == latest and r["geo_level"] == "nuts3" and tot(r))
            for role in ("flow", "point_in_time")
        ],
        "geography municipality (latest year)": [
            (role, "persons", lambda r: r["year"] == latest and r["geo_level"] == "municipality" and tot(r))
            for role in ("flow", "point_in_time")
        ],
        "trend flow (national by category)": [
            (
                "flow",
                "persons",
                lambda r: r["geo_level"] == "national" and r["sex"] == "ALL" and r["age_group"] == "ALL",
            )
        ],
        "trend reference night (national by category)": [
            (
                "point_in_time",
                "persons",
                lambda r: r["geo_level"] == "national" and r["sex"] == "ALL" and r["age_group"] == "ALL",
            )
        ],
        "who: sex x age (flow, latest year)": [
            (
                "flow",
                "persons",
                lambda r: (
                    r["year"] == latest
                    and r["geo_level"] == "national"
                    and r["ethos_light_category"] == "ALL"
                    and (r["sex"], r["age_group"]) != ("ALL", "ALL")
                ),
            )
        ],
        "headline totals (national, NUTS3, Riga; 4 measures)": [
            (
                role,
                m,
                lambda r: (
                    tot(r)
                    and (
                        r["geo_level"] in ("national", "nuts3")
                        and r["nuts3_code"] != "UNKNOWN"
                        or r["municipality_atvk"] == "0001000"
                    )
                ),
            )
            for role, m in (
                ("flow", "persons"),
                ("point_in_time", "persons"),
                ("first_time", "first_time_persons"),
                ("length", "long_term_persons"),
            )
        ],
        "HC3.1 (all rows)": [("hc31", "persons", lambda r: True)],
    }


def count_report(frames_b, frames_c, latest, definitions):
    rows = []
    for title, selections in report_tables(latest).items():
        cells = hidden = perturbed = zeroed = 0
        for role, measure, keep in selections:
            name = mart(role)
            if name not in frames_b:
                continue
            b = frames_b[name]
            c = frames_c.get(name)
            # the published rows matched by key (a release may withhold rows the exact tables have)
            dims = list(definitions[name]["dimensions"])
            at = {} if c is None else {tuple(map(str, k)): j for j, k in enumerate(c[dims].itertuples(index=False))}
            for row in b.to_dict("records"):
                if not keep(row) or pd.isna(row.get(measure)) and not row.get(measure + SUPPRESSED):
                    continue
                cells += 1
                hidden += bool(row.get(measure + SUPPRESSED))
                j = at.get(tuple(str(row[d]) for d in dims))
                if j is not None:
                    exact, noisy = c.iloc[j][measure + "_exact"], c.iloc[j][measure]
                    if not pd.isna(exact) and int(exact) != int(noisy):
                        perturbed += 1
                        zeroed += int(noisy) == 0
        rows.append(
            {
                "report table": title,
                "cells": cells,
                "hidden (a)+(b)": hidden,
                "perturbed (a)+(c)": perturbed,
                "of which shown as 0": zeroed,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("-D", type=int, default=4, help="maximum perturbation (default 4 = k - 1)")
    parser.add_argument("-V", type=float, default=2.0, help="variance of the perturbation (default 2)")
    parser.add_argument("--secret", default="issue-22-comparison", help="the record keys' hash key")
    parser.add_argument("--warehouse", type=Path, help="default: DATA_DIR/warehouse/work.duckdb")
    parser.add_argument("--public", type=Path, help="the release's public folder (default: the current release's)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    warehouse = args.warehouse or args.data_dir / "warehouse" / "work.duckdb"
    public_dir = args.public or args.data_dir / "published" / "public"
    if not public_dir.exists():
        public_dir = next(iter(sorted((args.data_dir / "published" / "releases").glob("*/public"))[-1:]), public_dir)
    definitions = public_definitions()
    ptable = PTable.build(args.D, args.V, args.k - 1)
    secret = args.secret.encode()
    started = time.perf_counter()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        exact = read_public_frames(con, public_tables())
        persons = [p for (p,) in con.execute("select distinct person_id from marts.fct_service_days").fetchall()]
        keys = record_keys(persons, secret).reset_index()  # in memory only, never written
        con.register("record_keys_in_memory", keys)
        keys_by_mart = {mart(role): mart_cell_keys(con, role) for role in BREAKDOWN_ROLES}
        before = tuple(
            replace(spec, where=MINIMISED_BEFORE_ISSUE_22)
            for spec in public_tables()
            if spec.name in {mart(role) for role in BREAKDOWN_ROLES}
        )
        old_design = read_public_frames(con, before)
    keys_seconds = time.perf_counter() - started
    published = read_public(public_dir, definitions)
    latest = int(published[mart("flow")]["year"].max())

    # (a)+(b): the release as published
    table_rows = []
    for name, frame in published.items():
        spec = next(s for s in public_tables() if s.name == name)
        cells = hidden = 0
        for column in spec.counts:
            flags = frame.get(column + SUPPRESSED)
            values = frame[column]
            cells += int(values.notna().sum() + (flags.fillna(False).astype(bool).sum() if flags is not None else 0))
            hidden += int(flags.fillna(False).astype(bool).sum()) if flags is not None else 0
        table_rows.append({"table": name, "cells": cells, "hidden (a)+(b)": hidden})

    # (a)+(c): cell key on the redesigned tables (exact counts of the minimised rows)
    perturbed, pstats = perturb_frames(exact, keys_by_mart, ptable, secret, args.k)
    for row in table_rows:
        st = pstats.get(row["table"])
        row["perturbed (a)+(c)"] = st["perturbed"] if st else "-"
        row["1..k-1 after (a)+(c)"] = st["small_after"] if st else "-"
        row["keyless cells"] = st["keyless"] if st else "-"
    # (c) on the design before issue 22
    _old, old_stats = perturb_frames(old_design, keys_by_mart, ptable, secret, args.k)
    for row in table_rows:
        st = old_stats.get(row["table"])
        row["cells, old design"] = st["cells"] if st else "-"
        row["perturbed (c) old design"] = st["perturbed"] if st else "-"

    # report tables: align the perturbed frames on the published rows
    aligned = {}
    for name, frame in perturbed.items():
        spec = next(s for s in public_tables() if s.name == name)
        b = published[name]
        merged = (
            b[list(spec.keys)]
            .astype(str)
            .merge(
                frame.assign(**{c + "_exact": exact[name][c] for c in spec.counts}).astype({c: str for c in spec.keys}),
                on=list(spec.keys),
                how="left",
            )
        )
        aligned[name] = merged
    report = count_report(published, aligned, latest, definitions)

    # additivity: reference-night national totals vs the sum of their NUTS3 regions
    pit = perturbed[mart("point_in_time")]
    tot = pit[(pit.ethos_light_category == "ALL") & (pit.sex == "ALL") & (pit.age_group == "ALL")]
    national = tot[tot.geo_level == "national"].set_index("year")["persons"]
    regions = tot[tot.geo_level == "nuts3"].groupby("year")["persons"].sum()
    additivity = {int(y): (int(national[y]), int(regions.get(y, 0))) for y in national.index}

    # the independent audit: the release as published, and the cell-key variant (the other tables as published)
    def run_audit(frames):
        try:
            return audit_frames(frames, definitions, args.k), None
        except RuntimeError as error:  # the audit's programmes need figures that obey the relations
            return None, str(error)

    audit_b, audit_b_error = run_audit(published)
    variant = {**published}
    for name, frame in perturbed.items():
        spec = next(s for s in public_tables() if s.name == name)
        keep = frame.drop(columns=[c for c in frame.columns if c.endswith(SUPPRESSED)], errors="ignore")
        variant[name] = keep.assign(**{c + SUPPRESSED: False for c in spec.counts})
    audit_c, audit_c_error = run_audit(variant)
    kinds_c: dict[str, int] = {}
    for f in audit_c.findings if audit_c else []:
        kinds_c[f.kind] = kinds_c.get(f.kind, 0) + 1

    result = {
        "k": args.k,
        "ptable": {"D": args.D, "V": args.V, "js": args.k - 1, "rows": ptable.frame().to_dict("records")},
        "seconds_keys_and_membership": round(keys_seconds, 1),
        "tables": table_rows,
        "report_tables": report,
        "point_in_time_national_vs_sum_of_nuts3_after_cell_key": additivity,
        "audit_a_b": {"findings": len(audit_b.findings), "seconds": round(audit_b.seconds, 2)},
        "audit_a_c": {
            "findings": len(audit_c.findings),
            "by_kind": kinds_c,
            "examples": {kind: [f.line() for f in audit_c.findings if f.kind == kind][:4] for kind in kinds_c},
        },
    }
    print(pd.DataFrame(table_rows).to_markdown(index=False))
    print()
    print(pd.DataFrame(report).to_markdown(index=False))
    print()
    print("reference night, national vs sum of NUTS3 after cell key:", additivity)
    print("audit (a)+(b):", result["audit_a_b"])
    print("audit (a)+(c):", result["audit_a_c"])
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
