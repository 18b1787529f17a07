"""Playbook pages: the library (search by what it solves), a playbook with its versions and
provenance, the diff between versions; adopt, copy, publish, export and import."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.roles import Can
from linli.common.views import requires
from linli.domain.playbooks.content import parse_content
from linli.domain.playbooks.diff import diff as diff_content
from linli.domain.playbooks.fileformat import MESSAGES, PlaybookFileError

from . import playbook_services as books
from . import selectors
from .models import PlaybookVersion, TaskForce
from .views import community_place, taskforce_of


def _version(request: HttpRequest, pk: int) -> PlaybookVersion:
    book = selectors.access_playbook(request.user, pk)
    version = book.versions.filter(number=request.POST.get("version") or 0).first() or book.latest()
    if version is None:
        raise Http404
    return version


def translated_file_error(error: PlaybookFileError) -> str:
    """The file's problems in the reader's language (the domain names them by code)."""
    return "; ".join(_(MESSAGES[p.code]) % p.params for p in error.problems)


@requires(Can.MANAGE_TASKFORCE)
@require_POST
def adopt(request: HttpRequest, code: str) -> HttpResponse:
    place = community_place(request.user, code)
    chosen = request.POST.get("playbook", "")
    book = (
        selectors.playbooks_for(request.user).filter(pk=chosen).first()
        if chosen.isdigit()
        else None
    )
    if book is None:
        messages.error(request, _("Choose a playbook to adopt"))
        return redirect("taskforce:community", code=code)
    version = _version(request, book.pk)
    try:
        books.do_adopt_playbook(actor=request.user, community=place, version=version)
        messages.success(
            request, _("Task force set up from %(playbook)s.") % {"playbook": version.label()}
        )
    except books.PlaybookError as error:
        messages.error(request, str(error))
    return redirect("taskforce:community", code=code)


@requires(Can.MANAGE_TASKFORCE)
@require_POST
def publish(request: HttpRequest, code: str) -> HttpResponse:
    place = community_place(request.user, code)
    try:
        version = books.do_publish_playbook(
            actor=request.user,
            community=place,
            note=request.POST.get("note", ""),
            shared=request.POST.get("shared") == "on",
        )
        messages.success(request, _("Published %(label)s.") % {"label": version.label()})
        return redirect("taskforce:playbook", pk=version.playbook_id)
    except books.PlaybookError as error:
        messages.error(request, str(error))
    return redirect("taskforce:community", code=code)


@requires(Can.VIEW_TASKFORCE)
def export(request: HttpRequest, code: str) -> HttpResponse:
    taskforce = taskforce_of(request.user, code)
    text = books.export_text(taskforce.community)
    response = HttpResponse(text.encode(), content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="playbook-{code}.yaml"'
    return response


@requires(Can.MANAGE_TASKFORCE)
@require_POST
def import_file(request: HttpRequest, code: str) -> HttpResponse:
    place = community_place(request.user, code)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a playbook file to import"))
        return redirect("taskforce:community", code=code)
    try:
        version = books.do_import_playbook(actor=request.user, community=place, raw=upload.read())
        messages.success(
            request,
            _("Imported %(label)s; the task force is set up from it.") % {"label": version.label()},
        )
    except PlaybookFileError as error:
        messages.error(
            request,
            _("%(file)s was not imported, nothing changed: %(problems)s")
            % {"file": upload.name, "problems": translated_file_error(error)},
        )
    except books.PlaybookError as error:
        messages.error(request, str(error))
    return redirect("taskforce:community", code=code)


@requires(Can.VIEW_TASKFORCE)
def library(request: HttpRequest) -> HttpResponse:
    books.ensure_builtin_playbooks()
    q, tag = request.GET.get("q", "").strip(), request.GET.get("tag", "").strip()
    found = selectors.search_playbooks(request.user, q=q, tag=tag)
    everything = found if not (q or tag) else selectors.search_playbooks(request.user)
    context = {"books": found, "q": q, "tag": tag, "tags": selectors.all_tags(everything)}
    return render(request, "taskforce/library.html", context)


@requires(Can.VIEW_TASKFORCE)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    book = selectors.access_playbook(request.user, pk)
    versions = list(book.versions.select_related("published_by"))
    number = request.GET.get("v")
    shown = next(
        (v for v in versions if str(v.number) == number), versions[0] if versions else None
    )
    user = request.user
    mine = user.place if user.place.level == "community" else None
    users = TaskForce.objects.filter(adopted__playbook=book).select_related("community")
    context = {
        "book": book,
        "versions": versions,
        "shown": shown,
        "content": parse_content(shown.content) if shown else None,
        "provenance": books.provenance(book),
        "users": users,
        "ratings": book.ratings.select_related("community"),
        "mine": mine,
        "can_manage": user.can(Can.MANAGE_TASKFORCE) and mine is not None,
        "own": mine is not None and book.owner_id == mine.pk,
    }
    return render(request, "taskforce/playbook.html", context)


@requires(Can.VIEW_TASKFORCE)
def diff(request: HttpRequest, pk: int) -> HttpResponse:
    book = selectors.access_playbook(request.user, pk)
    versions = {v.number: v for v in book.versions.all()}
    if not versions:
        raise Http404
    newest = max(versions)
    try:
        new = int(request.GET.get("b") or newest)
        old = int(request.GET.get("a") or max(new - 1, min(versions)))
    except ValueError:
        raise Http404 from None
    if old not in versions or new not in versions:
        raise Http404
    changes = diff_content(
        parse_content(versions[old].content), parse_content(versions[new].content)
    )
    context = {
        "book": book,
        "old": versions[old],
        "new": versions[new],
        "changes": changes,
        "numbers": sorted(versions),
    }
    return render(request, "taskforce/diff.html", context)


@requires(Can.MANAGE_TASKFORCE)
@require_POST
def copy(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    place = request.user.place
    if place.level != "community":
        messages.error(request, _("Only a community account can copy a playbook to its community"))
        return redirect("taskforce:playbook", pk=pk)
    try:
        mine = books.do_copy_playbook(actor=request.user, community=place, version=version)
        messages.success(
            request,
            _("Copied; your task force is set up from it (adapted from %(source)s).")
            % {"source": version.label()},
        )
        return redirect("taskforce:playbook", pk=mine.pk)
    except books.PlaybookError as error:
        messages.error(request, str(error))
    return redirect("taskforce:playbook", pk=pk)


@requires(Can.MANAGE_TASKFORCE)
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    book = selectors.access_playbook(request.user, pk)
    place = request.user.place
    try:
        if place.level != "community":
            raise books.PlaybookError(_("Only a community account rates playbooks"))
        books.do_rate_playbook(
            actor=request.user,
            community=place,
            playbook=book,
            stars=request.POST.get("stars"),
            comment=request.POST.get("comment", ""),
        )
        messages.success(request, _("Thank you for rating."))
    except books.PlaybookError as error:
        messages.error(request, str(error))
    return redirect("taskforce:playbook", pk=pk)
