"""Every write of the task force: groups and their content, members, tasks (including those
other capabilities raise), recurring daily tasks and overdue flags."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.places.models import Place

from .models import (
    Entry,
    Group,
    Member,
    Position,
    Priority,
    RecurringTask,
    Task,
    TaskComment,
    TaskForce,
)

log = logging.getLogger(__name__)
MAX_ATTACHMENT = 5 * 1024 * 1024
OPEN = [Task.Status.OPEN, Task.Status.DOING]


class TaskforceError(ValueError):
    """A task-force action that cannot be done; the message names what and where."""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# ---------------------------------------------------------------- groups and their content


def do_add_group(*, actor: Any, taskforce: TaskForce, kind: str, name: str) -> Group:
    """A group beyond (or instead of) the standard set."""
    import re

    kind, name = (kind or "").strip(), (name or "").strip()
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", kind):
        raise TaskforceError(
            _("Group key: use lower-case letters, digits and _ (got “%(value)s”)") % {"value": kind}
        )
    if not name:
        raise TaskforceError(_("Group name is required"))
    if taskforce.groups.filter(kind=kind).exists():
        raise TaskforceError(
            _("There is already a group with the key “%(value)s”") % {"value": kind}
        )
    return Group.objects.create(
        taskforce=taskforce, kind=kind, name=name[:100], order=taskforce.groups.count()
    )


def do_update_group(
    *,
    actor: Any,
    group: Group,
    name: str,
    positions: str,
    duties: str,
    standards: str,
    steps: str,
) -> Group:
    """Rename a group and rewrite its positions, duties, standards and process steps from
    one line each. Positions and lines that stay keep their members and English text."""
    name = (name or "").strip()
    if not name:
        raise TaskforceError(_("Group name is required"))
    with transaction.atomic():
        if name != group.name:
            group.name, group.name_en = name[:100], ""
            group.save(update_fields=["name", "name_en"])
        wanted = _lines(positions)
        if any(len(p) > 100 for p in wanted):
            raise TaskforceError(_("Positions: each name at most 100 characters"))
        kept = {p.name: p for p in group.positions.all()}
        for i, position_name in enumerate(wanted):
            position = kept.pop(position_name, None)
            if position is None:
                Position.objects.create(group=group, name=position_name, order=i)
            elif position.order != i:
                position.order = i
                position.save(update_fields=["order"])
        for stale in kept.values():
            stale.delete()
        for section, text in (
            (Entry.Section.DUTY, duties),
            (Entry.Section.STANDARD, standards),
            (Entry.Section.STEP, steps),
        ):
            english = {e.text: e.text_en for e in group.entries.filter(section=section)}
            group.entries.filter(section=section).delete()
            Entry.objects.bulk_create(
                [
                    Entry(
                        group=group,
                        section=section,
                        order=i,
                        text=line,
                        text_en=english.get(line, ""),
                    )
                    for i, line in enumerate(_lines(text))
                ]
            )
    return group


def do_add_template(
    *, actor: Any, group: Group, title: str, body: str = "", file_name: str = "", data: bytes = b""
) -> Entry:
    """A document or form for the group: text, a file, or both."""
    title = (title or "").strip()
    if not title:
        raise TaskforceError(_("Template title is required"))
    if not body.strip() and not data:
        raise TaskforceError(_("A template needs text or a file"))
    if len(data) > 2 * 1024 * 1024:
        raise TaskforceError(_("Template file: at most 2 MB"))
    order = group.entries.filter(section=Entry.Section.TEMPLATE).count()
    return Entry.objects.create(
        group=group,
        section=Entry.Section.TEMPLATE,
        order=order,
        text=title[:2000],
        body=body,
        file_name=file_name[:200] if data else "",
        file=data,
    )


def do_delete_template(*, actor: Any, entry: Entry) -> None:
    if entry.section != Entry.Section.TEMPLATE:
        raise TaskforceError(_("Only templates are removed one by one"))
    entry.delete()


# ---------------------------------------------------------------- members


def do_add_member(
    *,
    actor: Any,
    group: Group,
    name: str = "",
    phone: str = "",
    position: Position | None = None,
    account: Any = None,
    volunteer: Any = None,
    deployment: Any = None,
    is_lead: bool = False,
) -> Member:
    """Put someone on a group: an account, a volunteer, a deployed social worker, or a name."""
    if position is not None and position.group_id != group.pk:
        raise TaskforceError(_("That position belongs to another group"))
    if deployment is not None:
        today = timezone.localdate()
        if deployment.community_id != group.taskforce.community_id or not (
            deployment.start <= today and (deployment.end is None or deployment.end >= today)
        ):
            raise TaskforceError(_("That social worker is not deployed to this community today"))
        name = name or deployment.worker.name
        phone = phone or deployment.worker.phone
    if volunteer is not None:
        name, phone = name or volunteer.name, phone or volunteer.phone
        account = account or volunteer.account
    if account is not None and not name:
        name = account.get_full_name() or account.username
    name = (name or "").strip()
    if not name:
        raise TaskforceError(_("Name the member, or choose an account, volunteer or social worker"))
    with transaction.atomic():
        if is_lead:
            group.members.filter(is_lead=True).update(is_lead=False)
        return Member.objects.create(
            group=group,
            position=position,
            name=name[:64],
            phone=phone[:32],
            account=account,
            volunteer=volunteer,
            deployment=deployment,
            is_lead=is_lead,
        )


def do_set_lead(*, actor: Any, member: Member) -> Member:
    with transaction.atomic():
        Member.objects.filter(group=member.group_id, is_lead=True).update(is_lead=False)
        member.is_lead = True
        member.save(update_fields=["is_lead"])
    return member


def do_remove_member(*, actor: Any, member: Member) -> None:
    member.delete()


# ---------------------------------------------------------------- tasks


def _priority(value: str) -> str:
    if value not in Priority.values:
        raise TaskforceError(_("Unknown priority “%(value)s”") % {"value": value})
    return value


def do_create_task(
    *,
    actor: Any,
    taskforce: TaskForce,
    title: str,
    group: Group | None = None,
    description: str = "",
    assignee: Member | None = None,
    due_at: dt.datetime | None = None,
    priority: str = Priority.NORMAL,
    link: str = "",
) -> Task:
    title = (title or "").strip()
    if not title:
        raise TaskforceError(_("Task title is required"))
    if group is not None and group.taskforce_id != taskforce.pk:
        raise TaskforceError(_("That group belongs to another task force"))
    if assignee is not None and assignee.group.taskforce_id != taskforce.pk:
        raise TaskforceError(_("That member belongs to another task force"))
    task = Task.objects.create(
        taskforce=taskforce,
        group=group or (assignee.group if assignee else None),
        title=title[:200],
        description=description,
        assignee=assignee,
        due_at=due_at,
        priority=_priority(priority),
        link=link[:200],
        created_by=actor,
    )
    if assignee is not None:
        transaction.on_commit(lambda: _tell_assignee(task))
    return task


def _tell_assignee(task: Task) -> None:
    """The member a task is given to hears of it, when they have an account."""
    from linli.notifications.services import notify

    account = task.assignee.account if task.assignee else None
    if account is not None:
        notify(
            recipients=[account],
            kind="task_assigned",
            title=_("A task for you: %(title)s") % {"title": task.title},
            link=f"/taskforce/tasks/{task.pk}/",
        )


def raise_task(
    community: Place,
    group_kind: str,
    title: str,
    source_key: str,
    *,
    description: str = "",
    priority: str = Priority.HIGH,
    due_at: dt.datetime | None = None,
    link: str = "",
) -> Task | None:
    """A task another capability raises for the right group of a community's task force
    (a low-stock alert → logistics, a guardianship gap → quarantine support, a missed daily
    report → data statistics).

    Idempotent by ``source_key``: while a task with that key is open (to do or in progress)
    raising it again returns that task. Returns None when the community has no task force
    yet (the capability's own notification still reaches people). The group is told."""
    taskforce = TaskForce.objects.filter(community=community).first()
    if taskforce is None:
        return None
    group = taskforce.groups.filter(kind=group_kind).first()
    existing = Task.objects.filter(
        taskforce=taskforce, source_key=source_key, status__in=OPEN
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            task = Task.objects.create(
                taskforce=taskforce,
                group=group,  # a community without that group: the whole task force's board
                title=str(title)[:200],
                description=str(description),
                priority=_priority(priority),
                due_at=due_at,
                link=link[:200],
                source_key=source_key[:120],
            )
    except IntegrityError:  # raised at the same moment by another worker
        return Task.objects.filter(
            taskforce=taskforce, source_key=source_key, status__in=OPEN
        ).first()
    transaction.on_commit(lambda: _tell_group(task))
    log.info("task raised community=%s group=%s key=%s", community.code, group_kind, source_key)
    return task


def resolve_raised_task(community: Place, source_key: str) -> int:
    """The problem an open raised task was about has gone (e.g. a new plan has no gaps):
    mark it done; returns how many were closed (0 or 1)."""
    return Task.objects.filter(
        taskforce__community=community, source_key=source_key, status__in=OPEN
    ).update(status=Task.Status.DONE, closed_at=timezone.now())


def raise_missed_daily_report(
    community: Place, *, report: str, day: dt.date, link: str = "/reports/"
) -> Task | None:
    """A daily report (issue 6) not sent by its deadline: an urgent task for the community's
    data statistics group, one per report and day (a check that runs every few minutes
    raises it once; tomorrow's miss is a new task)."""
    return raise_task(
        community,
        Group.Kind.STATISTICS,
        _("Daily report not sent: %(report)s for %(day)s")
        % {"report": report, "day": day.isoformat()},
        f"reports.missed:{report}:{day.isoformat()}",
        description=_("Send it from the reports page, then mark this task done."),
        priority=Priority.URGENT,
        link=link,
    )


def _leads_or_secretaries(taskforce: TaskForce, group: Group | None) -> list[Any]:
    from linli.accounts.models import User

    if group is not None:
        leads = [
            m.account
            for m in group.members.filter(is_lead=True, account__isnull=False).select_related(
                "account"
            )
        ]
        if leads:
            return leads
    return list(
        User.objects.filter(
            role="community_secretary", place=taskforce.community_id, is_active=True
        )
    )


def _tell_group(task: Task) -> None:
    from linli.notifications.services import notify

    recipients = _leads_or_secretaries(task.taskforce, task.group)
    if recipients:
        notify(
            recipients=recipients,
            kind="task_raised",
            title=_("New task for %(group)s: %(title)s")
            % {
                "group": task.group.display_name if task.group else _("the task force"),
                "title": task.title,
            },
            link=f"/taskforce/tasks/{task.pk}/",
            place=task.taskforce.community,
        )


def do_update_task(
    *, actor: Any, task: Task, status: str | None = None, assignee: Member | str | None = "keep"
) -> Task:
    """Move a task along (to do → in progress → done, or cancelled) or (re)assign it."""
    fields = []
    if status is not None and status != task.status:
        if status not in Task.Status.values:
            raise TaskforceError(_("Unknown status “%(value)s”") % {"value": status})
        task.status = status
        task.closed_at = None if status in OPEN else timezone.now()
        fields += ["status", "closed_at"]
    if assignee != "keep":
        if assignee is not None and assignee.group.taskforce_id != task.taskforce_id:  # type: ignore[union-attr]
            raise TaskforceError(_("That member belongs to another task force"))
        if assignee is not None and assignee != task.assignee:
            transaction.on_commit(lambda: _tell_assignee(task))
        task.assignee = assignee  # type: ignore[assignment]
        fields.append("assignee")
    if fields:
        try:
            with transaction.atomic():
                task.save(update_fields=fields)
        except IntegrityError:
            raise TaskforceError(
                _("Another open task already comes from the same alert; reopen that one instead")
            ) from None
    return task


def do_comment_task(
    *, actor: Any, task: Task, text: str = "", file_name: str = "", data: bytes = b""
) -> TaskComment:
    if not text.strip() and not data:
        raise TaskforceError(_("Write a comment or attach a file"))
    if len(data) > MAX_ATTACHMENT:
        raise TaskforceError(
            _("Attachment: at most 5 MB (got %(size)s MB)")
            % {"size": round(len(data) / 1048576, 1)}
        )
    return TaskComment.objects.create(
        task=task,
        author=actor,
        text=text.strip(),
        file_name=file_name[:200] if data else "",
        file=data,
    )


def do_add_recurring(
    *,
    actor: Any,
    group: Group,
    title: str,
    due_time: Any,
    priority: str = Priority.NORMAL,
    description: str = "",
    assignee: Member | None = None,
) -> RecurringTask:
    title = (title or "").strip()
    if not title:
        raise TaskforceError(_("Task title is required"))
    if isinstance(due_time, str):
        try:
            due_time = dt.time.fromisoformat(due_time)
        except ValueError:
            raise TaskforceError(
                _("Due time: “%(value)s” is not a time like 12:00") % {"value": due_time}
            ) from None
    return RecurringTask.objects.create(
        group=group,
        title=title[:200],
        description=description,
        due_time=due_time,
        priority=_priority(priority),
        assignee=assignee,
    )


def do_make_daily_tasks(*, today: dt.date | None = None) -> int:
    """Today's instance of every active recurring task; running it again makes none more."""
    today = today or timezone.localdate()
    made = 0
    tz = timezone.get_current_timezone()
    for recurring in RecurringTask.objects.filter(active=True).select_related("group"):
        due = dt.datetime.combine(today, recurring.due_time, tzinfo=tz)
        try:
            with transaction.atomic():
                _task, created = Task.objects.get_or_create(
                    recurring=recurring,
                    day=today,
                    defaults={
                        "taskforce_id": recurring.group.taskforce_id,
                        "group": recurring.group,
                        "title": recurring.title,
                        "description": recurring.description,
                        "priority": recurring.priority,
                        "assignee": recurring.assignee,
                        "due_at": due,
                    },
                )
        except IntegrityError:  # another worker made it first
            continue
        made += created
    return made


def do_flag_overdue(*, now: dt.datetime | None = None) -> int:
    """Tell each group lead (or the secretary) about tasks past due, once per task: the flag
    is claimed with a conditional UPDATE so two workers never both send it."""
    from linli.notifications.services import notify

    now = now or timezone.now()
    flagged = 0
    overdue = Task.objects.filter(
        status__in=OPEN, due_at__lt=now, overdue_flagged_at__isnull=True
    ).select_related("taskforce__community", "group")
    for task in overdue:
        claimed = Task.objects.filter(pk=task.pk, overdue_flagged_at__isnull=True).update(
            overdue_flagged_at=now
        )
        if not claimed:
            continue
        flagged += 1
        recipients = _leads_or_secretaries(task.taskforce, task.group)
        if recipients:
            notify(
                recipients=recipients,
                kind="task_overdue",
                title=_("Overdue: %(title)s") % {"title": task.title},
                body=_("Due %(due)s.")
                % {"due": timezone.localtime(task.due_at).strftime("%m-%d %H:%M")},
                link=f"/taskforce/tasks/{task.pk}/",
                place=task.taskforce.community,
            )
    return flagged
