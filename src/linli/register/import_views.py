"""The upload page: upload a register file, see its row errors, accept, watch progress,
download the rejected rows."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.roles import Can
from linli.common.disclosure import may_reveal
from linli.common.exports import ExportForm, export_response
from linli.common.views import requires
from linli.domain.disclosure import mask_id_number, mask_phone
from linli.domain.register_import.messages import MESSAGES

from .importing import ImportRefused
from .models import ImportStatus
from .selectors import access_import, imports_for
from .services import do_accept_import, do_export_rejected_rows, do_upload_register_file

MAX_UPLOAD = 50 * 1024 * 1024


@requires(Can.EDIT_REGISTER)
def import_upload(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose an .xlsx or .csv file.")
        elif upload.size > MAX_UPLOAD:
            error = _("The file is larger than 50 MB: split it.")
        else:
            try:
                run = do_upload_register_file(
                    actor=request.user,
                    place=request.user.place,
                    file_name=upload.name,
                    content=upload.read(),
                    source=request.POST.get("source", ""),
                )
            except ImportRefused as refused:
                error = str(refused)
            else:
                return redirect("register:import", pk=run.pk)
    recent = imports_for(request.user)[:10]
    return render(
        request,
        "register/import_upload.html",
        {"error": error, "recent": recent},
        status=400 if error else 200,
    )


def _typed_value(actor, code: str, value: str) -> str:
    """A rejected cell as the reader may see it: an ID number or a phone as typed for those
    who may reveal them (they fix the file), masked for everybody else."""
    if not value or may_reveal(actor):
        return value
    if code.startswith("id_") or code == "outside_area":
        return mask_id_number(value)
    if code.startswith("phone"):
        return mask_phone(value)
    return value


def _errors(report: dict, actor) -> list[dict]:
    out = []
    for item in report.get("errors", []):
        params = {k: v for k, v in item.items() if k not in ("row", "column", "code", "value")}
        if item["code"] == "id_check" and not may_reveal(actor):
            # the check characters typed and expected: the masked number's hidden last one
            params.update(got="*", expected="*")
        template = _(MESSAGES[item["code"]])
        message = template % params if params else template
        value = _typed_value(actor, item["code"], str(item.get("value") or ""))
        out.append({**item, "value": value, "message": message})
    return out


@requires(Can.EDIT_REGISTER)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = access_import(request.user, pk)
    report = run.report or {}
    context = {
        "run": run,
        "report": report,
        "errors": _errors(report, request.user),
        "working": run.job is not None and not run.job.finished,
        "export_form": ExportForm(),
        "can_accept": run.status == ImportStatus.PREVIEWED
        and (report.get("valid") or report.get("new_places"))
        and not report.get("missing_columns"),
    }
    template = "register/_partials/import_status.html" if request.htmx else "register/import.html"
    return render(request, template, context)


@require_POST
@requires(Can.EDIT_REGISTER)
def import_accept(request: HttpRequest, pk: int) -> HttpResponse:
    run = access_import(request.user, pk)
    do_accept_import(actor=request.user, run=run, create_places=request.POST.getlist("create"))
    return redirect("register:import", pk=run.pk)


@requires(Can.EDIT_REGISTER)
def import_rejected(request: HttpRequest, pk: int) -> HttpResponse:
    """The rejected rows with an error column, to fix and import again (after saying why).
    They hold ID numbers and phones as typed: only for the person who uploaded the file
    and for those who may reveal identifiers."""
    run = access_import(request.user, pk)
    if run.created_by_id != request.user.pk and not may_reveal(request.user):
        raise PermissionDenied
    try:
        return export_response(
            request,
            what=_("The rejected rows of %(file)s, to fix and import again.")
            % {"file": run.file_name},
            file_name=f"{run.file_name.rsplit('.', 1)[0]}-rejected.xlsx",
            produce=lambda reason, protected: do_export_rejected_rows(
                actor=request.user, run=run, reason=reason, protected=protected
            ),
        )
    except ImportRefused as refused:
        return HttpResponse(str(refused), status=400)
