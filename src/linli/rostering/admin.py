from django.contrib import admin

from linli.common.admin import ScopedAdmin

from .models import Checkpoint


@admin.register(Checkpoint)
class CheckpointAdmin(ScopedAdmin):
    list_display = ["code", "name"]
    raw_id_fields = ["place"]
