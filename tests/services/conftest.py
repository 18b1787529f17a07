"""A community served by a team: a psychologist (available all week), a doctor, the team
lead, the community secretary, and a home-quarantined resident with a guardian volunteer
who signs in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import translation

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)  # Monday 18:00 in Chengdu
ALL_WEEK = "1-7 00:00-24:00"


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English."""
    with translation.override("en"):
        yield


@dataclass
class Scene:
    community: object
    resident: object
    guardian: object  # the guardian volunteer's account
    team: object
    psychologist: object  # Professional
    doctor: object
    lead: object  # Professional
    secretary: object


def account(username, role, place):
    from linli.accounts.models import User

    return User.objects.create_user(
        username=username, password="linli-demo", role=role, place=place, email=""
    )


def professional(username, kind, place, hours=ALL_WEEK, limit=3):
    from linli.services.models import Professional

    return Professional.objects.create(
        user=account(username, "professional_volunteer", place),
        kind=kind,
        hours=hours,
        load_limit=limit,
        languages=["zh"],
    )


def build_scene(neighbourhood) -> Scene:
    from linli.guardianship.models import Assignment
    from linli.register.models import Vulnerability
    from linli.services.models import Team

    n = neighbourhood
    Vulnerability.objects.create(resident=n.resident, category="home_quarantine")
    guardian = account("guardian", "volunteer", n.community)
    n.volunteer.account = guardian
    n.volunteer.save()
    Assignment.objects.create(ward=n.ward, role="primary", volunteer=n.volunteer)
    psychologist = professional("psychologist", "psychologist", n.community)
    doctor = professional("doctor", "doctor", n.community)
    lead = professional("team_lead", "psychologist", n.community, hours="1-5 08:00-12:00")
    team = Team.objects.create(name="心理援助队", place=n.community, lead=lead)
    team.communities.add(n.community)
    team.members.add(psychologist, doctor, lead)
    secretary = account("secretary", "community_secretary", n.community)
    return Scene(n.community, n.resident, guardian, team, psychologist, doctor, lead, secretary)


@pytest.fixture
def scene(inside) -> Scene:
    return build_scene(inside)


def file(scene, description="最近睡不好，心里很乱", category="psychological", **extra):
    from linli.services.services import do_create_request

    now = extra.pop("now", T0)
    fields = {"category": category, "description": description, **extra}
    return do_create_request(
        actor=None,
        place=scene.resident.place,
        resident=scene.resident,
        channel="link",
        fields=fields,
        now=now,
    )
