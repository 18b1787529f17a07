from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from linli.common.scope import access

from . import runner
from .models import Job


@login_required
def job_detail(request: HttpRequest, pk: str) -> HttpResponse:
    job = access(Job, request.user, pk=pk)
    template = "jobs/_partials/progress.html" if request.htmx else "jobs/detail.html"
    return render(request, template, {"job": job})


@require_POST
@login_required
def job_cancel(request: HttpRequest, pk: str) -> HttpResponse:
    job = access(Job, request.user, pk=pk)
    if not runner.may_cancel(request.user, job):
        raise PermissionDenied  # in scope is not enough: the starter or the job's capability
    runner.cancel(job)
    job.refresh_from_db()
    return render(request, "jobs/_partials/progress.html", {"job": job})
