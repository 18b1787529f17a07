"""The back office respects the same place scope as the pages."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

from linli.accounts.roles import Can


def scoped_choices(db_field, actor) -> models.QuerySet | None:
    """The rows a relation may name for ``actor``: the actor's scope when the related model
    is scoped (places, people, anything with a place), None when it is not (the catalogue)."""
    related = db_field.remote_field.model._default_manager.all()
    return related.for_actor(actor) if hasattr(related, "for_actor") else None


class ScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows are those in the signed-in account's place subtree."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_actor(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """A row may only point at places (and other scoped rows) the account reaches: the
        choices, and what the form accepts, are limited to the account's subtree."""
        if (
            "queryset" not in kwargs
            and (choices := scoped_choices(db_field, request.user)) is not None
        ):
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        """The same for a set of places or scoped rows (a team's communities, its members)."""
        if (
            "queryset" not in kwargs
            and (choices := scoped_choices(db_field, request.user)) is not None
        ):
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_form(self, request, form, change):
        """Refuse, whatever the form's fields were built from, any value naming a scoped row
        outside the account's places: a subclass's own queryset cannot widen the scope."""
        opts = form._meta.model._meta
        for name, value in form.cleaned_data.items():
            try:
                field = opts.get_field(name)
            except FieldDoesNotExist:
                continue
            if not (field.is_relation and field.concrete) or value is None:
                continue
            chosen = value if isinstance(value, models.QuerySet | list | tuple) else [value]
            pks = {row.pk for row in chosen}
            allowed = scoped_choices(field, request.user)
            if pks and allowed is not None and allowed.filter(pk__in=pks).count() != len(pks):
                raise PermissionDenied
        return super().save_form(request, form, change)

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
