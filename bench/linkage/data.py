"""Synthetic department lists with known duplicates, deterministic by seed.

People come from ``linli.domain.synth`` (fake residents of real Chengdu
communities). About 10 % of people are registered more than once (2 or 3 times;
mostly by different departments, sometimes twice by the same one), and every extra
registration carries realistic slips: a typed wrong character, a homophone or the
traditional form in the name; one wrong digit, two swapped digits, a dropped digit
or no ID number at all; a changed or missing phone; no birth date column or a
slipped date; the address written another way. ``truth[k]`` is the person behind
record ``k``.
"""

from __future__ import annotations

import numpy as np
import opencc
from pypinyin import lazy_pinyin

from linli.domain.idcard import check_char
from linli.domain.linkage import Records
from linli.domain.synth import communities_for_scale, generate_community
from linli.domain.synth import names as pools

SOURCES = ("民政", "残联", "卫健")
DUPLICATE_SHARE = 0.10
# Commonly confused same-sound characters added to the synth name pools.
EXTRA = (
    "玮炜维薇蔷君均蕾垒扬杨永泳洁捷韬铭鸣钢萍晖菲欣新馨彬雨语玉剑骏凡琳霖晓小"
    "智雯锋诚冬婧莉燕辰章理留晨皇武舟许王汪黄皇徐许余于鱼俞虞"
)
ERRORS = {  # per extra registration, each slip independently
    "name_typo": 0.08,
    "name_homophone": 0.15,
    "name_traditional": 0.10,
    "id_missing": 0.20,
    "id_digit": 0.10,
    "id_swap": 0.08,
    "id_drop": 0.03,
    "phone_changed": 0.20,
    "phone_missing": 0.10,
    "birth_missing": 0.15,
    "birth_slip": 0.03,
    "sex_missing": 0.20,
    "address_variant": 0.30,
    "address_moved": 0.03,
}


def _homophones() -> dict[str, list[str]]:
    chars = set(pools.SURNAMES + pools.GIVEN_MALE + pools.GIVEN_FEMALE + pools.GIVEN_ANY + EXTRA)
    by_sound: dict[str, list[str]] = {}
    for char in sorted(chars):
        by_sound.setdefault(lazy_pinyin(char)[0], []).append(char)
    return {
        c: [o for o in group if o != c]
        for group in by_sound.values()
        for c in group
        if len(group) > 1
    }


def _unique_id(number: str, taken: set[str]) -> str:
    """The synth draws sequence numbers at random, so two people can share an ID number;
    real ones never do: move the later one to a free sequence number (same sex)."""
    if not number or number not in taken:
        return number
    sex = int(number[16]) % 2
    for sequence in range(sex, 1000, 2):
        first17 = f"{number[:14]}{sequence:03d}"
        candidate = first17 + check_char(first17)
        if candidate not in taken:
            return candidate
    return ""


def people(count: int, seed: int) -> list[tuple]:
    """``count`` synthetic residents: (name, id, sex, birth, phone, address)."""
    out: list[tuple] = []
    taken: set[str] = set()
    for plan in communities_for_scale("city", seed):
        population = generate_community(plan.code, population=plan.population, seed=seed)
        address = {h[0]: h[4] for h in population.households}
        for r in population.residents:
            number = _unique_id(r[3], taken)
            taken.add(number)
            out.append((r[2], number, r[4], r[5], r[6], address[r[1]]))
            if len(out) == count:
                return out
    raise ValueError(f"the synthetic city has fewer than {count} people")


class _Slips:
    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.homophones = _homophones()
        self.to_traditional = opencc.OpenCC("s2t")
        self.typo_pool = list(pools.GIVEN_MALE + pools.GIVEN_FEMALE + pools.GIVEN_ANY)

    def pick(self, values):
        return values[int(self.rng.integers(len(values)))]

    def name(self, name: str, kind: str) -> str:
        if kind == "name_traditional":
            changed = self.to_traditional.convert(name)
            if changed != name:
                return changed
            kind = "name_homophone"
        if kind == "name_homophone":
            spots = [k for k, c in enumerate(name) if c in self.homophones]
            if spots:
                k = self.pick(spots)
                return name[:k] + self.pick(self.homophones[name[k]]) + name[k + 1 :]
        k = int(self.rng.integers(1, len(name))) if len(name) > 1 else 0
        return name[:k] + self.pick(self.typo_pool) + name[k + 1 :]

    def id_number(self, number: str, kind: str) -> str:
        if not number:
            return number
        k = int(self.rng.integers(0, 17))
        if kind == "id_digit":
            digit = str((int(number[k]) + int(self.rng.integers(1, 10))) % 10)
            return number[:k] + digit + number[k + 1 :]
        if kind == "id_swap":
            k = min(k, 15)
            while number[k] == number[k + 1] and k > 0:
                k -= 1
            return number[:k] + number[k + 1] + number[k] + number[k + 2 :]
        return number[:k] + number[k + 1 :]  # id_drop

    def phone(self, phone: str) -> str:
        return phone[:3] + f"{int(self.rng.integers(0, 10**8)):08d}" if phone else phone

    def birth(self, birth: str) -> str:
        y, m, d = birth.split("-")
        if int(d) <= 12 and d != m:
            return f"{y}-{d}-{m}"
        k = int(self.rng.integers(8, 10))
        return birth[:k] + str((int(birth[k]) + 1) % 10) + birth[k + 1 :]

    def address(self, address: str) -> str:
        variant = int(self.rng.integers(0, 3))
        if variant == 0:
            return address.replace("栋", "号楼", 1)
        if variant == 1:
            return "成都市" + address
        return address.replace("单元", "-", 1).replace("栋", "-", 1)


def registrations(total: int, *, seed: int = 1) -> tuple[Records, np.ndarray]:
    """``total`` registrations from three departments and the person behind each."""
    rng = np.random.default_rng([seed, 4])
    count = int(total / (1 + DUPLICATE_SHARE * 1.2) * 1.01) + 16
    crowd = people(count, seed)
    copies = np.ones(count, dtype=np.int64)
    dup = rng.random(count) < DUPLICATE_SHARE
    copies[dup] = 2 + (rng.random(int(dup.sum())) < 0.2)
    person = np.repeat(np.arange(count), copies)[:total]
    first = np.r_[True, person[1:] != person[:-1]]
    slips = _Slips(rng)
    cols: dict[str, list[str]] = {
        k: [] for k in ("name", "id", "birth", "sex", "phone", "addr", "src")
    }
    source_of_person = rng.integers(0, 3, count)
    for k, p in enumerate(person.tolist()):
        name, number, sex, birth, phone, address = crowd[p]
        source = int(source_of_person[p])
        if not first[k]:
            same_source = rng.random() < 0.15
            source = source if same_source else (source + int(rng.integers(1, 3))) % 3
            draw = rng.random(len(ERRORS))
            hit = {kind for kind, r in zip(ERRORS, draw, strict=True) if r < ERRORS[kind]}
            for kind in ("name_typo", "name_homophone", "name_traditional"):
                if kind in hit:
                    name = slips.name(name, kind)
            for kind in ("id_digit", "id_swap", "id_drop"):
                if kind in hit:
                    number = slips.id_number(number, kind)
            if "id_missing" in hit:
                number = ""
            if "phone_changed" in hit:
                phone = slips.phone(phone)
            if "phone_missing" in hit:
                phone = ""
            if "birth_slip" in hit:
                birth = slips.birth(birth)
            if "birth_missing" in hit:
                birth = ""
            if "sex_missing" in hit:
                sex = ""
            if "address_variant" in hit:
                address = slips.address(address)
            if "address_moved" in hit:
                address = crowd[int(rng.integers(0, count))][5]
        cols["name"].append(name)
        cols["id"].append(number)
        cols["birth"].append(birth)
        cols["sex"].append(sex)
        cols["phone"].append(phone)
        cols["addr"].append(address)
        cols["src"].append(SOURCES[source])
    # Shuffle so duplicates are not neighbours (as in real lists).
    order = rng.permutation(len(person))
    pick = [order.tolist()]

    def shuffled(values: list) -> list:
        return [values[k] for k in pick[0]]

    records = Records(
        key=list(range(len(person))),
        name=shuffled(cols["name"]),
        id_number=shuffled(cols["id"]),
        birth=shuffled(cols["birth"]),
        sex=shuffled(cols["sex"]),
        phone=shuffled(cols["phone"]),
        address=shuffled(cols["addr"]),
        source=shuffled(cols["src"]),
    )
    return records, person[order]
