"""Writes replayed from a phone's outbox: the same client id is done once, a write queued
under one account is never done under another, and a case status someone changed meanwhile
comes back as 409 with both sides instead of being overwritten."""

import pytest
from django.test import Client
from django.urls import reverse

from linli.offline.models import ClientWrite
from linli.services.services import do_set_status, do_take_case

from .conftest import T0, file

pytestmark = pytest.mark.django_db


def taken(scene):
    request = file(scene)
    do_take_case(actor=scene.psychologist.user, request=request, now=T0)
    return request


def outbox_post(client, user, url, data, client_id, account=None):
    return client.post(
        url,
        data,
        HTTP_X_LINLI_OUTBOX="1",
        HTTP_X_LINLI_CLIENT_ID=client_id,
        HTTP_X_LINLI_ACCOUNT=str(account if account is not None else user.pk),
    )


def test_a_note_replayed_with_the_same_client_id_is_written_once(scene):
    request = taken(scene)
    user = scene.psychologist.user
    client = Client()
    client.force_login(user)
    url = reverse("services:note", args=[request.pk])
    first = outbox_post(client, user, url, {"text": "上门送药"}, "c-1")
    again = outbox_post(client, user, url, {"text": "上门送药"}, "c-1")
    assert first.json() == {"status": "done"}
    assert again.json() == {"status": "duplicate"}
    assert request.notes.filter(text="上门送药").count() == 1
    other = outbox_post(client, user, url, {"text": "上门送药"}, "c-2")
    assert other.json() == {"status": "done"}
    assert request.notes.filter(text="上门送药").count() == 2


def test_a_write_queued_under_another_account_is_refused_and_not_done(scene):
    request = taken(scene)
    user = scene.psychologist.user
    client = Client()
    client.force_login(user)
    url = reverse("services:note", args=[request.pk])
    answer = outbox_post(client, user, url, {"text": "别人的记录"}, "c-3", account=user.pk + 1)
    assert answer.status_code == 403 and answer.json() == {"status": "wrong_account"}
    assert not request.notes.filter(text="别人的记录").exists()
    assert not ClientWrite.objects.exists()


def test_a_status_changed_meanwhile_is_a_409_with_both_sides(scene):
    request = taken(scene)
    user = scene.psychologist.user
    base = type(request).objects.get(pk=request.pk).status
    do_set_status(actor=scene.lead.user, request=request, status="follow_up")
    client = Client()
    client.force_login(user)
    url = reverse("services:status", args=[request.pk])
    answer = outbox_post(client, user, url, {"status": "in_contact", "base__status": base}, "c-4")
    assert answer.status_code == 409
    field = answer.json()["fields"]["status"]
    assert (field["theirs"], field["mine"], field["base"]) == ("follow_up", "in_contact", base)
    assert field["theirs_text"] and field["label"]
    request.refresh_from_db()
    assert request.status == "follow_up"  # not overwritten
    assert not ClientWrite.objects.exists()  # the refused write may be sent again, decided
    decided = {"status": "in_contact", "base__status": "follow_up"}
    assert outbox_post(client, user, url, decided, "c-4").json() == {"status": "done"}
    request.refresh_from_db()
    assert request.status == "in_contact"


def test_a_refused_write_is_reported_rejected_not_done(scene):
    request = taken(scene)
    user = scene.psychologist.user
    client = Client()
    client.force_login(user)
    url = reverse("services:status", args=[request.pk])
    answer = outbox_post(client, user, url, {"status": "nonsense"}, "c-5")
    assert answer.json()["status"] == "rejected" and answer.json()["errors"]
