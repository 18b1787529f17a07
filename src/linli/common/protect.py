"""Password-protected spreadsheets: an xlsx encrypted with the standard Office (ECMA-376
Agile) encryption, which Excel and WPS open after asking for the password."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

MIN_PASSWORD = 8


class ProtectError(ValueError):
    """The password cannot protect this file; the message says why."""


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ProtectError(
            _("The file's password needs at least %(n)s characters.") % {"n": MIN_PASSWORD}
        )
    return password


def protect_xlsx(content: bytes, password: str) -> bytes:
    """``content`` (an xlsx) encrypted with ``password``."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(content)).encrypt(check_password(password), out)
    return out.getvalue()
