"""``{% load disclosure %}``: identifiers in templates through the one masking rule
(:mod:`linli.common.disclosure`)."""

from __future__ import annotations

from typing import Any

from django import template

from linli.common import disclosure

register = template.Library()


@register.filter
def phone_for(phone: str, actor: Any) -> str:
    """``{{ resident.phone|phone_for:request.user }}``: full or masked, as the reader may."""
    return disclosure.phone_for(actor, phone)
