"""Crisis-service events for the whole population, plus the homeless cohort's excess use.

Ambulance calls, hospital stays, police contacts and prison spells are drawn per year with
numpy (no per-row Python), from person-level propensities, so the same frequent users recur.
The cohort adds its own, much higher, rates and the institutional spells linked to its
shelter entries. Events are returned as typed columns, one year at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .cohort import Cohort
from .geography import Geography
from .list_behaviour import DEFAULT as DEFAULT_BEHAVIOUR
from .list_behaviour import ListBehaviour, frailty
from .population import Population, ambulance_weight, police_weight, prison_weight

PER_YEAR = {"ambulance_calls": 400_000, "hospital_stays": 275_000, "police_contacts": 70_000, "prison_spells": 6_000}
COHORT_RATE = {"ambulance_calls": 1.6, "hospital_stays": 0.3, "police_contacts": 2.2}
#: Share of a homeless person's calls / contacts recorded with no known address / no fixed abode:
#: higher for rough sleepers outside shelters (rough_sleepers.py) than for shelter users.
AMBULANCE_NO_ADDRESS = {"sheltered": 0.45, "hidden": 0.75}
POLICE_NO_FIXED_ABODE = {"sheltered": 0.3, "hidden": 0.55}
PRISONS = (
    "Rīgas Centrālcietums",
    "Olaines cietums",
    "Jelgavas cietums",
    "Daugavgrīvas cietums",
    "Iļģuciema cietums",
    "Liepājas cietums",
    "Valmieras cietums",
    "Cēsu audzināšanas iestāde",
)
CHAPTERS = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
    "XVIII",
    "XIX",
    "XX",
    "XXI",
    "XXII",
)
_CHAPTER_P = np.array([2, 10, 1, 3, 5, 3, 2, 1, 16, 9, 10, 1, 4, 6, 8, 1, 1, 3, 9, 0.5, 3, 1.5])
_COHORT_CHAPTER_P = np.array([3, 2, 0.5, 1, 30, 3, 1, 0.5, 8, 12, 10, 6, 2, 2, 0, 0, 0, 3, 15, 1, 0.5, 0.5])


def _pick(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    keys = list(table)
    p = np.array(list(table.values()), dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def _draw_persons(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    cumulative = np.cumsum(weights)
    return np.searchsorted(cumulative, rng.random(n) * cumulative[-1], side="right").clip(0, weights.size - 1)


def _dates_in_year(rng: np.random.Generator, year: int, n: int, birth: np.ndarray) -> np.ndarray:
    """Uniform dates in the year, never before the person's birth."""
    jan1 = np.datetime64(f"{year}-01-01")
    days = (np.datetime64(f"{year}-12-31") - jan1).astype(int) + 1
    when = jan1 + rng.integers(0, days, size=n).astype("timedelta64[D]")
    born_late = birth > when
    if born_late.any():
        span = (np.datetime64(f"{year}-12-31") - birth[born_late]).astype(int) + 1
        when[born_late] = birth[born_late] + (rng.random(born_late.sum()) * span).astype(int).astype("timedelta64[D]")
    return when


@dataclass
class CrisisContext:
    pop: Population
    geo: Geography
    cohort: Cohort
    years: range
    scale: float
    hospitals: np.ndarray  # hospital codes
    hospital_muni: np.ndarray
    ever_cohort: np.ndarray  # bool per person
    #: year -> rough sleepers outside shelters (rough_sleepers.py); crisis services see them as the cohort
    rough: dict[int, np.ndarray] = field(default_factory=dict)
    #: how the lists behave (list_behaviour.py); frailty and the chronic class are per person, for life
    behaviour: ListBehaviour = DEFAULT_BEHAVIOUR
    frailty: np.ndarray | None = None
    chronic: np.ndarray | None = None
    #: year -> (persons sorted, first day offset, days) of rough sleepers homeless only part of that year
    windows: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    #: year -> (persons, admission dates, destinations) of hospital stays that follow an ambulance call
    after_ambulance: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    #: year -> what the list behaviours did (written to _faults.json, key list_behaviour)
    stats: dict[int, dict[str, int]] = field(default_factory=dict)

    @property
    def end(self) -> np.datetime64:
        return np.datetime64(f"{self.years[-1]}-12-31")

    def cohort_events(self, rng: np.random.Generator, year: int, source: str) -> tuple[np.ndarray, np.ndarray]:
        """The homeless persons' own contacts: rate x frailty (x the chronic factor), in their homeless window."""
        people = np.union1d(
            self.cohort.active.get(year, np.empty(0, dtype=np.int64)), self.rough.get(year, np.empty(0, dtype=np.int64))
        )
        rate = COHORT_RATE[source] * (self.frailty[people] if self.frailty is not None else 1.0)
        if self.chronic is not None:
            chronic = self.chronic[people] & self.is_hidden(year, people)
            factor = {
                "ambulance_calls": self.behaviour.chronic_ambulance,
                "police_contacts": self.behaviour.chronic_police,
            }.get(source, 1.0)
            rate = np.where(chronic, rate * factor, rate)
        jan1 = np.datetime64(f"{year}-01-01")
        days = int((np.datetime64(f"{year}-12-31") - jan1).astype(int)) + 1
        offset, length = np.zeros(people.size, dtype=np.int64), np.full(people.size, days, dtype=np.int64)
        if year in self.windows and self.windows[year][0].size:
            w_people, w_offset, w_length = self.windows[year]
            at = np.searchsorted(w_people, people).clip(0, max(0, w_people.size - 1))
            part = (w_people[at] == people) & ~np.isin(
                people, self.cohort.active.get(year, np.empty(0, dtype=np.int64))
            )
            offset[part], length[part] = w_offset[at[part]], w_length[at[part]]
        counts = rng.poisson(rate * length / days)
        persons = np.repeat(people, counts)
        when = np.repeat(offset, counts) + (rng.random(persons.size) * np.repeat(length, counts)).astype(np.int64)
        when = jan1 + when.astype("timedelta64[D]")
        born_late = self.pop.birth[persons] > when
        if born_late.any():  # a child in the cohort: no contact before birth
            when[born_late] = _dates_in_year(rng, year, int(born_late.sum()), self.pop.birth[persons[born_late]])
        return persons, when

    def typos(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Which of n homeless persons' records get a mistyped personal code."""
        return rng.random(n) < self.behaviour.code_typo_share

    def false_positives(self, rng: np.random.Generator, persons: np.ndarray, share: float) -> np.ndarray:
        """Rows (of the background population's events) of housed persons flagged as having no home."""
        k = int(rng.poisson(self.behaviour.false_positives_per_year * self.scale * share))
        candidates = np.flatnonzero(~self.ever_cohort[persons])
        if k <= 0 or candidates.size == 0:
            return np.empty(0, dtype=np.int64)
        _, first = np.unique(persons[candidates], return_index=True)  # one row per person
        candidates = candidates[first]
        return np.sort(rng.choice(candidates, size=min(k, candidates.size), replace=False))

    def count(self, year: int, key: str, value: int) -> None:
        self.stats.setdefault(year, {})
        self.stats[year][key] = self.stats[year].get(key, 0) + int(value)

    def is_hidden(self, year: int, persons: np.ndarray) -> np.ndarray:
        """True for rough sleepers who use no shelter that year."""
        return np.isin(persons, self.rough.get(year, np.empty(0, dtype=np.int64))) & ~np.isin(
            persons, self.cohort.active.get(year, np.empty(0, dtype=np.int64))
        )

    def delivered_in(self, dates: np.ndarray, year: int) -> np.ndarray:
        """Spells are delivered in their start year; earlier starts go in the first file (a backfill)."""
        start_year = dates.astype("datetime64[Y]").astype(np.int64) + 1970
        start_year = np.maximum(start_year, self.years[0])
        return (start_year == year) & (dates <= self.end)

    def cohort_home(self, persons: np.ndarray) -> np.ndarray:
        return np.array([self.cohort.home.get(int(p), int(self.pop.home[p])) for p in persons.tolist()], dtype=np.int64)


def build_context(
    pop: Population, geo: Geography, cohort: Cohort, years: range, scale: float, rng: np.random.Generator
) -> CrisisContext:
    codes, munis = [], []
    for m in range(geo.atvk.size):
        count = 8 if m == geo.riga else (2 if geo.kinds[m] == "state_city" else 1)
        for k in range(count):
            codes.append(f"{geo.atvk[m][-6:]}{k + 1:03d}")
            munis.append(m)
    ever = np.zeros(len(pop), dtype=bool)
    ever[np.concatenate(list(cohort.active.values()))] = True
    return CrisisContext(pop, geo, cohort, years, scale, np.array(codes), np.array(munis), ever)


def apply_behaviour(ctx: CrisisContext, behaviour: ListBehaviour, rng: np.random.Generator) -> None:
    """Frailty for every homeless person, the chronic class and part-year windows of the rough sleepers."""
    ctx.behaviour = behaviour
    rough_ever = np.unique(np.concatenate([np.empty(0, dtype=np.int64), *ctx.rough.values()]))
    # every homeless person: the shelter cohort, the rough sleepers and the persons released from
    # prison with no housing who join them (not in ever_cohort: they had background prison terms)
    ever = np.union1d(np.flatnonzero(ctx.ever_cohort), rough_ever)
    ctx.frailty = np.ones(len(ctx.pop), dtype=np.float32)
    ctx.frailty[ever] = frailty(rng, ever.size, behaviour.frailty_sigma)
    ctx.chronic = np.zeros(len(ctx.pop), dtype=bool)
    ctx.chronic[rough_ever[rng.random(rough_ever.size) < behaviour.chronic_share]] = True
    for year in ctx.years:
        rough = ctx.rough.get(year, np.empty(0, dtype=np.int64))
        rough = rough[ctx.is_hidden(year, rough)]
        part = np.sort(rough[rng.random(rough.size) < behaviour.part_year_share])
        days = int((np.datetime64(f"{year}-12-31") - np.datetime64(f"{year}-01-01")).astype(int)) + 1
        length = rng.integers(14, 336, size=part.size)
        offset = (rng.random(part.size) * (days - length + 1)).astype(np.int64)
        ctx.windows[year] = (part, offset, length)
        ctx.count(year, "rough_sleepers_part_year", part.size)
        ctx.count(year, "rough_sleepers_chronic", int(ctx.chronic[rough].sum()))
        ctx.count(year, "rough_sleepers", rough.size)


def behaviour_entry(ctx: CrisisContext) -> dict:
    """The `list_behaviour` entry of `_faults.json`."""
    from .list_behaviour import DESCRIPTION

    return {
        "description": DESCRIPTION,
        "parameters": ctx.behaviour.as_dict(),
        "what_they_do": ctx.behaviour.what_they_do(),
        "years": {str(y): dict(sorted(v.items())) for y, v in sorted(ctx.stats.items())},
    }


def _finish(
    ctx: CrisisContext, persons: np.ndarray, date: np.ndarray, cols: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    order = np.lexsort((persons, date))
    out = {"_person": persons[order], **{k: v[order] for k, v in cols.items()}}
    return out


def ambulance_calls(ctx: CrisisContext, year: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    pop, geo = ctx.pop, ctx.geo
    w = ambulance_weight(pop, year)
    persons = _draw_persons(rng, w, int(rng.poisson(PER_YEAR["ambulance_calls"] * ctx.scale)))
    date = _dates_in_year(rng, year, persons.size, pop.birth[persons])
    away = rng.random(persons.size) < 0.08
    muni = np.where(away, rng.choice(geo.atvk.size, size=persons.size, p=geo.weights(year)), pop.home[persons])
    c_persons, c_date = ctx.cohort_events(rng, year, "ambulance_calls")
    n, m = persons.size, c_persons.size
    urgency = np.concatenate(
        [
            _pick(rng, {"critical": 20, "urgent": 45, "non_urgent": 33, None: 2}, n),
            _pick(rng, {"critical": 25, "urgent": 50, "non_urgent": 23, None: 2}, m),
        ]
    )
    outcome = np.concatenate(
        [
            _pick(rng, {"taken_to_hospital": 55, "treated_on_site": 35, "refused": 8, "died": 1}, n),
            _pick(rng, {"taken_to_hospital": 45, "treated_on_site": 35, "refused": 18, "died": 2}, m),
        ]
    )
    nfa = np.concatenate(
        [_pick(rng, {False: 97, None: 3}, n), _homeless_flag(rng, ctx, year, c_persons, AMBULANCE_NO_ADDRESS)]
    )
    # housed persons recorded with no known address; some were taken to hospital and discharged home
    fp = ctx.false_positives(rng, persons, 0.6)
    nfa[fp] = True
    to_ward = rng.random(fp.size) < ctx.behaviour.false_positive_hospital_share
    outcome[fp] = np.where(to_ward, "taken_to_hospital", "treated_on_site")
    ctx.count(year, "false_positive_ambulance", fp.size)
    ctx.count(year, "false_positive_ambulance_discharged_home", int(to_ward.sum()))
    # a homeless person taken to hospital: a stay that day (the ambulance and hospital lists depend)
    followed = (outcome[n:] == "taken_to_hospital") & (rng.random(m) < ctx.behaviour.ambulance_to_hospital)
    destination = _pick(
        rng, {"no_fixed_abode": 55, "home": 15, "unknown": 20, "other_institution": 7, "died": 3}, int(followed.sum())
    )
    ctx.after_ambulance[year] = (
        np.concatenate([c_persons[followed], persons[fp[to_ward]]]),
        np.concatenate([c_date[followed], date[fp[to_ward]]]),
        np.concatenate([destination, np.full(int(to_ward.sum()), "home", dtype=object)]),
    )
    ctx.count(year, "hospital_stays_after_ambulance", int(followed.sum()))
    all_persons = np.concatenate([persons, c_persons])
    typo = np.concatenate([np.zeros(n, dtype=bool), ctx.typos(rng, m)])
    ctx.count(year, "mistyped_codes_ambulance", int(typo.sum()))
    return _finish(
        ctx,
        all_persons,
        np.concatenate([date, c_date]),
        {
            "call_date": np.concatenate([date, c_date]),
            "municipality_atvk": geo.atvk[np.concatenate([muni, ctx.cohort_home(c_persons)])],
            "urgency": urgency,
            "outcome": outcome,
            "no_fixed_address": nfa,
            "_typo": typo,
        },
    )


def _homeless_flag(
    rng: np.random.Generator, ctx: CrisisContext, year: int, persons: np.ndarray, share: dict[str, float]
) -> np.ndarray:
    """True / False / None (5% not recorded) for the cohort's contacts, by whether the person is sheltered."""
    p = np.where(ctx.is_hidden(year, persons), share["hidden"], share["sheltered"])
    u = rng.random(persons.size)
    flag = np.where(u < 0.95 * p, True, False).astype(object)
    flag[u >= 0.95] = None
    return flag


def hospital_stays(ctx: CrisisContext, year: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    pop, geo = ctx.pop, ctx.geo
    persons = _draw_persons(rng, ambulance_weight(pop, year), int(rng.poisson(PER_YEAR["hospital_stays"] * ctx.scale)))
    admission = _dates_in_year(rng, year, persons.size, pop.birth[persons])
    c_random, c_adm = ctx.cohort_events(rng, year, "hospital_stays")
    a_persons, a_adm, a_dest = ctx.after_ambulance.pop(
        year, (np.empty(0, dtype=np.int64), np.empty(0, dtype="datetime64[D]"), np.empty(0, dtype=object))
    )
    n_random = c_random.size
    c_random, c_adm = np.concatenate([c_random, a_persons]), np.concatenate([c_adm, a_adm])
    linked = ctx.cohort.hospital
    keep = ctx.delivered_in(linked["admission"], year)
    l_persons, l_adm = linked["person"][keep], linked["admission"][keep]
    n, m, k = persons.size, c_random.size, l_persons.size
    los = np.concatenate([np.maximum(0, rng.geometric(1 / 6, size=n) - 1), rng.geometric(1 / 8, size=m)])
    discharge = np.concatenate([admission, c_adm]) + los.astype("timedelta64[D]")
    discharge = np.concatenate([discharge, linked["discharge"][keep]])
    all_persons = np.concatenate([persons, c_random, l_persons])
    all_adm = np.concatenate([admission, c_adm, l_adm])
    home = np.concatenate([pop.home[persons], ctx.cohort_home(np.concatenate([c_random, l_persons]))])
    local = rng.random(all_persons.size) < 0.7
    hospital = _hospital_for(ctx, rng, home, local)
    destination = np.concatenate(
        [
            _pick(rng, {"home": 85, "other_institution": 8, "died": 3, "unknown": 4}, n),
            _pick(rng, {"no_fixed_abode": 55, "home": 15, "unknown": 20, "other_institution": 7, "died": 3}, n_random),
            a_dest.astype(object),
            linked["destination"][keep].astype(object),
        ]
    )
    still_in = np.isnat(discharge) | (discharge > ctx.end)
    discharge = np.where(still_in, np.datetime64("NaT"), discharge)
    destination = np.where(still_in | (destination == ""), None, destination)
    muni = geo.atvk[ctx.hospital_muni[hospital]].astype(object)
    muni[rng.random(muni.size) < 0.01] = None
    chapter = np.concatenate(
        [
            np.array(CHAPTERS, dtype=object)[rng.choice(22, size=n, p=_CHAPTER_P / _CHAPTER_P.sum())],
            np.array(CHAPTERS, dtype=object)[rng.choice(22, size=m + k, p=_COHORT_CHAPTER_P / _COHORT_CHAPTER_P.sum())],
        ]
    )
    chapter[rng.random(chapter.size) < 0.02] = None
    emergency = np.concatenate([rng.random(n) < 0.55, rng.random(m + k) < 0.85])
    # mistyped codes: the homeless persons' own stays (not the housed false positives' nor the linked spells)
    typo = np.concatenate(
        [
            np.zeros(n, dtype=bool),
            ctx.typos(rng, n_random),
            ctx.typos(rng, a_persons.size) & ctx.ever_cohort[a_persons],
            np.zeros(k, dtype=bool),
        ]
    )
    ctx.count(year, "mistyped_codes_hospital", int(typo.sum()))
    return _finish(
        ctx,
        all_persons,
        all_adm,
        {
            "_typo": typo,
            "hospital_code": ctx.hospitals[hospital],
            "municipality_atvk": muni,
            "admission_date": all_adm,
            "discharge_date": discharge,
            "emergency": emergency,
            "diagnosis_chapter": chapter,
            "discharge_destination": destination,
        },
    )


def _hospital_for(ctx: CrisisContext, rng: np.random.Generator, home: np.ndarray, local: np.ndarray) -> np.ndarray:
    """A hospital in the home municipality (or its region's city), else one in Rīga."""
    riga_hospitals = np.flatnonzero(ctx.hospital_muni == ctx.geo.riga)
    first_of = {int(m): int(np.flatnonzero(ctx.hospital_muni == m)[0]) for m in np.unique(ctx.hospital_muni)}
    local_choice = np.array([first_of.get(int(m), -1) for m in range(ctx.geo.atvk.size)])[home]
    riga_choice = riga_hospitals[rng.integers(0, riga_hospitals.size, size=home.size)]
    return np.where(local & (local_choice >= 0), local_choice, riga_choice)


def police_contacts(ctx: CrisisContext, year: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    pop, geo = ctx.pop, ctx.geo
    persons = _draw_persons(rng, police_weight(pop, year), int(rng.poisson(PER_YEAR["police_contacts"] * ctx.scale)))
    date = _dates_in_year(rng, year, persons.size, pop.birth[persons])
    c_persons, c_date = ctx.cohort_events(rng, year, "police_contacts")
    n, m = persons.size, c_persons.size
    kind = np.concatenate(
        [
            _pick(rng, {"offence": 45, "victim": 25, "detention": 12, "sobering_up": 8, "other": 10}, n),
            _pick(rng, {"sobering_up": 35, "detention": 20, "offence": 25, "victim": 12, "other": 8}, m),
        ]
    )
    muni = np.concatenate([pop.home[persons], ctx.cohort_home(c_persons)])
    no_fixed_abode = np.concatenate(
        [_pick(rng, {False: 96, None: 4}, n), _homeless_flag(rng, ctx, year, c_persons, POLICE_NO_FIXED_ABODE)]
    )
    fp = ctx.false_positives(rng, persons, 0.4)
    no_fixed_abode[fp] = True
    ctx.count(year, "false_positive_police", fp.size)
    typo = np.concatenate([np.zeros(n, dtype=bool), ctx.typos(rng, m)])
    ctx.count(year, "mistyped_codes_police", int(typo.sum()))
    return _finish(
        ctx,
        np.concatenate([persons, c_persons]),
        np.concatenate([date, c_date]),
        {
            "_typo": typo,
            "contact_date": np.concatenate([date, c_date]),
            "municipality_atvk": geo.atvk[muni],
            "contact_type": kind,
            "no_fixed_abode": no_fixed_abode,
        },
    )


class PrisonRegister:
    """Prison spells year by year; a person is not admitted again while inside."""

    def __init__(self, ctx: CrisisContext):
        self.ctx = ctx
        self.free_from = np.full(len(ctx.pop), np.datetime64("1900-01-01"), dtype="datetime64[D]")

    def spells(self, year: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        ctx, pop = self.ctx, self.ctx.pop
        jan1 = np.datetime64(f"{year}-01-01")
        w = prison_weight(pop, year) * (self.free_from < jan1) * ~ctx.ever_cohort
        from .cohort import _top_k

        persons = _top_k(rng, w, int(rng.poisson(PER_YEAR["prison_spells"] * ctx.scale)))
        admission = _dates_in_year(rng, year, persons.size, pop.birth[persons])
        length = np.maximum(2, np.rint(rng.lognormal(np.log(270) - 0.5, 1.0, size=persons.size))).astype(int)
        release = admission + length.astype("timedelta64[D]")
        self.free_from[persons] = release
        housing = _pick(rng, {"housed": 80, "no_housing": 8, "unknown": 12}, persons.size)
        linked = ctx.cohort.prison
        keep = ctx.delivered_in(linked["admission"], year)
        all_persons = np.concatenate([persons, linked["person"][keep]])
        admission = np.concatenate([admission, linked["admission"][keep]])
        release = np.concatenate([release, linked["release"][keep]])
        housing = np.concatenate([housing, linked["release_housing"][keep].astype(object)])
        inside = np.isnat(release) | (release > ctx.end)
        release = np.where(inside, np.datetime64("NaT"), release)
        housing = np.where(inside | (housing == ""), None, housing)
        institution = np.array(PRISONS, dtype=object)[
            rng.choice(len(PRISONS), size=all_persons.size, p=np.array([30, 15, 15, 15, 8, 8, 7, 2]) / 100)
        ]
        return _finish(
            ctx,
            all_persons,
            admission,
            {
                "institution": institution,
                "admission_date": admission,
                "release_date": release,
                "release_housing": housing,
            },
        )
