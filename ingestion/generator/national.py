"""The national synthetic delivery set: every source, every year, with documented faults.

Order matters only for consistency: the small homeless cohort (and Housing First, which
ends some of its stays) is simulated for all years first; the large crisis files are then
drawn and written one year and one chunk at a time, so memory stays flat as scale grows.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ingestion.paths import REFERENCE_DIR

from . import crisis, pilot, rough_sleepers
from .codes import format_codes, numbered
from .cohort import simulate_cohort
from .faults import FaultRates
from .geography import load_geography
from .housing_first import PROGRAMME, build_housing_first, end_stays_at_move_in
from .housing_first import YEAR as HF_YEAR
from .list_behaviour import DEFAULT as DEFAULT_BEHAVIOUR
from .list_behaviour import ListBehaviour, mistype_codes
from .population import Population, build_population
from .providers import build_providers, provider_frame
from .shelter_counts import shelter_counts
from .writer import DeliveryWriter

CHUNK = 250_000
#: Share of rows whose personal code is written with its hyphen, per source (senders differ).
HYPHEN_SHARE = {
    "shelter_stays": 0.9,
    "ambulance_calls": 0.85,
    "hospital_stays": 0.95,
    "police_contacts": 0.8,
    "prison_spells": 0.97,
    "hf_clients": 0.9,
}
#: Event identifiers: column, prefix (with the year) and digits of the sequence number.
ID_FORMAT = {
    "ambulance_calls": ("call_id", "NMPD{year}-", 8),
    "hospital_stays": ("hospital_stay_id", "E{year}", 8),
    "police_contacts": ("police_contact_id", "VP{year}-", 7),
    "prison_spells": ("prison_spell_id", "IVP{year}-", 6),
}


@dataclass
class GenerationSummary:
    """What was written: file -> data rows, and how long it took."""

    out_dir: Path
    seed: int
    scale: float
    years: range
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    manifest: Path | None = None

    @property
    def files(self) -> list[str]:
        return sorted(self.rows)


def _rng(seed: int, name: str, year: int = 0) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode()), year])


def personal_codes(
    pop: Population, persons: np.ndarray, source: str, rng: np.random.Generator, typo: np.ndarray | None = None
) -> np.ndarray:
    """Delivered codes; rows marked `typo` carry a mistyped (valid, other person's) code."""
    codes = pop.code[persons]
    hyphen = rng.random(persons.size) < HYPHEN_SHARE[source]
    if typo is not None and typo.any():
        codes = codes.copy()
        codes[typo] = mistype_codes(codes[typo], rng)
    return format_codes(codes, hyphen)


@dataclass
class World:
    """The generator's persons before the yearly crisis events: what every delivery file is drawn from."""

    geo: object
    pop: Population
    providers: object
    cohort: object
    hf: object | None  # Housing First (None when its year is not generated)
    ctx: crisis.CrisisContext
    hidden: dict[int, np.ndarray]  # year -> rough sleepers outside shelters (incl. releases with no housing)
    prison_spells: dict[int, dict]  # year -> that year's prison spells


def build_world(years: range, scale: float, seed: int, behaviour: ListBehaviour = DEFAULT_BEHAVIOUR) -> World:
    """Population, shelter cohort (Housing First ends some stays), rough sleepers, prison spells (a release
    with no housing joins that year's rough sleepers) and the list behaviours, each on its own random stream.
    The replicates of the estimate (homeless_monitor/estimation/generator_replicates.py) start from the same."""
    geo = load_geography()
    pop = build_population(geo, years[0], years[-1], scale, _rng(seed, "population"))
    providers = build_providers(geo, years[0], _rng(seed, "providers"))
    cohort = simulate_cohort(pop, geo, providers, years, scale, _rng(seed, "cohort"))
    hf = None
    if HF_YEAR in years:
        hf = build_housing_first(cohort, pop, geo, scale, _rng(seed, "housing_first"))
        end_stays_at_move_in(cohort, hf)
    ctx = crisis.build_context(pop, geo, cohort, years, scale, _rng(seed, "hospitals"))
    hidden = rough_sleepers.simulate_hidden(pop, cohort, years, scale, _rng(seed, "rough_sleepers"))
    for people in hidden.values():
        ctx.ever_cohort[people] = True  # no background prison terms: their own crisis contacts follow
    # prison files first (their own random streams): a release with no housing joins that year's rough sleepers
    prisons = crisis.PrisonRegister(ctx)
    prison_spells = {year: prisons.spells(year, _rng(seed, "prison_spells", year)) for year in years}
    for year in years:
        hidden[year] = np.union1d(hidden[year], rough_sleepers.released_without_housing(prison_spells.values(), year))
    ctx.rough = hidden
    crisis.apply_behaviour(ctx, behaviour, _rng(seed, "list_behaviour"))
    return World(geo, pop, providers, cohort, hf, ctx, hidden, prison_spells)


def generate_national(
    out_dir: Path, years: range, scale: float = 1.0, seed: int = 20241115, behaviour: ListBehaviour = DEFAULT_BEHAVIOUR
) -> GenerationSummary:
    """Write every national delivery for the years into out_dir, plus `_faults.json`.

    `behaviour`: how the lists of the multiple-systems estimate behave (list_behaviour.py).
    """
    started = time.perf_counter()
    years = range(years.start, years.stop) if isinstance(years, range) else range(min(years), max(years) + 1)
    if len(years) == 0:
        raise ValueError("no years to generate")
    world = build_world(years, scale, seed, behaviour)
    geo, pop, providers, cohort, hf, ctx = world.geo, world.pop, world.providers, world.cohort, world.hf, world.ctx
    hidden, prison_spells = world.hidden, world.prison_spells

    writer = DeliveryWriter(out_dir, seed)
    for path in sorted(REFERENCE_DIR.glob("*.csv")):
        writer.copy_delivery(path)
    writer.write_csv("ref_providers", f"_{years[-1]}", provider_frame(providers, geo))

    person_faults = FaultRates.person_level()
    for year in years:
        _write_stays(writer, cohort.stays, pop, geo, providers, year, _rng(seed, "stays", year))
        writer.write_xlsx("shelter_counts", str(year), shelter_counts(cohort.stays, pop, geo, providers, year))
        for source, events in (
            ("ambulance_calls", crisis.ambulance_calls(ctx, year, _rng(seed, "ambulance_calls", year))),
            ("hospital_stays", crisis.hospital_stays(ctx, year, _rng(seed, "hospital_stays", year))),
            ("police_contacts", crisis.police_contacts(ctx, year, _rng(seed, "police_contacts", year))),
            ("prison_spells", prison_spells.pop(year)),
        ):
            _write_events(writer, source, year, events, pop, _rng(seed, source + "/codes", year), person_faults)
            del events
    if hf is not None and hf.files:
        _write_housing_first(writer, hf, pop, _rng(seed, "hf_codes"))
    with_pilot = all(year in years for year in pilot.PILOT_YEARS)
    if with_pilot:  # the 2022-2023 Housing First pilot cohort, on its own seed (issue 23)
        people = pilot.write_pilot(writer, pilot.DEFAULT_SEED)
        pilot.write_follow_up(writer, people, pilot.DEFAULT_SEED)  # the programme after the pilot

    summary = GenerationSummary(Path(out_dir), seed, scale, years)
    summary.manifest = writer.write_manifest(
        seed=seed,
        scale=scale,
        years=[years[0], years[-1]],
        pilot_cohort=with_pilot,
        pilot_follow_up=with_pilot,
        homeless_truth=rough_sleepers.truth_entry(cohort, hidden),
        list_behaviour=crisis.behaviour_entry(ctx),
    )
    summary.rows = {name: report.data_rows for name, report in writer.reports.items()}
    summary.seconds = time.perf_counter() - started
    return summary


def _write_events(
    writer: DeliveryWriter,
    source: str,
    year: int,
    events: dict[str, np.ndarray],
    pop: Population,
    rng: np.random.Generator,
    rates: FaultRates,
) -> None:
    id_column, id_prefix, id_width = ID_FORMAT[source]
    n = events["_person"].size
    with writer.open_csv(source, str(year), rates) as delivery:
        for start in range(0, n, CHUNK):
            part = {k: v[start : start + CHUNK] for k, v in events.items()}
            persons = part.pop("_person")
            typo = part.pop("_typo", None)
            part[id_column] = numbered(id_prefix.format(year=year), start + 1, persons.size, id_width)
            part["personal_code"] = personal_codes(pop, persons, source, rng, typo)
            delivery.write(part)


def _write_stays(writer, stays, pop, geo, providers, year, rng) -> None:
    in_year = stays["check_in"].astype("datetime64[Y]").astype(np.int64) + 1970 == year
    order = np.flatnonzero(in_year)
    order = order[np.lexsort((stays["person"][order], stays["check_in"][order]))]
    person = stays["person"][order]
    provider = stays["provider"][order]
    seq = pd.Series(provider).groupby(provider).cumcount().to_numpy() + 1
    ids = np.array([f"{providers.provider_id[p]}-{year}-{s:05d}" for p, s in zip(provider.tolist(), seq.tolist())])
    birth_year = pop.birth_year(person).astype(float)
    birth_year[rng.random(person.size) < 0.02] = np.nan
    typed = {
        "stay_id": ids,
        "personal_code": personal_codes(pop, person, "shelter_stays", rng),
        "sex": np.where(pop.male[person], "male", "female"),
        "birth_year": birth_year,
        "provider_id": providers.provider_id[provider],
        "municipality_atvk": geo.atvk[stays["muni"][order]],
        "service_type": stays["service"][order],
        "check_in_date": stays["check_in"][order],
        "check_out_date": stays["check_out"][order],
        "prior_situation": stays["prior"][order],
        "exit_destination": stays["exit"][order],
    }
    writer.write_csv("shelter_stays", str(year), typed, FaultRates.person_level())


def _write_housing_first(writer: DeliveryWriter, hf, pop: Population, rng: np.random.Generator) -> None:
    clients = dict(hf.files["hf_clients"])
    clients["personal_code"] = personal_codes(pop, hf.persons, "hf_clients", rng)
    writer.write_csv("hf_clients", PROGRAMME, clients, FaultRates.few())
    for source in ("hf_enrolments", "hf_flats", "hf_support_contacts", "hf_surveys", "hf_fidelity", "hf_costs"):
        writer.write_csv(source, PROGRAMME, hf.files[source], FaultRates.few())
