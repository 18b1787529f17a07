"""The linkage engine on a synthetic community with planted duplicates (no database)."""

from __future__ import annotations

import pytest
from opencc import OpenCC

from linli.domain.linkage import Records, link, review_pairs
from linli.domain.linkage.compare import id_edit_kind
from linli.domain.synth import generate_community

COMMUNITY = "510107005002"


@pytest.fixture(scope="module")
def residents() -> list[dict]:
    population = generate_community(COMMUNITY, population=3000, seed=7)
    address = {h[0]: h[4] for h in population.households}
    return [
        {
            "key": f"r{r[0]}",
            "name": r[2],
            "id_number": r[3],
            "sex": r[4],
            "birth": r[5],
            "phone": r[6],
            "address": address[r[1]],
            "source": "民政",
        }
        for r in population.residents
    ]


def _pick(residents: list[dict], start: int) -> dict:
    for row in residents[start:]:
        traditional = OpenCC("s2t").convert(row["name"]) != row["name"]
        if len(row["name"]) == 3 and row["phone"] and row["id_number"] and traditional:
            return row
    raise AssertionError("no suitable resident")


def _swap(number: str, k: int) -> str:
    return number[:k] + number[k + 1] + number[k] + number[k + 2 :]


def _digit(number: str, k: int) -> str:
    return number[:k] + str((int(number[k]) + 3) % 10) + number[k + 1 :]


SLIPS = {
    "same_id_other_details": lambda r: (
        r | {"name": r["name"][0] + "某" + r["name"][2], "phone": "", "address": ""}
    ),
    "one_wrong_digit": lambda r: r | {"id_number": _digit(r["id_number"], 11)},
    "two_swapped_digits": lambda r: r | {"id_number": _swap(r["id_number"], 14)},
    "dropped_digit": lambda r: r | {"id_number": r["id_number"][:9] + r["id_number"][10:]},
    "missing_id": lambda r: r | {"id_number": "", "address": r["address"].replace("栋", "号楼")},
    "homophone_and_missing_id": lambda r: (
        r | {"id_number": "", "name": r["name"][0] + "晓" + r["name"][2]}
    ),
    "traditional_characters": lambda r: (
        r | {"name": OpenCC("s2t").convert(r["name"]), "id_number": ""}
    ),
    "changed_phone_and_full_width": lambda r: (
        r
        | {
            "phone": "13900000000",
            "id_number": r["id_number"].translate(
                str.maketrans("0123456789", "０１２３４５６７８９")
            ),
        }
    ),
    "typo_in_name_no_id_no_phone": lambda r: (
        r | {"name": r["name"][:2] + "犇", "id_number": "", "phone": ""}
    ),
}


@pytest.fixture(scope="module")
def planted(residents):
    rows = [dict(r) for r in residents]
    pairs = {}
    start = 10
    for number, (kind, slip) in enumerate(SLIPS.items()):
        original = _pick(rows, start)
        start = rows.index(original) + 37
        copy = slip(dict(original)) | {"key": f"dup{number}", "source": "卫健"}
        rows.append(copy)
        pairs[kind] = (original["key"], copy["key"])
    records = Records.from_rows(rows)
    return records, link(records), pairs


@pytest.mark.parametrize("kind", list(SLIPS))
def test_each_kind_of_slip_is_found(planted, kind):
    records, linkage, pairs = planted
    a, b = pairs[kind]
    index = {k: n for n, k in enumerate(records.key)}
    assert linkage.cluster[index[a]] == linkage.cluster[index[b]], kind


def test_distinct_people_are_not_joined(planted):
    records, linkage, pairs = planted
    planted_keys = {k for pair in pairs.values() for k in pair}
    people: dict[int, list] = {}
    for key, cluster in zip(records.key, linkage.cluster.tolist(), strict=True):
        people.setdefault(cluster, []).append(key)
    joined = [keys for keys in people.values() if len(keys) > 1]
    # Only the planted duplicates are joined: household members (same surname and
    # address, similar names) and namesakes stay apart.
    assert all(set(keys) <= planted_keys for keys in joined), joined
    assert len(joined) == len(SLIPS)


def test_review_pairs_carry_evidence(planted):
    _records, linkage, pairs = planted
    found = {(p.a, p.b): p for p in review_pairs(linkage)} | {
        (p.b, p.a): p for p in review_pairs(linkage)
    }
    swapped = found[pairs["two_swapped_digits"]]
    codes = {e.field: e.code for e in swapped.evidence}
    assert codes["id"] == "id.swapped_digits"
    assert codes["name"] == "name.same"
    assert swapped.probability >= 0.95
    assert sum(e.weight for e in swapped.evidence) > 0
    homophone = found[pairs["homophone_and_missing_id"]]
    codes = {e.field: e.code for e in homophone.evidence}
    assert codes["id"] == "id.missing"
    assert codes["name"] in {"name.same_pinyin", "name.similar"}
    traditional = found[pairs["traditional_characters"]]
    assert {e.field: e.code for e in traditional.evidence}["name"] in {
        "name.same",
        "name.same_pinyin",
    }


def test_id_edit_kinds():
    number = "51010719800101123X"
    assert id_edit_kind(number, _digit(number, 5)) == "one_digit"
    assert id_edit_kind(number, _swap(number, 3)) == "swapped_digits"
    assert id_edit_kind(number, number[:4] + number[5:]) == "missing_digit"


def test_works_without_any_id_number_or_phone(residents):
    rows = [dict(r, id_number="", phone="") for r in residents]
    planted = []
    for number, row in enumerate(rows[100:400:100]):
        copy = dict(row, key=f"dup{number}", source="残联")
        if number == 1:
            copy["address"] = "成都市" + row["address"].replace("单元", "-")
        if number == 2:
            copy["birth"] = ""
            copy["name"] = OpenCC("s2t").convert(row["name"])
        rows.append(copy)
        planted.append((row["key"], copy["key"]))
    records = Records.from_rows(rows)
    linkage = link(records)
    index = {k: n for n, k in enumerate(records.key)}
    for a, b in planted:
        assert linkage.cluster[index[a]] == linkage.cluster[index[b]]
    assert linkage.stats["people"] >= len(residents) - 3


def test_bad_input_says_what_and_where():
    with pytest.raises(ValueError, match="row 2 has no 'key'"):
        Records.from_rows([{"key": 1}, {"name": "x"}])
    with pytest.raises(ValueError, match="field 'name' has 1 values"):
        Records(["a", "b"], ["x"], ["", ""], ["", ""], ["", ""], ["", ""], ["", ""], ["", ""])
    with pytest.raises(ValueError, match="threshold"):
        link(Records.from_rows([{"key": 1}]), threshold=1.5)


def test_empty_and_single_record():
    assert len(link(Records.from_rows([])).cluster) == 0
    assert link(Records.from_rows([{"key": 1, "name": "王伟"}])).cluster.tolist() == [0]


def test_deterministic():
    rows = [
        {"key": k, "name": "王伟" if k % 2 else "王玮", "birth": "1980-01-01"} for k in range(6)
    ]
    first, second = link(Records.from_rows(rows)), link(Records.from_rows(rows))
    assert first.probability.tolist() == second.probability.tolist()
