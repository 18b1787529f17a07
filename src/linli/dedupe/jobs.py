"""Background job: look for duplicates in one community (the review page's button)."""

from __future__ import annotations

from linli.accounts.roles import Can
from linli.jobs.runner import JobContext, job


@job("dedupe.find", cancel_capability=Can.EDIT_REGISTER)
def find_duplicates(ctx: JobContext, *, community_code: str, actor_id: int | None = None) -> dict:
    """Run :func:`do_find_duplicates` for the community; returns its summary."""
    from django.utils.translation import gettext as _

    from linli.accounts.models import User
    from linli.places.models import Place

    from .services import do_find_duplicates

    ctx.progress(0, 1, _("comparing residents"))
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    summary = do_find_duplicates(actor=actor, community=Place.objects.get(code=community_code))
    ctx.progress(1, 1, _("done"))
    return summary
