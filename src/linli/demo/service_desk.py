"""A service team for the demo community: the ``professional_volunteer`` account leads it as a
psychologist, with a doctor and a social worker, and a few requests in every state."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from linli.accounts.models import User
from linli.places.models import Place
from linli.register.models import Resident
from linli.services.models import Professional, ServiceRequest, Team
from linli.services.services import do_add_note, do_create_request, do_take_case

ALL_WEEK = "1-7 08:00-22:00"
MEMBERS = [
    ("professional_volunteer", "psychologist", "国家二级心理咨询师"),
    ("demo_doctor", "doctor", "全科执业医师"),
    ("demo_social_worker", "social_worker", "中级社会工作师"),
]
REQUESTS = [
    ("psychological", "隔离第七天，晚上睡不着，心里很慌，有时觉得活着没意思", "normal"),
    ("medicine", "降压药还剩两天的量，家里出不去", "normal"),
    ("daily", "家里米和菜快吃完了", "normal"),
]


def do_set_up_demo_services(community_code: str, *, password: str | None = None) -> int:
    """The team and three requests; returns how many requests were made (0 when already there)."""
    community = Place.objects.get(code=community_code)
    if Team.objects.filter(place=community).exists():
        return 0
    people = []
    for username, kind, qualifications in MEMBERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"role": "professional_volunteer", "place": community},
        )
        if created and password:
            user.set_password(password)
            user.save(update_fields=["password"])
        professional, _ = Professional.objects.get_or_create(
            user=user,
            defaults={
                "kind": kind,
                "qualifications": qualifications,
                "languages": ["zh", "sichuanese"],
                "hours": ALL_WEEK,
                "load_limit": 5,
            },
        )
        people.append(professional)
    team = Team.objects.create(name="玉林心理与医疗援助队", place=community, lead=people[0])
    team.communities.add(community)
    team.members.add(*people)
    residents = list(
        Resident.objects.current()
        .filter(place__code__startswith=community.code, ward__isnull=False)
        .order_by("pk")[: len(REQUESTS)]
    )
    now = timezone.now()
    made = []
    for resident, (category, description, urgency) in zip(residents, REQUESTS, strict=False):
        made.append(
            do_create_request(
                actor=None,
                place=resident.place,
                resident=resident,
                channel="link",
                fields={
                    "category": category,
                    "description": description,
                    "urgency": urgency,
                    "guardian_consent": "1",
                },
                now=now - dt.timedelta(minutes=40),
            )
        )
    medicine = next((r for r in made if r.category == "medicine" and r.professional), None)
    if medicine is not None:
        doctor = medicine.professional.user
        do_take_case(actor=doctor, request=medicine, now=now - dt.timedelta(minutes=30))
        do_add_note(
            actor=doctor,
            request=medicine,
            text="已联系药房，明天上午由网格员送药上门。",
            shareable=True,
            psychological=False,
        )
    return ServiceRequest.objects.filter(place__code__startswith=community.code).count()
