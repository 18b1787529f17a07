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


@register.inclusion_tag("common/_reach.html")
def reach(phone: str, actor: Any, related: bool = False) -> dict[str, Any]:
    """``{% reach resident.phone request.user is_guardian %}``: the number as the reader may
    see it, with tel: and sms: links behind it for whoever may call the person (the link
    carries the real number; the text stays masked for readers without the reveal)."""
    callable_ = bool(phone) and disclosure.may_call(actor, related=related)
    digits = "".join(c for c in phone or "" if c.isdigit() or c == "+")
    return {"shown": disclosure.phone_for(actor, phone), "number": digits if callable_ else ""}
