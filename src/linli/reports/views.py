"""Reports pages: pick a form, a place and a day, preview, download; the log; uploads."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.roles import Can
from linli.common.exports import ExportForm, export_response
from linli.common.scope import access, scoped
from linli.common.views import requires
from linli.domain.forms import TemplateError, parse_template
from linli.domain.forms.model import Problem
from linli.domain.forms.render import CONTENT_TYPES, EXTENSIONS, FORMATS
from linli.places.models import Place

from .catalogue import Form, access_form, forms_for
from .forms import ReportForm, ScheduleForm, UploadForm, place_choices
from .models import Generation, Schedule
from .schedules import do_create_schedule
from .services import ReportRefused, build_form_table, do_generate_report, do_upload_form

PREVIEW_ROWS = 100


@requires(Can.VIEW_REGISTER)
def index(request: HttpRequest) -> HttpResponse:
    available = forms_for(request.user)
    form = ReportForm(request.GET or None, actor=request.user, forms_available=available)
    context: dict = {
        "form": form,
        "can_upload": request.user.can(Can.USE_ADMIN),
        "places": place_choices(request.user),
    }
    if form.is_valid():
        chosen = access_form(request.user, form.cleaned_data["form"])
        place = access(Place, request.user, code=form.cleaned_data["place"])
        try:
            table, _records = build_form_table(
                chosen.template, place, form.cleaned_data["day"], actor=request.user
            )
        except ReportRefused as error:
            form.add_error("place", str(error))
            return render(request, "reports/index.html", context, status=400)
        context.update(
            table=table,
            rows=table.rows[:PREVIEW_ROWS],
            chosen=chosen,
            place=place,
            day=form.cleaned_data["day"].isoformat(),
            export_form=ExportForm(),
            buttons=[
                (
                    fmt.upper(),
                    reverse(
                        "reports:download",
                        args=[chosen.key, place.code, form.cleaned_data["day"].isoformat(), fmt],
                    ),
                )
                for fmt in FORMATS
            ],
            formats=FORMATS,
        )
    return render(request, "reports/index.html", context)


@requires(Can.VIEW_REGISTER)
def download(request: HttpRequest, key: str, code: str, day: dt.date, fmt: str) -> HttpResponse:
    """The form as a file, once the reader has said why (the link of a scheduled delivery
    lands here too)."""
    place = access(Place, request.user, code=code)
    chosen = access_form(request.user, key)
    when = day
    if fmt not in FORMATS:
        raise Http404

    def produce(reason: str, protected: bool) -> bytes:
        report = do_generate_report(
            actor=request.user,
            form=chosen,
            place=place,
            day=when,
            fmt=fmt,
            reason=reason,
            protected=protected,
        )
        return report.content

    try:
        return export_response(
            request,
            what=_("%(form)s for %(place)s on %(day)s (%(format)s).")
            % {"form": chosen.template.name, "place": place.name, "day": day, "format": fmt},
            file_name=f"{chosen.key}-{place.code}-{when:%Y%m%d}.{EXTENSIONS[fmt]}",
            produce=produce,
            content_type=CONTENT_TYPES[fmt],
            protectable=fmt == "xlsx",
        )
    except ReportRefused:
        raise Http404 from None


@requires(Can.VIEW_REGISTER)
def generations(request: HttpRequest) -> HttpResponse:
    rows = scoped(Generation, request.user).select_related("place", "actor")[:200]
    schedules = scoped(Schedule, request.user).select_related("place")
    return render(request, "reports/log.html", {"generations": rows, "schedules": schedules})


@require_POST
@requires(Can.VIEW_REGISTER)
def schedule(request: HttpRequest) -> HttpResponse:
    """Deliver a form for a place every day at a time."""
    form = ScheduleForm(request.POST, actor=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("reports:index")
    do_create_schedule(
        actor=request.user,
        form=access_form(request.user, form.cleaned_data["form"]),
        place=access(Place, request.user, code=form.cleaned_data["place"]),
        at=form.cleaned_data["at"],
        fmt=form.cleaned_data["fmt"],
    )
    messages.success(request, _("Scheduled: the form will be delivered every day."))
    return redirect("reports:log")


@requires(Can.USE_ADMIN)
def upload(request: HttpRequest) -> HttpResponse:
    """Check a template, preview it on the chosen place's data, and save it when asked."""
    form = UploadForm(request.POST or None, request.FILES or None, actor=request.user)
    context: dict = {"form": form, "places": place_choices(request.user)}
    if request.method == "POST" and form.is_valid():
        source = form.cleaned_data["source"]
        place = access(Place, request.user, code=form.cleaned_data["place"])
        try:
            template = parse_template(source)
        except TemplateError as error:
            context["problems"] = error.problems
            return render(request, "reports/upload.html", context, status=400)
        if form.cleaned_data["save"]:
            definition = do_upload_form(
                actor=request.user,
                place=place,
                source=source,
                file_name=getattr(form.cleaned_data.get("file"), "name", ""),
            )
            context["saved"] = Form(definition.key, template, False)
        try:
            table, _records = build_form_table(
                template, place, timezone.localdate(), actor=request.user
            )
        except ReportRefused as error:
            context["problems"] = [Problem("levels", None, str(error))]
            return render(request, "reports/upload.html", context, status=400)
        context.update(table=table, rows=table.rows[:PREVIEW_ROWS], source=source, place=place)
    return render(request, "reports/upload.html", context)
