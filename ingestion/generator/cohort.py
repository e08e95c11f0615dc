"""The homeless cohort: who uses shelters, when, where, and what led them there.

A few thousand persons a year (scale 1) drawn from the population, most in Rīga; persons
persist across years with several stays, some in a second municipality; stays never
overlap for one person. Prison releases without housing and hospital discharges with no
fixed abode are written as linked institutional spells just before a shelter entry, so
linkage across sources finds them. Simulated for all years first (the cohort is small),
then delivered year by year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .geography import Geography
from .population import Population
from .providers import SERVICE_TYPES, Providers

ACTIVE_PER_YEAR = 5600  # shelter users a year at scale 1
RIGA_SHARE = 0.57
PERSISTENCE = 0.55  # share of a year's users still homeless next year
RETURN_RATE = 0.10  # yearly return of those who left for housing
SECOND_TOWN = 0.08  # person-years with stays in a second municipality

_FIRST_PRIOR = {
    "street": 0.24,
    "stairwell": 0.08,
    "station": 0.04,
    "allotment_shed": 0.08,
    "abandoned_building": 0.05,
    "friends": 0.15,
    "family": 0.08,
    "prison": 0.07,
    "hospital": 0.06,
    "rented_home": 0.07,
    "own_home": 0.02,
    "unknown": 0.06,
}
_NEXT_PRIOR = {
    "other_shelter": 0.35,
    "street": 0.3,
    "stairwell": 0.05,
    "friends": 0.1,
    "allotment_shed": 0.05,
    "unknown": 0.15,
}
_BETWEEN_EXIT = {"other_shelter": 0.3, "street": 0.3, "unknown": 0.25, "family": 0.08, "hospital": 0.04, "prison": 0.03}
_LAST_EXIT = {"street": 0.3, "unknown": 0.3, "other_shelter": 0.2, "family": 0.1, "hospital": 0.05, "prison": 0.05}
_HOUSING_EXIT = {"rented_home": 0.4, "municipal_flat": 0.25, "family": 0.2, "own_home": 0.15}
_SERVICE_MALE = (0.5, 0.36, 0.02, 0.12)
_SERVICE_FEMALE = (0.3, 0.3, 0.28, 0.12)
_MEAN_NIGHTS = {"night_shelter": 14, "shelter": 75, "crisis_centre": 45, "short_stay": 30}


@dataclass(frozen=True)
class _Institution:
    """A prison or hospital spell linked to a shelter stay: one that ends just before the stay (the person
    came from it) or one that starts at check-out (the person left for it)."""

    name: str  # the stay's prior / exit value
    left: str  # the column of the day the person leaves the institution
    destination: str  # the column of where they go on leaving it
    lag_days: int  # the stay begins 0 .. lag_days - 1 days after leaving (likewise after a spell it starts)
    mean_days_before: float  # mean length of a spell the person came from
    destination_before: dict[str, float]
    mean_days_after: float  # mean length of a spell the person left for
    destination_after: dict[str, float]  # where a spell that ends within the years leads

    def spell(self, person, admission, left, destination, stay) -> dict[str, np.ndarray]:
        """One spell's columns, named as this institution's delivery names them."""
        return {"person": person, "admission": admission, self.left: left, self.destination: destination, "stay": stay}


# where a spell leads: one the person came to a shelter from; one they left a shelter for
_RELEASED_TO_SHELTER = {"no_housing": 0.8, "unknown": 0.15, "housed": 0.05}
_RELEASED_AFTER_SHELTER = {"no_housing": 0.85, "unknown": 0.15}
_DISCHARGED_TO_SHELTER = {"no_fixed_abode": 0.75, "unknown": 0.15, "home": 0.1}
_DISCHARGED_AFTER_SHELTER = {"no_fixed_abode": 0.8, "unknown": 0.2}
_PRISON = _Institution(
    "prison", "release", "release_housing", 21, 180, _RELEASED_TO_SHELTER, 150, _RELEASED_AFTER_SHELTER
)
_HOSPITAL = _Institution(
    "hospital", "discharge", "destination", 4, 9, _DISCHARGED_TO_SHELTER, 9, _DISCHARGED_AFTER_SHELTER
)


def _draw(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    keys = np.array(list(table))
    p = np.array(list(table.values()), dtype=float)
    return keys[rng.choice(keys.size, size=n, p=p / p.sum())]


@dataclass
class Table:
    """Columns of equal length; append-friendly while simulating."""

    parts: dict[str, list[np.ndarray]] = field(default_factory=dict)

    def add(self, **cols: np.ndarray) -> None:
        for k, v in cols.items():
            self.parts.setdefault(k, []).append(np.asarray(v))

    def done(self) -> dict[str, np.ndarray]:
        return {k: np.concatenate(v) for k, v in self.parts.items()}


@dataclass
class Cohort:
    stays: dict[str, np.ndarray]  # person, muni, provider, service, check_in, check_out, prior, exit
    prison: dict[str, np.ndarray]  # person, admission, release, release_housing, stay
    hospital: dict[str, np.ndarray]  # person, admission, discharge, destination, stay
    active: dict[int, np.ndarray]  # year -> persons using shelters that year
    home: dict[int, int]  # person -> municipality of their shelters (first one)


def _lognormal_days(rng: np.random.Generator, mean: np.ndarray | float, n: int, sigma: float = 0.9) -> np.ndarray:
    mu = np.log(np.asarray(mean, dtype=float)) - sigma**2 / 2
    return np.maximum(1, np.rint(rng.lognormal(mu, sigma, size=n))).astype(np.int64)


def simulate_cohort(
    pop: Population, geo: Geography, providers: Providers, years: range, scale: float, rng: np.random.Generator
) -> Cohort:
    n_pop = len(pop)
    end = np.datetime64(f"{years[-1]}-12-31")
    cursor = np.full(n_pop, np.datetime64("1900-01-01"), dtype="datetime64[D]")  # free from this day
    home = np.full(n_pop, -1, dtype=np.int16)
    state = np.zeros(n_pop, dtype=np.int8)  # 0 never, 1 homeless, 2 housed out, 3 dead
    pending_prior = np.full(n_pop, "", dtype=object)
    ever = np.zeros(n_pop, dtype=bool)
    non_riga = np.ones(geo.atvk.size, dtype=bool)
    non_riga[geo.riga] = False
    muni_p = geo.weights(years[0]) * non_riga
    muni_p = muni_p / muni_p.sum()
    offered = {m: geo_services for m in range(geo.atvk.size) if (geo_services := providers.available(m))}
    by_type = {}
    for i, (m, s) in enumerate(zip(providers.muni.tolist(), providers.service.tolist())):
        by_type.setdefault((m, s), []).append(i)

    stays, prison, hospital = Table(), Table(), Table()
    active_by_year: dict[int, np.ndarray] = {}
    previous = np.empty(0, dtype=np.int64)
    stay_count = 0
    for year in years:
        jan1, dec31 = np.datetime64(f"{year}-01-01"), np.datetime64(f"{year}-12-31")
        target = int(round(ACTIVE_PER_YEAR * scale * rng.uniform(0.95, 1.05)))
        in_stay = np.flatnonzero((cursor > jan1) & (state == 1))
        stay_on = previous[(state[previous] == 1) & (rng.random(previous.size) < PERSISTENCE)]
        housed = np.flatnonzero(state == 2)
        returners = housed[rng.random(housed.size) < RETURN_RATE]
        continuing = np.unique(np.concatenate([in_stay, stay_on, returners]))
        state[returners] = 1
        n_new = max(0, target - continuing.size)
        age = pop.age_in(year)
        w = np.where(~ever & (age >= 18) & (age <= 80), 1.0, 0.0)
        w *= np.where(pop.male, 2.6, 1.0) * np.interp(age, [18, 25, 40, 55, 65, 80], [0.4, 0.8, 1.2, 1.2, 0.7, 0.2])
        w *= 0.5 + pop.crime_risk
        kids = np.where(~ever & (age >= 0) & (age < 18), 1.0, 0.0)
        n_kids = int(round(n_new * 0.03))
        new = _top_k(rng, w, n_new - n_kids)
        new_kids = _top_k(rng, kids, n_kids)
        new = np.concatenate([new, new_kids])
        ever[new] = True
        state[new] = 1
        fresh = np.concatenate([new, returners])
        home[new] = np.where(
            rng.random(new.size) < RIGA_SHARE, geo.riga, rng.choice(geo.atvk.size, size=new.size, p=muni_p)
        )
        people = np.unique(np.concatenate([continuing, new]))
        active_by_year[year] = people
        previous = people

        second = np.where(
            rng.random(people.size) < SECOND_TOWN,
            np.where(
                (home[people] != geo.riga) & (rng.random(people.size) < 0.5),
                geo.riga,
                rng.choice(geo.atvk.size, size=people.size, p=muni_p),
            ),
            -1,
        )
        n_stays = np.minimum(1 + rng.poisson(1.3, size=people.size), 8)
        is_fresh = np.isin(people, fresh)
        start_offset = np.where(is_fresh, rng.integers(0, 340, size=people.size), rng.integers(0, 40, size=people.size))
        start = np.maximum(cursor[people] + 1, jan1 + start_offset.astype("timedelta64[D]"))
        first_prior = np.where(is_fresh, _draw(rng, _FIRST_PRIOR, people.size), _draw(rng, _NEXT_PRIOR, people.size))
        prior = np.where(pending_prior[people] != "", pending_prior[people], first_prior)
        kid = pop.age_in(year)[people] < 18
        prior = np.where(kid & np.isin(prior, ["prison", "hospital"]), "family", prior)
        for k in range(int(n_stays.max(initial=0))):
            go = (k < n_stays) & (start <= dec31) & (state[people] == 1) & (start > cursor[people])
            if not go.any():
                break
            p = people[go]
            s_in = start[go]
            n = p.size
            in_second = (second[go] >= 0) & (rng.random(n) < 0.4)
            muni = np.where(in_second, second[go], home[p]).astype(np.int64)
            female_or_kid = ~pop.male[p] | kid[go]
            service = np.where(
                female_or_kid, rng.choice(4, size=n, p=_SERVICE_FEMALE), rng.choice(4, size=n, p=_SERVICE_MALE)
            )
            service = np.array(SERVICE_TYPES)[service]
            service = np.where(kid[go], "crisis_centre", service)
            provider = np.empty(n, dtype=np.int64)
            for j in range(n):  # map to a service the municipality offers (a small loop: cohort rows only)
                m, s = int(muni[j]), str(service[j])
                if (m, s) not in by_type:
                    if m not in offered:
                        m = muni[j] = geo.riga
                    options = offered[m]
                    s = (
                        "crisis_centre"
                        if kid[go][j] and "crisis_centre" in options
                        else options[int(rng.integers(len(options)))]
                    )
                    service[j] = s
                ids_ = by_type[(m, s)]
                provider[j] = ids_[int(rng.integers(len(ids_)))]
            nights = _lognormal_days(rng, np.vectorize(_MEAN_NIGHTS.get)(service), n)
            s_out = s_in + nights.astype("timedelta64[D]")
            last = k == n_stays[go] - 1
            leave_housed = last & (rng.random(n) < 0.25)
            died = last & ~leave_housed & (rng.random(n) < 0.012)
            exit_ = np.where(last, _draw(rng, _LAST_EXIT, n), _draw(rng, _BETWEEN_EXIT, n))
            exit_ = np.where(leave_housed, _draw(rng, _HOUSING_EXIT, n), exit_)
            exit_ = np.where(died, "died", exit_)
            this_prior = prior[go]
            ids = np.arange(stay_count, stay_count + n)
            stay_count += n
            stays.add(
                person=p,
                muni=muni,
                provider=provider,
                service=service,
                check_in=s_in,
                check_out=s_out,
                prior=this_prior,
                exit=exit_,
                stay=ids,
            )

            # Institutions before entry: prison release with no housing, hospital discharge with no fixed abode.
            for inst, spells in ((_PRISON, prison), (_HOSPITAL, hospital)):
                came = (this_prior == inst.name) & (pending_prior[p] != inst.name)
                if came.any():
                    k = int(came.sum())
                    left = s_in[came] - rng.integers(0, inst.lag_days, size=k).astype("timedelta64[D]")
                    admission = left - _lognormal_days(rng, inst.mean_days_before, k).astype("timedelta64[D]")
                    spells.add(
                        **inst.spell(p[came], admission, left, _draw(rng, inst.destination_before, k), ids[came])
                    )
            pending_prior[p] = ""

            # Leaving for an institution: the spell starts at check-out and the next stay comes from it.
            gap = rng.geometric(1 / 20, size=n)
            for inst, spells in ((_PRISON, prison), (_HOSPITAL, hospital)):
                to = exit_ == inst.name
                if to.any():
                    k = int(to.sum())
                    length = _lognormal_days(rng, inst.mean_days_after, k)
                    admission = s_out[to]
                    left = admission + length.astype("timedelta64[D]")
                    after_end = left > end  # still inside when the years end: no release/discharge yet
                    destination = np.where(after_end, "", _draw(rng, inst.destination_after, k))
                    spells.add(
                        **inst.spell(
                            p[to], admission, np.where(after_end, np.datetime64("NaT"), left), destination, ids[to]
                        )
                    )
                    gap[to] = length + rng.integers(0, inst.lag_days, size=k)
                    pending_prior[p[to]] = inst.name
            institution = np.isin(exit_, [_PRISON.name, _HOSPITAL.name])
            cursor[p] = s_out + np.where(institution, gap - 1, 0).astype("timedelta64[D]")
            state[p[leave_housed]] = 2
            state[p[died]] = 3
            nxt = start.copy()
            nxt[go] = s_out + gap.astype("timedelta64[D]")
            start = nxt
            next_prior = _draw(rng, _NEXT_PRIOR, people.size)
            prior = np.where(pending_prior[people] != "", pending_prior[people], next_prior)
            prior = np.where(kid & np.isin(prior, ["prison", "hospital"]), "family", prior)

    st = stays.done()
    open_ = st["check_out"] > end
    st["check_out"] = np.where(open_, np.datetime64("NaT"), st["check_out"])
    st["exit"] = np.where(open_, None, st["exit"]).astype(object)
    return Cohort(
        st, prison.done(), hospital.done(), active_by_year, {int(i): int(home[i]) for i in np.flatnonzero(home >= 0)}
    )


def _top_k(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """k distinct indices drawn in proportion to weights (Gumbel top-k)."""
    positive = np.flatnonzero(weights > 0)
    k = min(k, positive.size)
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    keys = np.log(weights[positive]) + rng.gumbel(size=positive.size)
    return np.sort(positive[np.argpartition(-keys, k - 1)[:k]])
