"""What each problem code means, in English; the app translates these templates.

``gettext_noop`` marks them for ``makemessages`` without importing Django.
"""

from __future__ import annotations


def gettext_noop(text: str) -> str:
    return text


MESSAGES: dict[str, str] = {
    "required": gettext_noop("is required"),
    "id_length": gettext_noop("must be 18 characters, got %(length)s"),
    "id_chars": gettext_noop("only digits, and X as the last character, are allowed"),
    "id_area": gettext_noop("area code %(area)s is not a province code"),
    "id_birth": gettext_noop("birth date %(birth)s in the number is not a real date"),
    "id_future": gettext_noop("birth date %(birth)s in the number is in the future"),
    "id_old": gettext_noop("birth year %(year)s in the number is implausible"),
    "id_check": gettext_noop("check character is %(got)s, expected %(expected)s (a typo?)"),
    "id_number_cell": gettext_noop(
        "was stored as a number and lost its last digits; format the column as text"
    ),
    "id_duplicate": gettext_noop("the same ID number is already on row %(row)s"),
    "sex_unknown": gettext_noop("write 男 or 女"),
    "sex_mismatch": gettext_noop("does not agree with the ID number (%(expected)s)"),
    "date_invalid": gettext_noop("is not a date (write 1950-03-05)"),
    "date_future": gettext_noop("is in the future"),
    "birth_mismatch": gettext_noop("does not agree with the ID number (%(expected)s)"),
    "phone_invalid": gettext_noop("is not a phone number (11-digit mobile or area code + number)"),
    "phone_too_many": gettext_noop("at most two phone numbers"),
    "category_unknown": gettext_noop("unknown category %(item)s; write one of: %(accepted)s"),
    "category_ambiguous": gettext_noop(
        "%(item)s could mean %(meanings)s; write the one meant (or both, separated by 、)"
    ),
    "disability_type_unknown": gettext_noop(
        "unknown disability type (视力, 听力, 言语, 肢体, 智力, 精神, 多重)"
    ),
    "disability_grade_invalid": gettext_noop("disability grade must be 1 to 4"),
    "risk_unknown": gettext_noop("write 高, 中 or 低"),
    "need_unknown": gettext_noop("unknown need %(item)s; write one of: %(accepted)s"),
    "need_ambiguous": gettext_noop(
        "%(item)s could mean %(meanings)s; write the one meant (or both, separated by 、)"
    ),
    "disability_type_ambiguous": gettext_noop(
        "%(item)s could mean %(meanings)s; write the one meant"
    ),
    "disability_grade_ambiguous": gettext_noop(
        "%(item)s is grade 1 or 2; write the grade on the certificate (一级 or 二级)"
    ),
    "yes_no_unknown": gettext_noop("write 是 or 否 (not %(item)s)"),
    "yes_no_ambiguous": gettext_noop("write 是 or 否 (not %(item)s)"),
    "moved_out_before_in": gettext_noop("is before the moved-in date"),
    "too_long": gettext_noop("is too long (at most %(limit)s characters)"),
    "compound_unknown": gettext_noop("no compound of this name in %(place)s"),
    "compound_near": gettext_noop(
        "no compound of this name in %(place)s; did you mean %(near)s? "
        "Correct the name, or confirm it as a new place"
    ),
    "building_unknown": gettext_noop("no building of this name in %(compound)s"),
    "building_without_compound": gettext_noop("a building needs its compound (小区) too"),
    "row_duplicate": gettext_noop("the same person as row %(row)s"),
    "outside_area": gettext_noop(
        "this ID number is registered outside your area; ask the community to move the person"
    ),
}
