"""The register of shelter providers: which municipality offers which service, with beds.

Rīga has several providers of every type; state cities a night shelter, a shelter and a
crisis centre; counties a shelter or short-stay accommodation, some a crisis centre.
Shelter stays draw their provider ids from this register.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geography import Geography

SERVICE_TYPES = ("night_shelter", "shelter", "crisis_centre", "short_stay")
_NAMES = {
    "night_shelter": "naktspatversme",
    "shelter": "patversme",
    "crisis_centre": "krīzes centrs",
    "short_stay": "īslaicīgās uzturēšanās mītne",
}
_OPERATORS = (
    "Pašvaldības",
    'Biedrības "Patvērums"',
    'Labdarības biedrības "Siltums"',
    'Nodibinājuma "Otrā iespēja"',
    "Sociālā dienesta",
)


@dataclass
class Providers:
    provider_id: np.ndarray
    name: np.ndarray
    muni: np.ndarray  # municipality index
    service: np.ndarray  # English service type
    beds: np.ndarray
    registered_from: np.ndarray  # datetime64[D]

    def __len__(self) -> int:
        return self.provider_id.size

    def available(self, muni: int) -> list[str]:
        return sorted(set(self.service[self.muni == muni].tolist()), key=SERVICE_TYPES.index)

    def typed(self) -> dict[str, np.ndarray]:
        return {
            "provider_id": self.provider_id,
            "provider_name": self.name,
            "municipality_atvk": None,
            "service_type": self.service,
            "beds": self.beds,
            "registered_from": self.registered_from,
        }


def build_providers(geo: Geography, first_year: int, rng: np.random.Generator) -> Providers:
    rows: list[tuple[int, str, int]] = []
    for m in range(geo.atvk.size):
        if m == geo.riga:
            plan = {"night_shelter": 3, "shelter": 3, "crisis_centre": 2, "short_stay": 2}
        elif geo.kinds[m] == "state_city":
            plan = {"night_shelter": 1, "shelter": 1, "crisis_centre": 1}
        else:
            plan = {str(rng.choice(["shelter", "short_stay"], p=[0.6, 0.4])): 1}
            if rng.random() < 0.35:
                plan["crisis_centre"] = 1
        for service, count in plan.items():
            for _ in range(count):
                base = {"night_shelter": 60, "shelter": 45, "crisis_centre": 20, "short_stay": 15}[service]
                size = 3.0 if m == geo.riga else (1.3 if geo.kinds[m] == "state_city" else 0.5)
                rows.append((m, service, max(4, int(base * size * rng.uniform(0.6, 1.4)))))
    n = len(rows)
    muni = np.array([r[0] for r in rows], dtype=np.int16)
    service = np.array([r[1] for r in rows])
    ids = np.array([f"SP{geo.atvk[m][-7:]}{k:03d}" for k, m in enumerate(muni.tolist(), start=1)])
    names = np.array(
        [
            f"{_OPERATORS[int(rng.integers(len(_OPERATORS)))]} {_NAMES[s]} ({geo.names[m]})"
            for m, s in zip(muni.tolist(), service.tolist())
        ]
    )
    days = rng.integers(0, 365 * 12, size=n)
    registered = np.datetime64(f"{first_year}-01-01") - 1 - days.astype("timedelta64[D]")
    return Providers(ids, names, muni, service, np.array([r[2] for r in rows]), registered)


def provider_frame(providers: Providers, geo: Geography) -> dict[str, np.ndarray]:
    typed = providers.typed()
    typed["municipality_atvk"] = geo.atvk[providers.muni]
    return typed
