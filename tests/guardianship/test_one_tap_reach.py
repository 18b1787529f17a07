"""One tap to reach a person: a ward's guardian gets tel: and sms: links to the ward on
"my wards" and the ward's page (the number's text masked as the masking rule says), cards
show risk and needs in the reader's language and come in the order contact is due; a reader
who may neither reveal nor is related gets no link."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from linli.common.templatetags.disclosure import reach

pytestmark = pytest.mark.django_db


@pytest.fixture
def guarded(inside, make_user):
    from linli.guardianship.models import Assignment

    n = inside
    n.resident.phone = "13800001234"
    n.resident.save()
    n.ward.needs = ["meals", "medicine"]
    n.ward.risk = "high"
    n.ward.save()
    account = make_user("volunteer", n.community.code)
    n.volunteer.account = account
    n.volunteer.save()
    Assignment.objects.create(ward=n.ward, role="primary", volunteer=n.volunteer)
    return n, account


def test_the_guardian_gets_a_tel_and_sms_link_to_the_ward(guarded):
    n, account = guarded
    client = Client()
    client.force_login(account)
    with translation.override("zh-hans"):
        for url in (
            reverse("guardianship:my_wards"),
            reverse("guardianship:ward", args=[n.ward.pk]),
        ):
            page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
            assert 'href="tel:13800001234"' in page and 'href="sms:13800001234"' in page, url
    cards = client.get(reverse("guardianship:my_wards")).content.decode()
    assert "送餐" in cards or "Meals" in cards or "餐" in cards
    assert "meals" not in cards.replace('value="meals"', "")


def test_the_link_text_is_masked_for_a_reader_without_the_reveal(guarded):
    _n, account = guarded
    assert not account.can("reveal_id_number")
    shown = reach("13800001234", account, True)
    assert shown["number"] == "13800001234" and shown["shown"] != "13800001234"


def test_no_link_for_a_reader_who_may_not_reveal_and_is_not_related(guarded):
    _n, account = guarded
    assert reach("13800001234", account, False)["number"] == ""


def test_my_wards_come_in_the_order_contact_is_due(guarded, make_user):
    import datetime as dt

    from django.utils import timezone

    from linli.guardianship.models import Assignment
    from linli.guardianship.selectors import my_wards
    from linli.register.models import Resident, Ward

    n, account = guarded
    other = Resident.objects.create(place=n.resident.place, name="二号")
    low = Ward.objects.create(resident=other, risk="low")
    backup = Assignment.objects.create(ward=low, role="backup", volunteer=n.volunteer)
    Assignment.objects.filter(pk=backup.pk).update(since=timezone.now() - dt.timedelta(days=3))
    items = my_wards(account)
    assert [i.due for i in items] == sorted(i.due for i in items)
    assert items[0].ward == low  # an overdue backup ward comes before a primary due later
