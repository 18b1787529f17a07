"""The back office respects the same place scope as the pages."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404

from linli.accounts.roles import Can


class ScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows are those in the signed-in account's place subtree."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_actor(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """A row may only point at places (and other scoped rows) the account reaches: the
        choices, and what the form accepts, are limited to the account's subtree."""
        related = db_field.remote_field.model._default_manager.all()
        if hasattr(related, "for_actor"):
            kwargs["queryset"] = related.for_actor(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
