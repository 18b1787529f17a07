"""Words for the engine's evidence codes, as the review page shows them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

WORDS = {
    "id.same": _("Same ID number"),
    "id.one_digit": _("ID numbers differ in one digit"),
    "id.swapped_digits": _("ID numbers differ by two swapped digits"),
    "id.missing_digit": _("One ID number lacks a digit"),
    "id.different": _("Different ID numbers"),
    "id.missing": _("ID number missing on one side"),
    "name.same": _("Same name"),
    "name.same_pinyin": _("Names sound the same (same pinyin)"),
    "name.similar": _("Names differ in one character"),
    "name.different": _("Different names"),
    "name.missing": _("Name missing on one side"),
    "birth.same": _("Same birth date"),
    "birth.close": _("Birth dates differ in one digit or by day and month swapped"),
    "birth.different": _("Different birth dates"),
    "birth.missing": _("Birth date missing on one side"),
    "sex.same": _("Same sex"),
    "sex.different": _("Different sex"),
    "sex.missing": _("Sex missing on one side"),
    "phone.same": _("Same phone"),
    "phone.last_8": _("Phones share the last 8 digits"),
    "phone.different": _("Different phones"),
    "phone.missing": _("Phone missing on one side"),
    "address.same": _("Same address"),
    "address.similar": _("Similar addresses"),
    "address.different": _("Different addresses"),
    "address.missing": _("Address missing on one side"),
}


def described(evidence: list[dict]) -> list[dict]:
    """Each piece of evidence with its words and whether it speaks for or against."""
    return [
        e
        | {
            "words": WORDS.get(e["code"], e["code"]),
            "side": "for" if e["weight"] > 0 else ("against" if e["weight"] < 0 else "none"),
        }
        for e in evidence
    ]
