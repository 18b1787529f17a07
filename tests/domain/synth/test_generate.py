import datetime as dt

import numpy as np
import pytest

from linli.domain import idcard
from linli.domain.synth import city_plan, communities_for_scale, generate_community
from linli.domain.synth.files import write_csv

YULIN = "510107005002"


@pytest.fixture(scope="module")
def community():
    return generate_community(YULIN, population=6900, seed=7)


def test_same_seed_same_rows_and_independent_of_other_communities():
    a = generate_community(YULIN, population=800, seed=3)
    generate_community("510104017001", population=800, seed=3)
    b = generate_community(YULIN, population=800, seed=3)
    assert a == b
    assert generate_community(YULIN, population=800, seed=4).residents != a.residents


def test_every_id_number_is_valid_and_agrees_with_sex_and_birth_date(community):
    with_id = [r for r in community.residents if r[3]]
    assert len(with_id) > 0.98 * len(community.residents)
    local = 0
    for _rid, _hh, _name, number, sex, birth, _phone, _rel in with_id:
        parsed = idcard.parse(number, today=dt.date(2026, 1, 1))
        assert parsed.sex == sex
        assert parsed.birth_date.isoformat() == birth
        local += parsed.area_code == YULIN[:6]
    assert local > 0.9 * len(with_id)


def test_codes_extend_their_parents_and_nothing_is_duplicated(community):
    codes = {p[0]: p for p in community.places}
    assert len(codes) == len(community.places)
    for code, _name, level, parent, _x, _y in community.places:
        assert code.startswith(parent)
        assert parent == YULIN or parent in codes
        assert level in {"grid", "compound", "building"}
    households = {h[0] for h in community.households}
    assert len(households) == len(community.households)
    assert all(h[1] in codes and h[0].startswith(h[1]) for h in community.households)
    assert all(r[1] in households for r in community.residents)
    assert len({r[0] for r in community.residents}) == len(community.residents)
    compounds = {c for c, p in codes.items() if p[2] == "compound"}
    assert all(v[5] in compounds for v in community.volunteers)
    assert all(c[2] in compounds for c in community.checkpoints)


def test_age_structure_households_and_wards_look_like_chengdu():
    plans = city_plan()[::150]
    ages, households, people, wards = [], 0, 0, 0
    for plan in plans:
        population = generate_community(plan.code, population=plan.population, seed=1)
        ages += [2026 - int(r[5][:4]) for r in population.residents]
        households += len(population.households)
        people += len(population.residents)
        wards += len(population.wards)
    a = np.array(ages)
    assert (a < 15).mean() == pytest.approx(0.1328, abs=0.02)
    assert ((a >= 15) & (a < 60)).mean() == pytest.approx(0.6874, abs=0.02)
    assert (a >= 60).mean() == pytest.approx(0.1798, abs=0.015)
    assert people / households == pytest.approx(2.49, abs=0.06)
    assert wards / people * 20_937_757 == pytest.approx(200_000, rel=0.15)


def test_city_plan_sums_to_the_census_and_scales_are_nested():
    plans = city_plan()
    assert len(plans) == 3047
    assert sum(p.population for p in plans) == 20_937_757
    demo = communities_for_scale("demo")
    assert {p.code[:9] for p in demo} == {"510107005", "510107004", "510107001"}
    assert len(communities_for_scale("district")) == 113
    with pytest.raises(ValueError, match="scale"):
        communities_for_scale("galaxy")


def test_wards_and_volunteers_have_valid_fields(community):
    residents = {r[0] for r in community.residents}
    assert all(w[0] in residents and w[1] in {"high", "medium", "low"} for w in community.wards)
    assert {v[1] for v in community.vulnerabilities} <= {
        "disabled_no_carer",
        "elderly_alone",
        "left_behind_child",
        "de_facto_orphan",
        "subsistence",
        "chronic_medicine",
        "pregnant",
        "home_quarantine",
    }
    assert all(1 <= (v[5] or 1) <= 4 for v in community.vulnerabilities)
    statuses = [v[12] for v in community.volunteers]
    assert set(statuses) <= {"active", "resting", "quarantined", "sick", "withdrawn"}
    assert statuses.count("active") > 0.8 * len(statuses)
    assert 60 <= len(community.volunteers) <= 140


def test_csv_output_streams_every_table(tmp_path):
    counts = write_csv("demo", 1, tmp_path, workers=1)
    assert counts["residents"] == sum(p.population for p in communities_for_scale("demo"))
    header = (tmp_path / "residents.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "id,household_code,name,id_number,sex,birth_date,phone,relation"
