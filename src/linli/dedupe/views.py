"""Review of candidate pairs: side by side with the evidence; merge, reject, undo."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.roles import Can
from linli.common.views import requires

from .evidence import described
from .selectors import access_merge, access_pair, merges_for, pending_pairs_for
from .services import (
    DedupeRefused,
    do_merge_pair,
    do_reject_pair,
    do_start_finding,
    do_undo_merge,
)

COMMUNITY_AND_BELOW = {"community", "grid", "compound", "building"}


@requires(Can.EDIT_REGISTER)
def review(request: HttpRequest) -> HttpResponse:
    pairs = list(pending_pairs_for(request.user)[:50])
    for pair in pairs:
        pair.described = described(pair.evidence)
    merges = merges_for(request.user).filter(undone_at__isnull=True)[:20]
    return render(request, "dedupe/review.html", {"pairs": pairs, "merges": merges})


@require_POST
@requires(Can.EDIT_REGISTER)
def run(request: HttpRequest) -> HttpResponse:
    """Look for duplicates in the reviewer's community, as a background job."""
    place = request.user.place
    if place.level not in COMMUNITY_AND_BELOW:
        messages.error(request, _("Duplicates are looked for by the community's own reviewers."))
        return redirect("dedupe:review")
    job = do_start_finding(actor=request.user, community_code=place.code[:12])
    return redirect("jobs:detail", pk=job.pk)


@requires(Can.EDIT_REGISTER)
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pair = access_pair(request.user, pk)
    pair.described = described(pair.evidence)
    return render(request, "dedupe/pair.html", {"pair": pair})


def _refused(request: HttpRequest, error: DedupeRefused) -> HttpResponse:
    messages.error(request, str(error))
    return redirect("dedupe:review")


@require_POST
@requires(Can.EDIT_REGISTER)
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    pair = access_pair(request.user, pk)
    keep = request.POST.get("keep", "")
    survivor = {"a": pair.resident_a_id, "b": pair.resident_b_id}.get(keep)
    try:
        do_merge_pair(actor=request.user, pair=pair, survivor_id=survivor)
    except DedupeRefused as error:
        return _refused(request, error)
    messages.success(request, _("Merged. You can undo this below."))
    return redirect("dedupe:review")


@require_POST
@requires(Can.EDIT_REGISTER)
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    pair = access_pair(request.user, pk)
    try:
        do_reject_pair(actor=request.user, pair=pair)
    except DedupeRefused as error:
        return _refused(request, error)
    messages.success(request, _("Marked as two different people."))
    return redirect("dedupe:review")


@require_POST
@requires(Can.EDIT_REGISTER)
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    merge_row = access_merge(request.user, pk)
    try:
        do_undo_merge(actor=request.user, merge=merge_row)
    except DedupeRefused as error:
        return _refused(request, error)
    messages.success(request, _("Merge undone: both residents are back as they were."))
    return redirect("dedupe:review")
