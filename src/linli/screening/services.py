"""Every write of quarantine and daily reports (screenings: see :mod:`.ingest`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.domain.screening.quarantine import planned_end
from linli.guardianship.models import Trigger
from linli.guardianship.replan import do_replan_community
from linli.places.models import Level, Place
from linli.register.models import Category, Need, Resident, Source, Vulnerability, Ward

from .models import CommunitySettings, DailyReport, Quarantine, QuarantineKind


class ScreeningError(ValueError):
    """A quarantine or report change that cannot be made, saying what and why."""


def quarantine_days(community_code: str) -> int:
    settings_row = CommunitySettings.objects.filter(place__code=community_code[:12]).first()
    return settings_row.quarantine_days if settings_row else CommunitySettings().quarantine_days


def do_set_quarantine_days(*, actor: Any, community: Place, days: Any) -> CommunitySettings:
    """A community's quarantine length (days, counting the first)."""
    try:
        value = int(days)
    except (TypeError, ValueError):
        raise ScreeningError(
            _("Quarantine days: “%(value)s” is not a whole number") % {"value": days}
        ) from None
    if not 1 <= value <= 60:
        raise ScreeningError(
            _("Quarantine days must be between 1 and 60 (got %(value)s)") % {"value": value}
        )
    row, _created = CommunitySettings.objects.update_or_create(
        place=community, defaults={"quarantine_days": value}
    )
    return row


def do_start_quarantine(
    *,
    actor: Any,
    resident: Resident,
    kind: str,
    start: dt.date | None = None,
    days: int | None = None,
    facility: str = "",
    reason: str = "",
) -> Quarantine:
    """Start a resident's quarantine; the planned end follows the community's length unless
    ``days`` is given. A home quarantine opens a home-quarantined vulnerability and makes the
    resident a ward (needing daily supplies) if not one already, and the community's
    guardianship plan is repaired in the same transaction, so they have a guardian at once."""
    if kind not in (QuarantineKind.HOME, QuarantineKind.CENTRALISED):
        raise ScreeningError(_("Choose home or centralised quarantine"))
    start = start or timezone.localdate()
    if start > timezone.localdate():
        raise ScreeningError(_("The start of a quarantine cannot be in the future"))
    length = days if days is not None else quarantine_days(resident.place.code)
    if kind == QuarantineKind.CENTRALISED and not facility.strip():
        raise ScreeningError(_("Name the quarantine facility"))
    with transaction.atomic():
        try:
            with transaction.atomic():
                quarantine = Quarantine.objects.create(
                    resident=resident,
                    place=resident.place,
                    kind=kind,
                    facility=facility.strip()[:100],
                    start=start,
                    planned_end=planned_end(start, length),
                    reason=reason[:200],
                    created_by=actor,
                )
                if kind == QuarantineKind.HOME:
                    _make_vulnerable(quarantine)
        except IntegrityError:
            raise ScreeningError(_("This resident is already in quarantine")) from None
        if kind == QuarantineKind.HOME:
            _replan(resident.place, Trigger.QUARANTINE_STARTED, actor)
    return quarantine


def _make_vulnerable(quarantine: Quarantine) -> None:
    quarantine.vulnerability = Vulnerability.objects.create(
        resident=quarantine.resident,
        category=Category.HOME_QUARANTINE,
        start_date=quarantine.start,
        source=Source.HEALTH,
    )
    _ward, created = Ward.objects.get_or_create(
        resident=quarantine.resident, defaults={"needs": [Need.DAILY_SUPPLIES]}
    )
    quarantine.made_ward = created
    quarantine.save(update_fields=["vulnerability", "made_ward"])


def _replan(place: Place, trigger: Trigger, actor: Any) -> None:
    """A home quarantine adds or closes a ward: repair the community's guardianship plan."""
    community = Place.objects.filter(code=place.code[:12], level=Level.COMMUNITY).first()
    if community is not None:
        do_replan_community(community=community, trigger=trigger, actor=actor)


def do_release_quarantine(
    *, actor: Any, quarantine: Quarantine, on: dt.date | None = None
) -> Quarantine:
    """Release a resident: the home-quarantined vulnerability ends that day; a ward opened only
    for the quarantine is closed (kept when it has contact history, so nothing is lost), and
    the community's guardianship plan is repaired in the same transaction."""
    on = on or timezone.localdate()
    with transaction.atomic():
        quarantine = Quarantine.objects.select_for_update().get(pk=quarantine.pk)
        if quarantine.released_on is not None:
            raise ScreeningError(_("This quarantine has already ended"))
        if on < quarantine.start:
            raise ScreeningError(_("The release cannot be before the start"))
        quarantine.released_on = on
        quarantine.save(update_fields=["released_on"])
        if quarantine.vulnerability_id:
            Vulnerability.objects.filter(pk=quarantine.vulnerability_id).update(end_date=on)
        still_vulnerable = Vulnerability.objects.filter(
            resident=quarantine.resident, end_date__isnull=True
        ).exists()
        if quarantine.made_ward and not still_vulnerable:
            ward = Ward.objects.filter(resident=quarantine.resident).first()
            if ward is not None and not ward.contacts.exists():
                ward.delete()
        if quarantine.kind == QuarantineKind.HOME:
            _replan(quarantine.place, Trigger.QUARANTINE_ENDED, actor)
    return quarantine


def _report(community: Place, day: dt.date) -> DailyReport:
    DailyReport.objects.get_or_create(place=community, day=day)
    return DailyReport.objects.select_for_update().get(place=community, day=day)


def do_save_report_notes(*, actor: Any, community: Place, day: dt.date, notes: str) -> DailyReport:
    """Notes on a community's report, while it is still a draft."""
    with transaction.atomic():
        report = _report(community, day)
        if report.status == DailyReport.Status.SUBMITTED:
            raise ScreeningError(_("This report is submitted and locked"))
        report.notes = notes[:4000]
        report.save(update_fields=["notes"])
    return report


def do_submit_report(
    *, actor: Any, community: Place, day: dt.date, notes: str | None = None, zero: bool = False
) -> DailyReport:
    """Submit a community's report: its figures are computed now and frozen with it. A zero
    report (零报告, one tap) is refused when something did happen that day."""
    from .selectors import community_figures, forget_rollups

    if community.level != Level.COMMUNITY:
        raise ScreeningError(_("Only a community submits a daily report"))
    with transaction.atomic():
        report = _report(community, day)
        if report.status == DailyReport.Status.SUBMITTED:
            raise ScreeningError(_("This report is already submitted and locked"))
        figures = community_figures(community.code, day)
        if zero and not figures.nothing_happened:
            raise ScreeningError(
                _(
                    "Not a zero report: %(fever)s with fever, %(arrivals)s from risk areas, "
                    "%(released)s released, %(overdue)s vulnerable contacts overdue"
                )
                % {
                    "fever": figures.fever,
                    "arrivals": figures.from_risk_areas,
                    "released": figures.released,
                    "overdue": figures.vulnerable_overdue,
                }
            )
        for name, value in figures.as_dict().items():
            setattr(report, name, value)
        if notes is not None:
            report.notes = notes[:4000]
        report.zero_report = zero
        report.status = DailyReport.Status.SUBMITTED
        report.submitted_by = actor
        report.submitted_at = timezone.now()
        report.save()
        code = community.code
        transaction.on_commit(lambda: forget_rollups(code, day))
    return report


def _raise_missed_report_tasks(day: dt.date) -> int:
    """A task for the data statistics group of each community with a task force whose daily
    report is late (one task per community and day, however often this runs)."""
    from linli.taskforce.services import raise_missed_daily_report

    done = DailyReport.objects.filter(day=day, status=DailyReport.Status.SUBMITTED)
    late = Place.objects.filter(level=Level.COMMUNITY, taskforce__isnull=False).exclude(
        pk__in=done.values("place_id")
    )
    raised = 0
    for community in late:
        task = raise_missed_daily_report(
            community,
            report=_("daily report"),
            day=day,
            link=f"/screening/reports/{community.code}/{day.isoformat()}/",
        )
        raised += task is not None
    return raised


def do_remind_missing_reports(*, now: dt.datetime | None = None) -> int:
    """After each level's deadline, tell the accounts of each place with communities that
    have not submitted today's report (secretaries for their own community, officers for the
    street or district below them); once a day per place, claimed by inserting the reminder
    row. Returns how many places were reminded."""
    from django.conf import settings

    from linli.accounts.models import User
    from linli.accounts.roles import ROLE_CAN, Can
    from linli.domain.screening.deadlines import is_late, parse_time
    from linli.notifications.services import notify

    from .models import ReportReminder
    from .selectors import missing_communities

    now = timezone.localtime(now or timezone.now())
    day = now.date()
    sent = 0
    watchers = {
        Level.COMMUNITY: Can.SUBMIT_DAILY_REPORT,
        Level.STREET: Can.VIEW_DAILY_REPORTS,
        Level.DISTRICT: Can.VIEW_DAILY_REPORTS,
    }
    for level, capability in watchers.items():
        if not is_late(day, parse_time(settings.SCREENING_REPORT_DEADLINES[level]), now):
            continue
        if level == Level.COMMUNITY:
            _raise_missed_report_tasks(day)
        roles = [role for role, caps in ROLE_CAN.items() if capability in caps]
        accounts = User.objects.filter(
            role__in=roles, is_active=True, place__level=level
        ).select_related("place")
        by_place: dict[int, list] = {}
        for account in accounts:
            by_place.setdefault(account.place_id, []).append(account)
        for recipients in by_place.values():
            place = recipients[0].place
            missing = missing_communities(place, day)
            if not missing:
                continue
            with transaction.atomic():
                _reminder, claimed = ReportReminder.objects.get_or_create(
                    place=place, day=day, defaults={"missing": len(missing)}
                )
            if not claimed:
                continue
            notify(
                recipients=recipients,
                kind="daily_report_missing",
                title=_("%(count)s daily reports not submitted for %(day)s")
                % {"count": len(missing), "day": day.isoformat()},
                body=", ".join(p.short_name for p in missing[:20]),
                link=f"/screening/reports/{place.code}/{day.isoformat()}/",
                place=place,
            )
            sent += 1
    return sent
