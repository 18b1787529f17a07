"""Tasks: boards, raise_task from other capabilities (idempotent), daily tasks, overdue flags."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from linli.notifications.models import Notification
from linli.taskforce.models import RecurringTask, Task
from linli.taskforce.services import (
    TaskforceError,
    do_add_member,
    do_add_recurring,
    do_create_task,
    do_flag_overdue,
    do_make_daily_tasks,
    do_update_task,
    raise_task,
)

pytestmark = pytest.mark.django_db


def test_raise_task_is_idempotent_by_source_key_while_open(adopted, inside):
    first = raise_task(inside.community, "logistics", "补充口罩", "test:1")
    again = raise_task(inside.community, "logistics", "补充口罩", "test:1")
    assert first == again and Task.objects.count() == 1
    assert first.group.kind == "logistics" and first.priority == "high"
    do_update_task(actor=None, task=first, status="done")
    third = raise_task(inside.community, "logistics", "补充口罩", "test:1")
    assert third != first and Task.objects.count() == 2  # the problem came back


def test_raise_task_without_a_task_force_creates_nothing(inside):
    assert raise_task(inside.community, "logistics", "补充口罩", "test:1") is None
    assert not Task.objects.exists()


def test_reopening_a_task_while_another_from_the_same_alert_is_open_is_refused(adopted, inside):
    first = raise_task(inside.community, "logistics", "补充口罩", "test:1")
    do_update_task(actor=None, task=first, status="done")
    raise_task(inside.community, "logistics", "补充口罩", "test:1")
    with pytest.raises(TaskforceError, match="already comes from the same alert"):
        do_update_task(actor=None, task=first, status="open")


def test_a_low_stock_alert_raises_one_task_for_logistics(adopted, secretary, inside):
    from linli.supplies.services import do_alert_low_stock, do_issue_stock, do_receive_stock
    from tests.supplies.helpers import locations, masks

    warehouse, _ = locations(inside.community.code)
    do_receive_stock(actor=secretary, item=masks(), location=warehouse, quantity=100)
    do_issue_stock(actor=secretary, item=masks(), location=warehouse, quantity=90)
    assert do_alert_low_stock() == 1
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    do_alert_low_stock(today=tomorrow)  # the alert repeats the next day
    task = Task.objects.get()
    assert task.group.kind == "logistics" and task.taskforce == adopted
    assert "口罩" in task.title and "社区仓库" in task.title
    assert task.link == "/supplies/"


def test_guardianship_gaps_raise_one_task_for_quarantine_support(
    adopted, secretary, inside, django_capture_on_commit_callbacks
):
    from linli.guardianship.models import Trigger
    from linli.guardianship.replan import do_replan_community

    with django_capture_on_commit_callbacks(execute=True):
        result = do_replan_community(
            community=inside.community, trigger=Trigger.BY_HAND, actor=secretary
        )
    assert result.gaps == 1  # one volunteer: the ward has no backup
    with django_capture_on_commit_callbacks(execute=True):
        do_replan_community(community=inside.community, trigger=Trigger.BY_HAND, actor=secretary)
    task = Task.objects.get()
    assert task.group.kind == "quarantine_support"
    assert task.link == f"/guardianship/coverage/{inside.community.code}/"
    # no lead yet: the community secretary is told
    assert Notification.objects.filter(recipient=secretary, kind="task_raised").count() == 1
    # a second volunteer fills the backup role: the next plan has no gaps and closes the task
    from linli.guardianship.models import Volunteer

    Volunteer.objects.create(place=inside.compound, name="甲二号")
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            do_replan_community(
                community=inside.community, trigger=Trigger.BY_HAND, actor=secretary
            ).gaps
            == 0
        )
    task.refresh_from_db()
    assert task.status == "done" and task.closed_at is not None


def test_daily_tasks_are_made_once_a_day(adopted):
    group = adopted.groups.get(kind="statistics")
    do_add_recurring(actor=None, group=group, title="报送街道日报", due_time="16:00")
    today = dt.date(2026, 3, 2)
    assert do_make_daily_tasks(today=today) == 1
    assert do_make_daily_tasks(today=today) == 0
    assert do_make_daily_tasks(today=today + dt.timedelta(days=1)) == 1
    task = Task.objects.filter(day=today).get()
    assert timezone.localtime(task.due_at).hour == 16 and task.group == group
    with pytest.raises(TaskforceError, match="not a time"):
        do_add_recurring(actor=None, group=group, title="x", due_time="noon")
    assert RecurringTask.objects.count() == 1


def test_overdue_tasks_are_flagged_to_the_group_lead_once(adopted, make_user):
    lead_account = make_user("taskforce_lead")
    group = adopted.groups.get(kind="patrol")
    lead = do_add_member(actor=None, group=group, account=lead_account, is_lead=True)
    past = timezone.now() - dt.timedelta(hours=1)
    task = do_create_task(
        actor=None, taskforce=adopted, group=group, title="东门交接班", due_at=past, assignee=lead
    )
    do_create_task(
        actor=None,
        taskforce=adopted,
        group=group,
        title="明天的事",
        due_at=timezone.now() + dt.timedelta(days=1),
    )
    assert do_flag_overdue() == 1
    assert do_flag_overdue() == 0
    note = Notification.objects.get(kind="task_overdue")
    assert note.recipient == lead_account and "东门交接班" in note.title
    assert note.link == f"/taskforce/tasks/{task.pk}/"


def test_group_page_shows_who_is_on_todays_tasks_and_the_process(adopted, make_user, client):
    group = adopted.groups.get(kind="logistics")
    do_add_member(
        actor=None,
        group=group,
        name="王库管",
        position=group.positions.get(name="仓库管理员"),
        is_lead=True,
    )
    do_create_task(
        actor=None, taskforce=adopted, group=group, title="盘点口罩", due_at=timezone.now()
    )
    volunteer = make_user("volunteer")
    client.force_login(volunteer)
    body = client.get(reverse("taskforce:group", args=[group.pk])).content.decode()
    assert "王库管" in body and "Warehouse keeper" in body  # English page: the English name
    assert "盘点口罩" in body
    assert "Count stock every day and read the days of supply" in body  # a process step
    assert "Add a member" not in body  # volunteers do not manage
    chinese = client.get(
        reverse("taskforce:group", args=[group.pk]), headers={"accept-language": "zh-hans"}
    ).content.decode()
    assert "仓库管理员" in chinese and "每天盘点并查看剩余天数" in chinese


def test_a_task_moves_along_with_comments_and_attachments(adopted, secretary, make_user, client):
    task = do_create_task(actor=secretary, taskforce=adopted, title="联系物业")
    volunteer = make_user("volunteer")
    client.force_login(volunteer)
    url = reverse("taskforce:task", args=[task.pk])
    assert client.post(url, {"status": "doing"}).status_code == 302
    client.post(
        reverse("taskforce:comment", args=[task.pk]),
        {"text": "已电话联系", "file": SimpleUploadedFile("照片.jpg", b"\xff\xd8jpeg")},
    )
    task.refresh_from_db()
    assert task.status == "doing"
    comment = task.comments.get()
    assert comment.text == "已电话联系" and bytes(comment.file) == b"\xff\xd8jpeg"
    download = client.get(reverse("taskforce:attachment", args=[comment.pk]))
    assert download.content == b"\xff\xd8jpeg"
    assert client.post(url, {"assignee": ""}).status_code == 403  # only managers assign
    client.post(url, {"status": "done"})
    task.refresh_from_db()
    assert task.status == "done" and task.closed_at is not None


def test_the_board_shows_each_group_or_the_whole_task_force(adopted, secretary, client):
    logistics = adopted.groups.get(kind="logistics")
    client.force_login(secretary)
    response = client.post(
        reverse("taskforce:new_task", args=[adopted.community.code]),
        {
            "title": "领取消毒液",
            "group": logistics.pk,
            "priority": "urgent",
            "due_at": "2026-03-02T10:00",
        },
    )
    assert response.status_code == 302 and f"group={logistics.pk}" in response["Location"]
    do_create_task(
        actor=secretary,
        taskforce=adopted,
        group=adopted.groups.get(kind="patrol"),
        title="夜间巡查",
    )
    whole = client.get(reverse("taskforce:board", args=[adopted.community.code])).content.decode()
    assert "领取消毒液" in whole and "夜间巡查" in whole and "overdue" in whole
    one = client.get(
        reverse("taskforce:board", args=[adopted.community.code]), {"group": logistics.pk}
    ).content.decode()
    assert "领取消毒液" in one and "夜间巡查" not in one
    bad = client.post(
        reverse("taskforce:new_task", args=[adopted.community.code]),
        {"title": "x", "due_at": "tomorrow"},
        follow=True,
    )
    assert "Due: “tomorrow” is not a date and time" in bad.content.decode()


def test_the_member_given_a_task_hears_of_it(
    adopted, make_user, django_capture_on_commit_callbacks
):
    volunteer = make_user("volunteer")
    group = adopted.groups.get(kind="patrol")
    member = do_add_member(actor=None, group=group, account=volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        task = do_create_task(actor=None, taskforce=adopted, title="夜间巡查")
        do_update_task(actor=None, task=task, assignee=member)
    note = Notification.objects.get(kind="task_assigned")
    assert note.recipient == volunteer and "夜间巡查" in note.title
    assert task.group is None  # not given to a group: on the whole task force's board


def test_the_api_lists_groups_and_the_board(adopted, inside, secretary, client):
    raise_task(inside.community, "logistics", "补充口罩", "supplies.low_stock:7")
    client.force_login(secretary)
    groups = client.get(f"/api/taskforce/{inside.community.code}/groups").json()
    logistics = next(g for g in groups if g["kind"] == "logistics")
    assert (len(groups), logistics["open_tasks"], logistics["lead"]) == (7, 1, None)
    tasks = client.get(
        f"/api/taskforce/{inside.community.code}/tasks", {"group": "logistics"}
    ).json()
    assert [(t["title"], t["source_key"], t["status"]) for t in tasks] == [
        ("补充口罩", "supplies.low_stock:7", "open")
    ]
    assert client.get("/api/taskforce/510104017001/tasks").status_code == 404


def test_a_missed_daily_report_is_one_urgent_task_for_data_statistics_per_day(adopted, inside):
    from linli.taskforce.services import raise_missed_daily_report

    day = dt.date(2026, 3, 2)
    first = raise_missed_daily_report(inside.community, report="street_daily", day=day)
    assert raise_missed_daily_report(inside.community, report="street_daily", day=day) == first
    assert (first.group.kind, first.priority) == ("statistics", "urgent")
    assert "street_daily" in first.title and "2026-03-02" in first.title
    raise_missed_daily_report(
        inside.community, report="street_daily", day=day + dt.timedelta(days=1)
    )
    assert Task.objects.filter(group__kind="statistics").count() == 2


def test_a_daily_report_missed_after_the_deadline_raises_one_task_for_statistics(
    adopted, secretary, inside, settings
):
    from linli.screening.services import do_remind_missing_reports

    settings.SCREENING_REPORT_DEADLINES = {
        "community": "10:00",
        "street": "11:00",
        "district": "12:00",
    }
    tz = timezone.get_current_timezone()
    day = timezone.localdate()
    do_remind_missing_reports(now=dt.datetime.combine(day, dt.time(9, 30), tzinfo=tz))
    assert not Task.objects.exists()  # before the deadline nothing is late
    for minute in (5, 15):  # the check runs every ten minutes
        do_remind_missing_reports(now=dt.datetime.combine(day, dt.time(10, minute), tzinfo=tz))
    task = Task.objects.get()
    assert task.group.kind == "statistics" and task.taskforce == adopted
    assert task.priority == "urgent" and day.isoformat() in task.title
    assert task.link == f"/screening/reports/{inside.community.code}/{day.isoformat()}/"
