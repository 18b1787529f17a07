"""Cell cleaning: the spellings communities use, and the problems they make."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.domain import idcard
from linli.domain.register_import import clean
from linli.domain.register_import.clean import CellError

TODAY = dt.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13800001111", ("13800001111",)),
        ("１３８００００１１１１", ("13800001111",)),
        ("138 0000 1111", ("13800001111",)),
        (13800001111.0, ("13800001111",)),
        ("13800001111/028-85551234", ("13800001111", "028-85551234")),
        ("13800001111 13900002222", ("13800001111", "13900002222")),
        ("02885551234", ("028-85551234",)),
        ("+86 13800001111", ("13800001111",)),
        ("85551234", ("85551234",)),
    ],
)
def test_phones_in_the_usual_spellings(value, expected):
    assert clean.phones(value) == expected


@pytest.mark.parametrize("value", ["12345", "138001380001", "1380000111a"])
def test_bad_phones_are_rejected(value):
    with pytest.raises(CellError) as error:
        clean.phones(value)
    assert error.value.code == "phone_invalid"


def test_at_most_two_phones():
    with pytest.raises(CellError) as error:
        clean.phones("13800001111,13800002222,13800003333")
    assert error.value.code == "phone_too_many"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1950-03-09", (dt.date(1950, 3, 9), True)),
        ("1950/3/9", (dt.date(1950, 3, 9), True)),
        ("1950.03.09", (dt.date(1950, 3, 9), True)),
        ("1950年3月9日", (dt.date(1950, 3, 9), True)),
        ("19500309", (dt.date(1950, 3, 9), True)),
        ("1950.03", (dt.date(1950, 3, 1), False)),
        ("1950年3月", (dt.date(1950, 3, 1), False)),
        (dt.datetime(1950, 3, 9), (dt.date(1950, 3, 9), True)),
    ],
)
def test_dates_in_the_usual_spellings(value, expected):
    assert clean.date(value, today=TODAY) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [("不详", "date_invalid"), ("1950-02-30", "date_invalid"), ("2027-01-01", "date_future")],
)
def test_bad_dates(value, code):
    with pytest.raises(CellError) as error:
        clean.date(value, today=TODAY)
    assert error.value.code == code


def test_categories_several_at_once_with_aliases():
    assert clean.categories("独居老人、低保/慢病") == (
        "elderly_alone",
        "subsistence",
        "chronic_medicine",
    )
    assert clean.categories("低保/特困") == ("subsistence",)
    with pytest.raises(CellError) as error:
        clean.categories("独居老人、困难户")
    assert error.value.params["item"] == "困难户"
    assert "独居老人" in error.value.params["accepted"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("肢体二级", ("physical", 2)), ("听力残疾3级", ("hearing", 3)), ("精神", ("mental", None))],
)
def test_disability_type_and_grade_in_one_cell(value, expected):
    assert clean.disability(value) == expected


@pytest.mark.parametrize("value", ["五级", "0", "5级"])
def test_disability_grade_is_one_to_four(value):
    with pytest.raises(CellError):
        clean.disability_grade(value)


def test_needs_and_risk():
    assert clean.needs("送餐，送药、手语") == ("meals", "medicine", "sign_language")
    assert clean.risk("高风险") == "high"
    assert clean.risk("低") == "low"


def test_id_number_stored_as_a_number_is_refused():
    with pytest.raises(CellError) as error:
        clean.id_number(5.10107194904092e17)
    assert error.value.code == "id_number_cell"


def test_names_lose_stray_spaces_and_full_width_forms():
    assert clean.name(clean.text(" 王 秀英 ")) == "王秀英"
    assert clean.name(clean.text("Ａｌｉ  Khan")) == "Ali Khan"


@given(st.text(max_size=40))
def test_cleaning_text_is_idempotent(value):
    once = clean.text(value)
    assert clean.text(once) == once
    assert once == once.strip()


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 1, 1)),
    st.integers(0, 499),
    st.sampled_from([idcard.MALE, idcard.FEMALE]),
    st.sampled_from(["plain", "fullwidth", "spaced", "lower"]),
)
def test_any_valid_id_number_survives_the_usual_mangling(birth, seq, sex, mangle):
    number = idcard.make("510107", birth, seq, sex)
    written = {
        "plain": number,
        "fullwidth": "".join(chr(ord(c) + 0xFEE0) for c in number),
        "spaced": f" {number[:6]} {number[6:14]} {number[14:]} ",
        "lower": number.lower(),
    }[mangle]
    parsed = clean.id_number(clean.text(written))
    assert (parsed.number, parsed.birth_date, parsed.sex) == (number, birth, sex)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("甲花园3栋2单元1102室", ("甲花园", "3栋", "2单元", "1102")),
        ("甲花园 3 幢 1102", ("甲花园", "3栋", "", "1102")),
        ("甲花园二期12号楼1单元-302", ("甲花园二期", "12栋", "1单元", "302")),
        ("甲花园", ("甲花园", "", "", "")),
    ],
)
def test_one_cell_addresses_are_split_at_a_known_compound(address, expected):
    from linli.domain.register_import.address import split_address

    found = split_address(address, ["甲花园", "甲花园二期"])
    assert (found.compound, found.building, found.unit, found.room) == expected


def test_addresses_of_unknown_compounds_are_not_split():
    from linli.domain.register_import.address import split_address

    assert split_address("乙苑1栋101", ["甲花园"]) is None


def test_pinyin_keys_cover_surname_readings_and_initials():
    from linli.domain.pinyin import search_key

    assert search_key("张秀英") == "zhangxiuying zxy"
    assert "zengle" in search_key("曾乐") and "cengle" in search_key("曾乐")
    assert "shantianfang" in search_key("单田芳")
