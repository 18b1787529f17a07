"""Back office for the service desk's set-up: professionals, teams, a community's own triage
rules and limits. Requests and case notes are not here: notes are for the case's people only."""

from django.contrib import admin

from linli.common.admin import ScopedAdmin

from .models import Professional, ServiceLimits, Team, TriageRule


@admin.register(Professional)
class ProfessionalAdmin(ScopedAdmin):
    list_display = ["id", "user", "kind", "hours", "load_limit", "active"]
    list_filter = ["kind", "active"]
    raw_id_fields = ["user"]


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
    list_display = ["name", "place", "lead"]
    raw_id_fields = ["place", "communities", "members", "lead", "deputy"]


@admin.register(TriageRule)
class TriageRuleAdmin(ScopedAdmin):
    """A community's rules, added to the default set (self-harm words and others)."""

    list_display = ["place", "kind", "match", "raise_to", "reason", "active"]
    list_filter = ["kind", "raise_to", "active"]
    raw_id_fields = ["place"]


@admin.register(ServiceLimits)
class ServiceLimitsAdmin(ScopedAdmin):
    list_display = ["place", "critical_response", "urgent_response", "normal_response"]
    raw_id_fields = ["place"]
