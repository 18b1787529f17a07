"""One demo account per role, each bound to a sensible place of the demo."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from linli.accounts.models import User
from linli.accounts.roles import ROLE_CAN, Can, Role
from linli.places.models import Level, Place

DEMO_PASSWORD = "linli-demo"
DEMO_DISTRICT = "510107"  # 武侯区
DEMO_STREET = "510107005"  # 玉林街道
DEMO_COMMUNITY = "510107005002"  # 玉林东路社区


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    place_code: str
    place_name: str


def _first_grid(community: Place) -> Place:
    grid = Place.objects.filter(parent=community, level=Level.GRID).order_by("code").first()
    return grid or community


def demo_places() -> dict[str, Place]:
    city = Place.objects.get(level=Level.CITY)
    district = Place.objects.get(code=DEMO_DISTRICT)
    street = Place.objects.get(code=DEMO_STREET)
    community = Place.objects.get(code=DEMO_COMMUNITY)
    return {
        "city": city,
        "district": district,
        "street": street,
        "community": community,
        "grid": _first_grid(community),
    }


def do_create_demo_accounts() -> list[DemoAccount]:
    """Create or reset one account per role (username = role name, password ``linli-demo``)."""
    places = demo_places()
    level_for = {
        Role.CITY_OFFICER: "city",
        Role.DISTRICT_OFFICER: "district",
        Role.STREET_OFFICER: "street",
        Role.COMMUNITY_SECRETARY: "community",
        Role.GRID_WORKER: "grid",
        Role.TASKFORCE_LEAD: "community",
        Role.VOLUNTEER: "community",
        Role.SOCIAL_ORG_COORDINATOR: "street",
        Role.PROFESSIONAL_VOLUNTEER: "community",
        Role.SYSTEM_ADMIN: "city",
    }
    accounts = []
    with transaction.atomic():
        for role in Role:
            place = places[level_for[role]]
            user, _ = User.objects.get_or_create(
                username=role.value, defaults={"role": role, "place": place}
            )
            user.role, user.place = role.value, place
            user.is_staff = Can.USE_ADMIN in ROLE_CAN[role]
            user.is_superuser = False
            user.set_password(DEMO_PASSWORD)
            user.save()
            if role == Role.VOLUNTEER:
                _link_demo_volunteer(user, places["community"])
            accounts.append(DemoAccount(user.username, role.value, place.code, place.name))
    return accounts


def plan_demo_guardians() -> int:
    """Plan guardians in every demo community that has none yet; returns how many were planned."""
    from linli.domain.synth import communities_for_scale
    from linli.guardianship.models import CoverageSnapshot, Trigger
    from linli.guardianship.replan import do_replan_community

    codes = [p.code for p in communities_for_scale("demo")]
    planned = set(
        CoverageSnapshot.objects.filter(community__code__in=codes).values_list(
            "community__code", flat=True
        )
    )
    count = 0
    for community in (
        Place.objects.filter(code__in=codes).exclude(code__in=planned).order_by("code")
    ):
        do_replan_community(community=community, trigger=Trigger.DEMO, actor=None)
        count += 1
    return count


def _link_demo_volunteer(user: User, community: Place) -> None:
    """The ``volunteer`` account is the busiest volunteer of the demo community."""
    from django.db.models import Count

    from linli.guardianship.models import Volunteer

    if Volunteer.objects.filter(account=user).exists():
        return
    volunteer = (
        Volunteer.objects.filter(
            place__code__startswith=community.code, status="active", account__isnull=True
        )
        .annotate(n=Count("assignments"))
        .order_by("-n", "pk")
        .first()
    )
    if volunteer is not None:
        volunteer.account = user
        volunteer.save(update_fields=["account"])
