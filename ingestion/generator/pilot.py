"""The Housing First pilot ("Mājoklis vispirms", 2022-2023) as a synthetic set of deliveries.

The pilot's published figures (shared/domain/pilot-figures.md) are the first table the warehouse
must reproduce from record-level rows. This module writes rows whose marginals agree with that
table within printed precision: each published share or mean is turned into a count or a sum
below (`QUOTAS`), and a seeded RNG decides who gets which value, dates and amounts. The marts
never see these numbers; they compute them from the rows.

Choices where the published figures do not pin the rows down (documented in the reproduction seed):
- the participant table in `004` is over 48 people (the age chart in `001` says n=48; 30% men of
  Rīga needs 8 of 27). Here the 49th participant, a Rīga man who moved in with his partner (the
  couple sharing one flat), has no entry survey, so the table is computed over entry respondents;
- last residence is unknown for 8 people (88% of Liepāja needs 7 of 8);
- the seeds conflict on four figures; the rows support 28 Rīga participants (`004`), 95.7%
  retention (45/47), flat satisfaction 3.37 (prints 3.4, truncates to 3.3) and 9.3 years homeless.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from ingestion.generator.writer import DeliveryWriter
from ingestion.paths import REFERENCE_DIR
from ingestion.personal_code import make_old_code

PROGRAMME_ID = "MV2022"
DEFAULT_SEED = 2022
FIRST_LIST = date(2022, 8, 25)
EVALUATION_DATE = date(2023, 9, 1)
SERVICE_END = date(2023, 10, 31)
HF_TAG = f"{PROGRAMME_ID}_20231130"
CRISIS_TAG = f"{PROGRAMME_ID}_20240331"
COST_PER_PARTICIPANT_EUR = 6917  # 004: indicative cost per participant; all cost types over 49
HF_COST_PER_DAY_EUR = 19.20  # 000/001: housing + support per client-day


@dataclass(frozen=True)
class Site:
    """One municipality: its participants and the published profile turned into counts."""

    name: str
    atvk: str
    tenure: str
    profiled: int  # participants with an entry survey (the published profile table's base)
    men: int
    ethnicity: dict[str, int]
    last_residence: dict[str | None, int]
    age_sum: int  # sum of ages at entry of the profiled participants
    years_homeless_tenths: int  # sum of years without a home, in tenths
    young: int  # aged 18-40 at entry
    move_in: tuple[date, date]
    rent: tuple[int, int]
    utilities: tuple[int, int]
    housing_eur_day: float
    support_eur_day: float
    contacts_per_week: float


SITES = (
    Site(
        "Rīga",
        "0001000",
        "private",
        27,
        8,
        {"latvian": 11, "russian": 14, "other": 2},
        {"shelter": 21, "friends": 1, "hospital": 1, "other": 1, None: 3},
        1503,
        2099,
        1,
        (date(2022, 10, 3), date(2023, 2, 24)),
        (230, 330),
        (70, 110),
        11.6,
        7.9,
        1.5,
    ),
    Site(
        "Liepāja",
        "0005000",
        "municipal",
        10,
        8,
        {"latvian": 5, "russian": 5},
        {"shelter": 7, "friends": 1, None: 2},
        548,
        1255,
        0,
        (date(2022, 10, 3), date(2022, 11, 30)),
        (40, 80),
        (50, 90),
        5.9,
        12.6,
        2.2,
    ),
    Site(
        "Valmiera",
        "0054000",
        "municipal",
        11,
        8,
        {"latvian": 5, "russian": 6},
        {"street": 2, "stairwell": 1, "allotment_shed": 1, "friends": 3, "prison": 1, "other": 1, None: 2},
        556,
        1119,
        1,
        (date(2022, 11, 7), date(2023, 2, 24)),
        (45, 85),
        (50, 90),
        6.4,
        11.1,
        1.3,
    ),
)

#: Published figures as counts over their bases (6-10 month respondents: 46 of 47 alive).
QUOTAS = {
    "deaths": 2,
    "respondents_6_10": 46,
    "addicted_respondents": 16,
    "living_conditions_improved": (45, 1, 0),  # (true, false, no answer) -> 98%
    "quality_of_life_improved": (37, 9, 0),  # 80%
    "belonging_improved": (15, 29, 2),  # 34% of 44
    "health_change": {"improved": 8, "worsened": 8, "unchanged": 30},  # 17% / 17%
    "addiction_control_improved": (9, 7, 0),  # 56% of 16 with an addiction
    "rehabilitation_started": (4, 12, 0),  # 25% of 16
    "works": (21, 25, 0),  # 46%
    "learned_skills": (23, 22, 1),  # 51% of 45
    "volunteered": (9, 37, 0),  # 20%
    "attended_public_event": (27, 19, 0),  # 59%
    "income_sum_after": 11500,  # mean 250 EUR
    "csq8_scores": {4: 166, 3: 192, 2: 10},  # 368 item answers, total 1260 -> 27.4/32
    "flat_satisfaction": {4: 20, 3: 23, 2: 3},  # 155/46 = 3.37
    "team_satisfaction": {4: 33, 3: 13},  # 171/46 = 3.72
    "police_band_after": {"1-2": 8, "0": 38},  # survey sum 8-16
    # entry wave (48 respondents): the "before" figures
    "works_before": 21,  # 44%
    "volunteered_before": 11,  # 23%
    "public_event_before": 8,  # 17%
    "income_sum_before": 10800,  # mean 225 EUR
    # crisis registers, 12 months before / after move-in, over 49 participants
    "ambulance_persons": (14, 13),  # 29% / 27%
    "hospital_persons": (14, 11),  # 29% / 22%
    "inpatient_days": (323, 147),  # mean 6.6 / 3.0
    "police_contacts": (15, 12),  # within 11-18+ / 8-16
    "prison_persons": (0, 1),
    "fidelity_scores": (3.5, 3.8, 3.7, 3.4, 3.6),  # mean 3.6
    "clients_helped": {
        "job_search": 35,
        "furnishing": 32,
        "food": 31,
        "self_care": 30,
        "health_care": 30,
        "latvian_language": 4,
        "employment_agency_course": 1,
    },
}


@dataclass
class Participant:
    client_id: str
    site: Site
    sex: str
    age: int
    ethnicity: str | None
    last_residence: str | None
    years_homeless: float
    profiled: bool = True
    personal_code: str = ""
    birth_year: int = 0
    has_addiction: bool = False
    has_mental_illness: bool = False
    referral: date | None = None
    move_in: date | None = None
    exit_date: date | None = None
    exit_reason: str | None = None
    flat_id: str = ""
    role: str = ""  # death | prison | returned | partner | ''
    domains: set[str] = field(default_factory=set)

    @property
    def housed_until(self) -> date:
        """Last day in the flat (service end if still there)."""
        return self.exit_date - timedelta(days=1) if self.exit_date else SERVICE_END


#: the years the pilot's deliveries cover (crisis records from 12 months before the first move-in):
#: the national set includes the pilot when it generates all of them (issue 23)
PILOT_YEARS = range(2021, 2025)


def generate_pilot(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the pilot's deliveries (Housing First, crisis services, reference) into out_dir."""
    writer = DeliveryWriter(Path(out_dir), seed, generator="pilot")
    people = write_pilot(writer, seed)
    for path in sorted(REFERENCE_DIR.glob("*.csv")):
        writer.copy_delivery(path)
    writer.write_manifest(seed=seed, programme=PROGRAMME_ID, participants=len(people))
    return sorted(writer.out_dir / name for name in writer.reports)


def write_pilot(writer: DeliveryWriter, seed: int = DEFAULT_SEED) -> list[Participant]:
    """The pilot's Housing First and crisis-service deliveries, through any writer (also the national one)."""
    rng = random.Random(seed)
    people = _participants(rng)
    _write_housing_first(writer, people, rng)
    _write_crisis(writer, people, rng)
    return people


#: the programme went on after the pilot (its tenants kept their flats with the municipalities'
#: support): the national set also carries a later delivery of the same provider, statuses as of
#: FOLLOW_UP_END, so follow-up horizons such as 12-month retention can be measured (issue 23)
FOLLOW_UP_END = date(2024, 12, 31)
FOLLOW_UP_TAG = f"{PROGRAMME_ID}_20250131"


def write_follow_up(writer: DeliveryWriter, people: list[Participant], seed: int = DEFAULT_SEED) -> None:
    """The provider's delivery after the pilot: every enrolment again with its status as of 31 December
    2024 (of those still housed at the pilot's evaluation, one moves on to own housing and one dies
    during 2024, both after every 12-month mark) and a monthly support contact while housed.

    Only in the national set: `generate --pilot` (the published pilot alone) is unchanged. The pilot's
    own rows and their RNG are untouched; the follow-up has its own RNG."""
    rng = random.Random(seed * 7919 + 1)
    housed = [p for p in people if p.exit_date is None and p.move_in is not None]
    moved_on, died = rng.sample(housed, 2)
    later_exit = {
        moved_on.client_id: (date(2024, 4, 1) + timedelta(days=rng.randrange(120)), "own_housing"),
        died.client_id: (date(2024, 9, 1) + timedelta(days=rng.randrange(90)), "death"),
    }
    enrolments, contacts = [], []
    for p in people:
        exit_date, exit_reason = later_exit.get(p.client_id, (p.exit_date, p.exit_reason))
        enrolments.append(_enrolment(p, exit_date, exit_reason))
        if p.exit_date is not None or p.move_in is None:
            continue
        last = min(exit_date - timedelta(days=1), FOLLOW_UP_END) if exit_date else FOLLOW_UP_END
        for month in _month_starts(date(2023, 9, 1), last):
            when = month + timedelta(days=rng.randrange(28))
            if when > last:
                continue
            contacts.append(
                {
                    "contact_id": _id("A", 900001 + len(contacts), 6),
                    "client_id": p.client_id,
                    "contact_date": when,
                    "worker_role": "social_worker" if rng.random() < 0.45 else "mentor",
                    "minutes": rng.choice((30, 45, 60)),
                    "domain": "other",
                }
            )
    writer.write_csv("hf_enrolments", FOLLOW_UP_TAG, _columns(enrolments))
    writer.write_csv("hf_support_contacts", FOLLOW_UP_TAG, _columns(contacts))


# --- participants -------------------------------------------------------------------------------


def _id(kind: str, number: int, width: int = 3) -> str:
    """Provider identifiers carry the programme, as the national generator's do (MV2022-K001)."""
    return f"{PROGRAMME_ID}-{kind}{number:0{width}d}"


def _spread(rng: random.Random, values: list[int], target: int, low: int, high: int) -> list[int]:
    """Nudge integers by one until they sum to target, staying in [low, high]."""
    values = list(values)
    while (gap := target - sum(values)) != 0:
        i = rng.randrange(len(values))
        step = 1 if gap > 0 else -1
        if low <= values[i] + step <= high:
            values[i] += step
    return values


def _bag(rng: random.Random, counts: dict, n: int | None = None) -> list:
    items = [value for value, count in counts.items() for _ in range(count)]
    if n is not None and len(items) != n:
        raise ValueError(f"quota of {len(items)} for {n} people")
    rng.shuffle(items)
    return items


def _flags(rng: random.Random, quota: tuple[int, int, int]) -> list[bool | None]:
    return _bag(rng, {True: quota[0], False: quota[1], None: quota[2]})


def _participants(rng: random.Random) -> list[Participant]:
    people: list[Participant] = []
    for site in SITES:
        n = site.profiled
        sexes = _bag(rng, {"male": site.men, "female": n - site.men}, n)
        ethnicities = _bag(rng, site.ethnicity, n)
        residences = _bag(rng, site.last_residence, n)
        ages = [rng.randint(30, 40) for _ in range(site.young)] + [rng.randint(44, 68) for _ in range(n - site.young)]
        ages = ages[: site.young] + _spread(rng, ages[site.young :], site.age_sum - sum(ages[: site.young]), 41, 78)
        rng.shuffle(ages)
        tenths = _spread(rng, [rng.randint(10, 200) for _ in range(n)], site.years_homeless_tenths, 5, 300)
        for i in range(n):
            people.append(
                Participant(
                    _id("K", len(people) + 1), site, sexes[i], ages[i], ethnicities[i], residences[i], tenths[i] / 10
                )
            )
    riga = SITES[0]
    partner_of = next(p for p in people if p.site is riga and p.sex == "female" and p.age > 41)
    partner = Participant(
        _id("K", len(people) + 1),
        riga,
        "male",
        partner_of.age + 3,
        "russian",
        "shelter",
        6.0,
        profiled=False,
        role="partner",
    )
    people.append(partner)

    serials = rng.sample(range(1000), len(people))
    for p, serial in zip(people, serials):  # noqa: B007
        lo, hi = p.site.move_in
        p.move_in = lo + timedelta(days=rng.randrange((hi - lo).days + 1))
        p.referral = max(FIRST_LIST, p.move_in - timedelta(days=rng.randint(20, 60)))
        p.has_mental_illness = rng.random() < 0.3
    # the published first and last move-in months must exist in the rows
    people[0].move_in, people[1].move_in = date(2022, 10, 3), date(2023, 2, 20)
    partner.move_in, partner.referral = partner_of.move_in, partner_of.referral
    for p in people:
        p.referral = min(p.referral, p.move_in - timedelta(days=14))
        p.referral = max(FIRST_LIST, p.referral)
        p.birth_year = p.move_in.year - p.age  # age at entry = move-in year - birth year
        birth = date(p.birth_year, rng.randint(1, 12), rng.randint(1, 28))
        p.personal_code = make_old_code(birth, serial)

    # exits: 2 deaths, 1 prison, 1 back to homelessness (45 of 47 alive still housed)
    candidates = [p for p in people if p.role == "" and p is not partner_of and p.move_in < date(2022, 12, 1)]
    rng.shuffle(candidates)
    dead = candidates[:2]
    prisoner = next(p for p in candidates[2:] if p.sex == "male")
    returned = next(p for p in candidates[2:] if p is not prisoner)
    for p in dead:
        p.role, p.exit_reason = "death", "death"
        p.exit_date = p.move_in + timedelta(days=rng.randint(120, 170))
    prisoner.role, prisoner.exit_reason = "prison", "prison"
    prisoner.exit_date = _prison_admission(prisoner) + timedelta(days=30)
    returned.role, returned.exit_reason = "returned", "returned_to_homelessness"
    returned.exit_date = returned.move_in + timedelta(days=rng.randint(235, 260))

    # addiction: 16 of the 6-10 month respondents and one of those who died
    respondents = [p for p in people if p.role not in ("death", "prison")]
    for p in rng.sample(respondents, QUOTAS["addicted_respondents"]):
        p.has_addiction = True
    dead[0].has_addiction = True

    # flats: one per person, one shared by the couple (48 flats)
    for i, p in enumerate(x for x in people if x is not partner):
        p.flat_id = _id("F", i + 1)
    partner.flat_id = partner_of.flat_id

    for domain, count in QUOTAS["clients_helped"].items():
        for p in rng.sample(people, count):
            p.domains.add(domain)
    return people


def _prison_admission(p: Participant) -> date:
    """The prisoner's spell starts about seven months after move-in (inside the after window)."""
    return p.move_in + timedelta(days=215)


# --- Housing First deliveries ----------------------------------------------------------------------


def _dates(values: list[date | None]) -> np.ndarray:
    return np.array([np.datetime64(v) if v else np.datetime64("NaT") for v in values], dtype="datetime64[D]")


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _columns(rows: list[dict]) -> dict[str, np.ndarray]:
    """Typed columns from row dicts: dates become datetime64, everything else an object array."""
    names = list(rows[0])
    columns = {}
    for name in names:
        values = [r[name] for r in rows]
        if any(isinstance(v, date) for v in values):
            columns[name] = _dates(values)
        else:
            columns[name] = _objects(values)
    return columns


def _enrolment(p: Participant, exit_date: date | None, exit_reason: str | None) -> dict:
    """A participant's enrolment row, ending on the given exit (a later delivery may report a later one)."""
    return {
        "enrolment_id": p.client_id.replace("-K", "-D"),
        "client_id": p.client_id,
        "programme_id": PROGRAMME_ID,
        "municipality_atvk": p.site.atvk,
        "referral_date": p.referral,
        "move_in_date": p.move_in,
        "exit_date": exit_date,
        "exit_reason": exit_reason,
    }


def _write_housing_first(writer: DeliveryWriter, people: list[Participant], rng: random.Random) -> None:
    writer.write_csv(
        "hf_clients",
        HF_TAG,
        _columns(
            [
                {
                    "client_id": p.client_id,
                    "personal_code": p.personal_code,
                    "programme_id": PROGRAMME_ID,
                    "municipality_atvk": p.site.atvk,
                    "sex": p.sex,
                    "birth_year": p.birth_year,
                    "ethnicity": p.ethnicity,
                    "years_homeless": p.years_homeless,
                    "last_residence": p.last_residence,
                    "has_addiction": p.has_addiction,
                    "has_mental_illness": p.has_mental_illness,
                }
                for p in people
            ]
        ),
    )
    writer.write_csv(
        "hf_enrolments",
        HF_TAG,
        _columns([_enrolment(p, p.exit_date, p.exit_reason) for p in people]),
    )
    writer.write_csv("hf_flats", HF_TAG, _columns(_tenancies(people, rng)))
    writer.write_csv("hf_support_contacts", HF_TAG, _columns(_support_contacts(people, rng)))
    writer.write_csv("hf_surveys", HF_TAG, _columns(_surveys(people, rng)))
    domains = ["housing_choice", "separation", "service_philosophy", "service_array", "team_structure"]
    scores = list(QUOTAS["fidelity_scores"])
    rng.shuffle(scores)
    writer.write_csv(
        "hf_fidelity",
        HF_TAG,
        _columns(
            [
                {
                    "rating_id": _id("V", i + 1),
                    "programme_id": PROGRAMME_ID,
                    "municipality_atvk": None,
                    "rating_date": date(2023, 8, 15),
                    "domain": d,
                    "score": s,
                }
                for i, (d, s) in enumerate(zip(domains, scores))
            ]
        ),
    )
    writer.write_csv("hf_costs", HF_TAG, _columns(_costs(people, rng)))


def _tenancies(people: list[Participant], rng: random.Random) -> list[dict]:
    rows, flats = [], {}
    for p in people:
        flats.setdefault(p.flat_id, []).append(p)
    for flat_id, tenants in flats.items():
        site = tenants[0].site
        rent, utilities = rng.randint(*site.rent), rng.randint(*site.utilities)
        for p in tenants:  # a couple splits the flat's rent and utilities over their two tenancies
            rows.append(
                {
                    "tenancy_id": p.client_id.replace("-K", "-I"),
                    "flat_id": flat_id,
                    "client_id": p.client_id,
                    "municipality_atvk": site.atvk,
                    "tenure": site.tenure,
                    "tenancy_start": p.move_in,
                    "tenancy_end": p.exit_date,
                    "monthly_rent_eur": round(rent / len(tenants), 2),
                    "monthly_utilities_eur": round(utilities / len(tenants), 2),
                }
            )
    return rows


def _support_contacts(people: list[Participant], rng: random.Random) -> list[dict]:
    rows = []
    for p in people:
        end = min(p.housed_until, EVALUATION_DATE - timedelta(days=14))
        days = (end - p.move_in).days
        n = max(len(p.domains) + 2, round(days / 7 * p.site.contacts_per_week * rng.uniform(0.8, 1.2)))
        dates = sorted(p.move_in + timedelta(days=rng.randrange(days + 1)) for _ in range(n))
        domains = sorted(p.domains) + ["documents_benefits", "other"]
        for i, when in enumerate(dates):
            domain = domains[i] if i < len(domains) else rng.choice(domains)
            rows.append(
                {
                    "contact_id": _id("A", len(rows) + 1, 6),
                    "client_id": p.client_id,
                    "contact_date": when,
                    "worker_role": "social_worker" if rng.random() < 0.45 else "mentor",
                    "minutes": rng.choice((30, 45, 60, 60, 75, 90, 120)),
                    "domain": domain,
                }
            )
    return rows


def _sum_to(rng: random.Random, n: int, total: int, mean: float, sd: float) -> list[int]:
    values = [max(0, round(rng.gauss(mean, sd))) for _ in range(n)]
    return _spread(rng, values, total, 0, 2000)


def _surveys(people: list[Participant], rng: random.Random) -> list[dict]:
    rows: list[dict] = []

    def add(p: Participant, wave: str, when: date, **answers) -> None:
        rows.append(
            {
                "survey_id": _id("S", len(rows) + 1, 4),
                "client_id": p.client_id,
                "survey_date": when,
                "wave": wave,
                **answers,
            }
        )

    # entry wave: the 48 profiled participants; "before" figures
    entry = [p for p in people if p.profiled]
    works, vol, event = (
        _bag(rng, {True: q, False: len(entry) - q})
        for q in (QUOTAS["works_before"], QUOTAS["volunteered_before"], QUOTAS["public_event_before"])
    )
    income = _sum_to(rng, len(entry), QUOTAS["income_sum_before"], 225, 110)
    bands = _bag(rng, {"0": 38, "1-2": 6, "3-5": 3, "6+": 1}, len(entry))
    for i, p in enumerate(entry):
        add(
            p,
            "entry",
            max(p.referral, p.move_in - timedelta(days=rng.randint(0, 7))),
            monthly_income_eur=income[i],
            works=works[i],
            volunteered=vol[i],
            attended_public_event=event[i],
            police_contacts_band=bands[i],
        )

    # about 2 months after move-in: everyone (nobody had left yet); not part of the published table
    for p in people:
        add(
            p,
            "month_2",
            p.move_in + timedelta(days=rng.randint(55, 70)),
            quality_of_life_improved=rng.random() < 0.7,
            living_conditions_improved=rng.random() < 0.95,
            flat_satisfaction=rng.choice((3, 3, 4, 4, 2)),
            team_satisfaction=rng.choice((3, 4, 4)),
        )

    # 6-10 months after move-in: the 46 of 47 alive who answered (not the one in prison)
    final = [p for p in people if p.role not in ("death", "prison")]
    assert len(final) == QUOTAS["respondents_6_10"]
    n = len(final)
    q = QUOTAS
    flags = {
        name: _flags(rng, q[name])
        for name in (
            "living_conditions_improved",
            "quality_of_life_improved",
            "belonging_improved",
            "works",
            "learned_skills",
            "volunteered",
            "attended_public_event",
        )
    }
    health = _bag(rng, q["health_change"], n)
    income = _sum_to(rng, n, q["income_sum_after"], 250, 120)
    police = _bag(rng, q["police_band_after"], n)
    flat, team = _bag(rng, q["flat_satisfaction"], n), _bag(rng, q["team_satisfaction"], n)
    # CSQ-8: items 4 (recommend) and 8 (come back) almost all 4, as 001 describes
    scores = _bag(rng, q["csq8_scores"])
    fours = [s for s in scores if s == 4][: 2 * n]
    rest = scores[:]
    for _ in fours:
        rest.remove(4)
    rng.shuffle(rest)
    addicted = [p for p in final if p.has_addiction]
    control = dict(zip((p.client_id for p in addicted), _flags(rng, q["addiction_control_improved"])))
    rehab = dict(zip((p.client_id for p in addicted), _flags(rng, q["rehabilitation_started"])))
    for i, p in enumerate(final):
        latest = min(p.move_in + timedelta(days=300), p.housed_until, EVALUATION_DATE - timedelta(days=1))
        earliest = p.move_in + timedelta(days=185)
        when = earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))
        items = rest[6 * i : 6 * i + 6]
        csq = [items[0], items[1], items[2], fours[2 * i], items[3], items[4], items[5], fours[2 * i + 1]]
        add(
            p,
            "month_6_10",
            when,
            **{name: values[i] for name, values in flags.items()},
            health_change=health[i],
            addiction_control_improved=control.get(p.client_id),
            rehabilitation_started=rehab.get(p.client_id),
            monthly_income_eur=income[i],
            ambulance_called_last_year=rng.random() < 0.27,
            police_contacts_band=police[i],
            **{f"csq8_{k + 1}": v for k, v in enumerate(csq)},
            flat_satisfaction=flat[i],
            team_satisfaction=team[i],
        )
    columns = sorted({k for r in rows for k in r})
    return [{c: r.get(c) for c in columns} for r in rows]


def _month_starts(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _costs(people: list[Participant], rng: random.Random) -> list[dict]:
    """Monthly housing, support and administration per site; housing + support = 19.20 EUR a client-day."""
    rows = []
    for site in SITES:
        for month in _month_starts(date(2022, 10, 1), SERVICE_END):
            month_end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
            days = sum(
                max(0, (min(p.housed_until, month_end) - max(p.move_in, month)).days + 1)
                for p in people
                if p.site is site
            )
            if days == 0:
                continue
            for cost_type, rate in (("housing", site.housing_eur_day), ("support", site.support_eur_day)):
                rows.append(
                    {
                        "programme_id": PROGRAMME_ID,
                        "municipality_atvk": site.atvk,
                        "month_start": month,
                        "cost_type": cost_type,
                        "amount_eur": rate * days * rng.uniform(0.97, 1.03),
                        "client_days": days,
                    }
                )
    total_days = sum(r["client_days"] for r in rows if r["cost_type"] == "housing")
    direct = rows
    target = round(HF_COST_PER_DAY_EUR * total_days, 2)
    scale = target / sum(r["amount_eur"] for r in direct)
    for r in direct:
        r["amount_eur"] = round(r["amount_eur"] * scale, 2)
    direct[-1]["amount_eur"] = round(direct[-1]["amount_eur"] + target - sum(r["amount_eur"] for r in direct), 2)
    admin_total = COST_PER_PARTICIPANT_EUR * len(people) - target
    if admin_total <= 0:
        raise ValueError("administration cost would be negative")
    admin = []
    for r in direct:
        if r["cost_type"] == "housing":
            admin.append(
                {
                    **r,
                    "cost_type": "administration",
                    "amount_eur": round(admin_total * r["client_days"] / total_days, 2),
                }
            )
    admin[-1]["amount_eur"] = round(admin[-1]["amount_eur"] + admin_total - sum(a["amount_eur"] for a in admin), 2)
    return sorted(direct + admin, key=lambda r: (r["municipality_atvk"], r["month_start"], r["cost_type"]))


# --- crisis services ----------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _windows(p: Participant) -> dict[str, tuple[date, date]]:
    """[start, end) of the 12 months before and after move-in, the after window cut at death."""
    after_end = _add_months(p.move_in, 12)
    if p.role == "death":
        after_end = p.exit_date
    if p.role == "prison":
        after_end = _prison_admission(p)
    return {"before": (_add_months(p.move_in, -12), p.move_in), "after": (p.move_in, after_end)}


def _partition(rng: random.Random, total: int, parts: int, low: int, high: int) -> list[int]:
    values = [max(low, min(high, total // parts)) for _ in range(parts)]
    values = [max(low, min(high, v + rng.randint(-v // 2, v // 2))) for v in values]
    return _spread(rng, values, total, low, high)


def _write_crisis(writer: DeliveryWriter, people: list[Participant], rng: random.Random) -> None:
    calls, stays, police, spells = [], [], [], []
    q = QUOTAS
    for w, window in enumerate(("before", "after")):
        # ambulance calls
        for p in rng.sample(people, q["ambulance_persons"][w]):
            start, end = _windows(p)[window]
            for _ in range(rng.choice((1, 1, 2, 3))):
                calls.append((p, start + timedelta(days=rng.randrange((end - start).days))))
        # hospital stays: whole stays inside the window, one or two per person
        chosen = rng.sample(people, q["hospital_persons"][w])
        for p, days in zip(chosen, _partition(rng, q["inpatient_days"][w], len(chosen), 2, 60)):
            start, end = _windows(p)[window]
            pieces = [days] if days < 8 or rng.random() < 0.5 else [days // 2, days - days // 2]
            span = ((end - start).days - 2) // len(pieces)
            for k, length in enumerate(pieces):
                offset = 1 + k * span + rng.randrange(max(1, span - length - 1))
                admission = start + timedelta(days=offset)
                stays.append((p, admission, admission + timedelta(days=length)))
        # police contacts
        chosen = rng.sample(people, 7 if window == "before" else 6)
        for p, count in zip(chosen, _partition(rng, q["police_contacts"][w], len(chosen), 1, 5)):
            start, end = _windows(p)[window]
            for _ in range(count):
                police.append((p, start + timedelta(days=rng.randrange((end - start).days))))
    prisoner = next(p for p in people if p.role == "prison")
    spells.append((prisoner, _prison_admission(prisoner), date(2023, 12, 15)))
    # history outside the windows (must not be counted) and people outside the pilot (must not link)
    for p in rng.sample(people, 8):
        calls.append((p, _add_months(p.move_in, -14)))
    old = next(p for p in people if p.role == "")
    spells.append((old, _add_months(old.move_in, -40), _add_months(old.move_in, -30)))
    others = [_other_person(rng, i) for i in range(15)]
    for o in others:
        calls.append((o, date(2023, 1, 1) + timedelta(days=rng.randrange(365))))
        police.append((o, date(2023, 1, 1) + timedelta(days=rng.randrange(365))))

    writer.write_csv(
        "ambulance_calls",
        CRISIS_TAG,
        _columns(
            [
                {
                    "call_id": f"NMPD-MV-{i + 1:05d}",
                    "personal_code": p.personal_code,
                    "call_date": d,
                    "municipality_atvk": p.site.atvk if p.site else "0001000",
                    "urgency": rng.choice(("critical", "urgent", "non_urgent")),
                    "outcome": rng.choice(("taken_to_hospital", "treated_on_site", "refused")),
                    "no_fixed_address": False,
                }
                for i, (p, d) in enumerate(sorted(calls, key=lambda c: c[1]))
            ]
        ),
    )
    writer.write_csv(
        "hospital_stays",
        CRISIS_TAG,
        _columns(
            [
                {
                    "hospital_stay_id": f"NVD-MV-{i + 1:05d}",
                    "personal_code": p.personal_code,
                    "hospital_code": rng.choice(("010000001", "010000002", "170000001", "250000001")),
                    "municipality_atvk": p.site.atvk,
                    "admission_date": a,
                    "discharge_date": d,
                    "emergency": rng.random() < 0.7,
                    "diagnosis_chapter": rng.choice(("V", "IX", "X", "XI", "XIX")),
                    "discharge_destination": "home",
                }
                for i, (p, a, d) in enumerate(sorted(stays, key=lambda s: s[1]))
            ]
        ),
    )
    writer.write_csv(
        "police_contacts",
        CRISIS_TAG,
        _columns(
            [
                {
                    "police_contact_id": f"VP-MV-{i + 1:05d}",
                    "personal_code": p.personal_code,
                    "contact_date": d,
                    "municipality_atvk": p.site.atvk if p.site else "0001000",
                    "contact_type": rng.choice(("detention", "sobering_up", "offence", "victim", "other")),
                }
                for i, (p, d) in enumerate(sorted(police, key=lambda c: c[1]))
            ]
        ),
    )
    writer.write_csv(
        "prison_spells",
        CRISIS_TAG,
        _columns(
            [
                {
                    "prison_spell_id": f"IVP-MV-{i + 1:04d}",
                    "personal_code": p.personal_code,
                    "institution": "Rīgas Centrālcietums",
                    "admission_date": a,
                    "release_date": r,
                    "release_housing": "unknown",
                }
                for i, (p, a, r) in enumerate(spells)
            ]
        ),
    )


@dataclass
class _Other:
    """Someone in the national registers who is not in the pilot."""

    personal_code: str
    site: Site | None = None
    role: str = "other"
    exit_date: date | None = None


def _other_person(rng: random.Random, i: int) -> _Other:
    birth = date(rng.randint(1950, 1995), rng.randint(1, 12), rng.randint(1, 28))
    return _Other(make_old_code(birth, 900 + i), SITES[i % 3])
