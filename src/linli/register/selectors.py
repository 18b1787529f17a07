"""Scoped reads of the register."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from linli.common.scope import access, scoped

from .models import ImportRun, Resident


def residents_for(actor: Any) -> QuerySet[Resident]:
    return scoped(Resident, actor).select_related("place", "household")


def access_resident(actor: Any, resident_id: int) -> Resident:
    return access(Resident, actor, queryset=residents_for(actor), pk=resident_id)


def search_residents(actor: Any, query: str = "") -> QuerySet[Resident]:
    """Residents in scope matching a name, phone or the last digits of an ID number."""
    qs = residents_for(actor).prefetch_related("vulnerabilities")
    query = query.strip()
    if not query:
        return qs
    if query.isdigit() or query[-1:].upper() == "X":
        return qs.filter(phone__contains=query) | qs.filter(id_number__endswith=query.upper())
    return qs.filter(name__contains=query)


def imports_for(actor: Any) -> QuerySet[ImportRun]:
    return scoped(ImportRun, actor).select_related("place", "job").defer("content")


def access_import(actor: Any, run_id: int) -> ImportRun:
    return access(
        ImportRun, actor, queryset=ImportRun.objects.select_related("place", "job"), pk=run_id
    )
