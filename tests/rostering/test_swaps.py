"""Swaps: only partners the rules allow are offered; the lead approves; both are told."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from linli.domain.rostering.community_rules import violations
from linli.guardianship.models import Volunteer
from linli.rostering.models import Notice, RosterShift, SwapRequest
from linli.rostering.problem import problem_for
from linli.rostering.services import (
    RosterError,
    do_decide_swap,
    do_publish_roster,
    do_request_swap,
)
from linli.rostering.swaps import swap_breaks, swap_offers
from tests.rostering.conftest import placements_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(secretary, scene, build):
    roster = build(secretary, scene)
    return do_publish_roster(actor=secretary, roster=roster)


def test_every_offered_partner_keeps_every_rule_and_the_rest_are_refused(published, scene):
    shift = RosterShift.objects.filter(roster=published, skill="").select_related("roster").first()
    offers = swap_offers(shift, today=published.start)
    assert offers, "a ten-person community has someone free"
    problem, _index = problem_for(scene.community, published.start, published.days)
    base = placements_of(published)
    offered = {(o.partner.pk, o.partner_shift.pk if o.partner_shift else None) for o in offers}
    for volunteer in scene.volunteers:
        if volunteer.pk == shift.volunteer_id:
            continue
        moved = [
            p
            if not (
                p.person == str(shift.volunteer_id) and p.day == (shift.day - published.start).days
            )
            else type(p)(str(volunteer.pk), p.day, p.slot, p.post, p.skill)
            for p in base
        ]
        days = [(p.person, p.day) for p in moved]
        valid = len(days) == len(set(days)) and not violations(
            problem, moved, [str(volunteer.pk), str(shift.volunteer_id)]
        )
        assert ((volunteer.pk, None) in offered) == valid, volunteer.pk


def test_a_partner_who_already_works_that_day_is_refused(published):
    shift = RosterShift.objects.filter(roster=published).select_related("roster").first()
    busy = (
        RosterShift.objects.filter(roster=published, day=shift.day)
        .exclude(volunteer=shift.volunteer)
        .first()
    )
    assert swap_breaks(shift, busy.volunteer, None)
    with pytest.raises(RosterError):
        do_request_swap(actor=None, shift=shift, partner=busy.volunteer, partner_shift=None)


def test_the_lead_approves_a_give_away_and_both_are_told(published, secretary):
    shift = RosterShift.objects.filter(roster=published, skill="").select_related("roster").first()
    requester = shift.volunteer
    offer = swap_offers(shift, today=published.start)[0]
    swap = do_request_swap(
        actor=None, shift=shift, partner=offer.partner, partner_shift=offer.partner_shift
    )
    assert Notice.objects.filter(volunteer=offer.partner).count() >= 1
    with translation.override("en"):
        do_decide_swap(actor=secretary, swap=swap, approve=True)
    swap.refresh_from_db()
    shift.refresh_from_db()
    assert swap.status == "approved" and swap.decided_by == secretary
    assert shift.volunteer == offer.partner
    for volunteer in (requester, offer.partner):
        assert Notice.objects.filter(volunteer=volunteer, text__contains="approved").exists()
    with pytest.raises(RosterError):
        do_decide_swap(actor=secretary, swap=swap, approve=False)


def test_a_swap_of_two_shifts_trades_them(published, secretary):
    trades = (
        (shift, offer)
        for shift in RosterShift.objects.filter(roster=published, skill="").select_related("roster")
        for offer in swap_offers(shift, today=published.start)
        if offer.partner_shift
    )
    shift, offer = next(trades)
    theirs = offer.partner_shift
    mine_before = (shift.day, shift.shift_type_id, shift.checkpoint_id)
    theirs_before = (theirs.day, theirs.shift_type_id, theirs.checkpoint_id)
    swap = do_request_swap(actor=None, shift=shift, partner=offer.partner, partner_shift=theirs)
    do_decide_swap(actor=secretary, swap=swap, approve=True)
    requester_now = {
        (s.day, s.shift_type_id, s.checkpoint_id)
        for s in RosterShift.objects.filter(roster=published, volunteer=swap.requester)
    }
    partner_now = {
        (s.day, s.shift_type_id, s.checkpoint_id)
        for s in RosterShift.objects.filter(roster=published, volunteer=offer.partner)
    }
    assert theirs_before in requester_now and mine_before not in requester_now
    assert mine_before in partner_now and theirs_before not in partner_now


def test_the_swap_page_lists_offers_and_a_post_asks(published, make_user):
    shift = (
        RosterShift.objects.filter(roster=published, skill="")
        .select_related("volunteer", "roster")
        .first()
    )
    user = make_user("volunteer")
    shift.volunteer.account = user
    shift.volunteer.save()
    client = Client()
    client.force_login(user)
    page = client.get(reverse("rostering:swap", args=[shift.pk]))
    assert page.status_code == 200
    offer = swap_offers(shift, today=published.start)[0]
    response = client.post(
        reverse("rostering:swap", args=[shift.pk]), {"partner": offer.partner.pk}
    )
    assert response.status_code == 302
    assert SwapRequest.objects.get().partner == offer.partner
    other = RosterShift.objects.exclude(volunteer=shift.volunteer).first()
    assert client.get(reverse("rostering:swap", args=[other.pk])).status_code == 403


def test_a_refused_swap_says_which_rule_in_words(published):
    from linli.rostering.swaps import swap_breaks

    skilled = RosterShift.objects.filter(roster=published, skill="temperature").first()
    busy = set(
        RosterShift.objects.filter(roster=published, day=skilled.day).values_list(
            "volunteer", flat=True
        )
    )
    untrained = next(v for v in Volunteer.objects.all() if not v.skills and v.pk not in busy)
    with translation.override("en"):
        broken = swap_breaks(skilled, untrained, None)
    assert "the shift needs a skill the volunteer does not have" in broken
