"""Scoped reads of the task force, playbooks (the library) and organisation support."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from linli.common.scope import scope_prefix, scoped
from linli.places.models import Place

from .models import Deployment, Organisation, Playbook, PlaybookVersion, Task, TaskForce

OPEN = [Task.Status.OPEN, Task.Status.DOING]


COMMUNITY_CODE_LENGTH = 12


def own_community_code(actor: Any) -> str | None:
    """The community an account below community level (a grid worker) belongs to."""
    prefix = scope_prefix(actor)
    return (
        prefix[:COMMUNITY_CODE_LENGTH] if prefix and len(prefix) > COMMUNITY_CODE_LENGTH else None
    )


def in_reach(queryset: QuerySet, actor: Any) -> QuerySet:
    """Task-force rows the actor reaches: its subtree, and the task force of its own community
    for accounts below community level (a grid worker is on the community's task force)."""
    prefix = scope_prefix(actor)
    if prefix is None:
        return queryset.none()
    path = queryset.model.scope_path  # type: ignore[attr-defined]
    reach = Q(**{f"{path}__startswith": prefix})
    own = own_community_code(actor)
    if own:
        reach |= Q(**{path: own})
    return queryset.filter(reach)


def reach(model: Any, actor: Any, /, queryset: QuerySet | None = None, **lookup: Any) -> Any:
    """Like linli.common.scope.access, with the reach of :func:`in_reach`: 404 outside it."""
    from django.http import Http404

    qs = in_reach(queryset if queryset is not None else model.objects.all(), actor)
    try:
        return qs.get(**lookup)
    except (model.DoesNotExist, model.MultipleObjectsReturned, ValueError):
        raise Http404 from None


def playbooks_for(actor: Any) -> QuerySet[Playbook]:
    """The library: built-in and shared playbooks, and the private ones of the actor's places."""
    prefix = scope_prefix(actor)
    if prefix is None:
        return Playbook.objects.none()
    mine = Q(owner__code__startswith=prefix)
    own = own_community_code(actor)
    if own:
        mine |= Q(owner__code=own)
    return Playbook.objects.filter(Q(owner__isnull=True) | Q(shared=True) | mine)


def search_playbooks(actor: Any, *, q: str = "", tag: str = "") -> list[Playbook]:
    """Playbooks by what they solve: words in the title, summary, tags, group names and
    templates of the latest version; with how many communities use them and their rating."""
    books = list(
        playbooks_for(actor)
        .select_related("owner", "derived_from__playbook__owner")
        .annotate(stars=Avg("ratings__stars"), rated=Count("ratings", distinct=True))
    )
    users = dict(
        TaskForce.objects.filter(adopted__isnull=False)
        .values_list("adopted__playbook")
        .annotate(n=Count("pk"))
    )
    latest = {
        v.playbook_id: v
        for v in PlaybookVersion.objects.filter(playbook__in=books).order_by("playbook", "number")
    }
    words = [w.lower() for w in q.split() if w]
    found = []
    for book in books:
        book.users = users.get(book.pk, 0)  # type: ignore[attr-defined]
        book.latest_version = latest.get(book.pk)  # type: ignore[attr-defined]
        if tag and tag not in book.tags:
            continue
        book.matching_templates = []  # type: ignore[attr-defined]
        if words:
            haystack = _haystack(book, latest.get(book.pk))
            if not all(w in haystack for w in words):
                continue
            book.matching_templates = _templates_matching(latest.get(book.pk), words)  # type: ignore[attr-defined]
        found.append(book)
    found.sort(key=lambda b: (-(b.users), -(b.stars or 0), b.title))  # type: ignore[attr-defined]
    return found


def _haystack(book: Playbook, version: PlaybookVersion | None) -> str:
    parts = [book.title, book.title_en, book.summary, book.summary_en, *book.tags]
    if version is not None:
        for group in version.content.get("groups", []):
            parts += [group.get("name", ""), group.get("name_en", "")]
            for section in ("duties", "standards", "steps"):
                parts += [
                    t.get("text", "") + " " + t.get("text_en", "") for t in group.get(section, [])
                ]
            parts += [
                t.get("title", "") + " " + t.get("title_en", "") for t in group.get("templates", [])
            ]
    return " ".join(parts).lower()


def _templates_matching(version: PlaybookVersion | None, words: list[str]) -> list[tuple[str, str]]:
    """(group name, template title) of the templates whose title or text has any of the words."""
    if version is None:
        return []
    out = []
    for group in version.content.get("groups", []):
        for t in group.get("templates", []):
            text = " ".join([t.get("title", ""), t.get("title_en", ""), t.get("body", "")]).lower()
            if any(w in text for w in words):
                out.append((group.get("name", ""), t.get("title", "")))
    return out


def all_tags(books: list[Playbook]) -> list[str]:
    return sorted({t for b in books for t in b.tags})


@dataclass(frozen=True)
class GroupDay:
    tasks: list[Task]
    members: list[Any]


def tasks_today(group, *, now: dt.datetime | None = None) -> list[Task]:
    """Open tasks due today or earlier (overdue first), then open tasks with no due time."""
    now = now or timezone.now()
    end = timezone.localtime(now).replace(hour=23, minute=59, second=59)
    qs = group.tasks.filter(status__in=OPEN).select_related("assignee")
    return list(qs.filter(due_at__lte=end).order_by("due_at")) + list(
        qs.filter(due_at__isnull=True).order_by("-pk")
    )


def communities_present(community: Place) -> tuple[list[Organisation], list[Deployment]]:
    """Organisations and workers deployed to a community today."""
    today = timezone.localdate()
    deployments = list(
        Deployment.objects.filter(community=community, start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .select_related("worker__organisation")
        .order_by("worker__organisation__name", "worker__name")
    )
    organisations = list(
        {d.worker.organisation_id: d.worker.organisation for d in deployments}.values()
    )
    return organisations, deployments


def support_by_community(actor: Any) -> list[tuple[Place, int, int]]:
    """Every community in the actor's subtree with how many organisations and workers are
    deployed there today; those with none first."""
    today = timezone.localdate()
    communities = list(scoped(Place, actor).filter(level="community").order_by("code"))
    rows = (
        Deployment.objects.filter(community__in=communities, start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .values("community")
        .annotate(
            orgs=Count("worker__organisation", distinct=True),
            workers=Count("worker", distinct=True),
        )
    )
    counts = {r["community"]: (r["orgs"], r["workers"]) for r in rows}
    result = [(c, *counts.get(c.pk, (0, 0))) for c in communities]
    result.sort(key=lambda row: (row[1] > 0, row[0].code))
    return result


def open_task_counts(taskforce: TaskForce) -> dict[int, int]:
    return dict(
        taskforce.tasks.filter(status__in=OPEN, group__isnull=False)
        .values_list("group")
        .annotate(n=Count("pk"))
    )


def member_candidates(group) -> dict[str, Any]:
    """Who can be put on a group: the community's accounts and volunteers, and the social
    workers deployed to it today."""
    from linli.accounts.models import User
    from linli.guardianship.models import Volunteer

    community = group.taskforce.community
    _orgs, deployments = communities_present(community)
    return {
        "accounts": User.objects.filter(
            place__code__startswith=community.code, is_active=True
        ).order_by("username"),
        "volunteers": Volunteer.objects.filter(place__code__startswith=community.code).order_by(
            "name"
        ),
        "deployments": deployments,
    }


def access_playbook(actor: Any, pk: int) -> Playbook:
    from django.http import Http404

    book = (
        playbooks_for(actor)
        .select_related("owner", "derived_from__playbook__owner")
        .filter(pk=pk)
        .first()
    )
    if book is None:
        raise Http404
    return book
