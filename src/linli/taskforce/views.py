"""Phone-first task-force pages: the task force, a group (who is on, today's tasks, the
process), boards, tasks with comments and attachments."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.roles import Can
from linli.common.dates import parse_moment
from linli.common.views import requires
from linli.places.models import Place

from . import selectors, services
from .models import Entry, Group, Member, Priority, Task, TaskComment, TaskForce
from .selectors import reach


def community_place(user, code: str) -> Place:
    return reach(Place, user, code=code, level="community")


def taskforce_of(user, code: str) -> TaskForce:
    return reach(TaskForce, user, community__code=code)


def _file(request: HttpRequest, field: str) -> tuple[str, bytes]:
    upload = request.FILES.get(field)
    return (upload.name, upload.read()) if upload else ("", b"")


def _download(name: str, data: bytes) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type="application/octet-stream")
    safe = "".join(c for c in name if c not in '"\\\r\n') or "file"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(safe)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@requires(Can.VIEW_TASKFORCE)
def index(request: HttpRequest) -> HttpResponse:
    """The task forces the account reaches: its own community's first, then those below it."""
    user = request.user
    own = user.place.code if user.place.level == "community" else selectors.own_community_code(user)
    forces = selectors.in_reach(TaskForce.objects.all(), user).select_related(
        "community", "adopted__playbook__owner"
    )
    context = {"forces": forces, "own": own}
    return render(request, "taskforce/index.html", context)


@requires(Can.VIEW_TASKFORCE)
def community(request: HttpRequest, code: str) -> HttpResponse:
    place = community_place(request.user, code)
    taskforce = (
        TaskForce.objects.filter(community=place).select_related("adopted__playbook").first()
    )
    context = {
        "place": place,
        "taskforce": taskforce,
        "can_manage": request.user.can(Can.MANAGE_TASKFORCE),
    }
    if taskforce is None:
        from .playbook_services import ensure_builtin_playbooks

        ensure_builtin_playbooks()
        context["books"] = selectors.search_playbooks(request.user)
        return render(request, "taskforce/adopt.html", context)
    groups = list(taskforce.groups.prefetch_related("members__position"))
    open_counts = selectors.open_task_counts(taskforce)
    context["groups"] = [
        (g, [m for m in g.members.all() if m.is_lead], open_counts.get(g.pk, 0)) for g in groups
    ]
    from .playbook_services import provenance

    context["provenance"] = provenance(taskforce.adopted.playbook) if taskforce.adopted else ""
    context["overdue"] = taskforce.tasks.filter(
        status__in=services.OPEN, due_at__lt=timezone.now()
    ).count()
    return render(request, "taskforce/community.html", context)


@requires(Can.MANAGE_TASKFORCE)
@require_POST
def add_group(request: HttpRequest, code: str) -> HttpResponse:
    taskforce = taskforce_of(request.user, code)
    try:
        group = services.do_add_group(
            actor=request.user,
            taskforce=taskforce,
            kind=request.POST.get("kind", ""),
            name=request.POST.get("name", ""),
        )
        return redirect("taskforce:group", pk=group.pk)
    except services.TaskforceError as error:
        messages.error(request, str(error))
    return redirect("taskforce:community", code=code)


@requires(Can.VIEW_TASKFORCE)
def group(request: HttpRequest, pk: int) -> HttpResponse:
    """On a phone: who is on, today's tasks, the process; duties, standards, templates."""
    group = reach(
        Group, request.user, queryset=Group.objects.select_related("taskforce__community"), pk=pk
    )
    entries = list(group.entries.defer("file"))
    context = {
        "group": group,
        "place": group.taskforce.community,
        "members": group.members.select_related("position"),
        "today": selectors.tasks_today(group),
        "sections": {s: [e for e in entries if e.section == s] for s in Entry.Section.values},
        "positions": group.positions.all(),
        "recurring": group.recurring.filter(active=True),
        "can_manage": request.user.can(Can.MANAGE_TASKFORCE),
        "priorities": Priority.choices,
    }
    if context["can_manage"]:
        context.update(selectors.member_candidates(group))
    return render(request, "taskforce/group.html", context)


@requires(Can.MANAGE_TASKFORCE)
def edit_group(request: HttpRequest, pk: int) -> HttpResponse:
    group = reach(Group, request.user, pk=pk)
    if request.method == "POST":
        try:
            services.do_update_group(
                actor=request.user,
                group=group,
                name=request.POST.get("name", ""),
                positions=request.POST.get("positions", ""),
                duties=request.POST.get("duties", ""),
                standards=request.POST.get("standards", ""),
                steps=request.POST.get("steps", ""),
            )
            messages.success(request, _("Group saved. Publish a new version to share the change."))
            return redirect("taskforce:group", pk=group.pk)
        except services.TaskforceError as error:
            messages.error(request, str(error))
    lines = {
        s: "\n".join(e.text for e in group.entries.filter(section=s).defer("file"))
        for s in ("duties", "standards", "steps")
    }
    positions = "\n".join(p.name for p in group.positions.all())
    return render(
        request,
        "taskforce/edit_group.html",
        {"group": group, "lines": lines, "positions": positions},
    )


@requires(Can.MANAGE_TASKFORCE)
@require_POST
def add_member(request: HttpRequest, pk: int) -> HttpResponse:
    group = reach(Group, request.user, pk=pk)
    post = request.POST
    try:
        candidates = selectors.member_candidates(group)
        position = group.positions.filter(pk=post.get("position") or 0).first()
        account = candidates["accounts"].filter(pk=post.get("account") or 0).first()
        volunteer = candidates["volunteers"].filter(pk=post.get("volunteer") or 0).first()
        deployment = next(
            (d for d in candidates["deployments"] if str(d.pk) == post.get("deployment")), None
        )
        services.do_add_member(
            actor=request.user,
            group=group,
            name=post.get("name", ""),
            phone=post.get("phone", ""),
            position=position,
            account=account,
            volunteer=volunteer,
            deployment=deployment,
            is_lead=post.get("is_lead") == "on",
        )
        messages.success(request, _("Member added."))
    except services.TaskforceError as error:
        messages.error(request, str(error))
    return redirect("taskforce:group", pk=group.pk)


@requires(Can.MANAGE_TASKFORCE)
@require_POST
def change_member(request: HttpRequest, pk: int) -> HttpResponse:
    member = reach(Member, request.user, pk=pk)
    if request.POST.get("action") == "remove":
        services.do_remove_member(actor=request.user, member=member)
    else:
        services.do_set_lead(actor=request.user, member=member)
    return redirect("taskforce:group", pk=member.group_id)


@requires(Can.MANAGE_TASKFORCE)
@require_POST
def add_recurring(request: HttpRequest, pk: int) -> HttpResponse:
    group = reach(Group, request.user, pk=pk)
    try:
        services.do_add_recurring(
            actor=request.user,
            group=group,
            title=request.POST.get("title", ""),
            due_time=request.POST.get("due_time", ""),
            priority=request.POST.get("priority", Priority.NORMAL),
        )
        services.do_make_daily_tasks()
        messages.success(request, _("Daily task added; today's is on the board."))
    except services.TaskforceError as error:
        messages.error(request, str(error))
    return redirect("taskforce:group", pk=group.pk)


@requires(Can.MANAGE_TASKFORCE)
@require_POST
def add_template(request: HttpRequest, pk: int) -> HttpResponse:
    group = reach(Group, request.user, pk=pk)
    try:
        if request.POST.get("remove"):
            entry = group.entries.filter(pk=request.POST["remove"]).first()
            if entry is None:
                raise Http404
            services.do_delete_template(actor=request.user, entry=entry)
        else:
            name, data = _file(request, "file")
            services.do_add_template(
                actor=request.user,
                group=group,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                file_name=name,
                data=data,
            )
    except services.TaskforceError as error:
        messages.error(request, str(error))
    return redirect("taskforce:group", pk=group.pk)


@requires(Can.VIEW_TASKFORCE)
def template(request: HttpRequest, pk: int) -> HttpResponse:
    entry = reach(Entry, request.user, pk=pk, section=Entry.Section.TEMPLATE)
    if not entry.file_name:
        raise Http404
    return _download(entry.file_name, entry.file)


@requires(Can.VIEW_TASKFORCE)
def board(request: HttpRequest, code: str) -> HttpResponse:
    """The whole task force's board, or one group's (?group=ID), by status."""
    taskforce = taskforce_of(request.user, code)
    groups = list(taskforce.groups.all())
    chosen = next((g for g in groups if str(g.pk) == request.GET.get("group")), None)
    tasks = taskforce.tasks.select_related("group", "assignee")
    if chosen is not None:
        tasks = tasks.filter(group=chosen)
    now = timezone.now()
    columns = [
        (value, label, [t for t in tasks.filter(status=value)[:100]])
        for value, label in Task.Status.choices
        if value != Task.Status.CANCELLED
    ]
    members = Member.objects.filter(group__taskforce=taskforce).select_related("group")
    context = {
        "taskforce": taskforce,
        "place": taskforce.community,
        "groups": groups,
        "chosen": chosen,
        "columns": columns,
        "now": now,
        "members": members,
        "priorities": Priority.choices,
        "can_manage": request.user.can(Can.MANAGE_TASKFORCE),
    }
    return render(request, "taskforce/board.html", context)


def _due(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = parse_moment(value)
    except ValueError:
        raise services.TaskforceError(
            _("Due: “%(value)s” is not a date and time") % {"value": value}
        ) from None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


@requires(Can.MANAGE_TASKFORCE)
@require_POST
def new_task(request: HttpRequest, code: str) -> HttpResponse:
    taskforce = taskforce_of(request.user, code)
    post = request.POST
    try:
        group = taskforce.groups.filter(pk=post.get("group") or 0).first()
        assignee = Member.objects.filter(
            group__taskforce=taskforce, pk=post.get("assignee") or 0
        ).first()
        services.do_create_task(
            actor=request.user,
            taskforce=taskforce,
            group=group,
            title=post.get("title", ""),
            description=post.get("description", ""),
            assignee=assignee,
            due_at=_due(post.get("due_at", "")),
            priority=post.get("priority", Priority.NORMAL),
        )
        messages.success(request, _("Task added."))
    except services.TaskforceError as error:
        messages.error(request, str(error))
    url = redirect("taskforce:board", code=code)
    if post.get("group"):
        url["Location"] += f"?group={post['group']}"
    return url


@requires(Can.VIEW_TASKFORCE)
def task(request: HttpRequest, pk: int) -> HttpResponse:
    task = reach(
        Task,
        request.user,
        queryset=Task.objects.select_related("taskforce__community", "group", "assignee"),
        pk=pk,
    )
    if request.method == "POST":
        assignee: Member | str | None = "keep"
        if "assignee" in request.POST:
            if not request.user.can(Can.MANAGE_TASKFORCE):
                raise PermissionDenied
            assignee = Member.objects.filter(
                group__taskforce=task.taskforce_id, pk=request.POST["assignee"] or 0
            ).first()
        try:
            services.do_update_task(
                actor=request.user, task=task, status=request.POST.get("status"), assignee=assignee
            )
            messages.success(request, _("Task updated."))
        except services.TaskforceError as error:
            messages.error(request, str(error))
        return redirect("taskforce:task", pk=task.pk)
    context = {
        "task": task,
        "place": task.taskforce.community,
        "comments": task.comments.defer("file").select_related("author"),
        "statuses": Task.Status.choices,
        "members": Member.objects.filter(group__taskforce=task.taskforce_id).select_related(
            "group"
        ),
        "can_manage": request.user.can(Can.MANAGE_TASKFORCE),
        "overdue": task.due_at and task.status in services.OPEN and task.due_at < timezone.now(),
    }
    return render(request, "taskforce/task.html", context)


@requires(Can.VIEW_TASKFORCE)
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    task = reach(Task, request.user, pk=pk)
    name, data = _file(request, "file")
    try:
        services.do_comment_task(
            actor=request.user,
            task=task,
            text=request.POST.get("text", ""),
            file_name=name,
            data=data,
        )
    except services.TaskforceError as error:
        messages.error(request, str(error))
    return redirect("taskforce:task", pk=task.pk)


@requires(Can.VIEW_TASKFORCE)
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    note = reach(TaskComment, request.user, pk=pk)
    if not note.file_name:
        raise Http404
    return _download(note.file_name, note.file)
