from django.contrib import admin

from linli.common.admin import ScopedAdmin

from .models import Checkpoint, CoverNeed, RosterRules, ShiftType, ShiftWish, Unavailability


@admin.register(Checkpoint)
class CheckpointAdmin(ScopedAdmin):
    list_display = ["code", "name"]
    raw_id_fields = ["place"]


@admin.register(ShiftType)
class ShiftTypeAdmin(ScopedAdmin):
    list_display = ["code", "name", "start", "end"]
    raw_id_fields = ["community"]


@admin.register(CoverNeed)
class CoverNeedAdmin(ScopedAdmin):
    list_display = ["checkpoint", "shift_type", "weekday", "minimum", "preferred", "skill"]
    raw_id_fields = ["checkpoint", "shift_type"]


@admin.register(RosterRules)
class RosterRulesAdmin(ScopedAdmin):
    list_display = ["community", "max_hours_week", "min_rest_hours", "max_consecutive_days"]
    raw_id_fields = ["community"]


@admin.register(Unavailability)
class UnavailabilityAdmin(ScopedAdmin):
    list_display = ["volunteer", "first_day", "last_day"]
    raw_id_fields = ["volunteer"]


@admin.register(ShiftWish)
class ShiftWishAdmin(ScopedAdmin):
    list_display = ["volunteer", "day", "shift_type", "wants", "weight"]
    raw_id_fields = ["volunteer", "shift_type"]
