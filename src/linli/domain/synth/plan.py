"""Which communities a scale covers, and how many people live in each.

Population per district is the 2020 census figure, split across the district's
communities with some spread (villages smaller than urban communities), so the
city sums to the census total of 20,937,757.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[2] / "places" / "data" / "chengdu"
DEMO_DISTRICT = "510107"  # 武侯区
DEMO_STREETS = ("510107005", "510107004", "510107001")  # 玉林, 望江路, 浆洗街
DEMO_FACTOR = 0.1  # the demo loads in seconds
SCALES = ("demo", "street", "district", "city")


@dataclass(frozen=True)
class CommunityPlan:
    code: str
    name: str
    population: int


def _communities() -> list[tuple[str, str, str]]:
    with (DATA / "communities.csv").open(encoding="utf-8") as handle:
        return [(r["code"], r["name"], r["street_code"]) for r in csv.DictReader(handle)]


def _district_population() -> dict[str, int]:
    with (DATA / "population_2020.csv").open(encoding="utf-8") as handle:
        return {r["district_code"]: int(r["population"]) for r in csv.DictReader(handle)}


def city_plan(seed: int = 1) -> list[CommunityPlan]:
    """Every community of Chengdu with its population; sums to the census total."""
    rng = np.random.default_rng([seed, 5101])
    communities = _communities()
    population = _district_population()
    plans = []
    for district, total in population.items():
        mine = [c for c in communities if c[0].startswith(district)]
        village = np.array([200 <= int(c[0][9:12]) < 400 for c in mine])
        weight = rng.lognormal(0.0, 0.3, len(mine)) * np.where(village, 0.55, 1.0)
        shares = np.floor(weight / weight.sum() * total).astype(int)
        shares[: total - shares.sum()] += 1
        plans += [CommunityPlan(c[0], c[1], int(p)) for c, p in zip(mine, shares, strict=True)]
    return plans


def communities_for_scale(scale: str, seed: int = 1) -> list[CommunityPlan]:
    """demo: three streets of 武侯区 at a tenth of their population; street: 玉林街道; district:
    武侯区; city: all 3,047 communities at full population."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}, got {scale!r}")
    plans = city_plan(seed)
    if scale == "city":
        return plans
    if scale == "district":
        return [p for p in plans if p.code.startswith(DEMO_DISTRICT)]
    if scale == "street":
        return [p for p in plans if p.code.startswith(DEMO_STREETS[0])]
    return [
        CommunityPlan(p.code, p.name, max(50, int(p.population * DEMO_FACTOR)))
        for p in plans
        if p.code[:9] in DEMO_STREETS
    ]
