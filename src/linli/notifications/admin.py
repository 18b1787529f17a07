from django.contrib import admin

from linli.common.admin import ScopedAdmin

from .models import Delivery, Robot


@admin.register(Robot)
class RobotAdmin(ScopedAdmin):
    list_display = ["place", "kind", "enabled"]
    list_filter = ["kind", "enabled"]
    autocomplete_fields = ["place"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The outbox, read-only, for system administrators: what waits, what failed and why."""

    list_display = ["pk", "channel", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "channel"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.role == "system_admin"

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
