from django.contrib import admin

from linli.common.admin import ScopedAdmin

from .models import Place, SealEvent


@admin.register(Place)
class PlaceAdmin(ScopedAdmin):
    list_display = ["code", "name", "level", "sealed"]
    list_filter = ["level", "sealed"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(SealEvent)
class SealEventAdmin(ScopedAdmin):
    list_display = ["place", "action", "actor", "at"]
    raw_id_fields = ["place", "actor"]
