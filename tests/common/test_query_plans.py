"""The hot queries use indexes at planning scale (PostgreSQL's EXPLAIN, after ANALYZE).

A quarter of a million residents spread over every community of Chengdu, wards,
assignments, notifications and outbox rows: enough rows that PostgreSQL would rather
read a whole table than do without the index it needs. Each query below is the one a
page or a job runs (through the same selectors), and its plan may not read a big table
from end to end."""

from __future__ import annotations

import json
import os

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="query plans are checked on PostgreSQL (the production database)",
    ),
    pytest.mark.django_db,
]

RESIDENTS = 250_000
BIG = {
    "register_resident",
    "register_ward",
    "guardianship_assignment",
    "notifications_notification",
    "notifications_delivery",
    "register_vulnerability",
}


def clone(table: str, template_id: int, count: int, overrides: dict[str, str]) -> None:
    """``count`` copies of one row, with some columns computed from g = 1..count."""
    with connection.cursor() as cursor:
        columns = [
            c.name
            for c in connection.introspection.get_table_description(cursor, table)
            if c.name != "id"
        ]
        select = ", ".join(overrides.get(c, f't."{c}"') for c in columns)
        cursor.execute(
            f'INSERT INTO "{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)}) '
            f'SELECT {select} FROM "{table}" t, generate_series(1, %s) g WHERE t.id = %s',
            [count, template_id],
        )


@pytest.fixture
def planning_scale(inside, secretary):
    from linli.guardianship.models import Assignment
    from linli.notifications.models import Delivery, Notification
    from linli.notifications.services import notify

    communities = "(SELECT array_agg(id ORDER BY id) FROM places_place WHERE level = 'community')"
    clone(
        "register_resident",
        inside.resident.pk,
        RESIDENTS,
        {
            "place_id": f"({communities})[1 + g %% 3047]",
            "id_number": "lpad(g::text, 18, '0')",
            "name": "'某' || g",
            "household_id": "NULL",
        },
    )
    with connection.cursor() as cursor:
        # one ward in ten, each with a primary guardian
        cursor.execute(
            "INSERT INTO register_ward (risk, needs, resident_id) "
            "SELECT 'medium', '[]'::jsonb, id FROM register_resident WHERE id % 10 = 0 "
            "ON CONFLICT DO NOTHING"
        )
    Assignment.objects.create(ward=inside.ward, role="primary", volunteer=inside.volunteer)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO guardianship_assignment (ward_id, role, volunteer_id, pinned, since) "
            "SELECT w.id, 'primary', %s, false, now() FROM register_ward w "
            "WHERE w.id <> %s",
            [inside.volunteer.pk, inside.ward.pk],
        )
    notify(recipients=[secretary], kind="k", title="t")
    note = Notification.objects.get()
    clone("notifications_notification", note.pk, 50_000, {"read_at": "now()"})
    Delivery.objects.create(channel="email", target="x@example.cn", payload={})
    clone("notifications_delivery", Delivery.objects.get().pk, 50_000, {"status": "'sent'"})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def full_scans(queryset) -> set[str]:
    plan = json.loads(queryset.explain(format="json"))
    found = set()

    def walk(node):
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in BIG:
            found.add(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return found


def test_hot_queries_use_indexes(planning_scale, inside, secretary, make_user):
    from django.utils import timezone

    from linli.guardianship.models import Assignment, Gap
    from linli.notifications.models import Delivery, Notification
    from linli.register.models import Resident
    from linli.register.selectors import search_residents

    grid_worker = make_user("grid_worker")
    queries = {
        "a secretary's register page": search_residents(secretary).order_by("pk")[:50],
        "a grid worker's register page": search_residents(grid_worker).order_by("pk")[:50],
        "search by the last digits of an ID": search_residents(secretary, "0421")[:50],
        "search by name": search_residents(secretary, "某12")[:50],
        "resident by ID number (import, linkage)": Resident.objects.filter(
            id_number="000000000000012345"
        ),
        "a volunteer's wards": Assignment.objects.filter(volunteer=inside.volunteer).order_by("pk")[
            :50
        ],
        "a community's gaps": Gap.objects.for_actor(secretary)[:100],
        "unread notifications in the navigation": Notification.objects.filter(
            recipient=secretary, read_at__isnull=True
        ),
        "due deliveries in the outbox": Delivery.objects.filter(
            status="pending", next_attempt_at__lte=timezone.now()
        ).order_by("next_attempt_at", "pk")[:200],
    }
    scans = {name: full_scans(qs) for name, qs in queries.items()}
    assert {name: tables for name, tables in scans.items() if tables} == {}
