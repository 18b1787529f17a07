import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.domain import idcard

VALID = [
    ("11010519491231002X", dt.date(1949, 12, 31), "F"),
    ("440524188001010014", dt.date(1880, 1, 1), "M"),
    ("513101198201130014", dt.date(1982, 1, 13), "M"),
    ("360426199101010071", dt.date(1991, 1, 1), "M"),
    ("120103198806018241", dt.date(1988, 6, 1), "F"),
    ("230306196304054513", dt.date(1963, 4, 5), "M"),
    ("110101202311012176", dt.date(2023, 11, 1), "M"),
    ("510104199001010019", dt.date(1990, 1, 1), "M"),
    ("51010719850615002X", dt.date(1985, 6, 15), "F"),
    ("510185200002290036", dt.date(2000, 2, 29), "M"),
]
INVALID = ["360426199101010072", "230307196304054513", "110101202311012171"]


@pytest.mark.parametrize(("number", "birth", "sex"), VALID)
def test_published_vectors_parse_with_birth_date_and_sex(number, birth, sex):
    parsed = idcard.parse(number)
    assert (parsed.birth_date, parsed.sex, parsed.number) == (birth, sex, number)


@pytest.mark.parametrize("number", INVALID)
def test_published_invalid_vectors_fail_on_the_check_character(number):
    with pytest.raises(idcard.IdNumberError, match="check character"):
        idcard.parse(number)


def test_input_is_normalised_full_width_lowercase_and_spaces():
    assert idcard.parse(" ５１０１０７１９８５０６１５００２x ").number == "51010719850615002X"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("5101071985061500", "18 characters"),
        ("510107198502300012", "not a real date"),
        ("510107209901010011", "in the future"),
        ("51010719850615002Y", "only digits"),
    ],
)
def test_invalid_numbers_say_why(value, reason):
    with pytest.raises(idcard.IdNumberError, match=reason):
        idcard.parse(value, today=dt.date(2026, 11, 28))


def test_fifteen_digit_numbers_are_upgraded():
    assert idcard.parse("510104900101001").number == "510104199001010019"


@given(
    area=st.sampled_from(["510104", "510107", "510185", "110105"]),
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)),
    seq=st.integers(0, 499),
    sex=st.sampled_from(["M", "F"]),
)
def test_made_numbers_round_trip_and_any_single_digit_error_is_caught(area, birth, seq, sex):
    number = idcard.make(area, birth, seq, sex)
    parsed = idcard.parse(number)
    assert (parsed.birth_date, parsed.sex, parsed.area_code) == (birth, sex, area)
    for position in range(17):
        wrong = str((int(number[position]) + 1) % 10)
        assert (
            idcard.check_char(number[:position] + wrong + number[position + 1 : 17]) != number[17]
        )
