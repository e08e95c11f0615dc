"""The national Housing First programme MV2024, drawn from the homeless cohort.

About 100 participants (scale 1) in five municipalities, referred from shelters in 2024:
clients, enrolments, flats, support contacts, surveys, fidelity ratings and monthly costs.
Participants' shelter stays end on move-in day (they are housed, not homeless).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .cohort import Cohort
from .geography import Geography
from .pilot import QUOTAS as PILOT_QUOTAS
from .population import Population

PROGRAMME = "MV2024"
YEAR = 2024
SITES = {"Rīga": 0.45, "Liepāja": 0.15, "Valmieras novads": 0.15, "Daugavpils": 0.15, "Jelgava": 0.10}
#: Support contacts by domain: as the pilot published its clients helped per domain, plus two it did not publish.
_DOMAINS = {**PILOT_QUOTAS["clients_helped"], "documents_benefits": 20, "other": 10}
_EXITS = {
    "death": 2,
    "own_housing": 1,
    "eviction": 1,
    "prison": 1,
    "long_hospital_stay": 1,
    "returned_to_homelessness": 1,
    "lost_contact": 1,
}
_FIDELITY = ("housing_choice", "separation", "service_philosophy", "service_array", "team_structure")


@dataclass
class HousingFirst:
    files: dict[str, dict[str, np.ndarray]]  # source -> typed columns
    move_in: dict[int, np.datetime64]  # person -> move-in day
    tenure: dict[int, str]
    persons: np.ndarray  # population index of each client, in client order


def _pick(rng, table, n):
    keys = list(table)
    p = np.array(list(table.values()), dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def _day(s: str) -> np.datetime64:
    return np.datetime64(s, "D")


def build_housing_first(
    cohort: Cohort, pop: Population, geo: Geography, scale: float, rng: np.random.Generator
) -> HousingFirst:
    end = _day(f"{YEAR}-12-31")
    n_total = max(10, int(round(100 * scale)))
    sites = [int(np.flatnonzero(geo.names == name)[0]) for name in SITES]
    counts = np.maximum(1, np.round(np.array(list(SITES.values())) * n_total)).astype(int)
    st = cohort.stays
    recent = (st["check_in"] >= _day(f"{YEAR - 1}-01-01")) & (st["check_in"] < _day(f"{YEAR}-09-01"))
    recent &= ~np.isin(st["person"], st["person"][st["exit"] == "died"])
    persons, site_of = [], []
    taken: set[int] = set()
    for site, count in zip(sites, counts.tolist()):
        candidates = np.unique(st["person"][recent & (st["muni"] == site)])
        candidates = np.array(
            [p for p in candidates.tolist() if p not in taken and YEAR - pop.birth_year(np.array([p]))[0] >= 25]
        )
        older = YEAR - pop.birth_year(candidates) if candidates.size else np.empty(0)
        w = np.interp(older, [25, 40, 55, 70], [0.3, 1.0, 1.6, 0.8]) if candidates.size else np.empty(0)
        chosen = (
            candidates[rng.choice(candidates.size, size=min(count, candidates.size), replace=False, p=w / w.sum())]
            if candidates.size
            else []
        )
        for p in sorted(int(x) for x in chosen):
            persons.append(p)
            site_of.append(site)
            taken.add(p)
    n = len(persons)
    persons_a = np.array(persons, dtype=np.int64)
    site_a = np.array(site_of, dtype=np.int64)
    client_id = np.array([f"{PROGRAMME}-K{i + 1:04d}" for i in range(n)])
    # Referred from a shelter: on or after the person's latest recent check-in there.
    last_in = (
        np.array(
            [st["check_in"][recent & (st["person"] == p) & (st["muni"] == m)].max() for p, m in zip(persons, site_of)],
            dtype="datetime64[D]",
        )
        if n
        else np.empty(0, dtype="datetime64[D]")
    )
    referral = np.maximum(last_in, _day(f"{YEAR}-01-08")) + rng.integers(0, 30, size=n).astype("timedelta64[D]")
    move_in = referral + rng.integers(14, 75, size=n).astype("timedelta64[D]")
    awaiting = rng.random(n) < 0.05
    move_in = np.where(awaiting | (move_in > end), np.datetime64("NaT"), move_in)
    housed = ~np.isnat(move_in)
    exits = housed & (rng.random(n) < 0.08)
    exit_date = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    span = np.maximum(1, (end - np.where(housed, move_in, end)).astype(int))
    exit_date[exits] = move_in[exits] + (rng.random(int(exits.sum())) * span[exits]).astype(int).astype(
        "timedelta64[D]"
    )
    exit_reason = np.full(n, None, dtype=object)
    exit_reason[exits] = _pick(rng, _EXITS, int(exits.sum()))
    has_addiction = rng.random(n) < 0.6
    riga = site_a == geo.riga
    tenure = np.where(riga, "private", "municipal")

    clients = {
        "client_id": client_id,
        "personal_code": None,
        "programme_id": np.full(n, PROGRAMME),
        "municipality_atvk": geo.atvk[site_a],
        "sex": np.where(pop.male[persons_a], "male", "female"),
        "birth_year": pop.birth_year(persons_a),
        "ethnicity": _pick(rng, {"latvian": 42, "russian": 52, "other": 6}, n),
        "years_homeless": np.round(rng.gamma(2.0, 4.6, size=n), 1),
        "last_residence": _pick(
            rng,
            {
                "shelter": 68,
                "street": 6,
                "stairwell": 2,
                "allotment_shed": 2,
                "friends": 12,
                "prison": 4,
                "hospital": 3,
                "other": 3,
            },
            n,
        ),
        "has_addiction": has_addiction,
        "has_mental_illness": rng.random(n) < 0.35,
    }
    enrolments = {
        "enrolment_id": np.array([f"{PROGRAMME}-D{i + 1:04d}" for i in range(n)]),
        "client_id": client_id,
        "programme_id": np.full(n, PROGRAMME),
        "municipality_atvk": geo.atvk[site_a],
        "referral_date": referral,
        "move_in_date": move_in,
        "exit_date": exit_date,
        "exit_reason": exit_reason,
    }
    h = np.flatnonzero(housed)
    flat_no = np.arange(h.size) + 1
    if h.size >= 10:  # one couple shares a flat, as in the pilot
        flat_no[1] = flat_no[0]
    rent = np.where(riga[h], rng.uniform(230, 420, size=h.size), rng.uniform(70, 160, size=h.size)).round(2)
    utilities = rng.uniform(60, 140, size=h.size).round(2)
    flats = {
        "tenancy_id": np.array([f"{PROGRAMME}-I{i + 1:04d}" for i in range(h.size)]),
        "flat_id": np.array([f"{PROGRAMME}-F{k:04d}" for k in flat_no]),
        "client_id": client_id[h],
        "municipality_atvk": geo.atvk[site_a[h]],
        "tenure": tenure[h],
        "tenancy_start": move_in[h],
        "tenancy_end": exit_date[h],
        "monthly_rent_eur": rent,
        "monthly_utilities_eur": utilities,
    }
    stop = np.where(np.isnat(exit_date), end, exit_date)
    contacts_per_client = np.maximum(1, ((stop[h] - move_in[h]).astype(int) / 7 * 1.5).astype(int))
    c_client = np.repeat(h, contacts_per_client)
    c_span = np.maximum(1, (stop[c_client] - move_in[c_client]).astype(int))
    c_date = move_in[c_client] + (rng.random(c_client.size) * c_span).astype(int).astype("timedelta64[D]")
    order = np.lexsort((c_client, c_date))
    c_client, c_date = c_client[order], c_date[order]
    m = c_client.size
    contacts = {
        "contact_id": np.array([f"{PROGRAMME}-A{i + 1:06d}" for i in range(m)]),
        "client_id": client_id[c_client],
        "contact_date": c_date,
        "worker_role": _pick(rng, {"social_worker": 40, "mentor": 60}, m),
        "minutes": np.clip(np.rint(rng.lognormal(np.log(50), 0.6, size=m)), 5, 480).astype(int),
        "domain": _pick(rng, _DOMAINS, m),
    }
    surveys = _surveys(rng, client_id, referral, move_in, stop, has_addiction, end)
    fidelity = _fidelity(rng, geo, sites)
    costs = _costs(geo, site_a, move_in, stop, rent, utilities, h)
    return (
        HousingFirst(
            {
                "hf_clients": clients,
                "hf_enrolments": enrolments,
                "hf_flats": flats,
                "hf_support_contacts": contacts,
                "hf_surveys": surveys,
                "hf_fidelity": fidelity,
                "hf_costs": costs,
            },
            {int(p): move_in[i] for i, p in enumerate(persons) if housed[i]},
            {int(p): str(tenure[i]) for i, p in enumerate(persons)},
            persons_a,
        )
        if n
        else HousingFirst({}, {}, {}, np.empty(0, dtype=np.int64))
    )


def _surveys(rng, client_id, referral, move_in, stop, has_addiction, end) -> dict[str, np.ndarray]:
    rows = []
    for i in range(client_id.size):
        base = referral[i] if np.isnat(move_in[i]) else move_in[i]
        waves = [("entry", base)]
        if not np.isnat(move_in[i]):
            waves += [("month_2", move_in[i] + 60), ("month_6_10", move_in[i] + int(rng.integers(180, 300)))]
        for wave, day in waves:
            if day <= min(end, stop[i]):
                rows.append((i, wave, day))
    k = len(rows)
    idx = np.array([r[0] for r in rows], dtype=int)
    wave = np.array([r[1] for r in rows], dtype=object)
    later = wave != "entry"
    addict = has_addiction[idx]

    def yes(p):
        return np.where(later, rng.random(k) < p, None)

    def item(mean):
        return np.where(later, np.clip(np.rint(rng.normal(mean, 0.6, size=k)), 1, 4), np.nan)

    out = {
        "survey_id": np.array([f"MV2024-S{j + 1:05d}" for j in range(k)]),
        "client_id": client_id[idx],
        "survey_date": np.array([r[2] for r in rows], dtype="datetime64[D]"),
        "wave": wave,
        "quality_of_life_improved": yes(0.8),
        "living_conditions_improved": yes(0.98),
        "belonging_improved": yes(0.34),
        "health_change": np.where(later, _pick(rng, {"improved": 17, "worsened": 17, "unchanged": 66}, k), None),
        "addiction_control_improved": np.where(later & addict, rng.random(k) < 0.56, None),
        "rehabilitation_started": np.where(later & addict, rng.random(k) < 0.25, None),
        "monthly_income_eur": np.where(later, rng.normal(250, 60, size=k), rng.normal(225, 60, size=k))
        .clip(0)
        .round(2),
        "works": rng.random(k) < np.where(later, 0.46, 0.44),
        "learned_skills": yes(0.51),
        "volunteered": rng.random(k) < np.where(later, 0.2, 0.23),
        "attended_public_event": rng.random(k) < np.where(later, 0.59, 0.17),
        "ambulance_called_last_year": rng.random(k) < np.where(later, 0.27, 0.29),
        "police_contacts_band": _pick(rng, {"0": 70, "1-2": 20, "3-5": 7, "6+": 3}, k),
    }
    for j, mean in enumerate((3.5, 3.3, 3.3, 3.5, 3.3, 3.2, 3.4, 3.5), start=1):
        out[f"csq8_{j}"] = item(mean)
    out["flat_satisfaction"] = item(3.4)
    out["team_satisfaction"] = item(3.7)
    return out


def _fidelity(rng, geo: Geography, sites: list[int]) -> dict[str, np.ndarray]:
    rows = [(None, d) for d in _FIDELITY] + [(geo.atvk[s], d) for s in sites for d in _FIDELITY]
    k = len(rows)
    return {
        "rating_id": np.array([f"MV2024-V{j + 1:03d}" for j in range(k)]),
        "programme_id": np.full(k, PROGRAMME),
        "municipality_atvk": np.array([r[0] for r in rows], dtype=object),
        "rating_date": np.full(k, _day(f"{YEAR}-11-29")),
        "domain": np.array([r[1] for r in rows], dtype=object),
        "score": np.clip(np.round(rng.normal(3.6, 0.25, size=k), 1), 1, 4),
    }


def _costs(geo, site_a, move_in, stop, rent, utilities, h) -> dict[str, np.ndarray]:
    rows = []
    months = np.arange(np.datetime64(f"{YEAR}-01"), np.datetime64(f"{YEAR + 1}-01"))
    for site in sorted(set(site_a.tolist())):
        mine = [j for j, i in enumerate(h.tolist()) if site_a[i] == site]
        for month in months:
            first, after = month.astype("datetime64[D]"), (month + 1).astype("datetime64[D]")
            days = np.array(
                [max(0, int((min(after, stop[h[j]] + 1) - max(first, move_in[h[j]])).astype(int))) for j in mine],
                dtype=int,
            )
            if days.sum() == 0:
                continue
            housing = float(sum(d / 30.4 * (rent[j] + utilities[j]) for d, j in zip(days, mine)))
            support = float(days.sum() * 9.5)
            for cost_type, amount in (
                ("housing", housing),
                ("support", support),
                ("administration", 0.1 * (housing + support)),
            ):
                rows.append((geo.atvk[site], first, cost_type, round(amount, 2), int(days.sum())))
    k = len(rows)
    return {
        "programme_id": np.full(k, PROGRAMME),
        "municipality_atvk": np.array([r[0] for r in rows]),
        "month_start": np.array([r[1] for r in rows], dtype="datetime64[D]"),
        "cost_type": np.array([r[2] for r in rows], dtype=object),
        "amount_eur": np.array([r[3] for r in rows]),
        "client_days": np.array([r[4] for r in rows]),
    }


def end_stays_at_move_in(cohort: Cohort, hf: HousingFirst) -> None:
    """Participants leave shelter on move-in day; later stays (and spells tied to them) vanish."""
    st = cohort.stays
    keep = np.ones(st["person"].size, dtype=bool)
    for i, person in enumerate(st["person"].tolist()):
        day = hf.move_in.get(person)
        if day is None:
            continue
        if st["check_in"][i] >= day:
            keep[i] = False
        elif np.isnat(st["check_out"][i]) or st["check_out"][i] > day:
            st["check_out"][i] = day
            st["exit"][i] = "rented_home" if hf.tenure[person] == "private" else "municipal_flat"
    dropped = set(st["stay"][~keep].tolist())
    cohort.stays = {k: v[keep] for k, v in st.items()}
    for spells in (cohort.prison, cohort.hospital):
        if spells:
            after_move_in = np.array(
                [
                    a >= hf.move_in.get(p, np.datetime64("2999-01-01"))
                    for p, a in zip(spells["person"].tolist(), spells["admission"])
                ],
                dtype=bool,
            )
            alive = ~np.isin(spells["stay"], list(dropped)) & ~after_move_in
            for k in list(spells):
                spells[k] = spells[k][alive]
