from django.contrib import admin

from linli.common.admin import ScopedAdmin
from linli.common.disclosure import may_reveal
from linli.domain.pinyin import search_key

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
    # Full ID numbers only through the audited reveal; the pinyin key follows the name.
    exclude = ["id_number", "name_pinyin"]

    def get_exclude(self, request, obj=None):
        """Phones only for those who may see them in full (linli.common.disclosure)."""
        excluded = list(super().get_exclude(request, obj) or [])
        if not may_reveal(request.user):
            excluded += ["phone", "phone2"]
        return excluded

    def save_model(self, request, obj, form, change) -> None:
        obj.name_pinyin = search_key(obj.name)
        super().save_model(request, obj, form, change)


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
