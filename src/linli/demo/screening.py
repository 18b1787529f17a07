"""Demo daily screening: a week of checks in the demo community's households, submitted
daily reports (so the trend charts have lines), and a few quarantines, one overdue."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from linli.places.models import Place
from linli.register.models import Household, Resident
from linli.screening.ingest import do_record_screenings
from linli.screening.models import Screening
from linli.screening.services import do_start_quarantine, do_submit_report


def do_set_up_demo_screening(community_code: str, *, households: int = 80) -> int:
    """Returns the number of screenings recorded, 0 when the demo already has some."""
    community = Place.objects.get(code=community_code)
    if Screening.objects.filter(community_code=community_code).exists():
        return 0
    today = timezone.localdate()
    homes = list(
        Household.objects.filter(place__code__startswith=community_code).order_by("code")[
            :households
        ]
    )
    recorded = 0
    for back in range(6, -1, -1):
        day = today - dt.timedelta(days=back)
        records = []
        for i, home in enumerate(homes[: len(homes) - back * 5]):
            record = {
                "client_id": f"demo-{day:%Y%m%d}-{home.pk}",
                "household": home.pk,
                "day": day.isoformat(),
            }
            if (i + back) % 37 == 0:
                record["temperature"] = 37.8
            if (i * 7 + back) % 53 == 0:
                record |= {"travel_from": "外省", "from_risk_area": True}
            records.append(record)
        recorded += _record_as_system(community, records, today)
        if back:
            do_submit_report(actor=None, community=community, day=day)
    people = list(
        Resident.objects.current().filter(place__code__startswith=community_code).order_by("pk")[:3]
    )
    for resident, (kind, start_back, facility) in zip(
        people, [("home", 16, ""), ("home", 4, ""), ("centralised", 2, "锦江宾馆")], strict=False
    ):
        do_start_quarantine(
            actor=None,
            resident=resident,
            kind=kind,
            start=today - dt.timedelta(days=start_back),
            facility=facility,
        )
    return recorded


def _record_as_system(community: Place, records: list[dict], today: dt.date) -> int:
    """The demo records as the community itself (no account): scope is the community."""

    class System:
        is_authenticated = True
        is_active = True
        pk = None
        place = community

    outcomes = do_record_screenings(actor=System(), records=records, today=today)
    return sum(1 for o in outcomes if o.status == "accepted")
