"""The task force's JSON API: a community's groups and its task board (read only)."""

# No "from __future__ import annotations": django-ninja reads the annotations at runtime.

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from linli.accounts.roles import Can

from .models import Task, TaskForce
from .selectors import reach

router = Router(tags=["taskforce"])


class GroupOut(Schema):
    id: int
    kind: str
    name: str
    name_en: str
    members: int
    lead: str | None
    open_tasks: int


class TaskOut(Schema):
    id: int
    title: str
    group: str | None
    status: str
    priority: str
    due_at: dt.datetime | None
    assignee: str | None
    source_key: str
    link: str

    @staticmethod
    def resolve_group(obj: Task) -> str | None:
        return obj.group.kind if obj.group else None

    @staticmethod
    def resolve_assignee(obj: Task) -> str | None:
        return obj.assignee.name if obj.assignee else None


def _taskforce(request: HttpRequest, code: str) -> TaskForce:
    if not request.user.can(Can.VIEW_TASKFORCE):
        raise HttpError(403, "not allowed")
    return reach(TaskForce, request.user, community__code=code)


@router.get("/{code}/groups", response=list[GroupOut], summary="A community's task-force groups")
def list_groups(request: HttpRequest, code: str):
    taskforce = _taskforce(request, code)
    out = []
    for group in taskforce.groups.prefetch_related("members"):
        members = list(group.members.all())
        out.append(
            {
                "id": group.pk,
                "kind": group.kind,
                "name": group.name,
                "name_en": group.name_en,
                "members": len(members),
                "lead": next((m.name for m in members if m.is_lead), None),
                "open_tasks": group.tasks.filter(status__in=Task.OPEN_STATUSES).count(),
            }
        )
    return out


@router.get("/{code}/tasks", response=list[TaskOut], summary="A community's task board")
def list_tasks(request: HttpRequest, code: str, status: str = "", group: str = ""):
    """``status`` (open, doing, done, cancelled) and ``group`` (a group's kind) filter it."""
    taskforce = _taskforce(request, code)
    tasks = taskforce.tasks.select_related("group", "assignee").order_by("due_at", "-pk")
    if status:
        tasks = tasks.filter(status=status)
    if group:
        tasks = tasks.filter(group__kind=group)
    return list(tasks[:500])
