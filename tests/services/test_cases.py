"""A case's course: take, notes, status, close with outcome and rating; only the handler."""

import pytest
from django.test import Client
from django.urls import reverse

from linli.services.services import (
    ServiceError,
    do_add_note,
    do_close_case,
    do_set_status,
    do_take_case,
)

from .conftest import T0, file

pytestmark = pytest.mark.django_db


def test_take_note_follow_up_close(scene):
    request = file(scene)
    user = scene.psychologist.user
    request = do_take_case(actor=user, request=request, now=T0)
    assert (request.status, request.first_response_at) == ("in_contact", T0)
    note = do_add_note(actor=user, request=request, text="第一次通话")
    assert note.psychological and not note.shareable
    assert do_set_status(actor=user, request=request, status="follow_up").status == "follow_up"
    with pytest.raises(ServiceError, match="Rating: 1 to 5"):
        do_close_case(actor=user, request=request, outcome="好转", rating=9)
    closed = do_close_case(actor=user, request=request, outcome="好转", rating="5")
    assert (closed.status, closed.rating, closed.outcome) == ("closed", 5, "好转")
    with pytest.raises(ServiceError, match="closed"):
        do_set_status(actor=user, request=closed, status="in_contact")


def test_a_queued_case_is_taken_by_a_qualified_team_member_only(scene):
    scene.psychologist.active = False
    scene.psychologist.save()
    request = file(scene)
    assert request.professional is None
    with pytest.raises(ServiceError, match="cannot take a request for Psychological support"):
        do_take_case(actor=scene.doctor.user, request=request)
    taken = do_take_case(actor=scene.lead.user, request=request, now=T0)
    assert taken.professional == scene.lead and taken.team == scene.team
    scene.psychologist.active = True
    scene.psychologist.save()
    with pytest.raises(ServiceError, match="Another professional"):
        do_take_case(actor=scene.psychologist.user, request=taken)


def test_the_pages_take_and_note(scene):
    request = file(scene)
    client = Client()
    client.force_login(scene.psychologist.user)
    page = client.get(reverse("services:index")).content.decode()
    assert f"#{request.pk}" in page
    assert client.post(reverse("services:take", args=[request.pk])).status_code == 302
    client.post(
        reverse("services:note", args=[request.pk]), {"text": "电话已联系", "shareable": "1"}
    )
    note = request.notes.get()
    assert note.shareable and not note.psychological  # the box was left unticked
    answer = client.post(reverse("services:note", args=[request.pk]), {"text": ""}, follow=True)
    assert "记录：请填写内容" in answer.content.decode()
