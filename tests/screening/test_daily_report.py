"""The community's daily report: figures from screenings, quarantine, contacts and stock;
notes, submit and lock, zero report; roll-ups; reminders after the deadline."""

import datetime as dt

import pytest
from django.utils import timezone

from linli.places.models import Place
from linli.screening import services
from linli.screening.ingest import do_record_screenings
from linli.screening.models import DailyReport
from linli.screening.selectors import child_rows, community_figures, missing_communities, rollup


@pytest.mark.django_db
def test_figures_come_from_what_each_capability_stores(inside, secretary, grid_worker):
    from linli.guardianship.services import do_log_contact
    from linli.supplies.models import Item, StockLocation
    from linli.supplies.services import do_issue_stock, do_receive_stock

    today = timezone.localdate()
    do_record_screenings(
        actor=grid_worker,
        records=[
            {"client_id": "fig-0000001", "household": inside.household.pk},
            {"client_id": "fig-0000002", "household": inside.household.pk, "temperature": 38.2},
            {
                "client_id": "fig-0000003",
                "household": inside.household.pk,
                "travel_from": "某地",
                "from_risk_area": True,
            },
        ],
    )
    services.do_start_quarantine(actor=secretary, resident=inside.resident, kind="home")
    do_log_contact(actor=secretary, ward=inside.ward, method="phone")
    masks = Item.objects.create(code="mask", name="口罩", unit="个")
    store = StockLocation.objects.create(place=inside.community, name="仓库", kind="warehouse")
    do_receive_stock(actor=None, item=masks, location=store, quantity=70)
    do_issue_stock(actor=None, item=masks, location=store, quantity=35)  # 5 a day over the week
    figures = community_figures(inside.community.code, today)
    assert (figures.screened, figures.fever, figures.from_risk_areas) == (3, 1, 1)
    assert (figures.quarantined_home, figures.quarantined_centralised) == (1, 0)
    assert (figures.vulnerable_contacted, figures.vulnerable_overdue) == (1, 0)
    assert figures.stock_days_left == 7.0
    assert community_figures(inside.community.code, today - dt.timedelta(days=1)).screened == 0


@pytest.mark.django_db
def test_submit_freezes_the_figures_and_locks_the_report(inside, secretary, grid_worker):
    today = timezone.localdate()
    services.do_save_report_notes(
        actor=secretary, community=inside.community, day=today, notes="巡查完毕"
    )
    do_record_screenings(
        actor=grid_worker, records=[{"client_id": "lock-000001", "household": inside.household.pk}]
    )
    report = services.do_submit_report(actor=secretary, community=inside.community, day=today)
    assert (report.status, report.screened, report.notes) == ("submitted", 1, "巡查完毕")
    do_record_screenings(
        actor=grid_worker, records=[{"client_id": "lock-000002", "household": inside.household.pk}]
    )
    report.refresh_from_db()
    assert report.screened == 1  # locked: later records do not change a submitted report
    with pytest.raises(services.ScreeningError, match="locked"):
        services.do_save_report_notes(
            actor=secretary, community=inside.community, day=today, notes="x"
        )
    with pytest.raises(services.ScreeningError, match="already submitted"):
        services.do_submit_report(actor=secretary, community=inside.community, day=today)


@pytest.mark.django_db
def test_zero_report_is_one_tap_unless_something_happened(client, inside, secretary, grid_worker):
    today = timezone.localdate()
    client.force_login(secretary)
    url = f"/screening/reports/{inside.community.code}/{today.isoformat()}/"
    do_record_screenings(
        actor=grid_worker,
        records=[
            {"client_id": "zero-00001", "household": inside.household.pk, "temperature": 38.5}
        ],
    )
    response = client.post(url + "submit/", {"action": "zero"}, follow=True)
    assert "不能零报告：发热 1 人" in response.content.decode()  # the page speaks Chinese
    assert not DailyReport.objects.filter(status="submitted").exists()
    other = Place.objects.get(code="510107005001")
    client.force_login(services_user(other))
    response = client.post(
        f"/screening/reports/{other.code}/{today.isoformat()}/submit/", {"action": "zero"}
    )
    assert response.status_code == 302
    report = DailyReport.objects.get(place=other)
    assert report.zero_report and report.status == "submitted"


def services_user(place):
    from linli.accounts.models import User

    return User.objects.create_user(
        username=f"sec-{place.code}",
        password="pw-for-tests-1",
        role="community_secretary",
        place=place,
    )


def submit(community: Place, day: dt.date, screened: int, fever: int = 0, stock=None):
    DailyReport.objects.create(
        place=community,
        day=day,
        status="submitted",
        screened=screened,
        fever=fever,
        stock_days_left=stock,
    )


@pytest.mark.django_db
def test_rollups_are_sums_of_submitted_community_reports():
    day = dt.date(2026, 3, 2)
    street = Place.objects.get(code="510107005")  # 玉林街道
    communities = list(Place.objects.filter(parent=street).order_by("code"))
    for i, community in enumerate(communities[:-1]):
        submit(community, day, screened=100 + i, fever=i % 2, stock=5.0 + i)
    DailyReport.objects.create(place=communities[-1], day=day, screened=999)  # a draft: not counted
    other_street = Place.objects.get(code="510107001")
    for community in Place.objects.filter(parent=other_street)[:2]:
        submit(community, day, screened=10)
    figures = rollup(street, day)
    assert figures.screened == sum(100 + i for i in range(len(communities) - 1))
    assert figures.stock_days_left == 5.0
    assert missing_communities(street, day) == [communities[-1]]
    district = street.parent
    rows = child_rows(district, day)
    assert sum(r.figures.screened for r in rows) == rollup(district, day).screened
    assert rollup(district, day).screened == figures.screened + 20
    city_rows = child_rows(district.parent, day)
    assert sum(r.figures.fever for r in city_rows) == rollup(district.parent, day).fever
    assert sum(r.submitted for r in rows) == len(communities) - 1 + 2


@pytest.mark.django_db
def test_reminders_after_the_deadline_once_a_day(inside, secretary, make_user, settings):
    from linli.notifications.models import Notification

    settings.SCREENING_REPORT_DEADLINES = {
        "community": "10:00",
        "street": "11:00",
        "district": "12:00",
    }
    officer = make_user("street_officer")
    tz = timezone.get_current_timezone()
    day = timezone.localdate()
    early = dt.datetime.combine(day, dt.time(9, 30), tzinfo=tz)
    assert services.do_remind_missing_reports(now=early) == 0
    at_ten = dt.datetime.combine(day, dt.time(10, 5), tzinfo=tz)
    assert services.do_remind_missing_reports(now=at_ten) == 1
    assert Notification.objects.get(recipient=secretary).kind == "daily_report_missing"
    assert services.do_remind_missing_reports(now=at_ten) == 0  # once a day
    at_eleven = dt.datetime.combine(day, dt.time(11, 5), tzinfo=tz)
    assert services.do_remind_missing_reports(now=at_eleven) == 1
    note = Notification.objects.get(recipient=officer)
    assert "not submitted" in note.title and "玉林东路社区" in note.body


@pytest.mark.django_db
def test_report_pages_show_figures_children_and_charts(client, inside, make_user):
    day = dt.date(2026, 3, 2)
    for offset in range(3):
        submit(
            inside.community, day - dt.timedelta(days=offset), screened=40 + offset, fever=offset
        )
    client.force_login(make_user("district_officer"))
    community_page = client.get(
        f"/screening/reports/{inside.community.code}/{day}/"
    ).content.decode()
    assert 'class="screened">40<' in community_page and "<svg" in community_page
    street_page = client.get(
        f"/screening/reports/{inside.community.code[:9]}/{day}/"
    ).content.decode()
    assert 'id="children"' in street_page and "<polyline" in street_page
    assert client.get(f"/screening/reports/{inside.community.code}/2026-02-30/").status_code == 404
