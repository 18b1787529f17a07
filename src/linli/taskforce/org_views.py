"""Social-work organisations (三社联动): the registry and deployments for coordinators, who is
present in a community, and which communities have no organisation support."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from linli.accounts.roles import Can
from linli.common.scope import access, scoped
from linli.common.views import requires
from linli.places.models import Place

from . import org_services, selectors
from .models import Organisation
from .services import TaskforceError
from .views import community_place


@requires(Can.MANAGE_SOCIAL_ORGS)
def organisations(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        try:
            org = org_services.do_register_organisation(
                actor=user,
                place=user.place,
                name=request.POST.get("name", ""),
                kind=request.POST.get("kind", ""),
                contact=request.POST.get("contact", ""),
                specialities=request.POST.get("specialities", ""),
            )
            return redirect("taskforce:organisation", pk=org.pk)
        except TaskforceError as error:
            messages.error(request, str(error))
    orgs = scoped(Organisation, user).prefetch_related("workers")
    return render(
        request, "taskforce/organisations.html", {"orgs": orgs, "kinds": Organisation.Kind.choices}
    )


@requires(Can.MANAGE_SOCIAL_ORGS)
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    """Workers of one organisation and where they are deployed; add workers, deploy them."""
    user = request.user
    org = access(Organisation, user, pk=pk)
    communities = scoped(Place, user).filter(level="community").order_by("code")
    if request.method == "POST":
        try:
            if request.POST.get("action") == "deploy":
                community = communities.filter(code=request.POST.get("community", "")).first()
                if community is None:
                    raise TaskforceError(_("Choose a community within your area"))
                workers = list(org.workers.filter(pk__in=request.POST.getlist("workers")))
                made = org_services.do_deploy_workers(
                    actor=user,
                    workers=workers,
                    community=community,
                    role=request.POST.get("role", ""),
                    start=request.POST.get("start", ""),
                    end=request.POST.get("end", ""),
                )
                messages.success(
                    request,
                    _("%(n)s deployed to %(community)s.")
                    % {"n": len(made), "community": community.short_name},
                )
            else:
                org_services.do_add_worker(
                    actor=user,
                    organisation=org,
                    name=request.POST.get("name", ""),
                    phone=request.POST.get("phone", ""),
                    specialities=request.POST.get("specialities", ""),
                )
                messages.success(request, _("Social worker added."))
        except TaskforceError as error:
            messages.error(request, str(error))
        return redirect("taskforce:organisation", pk=org.pk)
    workers = org.workers.prefetch_related("deployments__community")
    context = {"org": org, "workers": workers, "communities": communities}
    return render(request, "taskforce/organisation.html", context)


@requires(Can.VIEW_TASKFORCE)
def support(request: HttpRequest, code: str) -> HttpResponse:
    """Which organisations and social workers are in the community today."""
    place = community_place(request.user, code)
    orgs, deployments = selectors.communities_present(place)
    return render(
        request,
        "taskforce/support.html",
        {"place": place, "orgs": orgs, "deployments": deployments},
    )


@requires(Can.VIEW_ROLLUPS)
def support_gaps(request: HttpRequest) -> HttpResponse:
    """For officers: communities in their area with no organisation support, first."""
    rows = selectors.support_by_community(request.user)
    without = sum(1 for _c, orgs, _w in rows if orgs == 0)
    return render(request, "taskforce/support_gaps.html", {"rows": rows, "without": without})
