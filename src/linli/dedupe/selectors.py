"""Scoped reads of candidate pairs and merges: both residents must lie in the actor's place."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from linli.common.scope import access, scope_prefix, scoped

from .models import CandidatePair, Merge, PairStatus


def pairs_for(actor: Any) -> QuerySet[CandidatePair]:
    prefix = scope_prefix(actor)
    return (
        scoped(CandidatePair, actor)
        .filter(resident_b__place__code__startswith=prefix or "-")
        .select_related("resident_a__household", "resident_b__household", "community")
    )


def pending_pairs_for(actor: Any) -> QuerySet[CandidatePair]:
    """Pairs waiting for review whose residents are both still unmerged."""
    return pairs_for(actor).filter(
        status=PairStatus.PENDING,
        resident_a__merged_into__isnull=True,
        resident_b__merged_into__isnull=True,
    )


def access_pair(actor: Any, pair_id: int) -> CandidatePair:
    return access(CandidatePair, actor, queryset=pairs_for(actor), pk=pair_id)


def merges_for(actor: Any) -> QuerySet[Merge]:
    prefix = scope_prefix(actor)
    return (
        scoped(Merge, actor)
        .filter(pair__resident_b__place__code__startswith=prefix or "-")
        .select_related("survivor", "absorbed", "pair")
    )


def access_merge(actor: Any, merge_id: int) -> Merge:
    return access(Merge, actor, queryset=merges_for(actor), pk=merge_id)
