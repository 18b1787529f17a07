from django.contrib import admin

from linli.common.admin import ScopedAdmin

from .models import IDENTITY_FIELDS, Place, PlaceRecode, SealEvent


def is_own_or_above(request, place: Place | None) -> bool:
    """The account's own place or one of its ancestors: what its scope hangs from."""
    own = getattr(request.user, "place", None)
    return place is not None and own is not None and own.code.startswith(place.code)


@admin.register(Place)
class PlaceAdmin(ScopedAdmin):
    """Names, positions and seals. Code, parent and level are set when a place is made and
    then change only through ``do_recode_place``; nobody edits their own place or above."""

    list_display = ["code", "name", "level", "sealed"]
    list_filter = ["level", "sealed"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, *IDENTITY_FIELDS] if obj is not None else fields

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not is_own_or_above(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not is_own_or_above(request, obj)


@admin.register(SealEvent)
class SealEventAdmin(ScopedAdmin):
    list_display = ["place", "action", "actor", "at"]
    raw_id_fields = ["place", "actor"]


@admin.register(PlaceRecode)
class PlaceRecodeAdmin(ScopedAdmin):
    """The record of recodes (made by ``do_recode_place``, never here)."""

    list_display = ["at", "old_code", "new_code", "actor", "places", "accounts_checked"]
    readonly_fields = [f.name for f in PlaceRecode._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
