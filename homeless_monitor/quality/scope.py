"""Which years of the warehouse changed since a suite last validated it: read from the dbt builds.

`ingest.dbt_builds` (dagster_project/dbt_build/dbt_build_plan.py) records every successful full build: a full
refresh, the year it recomputed from, or every year. A suite that validated the tables as one build
left them needs re-validating only for what the builds since then recomputed:

- no recorded build, or the suite never validated this warehouse, or the build it saw is unknown → everything;
- no build since → nothing (every verdict is carried forward);
- a full refresh since → everything; a build that recomputed every year → everything, unless it
  built the same loads with the same project and vars as the build before it (same inputs, same tables);
- otherwise the years from the smallest `rebuild_from_year` of those builds on.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Scope:
    """What to validate anew: everything, the years from `from_year` on, or nothing (`changed` false)."""

    everything: bool
    from_year: int | None
    build_id: str | None  # the latest build: what this validation sees
    reason: str

    @property
    def changed(self) -> bool:
        return self.everything or self.from_year is not None

    def describe(self) -> str:
        if self.everything:
            return f"every year validated: {self.reason}"
        if self.from_year is not None:
            return f"years from {self.from_year} validated, earlier years carried forward: {self.reason}"
        return f"nothing validated anew, every outcome carried forward: {self.reason}"


def _builds(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'ingest' AND table_name = "
        "'dbt_builds' AND database_name = current_database()"
    ).fetchone()[0]
    if not exists:
        return []
    return con.execute(
        "SELECT build_id, project_fingerprint, full_refresh, rebuild_from_year, load_ids "
        "FROM ingest.dbt_builds ORDER BY built_at, build_id"
    ).fetchall()


def since(con: duckdb.DuckDBPyConnection, seen_build: str | None) -> Scope:
    """The scope of a suite whose last validation saw the tables as build `seen_build` left them."""
    builds = _builds(con)
    latest = builds[-1][0] if builds else None
    if latest is None:
        return Scope(True, None, None, "no recorded dbt build")
    if seen_build is None:
        return Scope(True, None, latest, "not validated in this warehouse before")
    ids = [b[0] for b in builds]
    if seen_build not in ids:
        return Scope(True, None, latest, f"the build last validated ({seen_build}) is not recorded")
    position = ids.index(seen_build)
    later = builds[position + 1 :]
    if not later:
        return Scope(False, None, latest, "no dbt build since the last validation")
    from_year = None
    previous = builds[position]
    for build in later:
        build_id, project, full_refresh, year, loads = build
        if full_refresh:
            return Scope(True, None, latest, f"build {build_id} was a full refresh")
        if year is None:
            same = project == previous[1] and sorted(loads or []) == sorted(previous[4] or [])
            if not same:
                return Scope(True, None, latest, f"build {build_id} recomputed every year")
        else:
            from_year = year if from_year is None else min(from_year, year)
        previous = build
    if from_year is None:
        return Scope(False, None, latest, "the builds since recomputed the same loads with the same project")
    return Scope(False, from_year, latest, f"the dbt builds since recomputed the years from {from_year}")
