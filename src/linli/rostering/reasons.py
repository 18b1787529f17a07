"""Why a need is uncovered, in the reader's language (the solver gives codes and numbers)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def describe(item: dict) -> str:
    """One sentence a secretary can act on, from a stored shortfall."""
    where = _("%(post)s, %(day)s, %(shift)s: %(missing)d short of the minimum") % item
    skill = item.get("skill") or ""
    code = item.get("code")
    if code == "nobody_available":
        why = (
            _("nobody trained in %(skill)s is free that day") % {"skill": skill}
            if skill
            else _("no volunteer is free that day")
        )
    elif code == "too_few_available":
        why = (
            _("only %(available)d volunteers trained in %(skill)s are free for %(needed)d places")
            % (item | {"skill": skill})
            if skill
            else _("only %(available)d volunteers are free for %(needed)d places") % item
        )
    elif code == "hours_exhausted":
        why = (
            _(
                "the rest rules allow at most %(available)d shifts in the period, "
                "%(needed)d are needed: recruit volunteers or lower the minimum"
            )
            % item
        )
    else:
        why = _(
            "the volunteers free that day are held back by rest, succession or "
            "consecutive-day rules"
        )
    return f"{where} — {why}"
