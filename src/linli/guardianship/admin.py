from django.contrib import admin

from linli.common.admin import ScopedAdmin

from .models import Assignment, Contact, Volunteer


@admin.register(Volunteer)
class VolunteerAdmin(ScopedAdmin):
    list_display = ["id", "name", "status", "vetted", "capacity"]
    list_filter = ["status", "vetted"]
    raw_id_fields = ["place", "resident", "account", "passes"]


@admin.register(Assignment)
class AssignmentAdmin(ScopedAdmin):
    list_display = ["ward", "role", "volunteer", "pinned", "since"]
    list_filter = ["role", "pinned"]
    raw_id_fields = ["ward", "volunteer"]


@admin.register(Contact)
class ContactAdmin(ScopedAdmin):
    list_display = ["ward", "method", "at"]
    list_filter = ["method"]
    raw_id_fields = ["ward", "volunteer", "recorded_by"]
