from django.contrib import admin

from linli.common.admin import ScopedAdmin

from .models import Volunteer


@admin.register(Volunteer)
class VolunteerAdmin(ScopedAdmin):
    list_display = ["id", "name", "status", "vetted", "capacity"]
    list_filter = ["status", "vetted"]
    raw_id_fields = ["place", "resident", "account", "passes"]
