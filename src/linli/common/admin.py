"""The back office respects the same place scope as the pages."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404

from linli.accounts.roles import Can


class ScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows are those in the signed-in account's place subtree."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_actor(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404  # the same answer whether the row exists elsewhere or not
        return obj

    def _allowed(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and request.user.can(Can.USE_ADMIN)

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._allowed(request) and request.user.role == "system_admin"
