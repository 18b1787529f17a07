"""The one masking rule for ID numbers and phones (linli.domain.disclosure)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from linli.domain import idcard
from linli.domain.disclosure import full_id_numbers_in, mask_id_number, mask_phone


def test_an_id_number_keeps_what_the_record_says_and_hides_sequence_and_check():
    assert mask_id_number("51010719850615002X") == "51010719850615****"


def test_short_values_keep_less_and_tiny_ones_nothing():
    assert mask_id_number("510104900101001") == "51010490010****"  # 15 digits: no check
    assert mask_id_number("123456789") == "*********"


def test_a_phone_keeps_its_first_three_and_last_four_digits():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("028-8555 1234") == "028****1234"
    assert mask_phone("1234567") == "*******"


@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)),
    seq=st.integers(0, 499),
    sex=st.sampled_from(["M", "F"]),
    phone=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
)
def test_masking_is_idempotent_and_never_keeps_the_sequence(birth, seq, sex, phone):
    number = idcard.make("510107", birth, seq, sex)
    masked = mask_id_number(number)
    assert mask_id_number(masked) == masked and mask_phone(mask_phone(phone)) == mask_phone(phone)
    assert masked[:14] == number[:14] and set(masked[14:]) == {"*"}
    # The 500 numbers of the person's sex with this area and birth date share the mask.
    others = {idcard.make("510107", birth, s, sex) for s in range(500)}
    assert {mask_id_number(n) for n in others} == {masked} and len(others) == 500


def test_every_id_shaped_window_is_found_overlapping_ones_too():
    number = "51010719850615002X"
    assert full_id_numbers_in(f"身份证号{number}；") == {number}
    assert full_id_numbers_in("5" + number.lower()) == {"551010719850615002", number}
    assert full_id_numbers_in(mask_id_number(number) + " 13812345678") == set()
