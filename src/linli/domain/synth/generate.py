"""Deterministic synthetic population of a community (fake people that look real).

``generate_community(code, population=N, seed=S)`` returns every table of one
community; the same code and seed always give the same rows, whatever else is
generated. Ages follow Chengdu's 2020 census (0–14 13.28 %, 15–59 68.74 %, 60+
17.98 %), family households average about 2.49 people, and about 1 % of people
are vulnerable (wards), which gives the planning figure of about 200,000 wards
for the city. Vectorised with numpy so the city (21 million people) is minutes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from . import names

REFERENCE_DATE = dt.date(2026, 1, 1)  # ages are counted at this date, not "today": reproducible
_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_CHECK = np.array(list("10X98765432"))
OTHER_AREAS = np.array(
    ["511002", "510722", "511324", "513401", "500101", "420106", "510304", "511621"]
)
PHONE_PREFIXES = np.array(
    [
        "130",
        "131",
        "133",
        "135",
        "136",
        "137",
        "138",
        "139",
        "150",
        "151",
        "152",
        "157",
        "158",
        "159",
        "166",
        "173",
        "177",
        "180",
        "181",
        "182",
        "183",
        "186",
        "187",
        "188",
        "189",
        "191",
        "199",
    ]
)
SKILLS = (
    "nursing",
    "medical",
    "psychological",
    "child_care",
    "driving",
    "dialect_sichuan",
    "temperature_screening",
)
TABLES = (
    "places",
    "households",
    "residents",
    "vulnerabilities",
    "wards",
    "volunteers",
    "checkpoints",
)


@dataclass
class CommunityPopulation:
    code: str
    places: list[tuple] = field(default_factory=list)
    households: list[tuple] = field(default_factory=list)
    residents: list[tuple] = field(default_factory=list)
    vulnerabilities: list[tuple] = field(default_factory=list)
    wards: list[tuple] = field(default_factory=list)
    volunteers: list[tuple] = field(default_factory=list)
    checkpoints: list[tuple] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {t: len(getattr(self, t)) for t in TABLES}


def _rng(seed: int, code: str, salt: int = 0) -> np.random.Generator:
    return np.random.default_rng([seed, int(code), salt])


# Household sizes (family households) with mean ≈ 2.49.
SIZES = np.array([1, 2, 3, 4, 5, 6])
SIZE_P = np.array([0.27, 0.30, 0.23, 0.12, 0.05, 0.03])


def _household_sizes(rng: np.random.Generator, population: int) -> np.ndarray:
    sizes = rng.choice(SIZES, size=int(population / 2.2) + 32, p=SIZE_P)
    total = np.cumsum(sizes)
    n = int(np.searchsorted(total, population)) + 1
    sizes = sizes[:n].copy()
    sizes[-1] -= int(total[n - 1] - population)
    if sizes[-1] <= 0:
        sizes = sizes[:-1]
    return sizes


def _ages_for(
    rng: np.random.Generator, sizes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Age, sex and relation code of every member, household by household.

    Relation codes: 0 户主, 1 配偶, 2 子女, 3 父母, 4 孙子女, 5 兄弟姐妹.
    Compositions: singles (young or elderly), couples (young or elderly), a
    grandparent raising a grandchild (left-behind), parents with children, and
    three generations.
    """
    ages_out = []
    for size in range(1, 7):
        hh = np.flatnonzero(sizes == size)
        m = len(hh)
        if m == 0:
            continue
        ages = np.zeros((m, size), dtype=np.int32)
        rel = np.zeros((m, size), dtype=np.int8)
        head = rng.integers(22, 60, m)
        kind = rng.random(m)
        if size == 1:
            old = kind < 0.28
            ages[:, 0] = np.where(old, rng.integers(60, 96, m), rng.integers(19, 60, m))
        elif size == 2:
            elderly_couple = kind < 0.22
            young_couple = (kind >= 0.22) & (kind < 0.84)
            grand = (kind >= 0.84) & (kind < 0.89)
            ages[:, 0] = np.where(elderly_couple | grand, rng.integers(60, 90, m), head)
            ages[:, 1] = np.where(
                grand,
                rng.integers(2, 15, m),
                np.where(
                    elderly_couple | young_couple,
                    np.clip(ages[:, 0] + rng.integers(-4, 4, m), 18, 99),
                    np.clip(ages[:, 0] - rng.integers(22, 34, m), 0, 40),
                ),
            )
            rel[:, 1] = np.where(grand, 4, np.where(elderly_couple | young_couple, 1, 2))
        else:
            three_gen = kind < (0.08 if size == 3 else 0.22 if size == 4 else 0.85)
            grand_only = (size == 3) & (kind >= 0.08) & (kind < 0.12)
            ages[:, 0] = np.where(grand_only, rng.integers(58, 85, m), rng.integers(29, 56, m))
            ages[:, 1] = np.clip(ages[:, 0] + rng.integers(-4, 4, m), 20, 99)
            rel[:, 1] = 1
            for j in range(2, size):
                child = np.clip(ages[:, 0] - rng.integers(22, 36, m), 0, 40)
                grandchild_age = rng.integers(1, 15, m)
                parent = np.clip(ages[:, 0] + rng.integers(24, 32, m), 60, 99)
                is_parent = three_gen & (j >= size - 2) & (size >= 4)
                if size == 3:
                    is_parent = three_gen & (j == 2)
                ages[:, j] = np.where(
                    grand_only, grandchild_age, np.where(is_parent, parent, child)
                )
                rel[:, j] = np.where(grand_only, 4, np.where(is_parent, 3, 2))
        sex = rng.random((m, size)) < 0.5026
        # couples: one man and one woman
        couple = rel[:, 1] == 1 if size > 1 else np.zeros(m, dtype=bool)
        if size > 1:
            sex[couple, 1] = ~sex[couple, 0]
        ages_out.append((hh, ages, sex, rel))
    # interleave back into household order
    n_people = int(sizes.sum())
    age = np.zeros(n_people, dtype=np.int32)
    sex = np.zeros(n_people, dtype=bool)
    rel = np.zeros(n_people, dtype=np.int8)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    for hh, ages, sexes, rels in ages_out:
        size = ages.shape[1]
        idx = (starts[hh][:, None] + np.arange(size)[None, :]).ravel()
        age[idx] = ages.ravel()
        sex[idx] = sexes.ravel()
        rel[idx] = rels.ravel()
    return age, sex, rel


RELATIONS = np.array(["户主", "配偶", "子女", "父母", "孙子女", "兄弟姐妹"])


def _names(rng: np.random.Generator, sex: np.ndarray, household_of: np.ndarray) -> list[str]:
    n = len(sex)
    weights = np.array(names.SURNAME_WEIGHTS) / sum(names.SURNAME_WEIGHTS)
    surnames = np.array(list(names.SURNAMES))
    family = rng.choice(surnames, size=int(household_of.max()) + 1 if n else 0, p=weights)
    own = rng.choice(surnames, size=n, p=weights)
    surname = np.where(rng.random(n) < 0.6, family[household_of] if n else own, own)
    male = np.array(list(names.GIVEN_MALE))
    female = np.array(list(names.GIVEN_FEMALE))
    anyc = np.array(list(names.GIVEN_ANY))
    first = np.where(sex, rng.choice(male, n), rng.choice(female, n))
    second_pool = np.where(
        rng.random(n) < 0.5,
        rng.choice(anyc, n),
        np.where(sex, rng.choice(male, n), rng.choice(female, n)),
    )
    two = rng.random(n) < 0.7
    return [
        s + (a + b if t else b)
        for s, a, b, t in zip(
            surname.tolist(), second_pool.tolist(), first.tolist(), two.tolist(), strict=True
        )
    ]


def _id_numbers(
    rng: np.random.Generator, area: str, birth: np.ndarray, sex: np.ndarray
) -> list[str]:
    """Valid GB 11643 numbers: area code, birth date, sequence with the sex's parity, check character."""
    n = len(sex)
    areas = np.where(rng.random(n) < 0.95, area, rng.choice(OTHER_AREAS, n)).astype(np.int64)
    ymd = (birth.astype("datetime64[Y]").astype(int) + 1970) * 10000
    months = birth.astype("datetime64[M]").astype(int) % 12 + 1
    days = (birth - birth.astype("datetime64[M]")).astype(int) + 1
    ymd = ymd + months * 100 + days
    seq = rng.integers(0, 500, n) * 2 + sex.astype(np.int64)
    first17 = areas * 10**11 + ymd.astype(np.int64) * 1000 + seq
    digits = (first17[:, None] // (10 ** np.arange(16, -1, -1, dtype=np.int64))[None, :]) % 10
    check = _CHECK[(digits @ _WEIGHTS) % 11]
    return [f"{a:017d}{c}" for a, c in zip(first17.tolist(), check.tolist(), strict=True)]


def _phones(rng: np.random.Generator, n: int) -> list[str]:
    prefix = rng.choice(PHONE_PREFIXES, n)
    rest = rng.integers(0, 10**8, n)
    return [f"{p}{r:08d}" for p, r in zip(prefix.tolist(), rest.tolist(), strict=True)]


def _community_centre(code: str) -> tuple[float, float]:
    """A plausible planar position (metres) for a community: districts apart, communities spread."""
    district = int(code[4:6])
    street = int(code[6:9])
    community = int(code[9:12])
    return (district % 10) * 30_000.0 + (street % 20) * 1_500.0 + (community % 10) * 600.0, (
        district // 10
    ) * 30_000.0 + (street // 20) * 1_500.0 + (community // 10 % 20) * 600.0


def generate_community(code: str, *, population: int, seed: int = 1) -> CommunityPopulation:
    """Every table of one community's synthetic population."""
    rng = _rng(seed, code)
    out = CommunityPopulation(code)
    village = 200 <= int(code[9:12]) < 400
    sizes = _household_sizes(rng, max(population, 1))
    n_households = len(sizes)
    age, male, rel = _ages_for(rng, sizes)
    n = len(age)
    household_of = np.repeat(np.arange(n_households), sizes)

    # Places: grids, compounds (小区 / 村民小组), buildings.
    cx, cy = _community_centre(code)
    per_building = 6 if village else 60
    n_buildings = max(1, int(np.ceil(n_households / per_building)))
    n_compounds = max(2, int(np.ceil(n_buildings / (4 if village else 8))))
    n_grids = max(1, int(np.ceil(n_compounds / 4)))
    compound_codes, compound_xy = [], []
    for g in range(n_grids):
        grid_code = f"{code}{g + 1:02d}"
        out.places.append((grid_code, f"第{g + 1}网格", "grid", code, None, None))
        for c in range(int(np.ceil(n_compounds / n_grids))):
            if len(compound_codes) >= n_compounds:
                break
            compound_code = f"{grid_code}{c + 1:02d}"
            x, y = cx + rng.uniform(-900, 900), cy + rng.uniform(-900, 900)
            if village:
                name = f"{names.VILLAGE_GROUPS[len(compound_codes) % 10]}组"
                if len(compound_codes) >= 10:
                    name = f"{len(compound_codes) + 1}组"
            else:
                name = rng.choice(names.COMPOUND_PREFIX) + rng.choice(names.COMPOUND_SUFFIX)
                if len(compound_codes) >= 6:
                    name += f"{len(compound_codes) // 6 + 1}期"
            out.places.append(
                (compound_code, str(name), "compound", grid_code, round(x, 1), round(y, 1))
            )
            compound_codes.append(compound_code)
            compound_xy.append((x, y))
    building_compound = np.arange(n_buildings) % len(compound_codes)
    building_codes = []
    for b in range(n_buildings):
        ci = int(building_compound[b])
        bx, by = (
            compound_xy[ci][0] + rng.uniform(-60, 60),
            compound_xy[ci][1] + rng.uniform(-60, 60),
        )
        number = int((building_compound[:b] == ci).sum()) + 1
        bcode = f"{compound_codes[ci]}{number:03d}"
        building_codes.append(bcode)
        out.places.append(
            (
                bcode,
                f"{number}栋" if not village else f"{number}号院",
                "building",
                compound_codes[ci],
                round(bx, 1),
                round(by, 1),
            )
        )
    household_building = np.arange(n_households) % n_buildings
    compound_names = {p[0]: p[1] for p in out.places if p[2] == "compound"}
    for h in range(n_households):
        b = int(household_building[h])
        slot = h // n_buildings
        unit = slot % 4 + 1 if not village else 1
        floor, index = slot // 8 + 1, slot % 2 + 1
        room = f"{floor}{index:02d}" if not village else f"{slot + 1}"
        bcode = building_codes[b]
        hcode = f"{bcode}{unit}{slot % 1000:03d}"
        compound_name = compound_names[bcode[:16]]
        address = (
            f"{compound_name}{int(bcode[-3:])}栋{unit}单元{room}"
            if not village
            else f"{compound_name}{room}号"
        )
        out.households.append((hcode, bcode, f"{unit}单元" if not village else "", room, address))

    # People.
    ref = np.datetime64(REFERENCE_DATE.isoformat())
    birth = ref - (age.astype(np.int64) * 365 + rng.integers(0, 365, n)).astype("timedelta64[D]")
    names_ = _names(rng, male, household_of)
    ids = _id_numbers(rng, code[:6], birth, male)
    no_id = (rng.random(n) < 0.004) | ((age == 0) & (rng.random(n) < 0.5))
    phones = _phones(rng, n)
    has_phone = (age >= 12) & (rng.random(n) < 0.97)
    resident_base = int(code) * 100_000  # ids unique across communities
    household_codes = [h[0] for h in out.households]
    birth_iso = birth.astype(str).tolist()
    for i in range(n):
        out.residents.append(
            (
                resident_base + i,
                household_codes[household_of[i]],
                names_[i],
                "" if no_id[i] else ids[i],
                "M" if male[i] else "F",
                birth_iso[i],
                phones[i] if has_phone[i] else "",
                str(RELATIONS[rel[i]]),
            )
        )

    _vulnerable(rng, out, age, male, rel, sizes, household_of, resident_base, village)
    _volunteers(
        rng,
        out,
        age,
        male,
        household_of,
        household_building,
        building_codes,
        names_,
        phones,
        resident_base,
        compound_codes,
        code,
        n,
    )
    gates = max(1, round(len(compound_codes) * (0.12 if village else 0.09)))
    for k, ci in enumerate(
        rng.choice(len(compound_codes), size=min(gates, len(compound_codes)), replace=False)
    ):
        ccode = compound_codes[int(ci)]
        x, y = compound_xy[int(ci)]
        out.checkpoints.append(
            (
                f"{ccode}K{k % 10}",
                f"{compound_names[ccode]}{'东南西北'[k % 4]}门卡口",
                ccode,
                round(x + 40, 1),
                round(y, 1),
            )
        )
    return out


def _vulnerable(rng, out, age, male, rel, sizes, household_of, base, village) -> None:
    n = len(age)
    hh_size = sizes[household_of]
    adults_in_hh = np.bincount(household_of, weights=((age >= 18) & (age < 58)).astype(float))[
        household_of
    ]
    cats: dict[str, np.ndarray] = {}
    cats["elderly_alone"] = (
        (hh_size == 1) & (age >= 60) & (rng.random(n) < 0.06 + 0.003 * np.clip(age - 60, 0, 40))
    )
    disabled = rng.random(n) < 0.0012 * (1 + (age >= 60) * 1.5)
    cats["disabled_no_carer"] = disabled
    left = (age < 16) & (adults_in_hh == 0) & (rng.random(n) < (0.45 if village else 0.12))
    cats["left_behind_child"] = left
    cats["de_facto_orphan"] = (age < 18) & (rng.random(n) < 0.0005)
    cats["subsistence"] = rng.random(n) < 0.0013 * (1 + (age >= 60))
    cats["chronic_medicine"] = (age >= 50) & (rng.random(n) < 0.003)
    cats["pregnant"] = ~male & (age >= 22) & (age <= 40) & (rng.random(n) < 0.0025)
    cats["home_quarantine"] = rng.random(n) < 0.0001
    sources = {
        "elderly_alone": "civil_affairs",
        "disabled_no_carer": "disabled_federation",
        "left_behind_child": "civil_affairs",
        "de_facto_orphan": "civil_affairs",
        "subsistence": "civil_affairs",
        "chronic_medicine": "health",
        "pregnant": "health",
        "home_quarantine": "street_office",
    }
    dtype = np.array(
        ["visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"]
    )
    dtype_p = np.array([0.14, 0.2, 0.03, 0.32, 0.08, 0.13, 0.10])
    d_type = rng.choice(dtype, n, p=dtype_p)
    d_grade = rng.choice(np.array([1, 2, 3, 4]), n, p=[0.15, 0.25, 0.3, 0.3])
    start_days = rng.integers(30, 3000, n)
    ward = np.zeros(n, dtype=bool)
    for cat, mask in cats.items():
        for i in np.flatnonzero(mask).tolist():
            start = (REFERENCE_DATE - dt.timedelta(days=int(start_days[i]))).isoformat()
            disabled_row = cat == "disabled_no_carer"
            out.vulnerabilities.append(
                (
                    base + i,
                    cat,
                    start,
                    sources[cat],
                    str(d_type[i]) if disabled_row else "",
                    int(d_grade[i]) if disabled_row else None,
                )
            )
        ward |= mask
    for i in np.flatnonzero(ward).tolist():
        needs = []
        high = False
        if cats["elderly_alone"][i] or cats["disabled_no_carer"][i]:
            needs.append("meals")
        if cats["chronic_medicine"][i] or age[i] >= 75:
            needs.append("medicine")
        if cats["disabled_no_carer"][i]:
            if d_type[i] in ("hearing", "speech"):
                needs.append("sign_language")
            if d_type[i] in ("physical", "multiple", "visual"):
                needs.append("mobility_help")
            high = d_grade[i] <= 2
        if cats["left_behind_child"][i] or cats["de_facto_orphan"][i]:
            needs.append("child_care")
            high = high or cats["de_facto_orphan"][i] or age[i] < 6
        if cats["home_quarantine"][i]:
            needs.append("daily_supplies")
        if age[i] >= 80 and cats["elderly_alone"][i]:
            high = True
        low = (
            not high
            and (cats["pregnant"][i] or cats["subsistence"][i])
            and not cats["elderly_alone"][i]
        )
        risk = "high" if high else ("low" if low else "medium")
        out.wards.append((base + i, risk, "|".join(needs)))


def _volunteers(
    rng,
    out,
    age,
    male,
    household_of,
    household_building,
    building_codes,
    names_,
    phones,
    base,
    compound_codes,
    code,
    n,
) -> None:
    count = max(2, round(n * 98 / 6900))
    candidates = np.flatnonzero((age >= 18) & (age <= 66))
    from_residents = min(len(candidates), int(count * 0.9))
    chosen = (
        rng.choice(candidates, size=from_residents, replace=False)
        if from_residents
        else np.array([], int)
    )
    district = code[:6]
    orgs = [
        f"{w}{k}"
        for w, k in zip(names.ORG_WORDS[int(district[-2:]) % 3 :: 3], names.ORG_KINDS, strict=False)
    ]
    statuses = np.array(["active", "resting", "quarantined", "sick", "withdrawn"])
    total = from_residents + (count - from_residents)
    skill_p = {
        "nursing": 0.08,
        "medical": 0.04,
        "psychological": 0.04,
        "child_care": 0.12,
        "driving": 0.25,
        "dialect_sichuan": 0.5,
        "temperature_screening": 0.3,
    }
    signer = rng.random(total) < 0.04
    vetted = rng.random(total) < 0.4
    status = rng.choice(statuses, total, p=[0.92, 0.03, 0.02, 0.01, 0.02])
    capacity = rng.choice(np.array([2, 3, 3, 3, 4]), total)
    for k in range(total):
        if k < from_residents:
            person = int(chosen[k])
            building = building_codes[int(household_building[household_of[person]])]
            resident_id, name, phone, sex = (
                base + person,
                names_[person],
                phones[person],
                "M" if male[person] else "F",
            )
        else:
            building = building_codes[int(rng.integers(0, len(building_codes)))]
            sex = "M" if rng.random() < 0.5 else "F"
            resident_id, name = (
                "",
                str(rng.choice(list(names.SURNAMES[:40]))) + str(rng.choice(list(names.GIVEN_ANY))),
            )
            phone = _phones(rng, 1)[0]
        compound = building[:16]
        passes = ""
        if rng.random() < 0.06 and len(compound_codes) > 1:
            passes = str(rng.choice([c for c in compound_codes if c != compound]))
        skills = [s for s, p in skill_p.items() if rng.random() < p]
        if signer[k]:
            skills.insert(0, "sign_language")
        organisation = str(rng.choice(orgs)) if rng.random() < 0.2 and orgs else ""
        out.volunteers.append(
            (
                int(code) * 1000 + k,
                resident_id,
                name,
                phone,
                sex,
                compound,
                passes,
                "|".join(skills),
                int(bool(vetted[k])),
                int(capacity[k]),
                int(capacity[k]),
                organisation,
                str(status[k]),
            )
        )
