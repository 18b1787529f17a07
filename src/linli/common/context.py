"""Template context shared by every page: the navigation the signed-in person may use."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.roles import Can


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(user, "place", None) is None:
        return {"nav_items": []}
    items = [(_("Places"), reverse("places:list"))]
    if user.can(Can.VIEW_REGISTER):
        items.append((_("Register"), reverse("register:list")))
    if user.can(Can.VIEW_REGISTER):
        items.append((_("Reports"), reverse("reports:index")))
    if user.can(Can.EDIT_REGISTER):
        items.append((_("Duplicates"), reverse("dedupe:review")))
    if user.can(Can.VIEW_COVERAGE):
        items.append((_("Coverage"), reverse("guardianship:coverage", args=[user.place.code])))
    if getattr(user, "volunteer", None) is not None:
        items.append((_("My wards"), reverse("guardianship:my_wards")))
    if user.can(Can.MANAGE_ROSTER) and user.place.level == "community":
        items.append((_("Rosters"), reverse("rostering:community", args=[user.place.code])))
    if user.can(Can.VIEW_TASKFORCE):
        items.append((_("Task force"), reverse("taskforce:index")))
    if user.can(Can.MANAGE_SOCIAL_ORGS):
        items.append((_("Organisations"), reverse("taskforce:organisations")))
    if user.can(Can.SCREEN):
        items.append((_("Screening"), reverse("screening:walk")))
    if user.can(Can.VIEW_DAILY_REPORTS):
        items.append((_("Daily report"), reverse("screening:reports")))
    if user.can(Can.MANAGE_DELIVERIES):
        items.append((_("Deliveries"), reverse("deliveries:board")))
    elif user.can(Can.CARRY_DELIVERIES):
        items.append((_("My runs"), reverse("deliveries:my_runs")))
    if user.can(Can.REQUEST_SWAP):
        items.append((_("My shifts"), reverse("rostering:my_shifts")))
    if any(user.can(c) for c in (Can.ASK_SERVICE, Can.TAKE_CASES, Can.WELLBEING_CHECKIN)):
        items.append((_("Help requests"), reverse("services:index")))
    from linli.notifications.models import Notification

    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    label = _("Notifications") + (f" ({unread})" if unread else "")
    items.append((label, reverse("notifications:inbox")))
    return {"nav_items": items}
