"""Roles and what each may do. Scope (which places) comes from the account's place;
this module says what a role may do inside that scope."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_OFFICER = "city_officer", _("City officer")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    STREET_OFFICER = "street_officer", _("Street officer")
    COMMUNITY_SECRETARY = "community_secretary", _("Community secretary")
    GRID_WORKER = "grid_worker", _("Grid worker")
    TASKFORCE_LEAD = "taskforce_lead", _("Task-force group lead")
    VOLUNTEER = "volunteer", _("Volunteer")
    SOCIAL_ORG_COORDINATOR = "social_org_coordinator", _("Social-organisation coordinator")
    PROFESSIONAL_VOLUNTEER = "professional_volunteer", _("Professional volunteer")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


# The place level each role is normally bound to (used by the demo and to check accounts).
ROLE_LEVEL = {
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


class Can(models.TextChoices):
    """Capabilities. A role holds a set of them; views ask for one by name."""

    VIEW_REGISTER = "view_register", _("See the register of people")
    EDIT_REGISTER = "edit_register", _("Change the register")
    REVEAL_ID_NUMBER = "reveal_id_number", _("See full ID numbers")
    SEAL_COMPOUND = "seal_compound", _("Seal and unseal compounds")
    VIEW_ROLLUPS = "view_rollups", _("See roll-ups of places below")
    USE_ADMIN = "use_admin", _("Use the back office")
    VIEW_COVERAGE = "view_coverage", _("See guardianship coverage and gaps")
    MANAGE_GUARDIANS = "manage_guardians", _("Pin guardians and change volunteers' status")
    LOG_CONTACT = "log_contact", _("Record contacts with wards")
    MANAGE_ROSTER = "manage_roster", _("Build and publish checkpoint rosters, approve swaps")
    REQUEST_SWAP = "request_swap", _("See own shifts, check in and ask to swap")
    REQUEST_SUPPLIES = "request_supplies", _("See stock and ask for supplies")
    MANAGE_SUPPLIES = "manage_supplies", _("Receive and issue stock, approve supply requests")
    MANAGE_API_TOKENS = "manage_api_tokens", _("Create and revoke API tokens")
    # Service requests (linli.services): case notes are never a capability; they follow the case.
    ASK_SERVICE = "ask_service", _("Ask for help on a resident's behalf, hand out request links")
    TAKE_CASES = "take_cases", _("Take service requests as a professional volunteer")
    MANAGE_SERVICES = "manage_services", _("Follow service requests and their limits")
    VIEW_SERVICE_DASHBOARD = "view_service_dashboard", _("See the service-request dashboard")
    WELLBEING_CHECKIN = "wellbeing_checkin", _("Answer the frontline wellbeing check-in")
    VIEW_TASKFORCE = "view_taskforce", _("See the task force, its tasks and the playbook library")
    MANAGE_TASKFORCE = (
        "manage_taskforce",
        _("Set up the task force from playbooks, edit and publish"),
    )
    MANAGE_SOCIAL_ORGS = (
        "manage_social_orgs",
        _("Register social-work organisations and deploy workers"),
    )
    # Daily screening and the daily report (linli.screening)
    SCREEN = "screen", _("Record daily screenings")
    MANAGE_QUARANTINE = "manage_quarantine", _("Start and release quarantines")
    SUBMIT_DAILY_REPORT = "submit_daily_report", _("Submit the community's daily report")
    VIEW_DAILY_REPORTS = "view_daily_reports", _("See daily reports and roll-ups")
    # Deliveries behind sealed gates (linli.deliveries)
    PLACE_ORDERS = "place_orders", _("Order supplies on a ward's or a sealed household's behalf")
    MANAGE_DELIVERIES = "manage_deliveries", _("Pack orders, plan delivery runs, see the board")
    CARRY_DELIVERIES = "carry_deliveries", _("Take delivery runs and record deliveries")
    # The deployment's register words (linli.register.vocabulary_views): every community's.
    MANAGE_VOCABULARY = "manage_vocabulary", _("Add the words this deployment's registers use")


ROLE_CAN: dict[str, frozenset[str]] = {
    Role.CITY_OFFICER: frozenset(
        {
            Can.VIEW_ROLLUPS,
            Can.VIEW_REGISTER,
            Can.VIEW_COVERAGE,
            Can.MANAGE_API_TOKENS,
            Can.VIEW_SERVICE_DASHBOARD,
        }
    ),
    Role.DISTRICT_OFFICER: frozenset(
        {
            Can.VIEW_ROLLUPS,
            Can.VIEW_REGISTER,
            Can.VIEW_COVERAGE,
            Can.MANAGE_API_TOKENS,
            Can.VIEW_SERVICE_DASHBOARD,
        }
    ),
    Role.STREET_OFFICER: frozenset(
        {
            Can.VIEW_ROLLUPS,
            Can.VIEW_REGISTER,
            Can.VIEW_COVERAGE,
            Can.MANAGE_API_TOKENS,
            Can.VIEW_SERVICE_DASHBOARD,
        }
    ),
    Role.COMMUNITY_SECRETARY: frozenset(
        {
            Can.VIEW_REGISTER,
            Can.EDIT_REGISTER,
            Can.REVEAL_ID_NUMBER,
            Can.SEAL_COMPOUND,
            Can.USE_ADMIN,
            Can.VIEW_COVERAGE,
            Can.MANAGE_GUARDIANS,
            Can.LOG_CONTACT,
            Can.MANAGE_ROSTER,
            Can.MANAGE_SUPPLIES,
            Can.REQUEST_SUPPLIES,
            Can.MANAGE_API_TOKENS,
            Can.ASK_SERVICE,
            Can.MANAGE_SERVICES,
            Can.VIEW_SERVICE_DASHBOARD,
            Can.WELLBEING_CHECKIN,
        }
    ),
    Role.GRID_WORKER: frozenset(
        {
            Can.VIEW_REGISTER,
            Can.EDIT_REGISTER,
            Can.REVEAL_ID_NUMBER,
            Can.VIEW_COVERAGE,
            Can.LOG_CONTACT,
            Can.ASK_SERVICE,
            Can.WELLBEING_CHECKIN,
        }
    ),
    Role.TASKFORCE_LEAD: frozenset(
        {
            Can.VIEW_REGISTER,
            Can.VIEW_COVERAGE,
            Can.MANAGE_ROSTER,
            Can.REQUEST_SUPPLIES,
            Can.WELLBEING_CHECKIN,
        }
    ),
    Role.VOLUNTEER: frozenset(
        {Can.LOG_CONTACT, Can.REQUEST_SWAP, Can.REQUEST_SUPPLIES, Can.WELLBEING_CHECKIN}
    ),
    Role.SOCIAL_ORG_COORDINATOR: frozenset({Can.MANAGE_SERVICES, Can.VIEW_SERVICE_DASHBOARD}),
    Role.PROFESSIONAL_VOLUNTEER: frozenset({Can.TAKE_CASES}),
    # Administrators run the system; they take no cases (and never read case notes: see
    # linli.services.selectors.may_read_notes).
    Role.SYSTEM_ADMIN: frozenset(set(Can) - {Can.REVEAL_ID_NUMBER, Can.TAKE_CASES}),
}


# Task force (issue 8): who sees it, who shapes it, who deploys social workers.
_TASKFORCE_GRANTS = {
    Role.CITY_OFFICER: {Can.VIEW_TASKFORCE},
    Role.DISTRICT_OFFICER: {Can.VIEW_TASKFORCE},
    Role.STREET_OFFICER: {Can.VIEW_TASKFORCE},
    Role.COMMUNITY_SECRETARY: {Can.VIEW_TASKFORCE, Can.MANAGE_TASKFORCE},
    Role.GRID_WORKER: {Can.VIEW_TASKFORCE},
    Role.TASKFORCE_LEAD: {Can.VIEW_TASKFORCE, Can.MANAGE_TASKFORCE},
    Role.VOLUNTEER: {Can.VIEW_TASKFORCE},
    Role.SOCIAL_ORG_COORDINATOR: {Can.VIEW_TASKFORCE, Can.MANAGE_SOCIAL_ORGS},
}
ROLE_CAN.update({role: ROLE_CAN[role] | grants for role, grants in _TASKFORCE_GRANTS.items()})
# Daily screening: grid workers and secretaries screen; secretaries submit; officers watch.
_SCREENING_CAN = {
    Role.CITY_OFFICER: {Can.VIEW_DAILY_REPORTS},
    Role.DISTRICT_OFFICER: {Can.VIEW_DAILY_REPORTS},
    Role.STREET_OFFICER: {Can.VIEW_DAILY_REPORTS},
    Role.COMMUNITY_SECRETARY: {
        Can.SCREEN,
        Can.MANAGE_QUARANTINE,
        Can.SUBMIT_DAILY_REPORT,
        Can.VIEW_DAILY_REPORTS,
    },
    Role.GRID_WORKER: {Can.SCREEN, Can.MANAGE_QUARANTINE},
}
ROLE_CAN.update({role: ROLE_CAN[role] | caps for role, caps in _SCREENING_CAN.items()})


# Deliveries: guardians and grid workers order (a volunteer only for the wards they guard);
# the secretary and the logistics group's lead pack and plan; volunteers carry.
_DELIVERIES_CAN = {
    Role.COMMUNITY_SECRETARY: {Can.PLACE_ORDERS, Can.MANAGE_DELIVERIES},
    Role.GRID_WORKER: {Can.PLACE_ORDERS},
    Role.TASKFORCE_LEAD: {Can.MANAGE_DELIVERIES},
    Role.VOLUNTEER: {Can.PLACE_ORDERS, Can.CARRY_DELIVERIES},
}
ROLE_CAN.update({role: ROLE_CAN[role] | caps for role, caps in _DELIVERIES_CAN.items()})


def role_can(role: str, capability: str) -> bool:
    return capability in ROLE_CAN.get(role, frozenset())
