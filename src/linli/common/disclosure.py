"""The masking rule (:mod:`linli.domain.disclosure`) applied to a reader: every page, API
answer, form, export, search and audit entry that carries an ID number or a phone asks
here what the reader may receive.

- ID numbers: masked for everybody (``51010719400305****``); the full number only through
  the audited reveal, or in a form whose template asks for it, generated with a reason by
  someone who may reveal (``linli.reports.services``).
- Phones: in full for those who may reveal ID numbers (the people who call residents) and
  for the operator at the command line (no actor); masked for everybody else.
- Searching by digits (the end of an ID number, part of a phone): only for those who may
  reveal; a search answers which people's numbers hold the digits, so for anybody else it
  would rebuild the hidden ones, digit by digit.
"""

from __future__ import annotations

from typing import Any

from linli.accounts.roles import Can
from linli.domain.disclosure import mask_id_number, mask_phone

# The fields of a resident that are personal identifiers, and how each is masked.
IDENTIFIERS = {"id_number": mask_id_number, "phone": mask_phone, "phone2": mask_phone}


def may_reveal(actor: Any) -> bool:
    """Whether ``actor`` may see identifiers in full (None: the operator, command line)."""
    if actor is None:
        return True
    can = getattr(actor, "can", None)
    return bool(can and can(Can.REVEAL_ID_NUMBER))


def id_number_for(actor: Any, number: str) -> str:
    """An ID number as any page or answer shows it: masked, whoever reads it."""
    return mask_id_number(number) if number else ""


def phone_for(actor: Any, phone: str) -> str:
    """A resident's phone as ``actor`` may receive it."""
    if not phone or may_reveal(actor):
        return phone or ""
    return mask_phone(phone)


def may_search_digits(actor: Any) -> bool:
    """Whether ``actor`` may find people by digits of their ID number or phone."""
    return may_reveal(actor)


class DigitSearchRefused(PermissionError):
    """A search by ID or phone digits from someone who may not reveal them."""


def may_call(actor: Any, *, related: bool) -> bool:
    """Whether ``actor`` gets a one-tap call to a person: those who may reveal phones, and
    those whose work is that person (a ward's guardians, a case's professional)."""
    return related or may_reveal(actor)
