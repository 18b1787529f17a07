from django.contrib import admin

from linli.common.admin import ScopedAdmin

from .models import ContactWindows, Household, Resident, Vulnerability, Ward


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    list_display = ["code", "address"]
    search_fields = ["code"]
    raw_id_fields = ["place"]


@admin.register(Resident)
class ResidentAdmin(ScopedAdmin):
    list_display = ["id", "name", "id_masked", "sex", "birth_date"]
    search_fields = ["name"]
    raw_id_fields = ["place", "household"]
    exclude = ["id_number"]  # full ID numbers only through the audited reveal


@admin.register(Vulnerability)
class VulnerabilityAdmin(ScopedAdmin):
    list_display = ["resident", "category", "source", "start_date"]
    list_filter = ["category", "source"]
    raw_id_fields = ["resident"]


@admin.register(Ward)
class WardAdmin(ScopedAdmin):
    list_display = ["resident", "risk"]
    list_filter = ["risk"]
    raw_id_fields = ["resident"]


@admin.register(ContactWindows)
class ContactWindowsAdmin(ScopedAdmin):
    """Each community sets how often wards of each risk level must be contacted."""

    list_display = ["place", "high_hours", "medium_hours", "low_hours"]
    raw_id_fields = ["place"]
