import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from linli.places.models import SealEvent
from linli.places.services import PlaceError, do_seal_compound, do_unseal_compound


@pytest.mark.django_db
def test_sealing_records_who_and_when_and_unsealing_reverses_it(secretary, inside):
    event = do_seal_compound(actor=secretary, place=inside.compound, reason="confirmed case")
    inside.compound.refresh_from_db()
    assert inside.compound.sealed is True
    assert (event.actor, event.action, event.reason) == (secretary, "seal", "confirmed case")
    do_unseal_compound(actor=secretary, place=inside.compound)
    inside.compound.refresh_from_db()
    assert inside.compound.sealed is False
    assert list(
        SealEvent.objects.filter(place=inside.compound).values_list("action", flat=True)
    ) == ["unseal", "seal"]


@pytest.mark.django_db
@override("en")
def test_only_compounds_can_be_sealed_and_not_twice(secretary, inside):
    with pytest.raises(PlaceError, match="compound"):
        do_seal_compound(actor=secretary, place=inside.grid)
    do_seal_compound(actor=secretary, place=inside.compound)
    with pytest.raises(PlaceError, match="already sealed"):
        do_seal_compound(actor=secretary, place=inside.compound)
    assert SealEvent.objects.count() == 1


@pytest.mark.django_db
def test_secretary_seals_from_the_community_page_with_htmx(secretary, inside):
    client = Client()
    client.force_login(secretary)
    page = client.get(reverse("places:detail", args=[inside.grid.code]))
    assert "甲花园" in page.content.decode()
    response = client.post(
        reverse("places:seal", args=[inside.compound.code]),
        {"action": "seal"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="compound-{inside.compound.code}"' in response.content.decode()
    inside.compound.refresh_from_db()
    assert inside.compound.sealed


@pytest.mark.django_db
def test_grid_worker_cannot_seal(make_user, inside):
    client = Client()
    client.force_login(make_user("grid_worker"))
    response = client.post(reverse("places:seal", args=[inside.compound.code]), {"action": "seal"})
    assert response.status_code == 403
    inside.compound.refresh_from_db()
    assert not inside.compound.sealed
