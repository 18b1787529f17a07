"""Quarantine: planned end from the community's length, countdown and overdue lists, and the
home-quarantined vulnerability (with a ward) while it lasts."""

import datetime as dt

import pytest
from django.utils import timezone

from linli.register.models import Resident, Vulnerability, Ward
from linli.screening import services
from linli.screening.selectors import quarantines_for


@pytest.fixture
def lodger(inside):
    return Resident.objects.create(place=inside.building, household=inside.household, name="租客")


@pytest.mark.django_db
def test_home_quarantine_makes_the_person_a_ward_until_release(inside, lodger, secretary):
    today = timezone.localdate()
    q = services.do_start_quarantine(actor=secretary, resident=lodger, kind="home", start=today)
    assert q.planned_end == today + dt.timedelta(days=13)
    vulnerability = Vulnerability.objects.get(resident=lodger, category="home_quarantine")
    assert vulnerability.end_date is None and vulnerability.source == "health"
    assert Ward.objects.get(resident=lodger).needs == ["daily_supplies"]
    services.do_release_quarantine(actor=secretary, quarantine=q, on=today)
    vulnerability.refresh_from_db()
    assert vulnerability.end_date == today
    assert not Ward.objects.filter(resident=lodger).exists()  # opened for the quarantine only
    with pytest.raises(services.ScreeningError, match="already ended"):
        services.do_release_quarantine(actor=secretary, quarantine=q)


@pytest.mark.django_db
def test_an_existing_ward_stays_a_ward_after_release(inside, secretary):
    q = services.do_start_quarantine(actor=secretary, resident=inside.resident, kind="home")
    assert not q.made_ward
    services.do_release_quarantine(actor=secretary, quarantine=q)
    assert Ward.objects.filter(resident=inside.resident).exists()


@pytest.mark.django_db
def test_community_length_and_one_open_quarantine(inside, lodger, secretary):
    services.do_set_quarantine_days(actor=secretary, community=inside.community, days=7)
    start = timezone.localdate() - dt.timedelta(days=2)
    q = services.do_start_quarantine(
        actor=secretary, resident=lodger, kind="centralised", start=start, facility="锦江宾馆"
    )
    assert q.planned_end == start + dt.timedelta(days=6)
    assert not Vulnerability.objects.filter(resident=lodger).exists()  # looked after on site
    with pytest.raises(services.ScreeningError, match="already in quarantine"):
        services.do_start_quarantine(actor=secretary, resident=lodger, kind="home")
    with pytest.raises(services.ScreeningError, match="between 1 and 60"):
        services.do_set_quarantine_days(actor=secretary, community=inside.community, days=0)
    with pytest.raises(services.ScreeningError, match="facility"):
        services.do_start_quarantine(actor=secretary, resident=inside.resident, kind="centralised")


@pytest.mark.django_db
def test_countdown_and_overdue_lists_with_todays_check(inside, lodger, secretary, grid_worker):
    from linli.screening.ingest import do_record_screenings

    today = timezone.localdate()
    late = services.do_start_quarantine(
        actor=secretary, resident=lodger, kind="home", start=today - dt.timedelta(days=20)
    )
    running = services.do_start_quarantine(
        actor=secretary, resident=inside.resident, kind="home", start=today - dt.timedelta(days=3)
    )
    do_record_screenings(
        actor=grid_worker,
        records=[{"client_id": "check-lodger-1", "resident": lodger.pk, "quarantine": "home"}],
    )
    lines = {line.quarantine.pk: line for line in quarantines_for(grid_worker, inside.grid)}
    assert lines[late.pk].countdown.overdue and lines[late.pk].countdown.days_overdue == 7
    assert lines[late.pk].checked_today
    assert lines[running.pk].countdown.days_left == 10 and not lines[running.pk].checked_today


@pytest.mark.django_db
def test_quarantine_page_lists_overdue_first(client, inside, lodger, secretary):
    services.do_start_quarantine(
        actor=secretary,
        resident=lodger,
        kind="home",
        start=timezone.localdate() - dt.timedelta(days=15),
    )
    client.force_login(secretary)
    page = client.get("/screening/quarantine/").content.decode()
    overdue = page[page.index('id="overdue"') : page.index('id="running"')]
    assert "租客" in overdue and "超期 2 天" in overdue
