"""The community-scale case: 30 posts, 3 shifts, 200 volunteers, 14 days, built from the
synthetic population (volunteers, their skills and the checkpoints of real compounds)."""

from __future__ import annotations

import random

from linli.domain.rostering.community import Need, Person, Problem, Request, Rules, Slot
from linli.domain.synth import generate_community

COMMUNITY = "510107005002"  # 玉林东路社区
SKILL = "temperature_screening"
SLOTS = (
    Slot("M", 8 * 60, 16 * 60, "早班"),
    Slot("E", 16 * 60, 0, "中班"),
    Slot("N", 0, 8 * 60, "夜班"),
)


def community_case(
    *, posts: int = 30, volunteers: int = 200, days: int = 14, seed: int = 1
) -> Problem:
    """Every post needs one person on the morning and evening shifts and would like two
    at its ten busiest gates; the ten main gates are also held at night; the five busiest
    want one person trained in temperature screening each morning. Volunteers give days
    they cannot work (one in ten, 1–3 days) and shift wishes (weights 1–3)."""
    rng = random.Random(seed)
    population = generate_community(COMMUNITY, population=16000, seed=seed)
    active = [v for v in population.volunteers if v[-1] == "active"][:volunteers]
    if len(active) < volunteers:
        raise ValueError(f"the synthetic community has only {len(active)} active volunteers")
    gates = [c[0] for c in population.checkpoints]
    compounds = sorted({v[5] for v in population.volunteers})
    names = gates + [f"{c}K{k}" for k in range(4) for c in compounds]
    post_ids = list(dict.fromkeys(names))[:posts]
    needs = []
    for i, post in enumerate(post_ids):
        for day in range(days):
            for slot in ("M", "E"):
                needs.append(Need(post, day, slot, 1, 2 if i < 10 else 1))
            if i < 10:
                needs.append(Need(post, day, "N", 1, 1))
            if i < 5:
                needs.append(Need(post, day, "M", 1, 1, SKILL))
    people = []
    requests = []
    for v in active:
        vid = str(v[0])
        off = (
            frozenset(rng.sample(range(days), rng.randint(1, 3)))
            if rng.random() < 0.1
            else frozenset()
        )
        people.append(Person(vid, frozenset(s for s in v[7].split("|") if s), off))
        for _ in range(2):
            day = rng.randrange(days)
            if day in off:
                continue
            wants = rng.random() < 0.4
            slot = rng.choice(["", "M", "E", "N"]) if not wants else rng.choice(["M", "E"])
            requests.append(Request(vid, day, wants, rng.randint(1, 3), slot))
    return Problem(
        days=days,
        slots=SLOTS,
        needs=tuple(needs),
        people=tuple(people),
        rules=Rules(forbidden=(("N", "M"),)),
        requests=tuple(_one_per_day(requests)),
    )


def _one_per_day(requests: list[Request]) -> list[Request]:
    seen: set[tuple[str, int]] = set()
    kept = []
    for r in requests:
        if (r.person, r.day) not in seen:
            seen.add((r.person, r.day))
            kept.append(r)
    return kept
