from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied

from linli.common.admin import ScopedAdmin

from .models import User


class UserAdmin(ScopedAdmin, BaseUserAdmin):
    list_display = ["username", "role", "place", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["place"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Linli", {"fields": ("role", "place")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("Linli", {"fields": ("role", "place")}))

    # What an account may never change about itself (issue 18: an administrator made
    # themselves a superuser and a professional, and so could read case notes).
    SELF_FIXED = (
        "role",
        "place",
        "is_active",
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
    )

    def _allowed(self, request) -> bool:
        # Only administrators manage accounts: nobody else may grant a role or a wider place.
        return super()._allowed(request) and request.user.role == "system_admin"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            fields += [f for f in self.SELF_FIXED if f not in fields]
        return fields

    def save_model(self, request, obj, form, change) -> None:
        if change and obj.pk == request.user.pk:
            stored = User.objects.get(pk=obj.pk)
            if any(
                getattr(stored, f) != getattr(obj, f)
                for f in ("role", "place_id", "is_active", "is_staff", "is_superuser")
            ):
                raise PermissionDenied
        super().save_model(request, obj, form, change)


admin.site.register(User, UserAdmin)


# Groups are not used (roles are); the audit log is read by administrators only.
from auditlog.admin import LogEntryAdmin as BaseLogEntryAdmin  # noqa: E402
from auditlog.models import LogEntry  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402

admin.site.unregister(Group)
admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class LogEntryAdmin(BaseLogEntryAdmin):
    def _allowed(self, request) -> bool:
        return (
            request.user.is_active and request.user.is_staff and request.user.role == "system_admin"
        )

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


# Sign-in records (django-axes) and second-factor devices (django-otp): system
# administrators only; they unlock a locked account by deleting its attempts and reset a
# lost phone by deleting its device.
from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin  # noqa: E402
from axes.models import AccessAttempt, AccessFailureLog, AccessLog  # noqa: E402
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402


class SystemAdminOnly:
    def _allowed(self, request) -> bool:
        return (
            request.user.is_active and request.user.is_staff and request.user.role == "system_admin"
        )

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


for _model, _base in [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
    (TOTPDevice, TOTPDeviceAdmin),
]:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, type(_base.__name__, (SystemAdminOnly, _base), {}))
