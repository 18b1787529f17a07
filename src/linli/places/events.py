"""What other capabilities react to when a compound is sealed or unsealed.

Capabilities register a listener in their AppConfig.ready(); the seal service calls
each one inside its transaction, so the seal and its consequences (a repaired
guardianship plan) are stored together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SealListener = Callable[..., Any]  # listener(place, *, actor)
_seal_listeners: list[SealListener] = []


def on_seal_changed(listener: SealListener) -> SealListener:
    if listener not in _seal_listeners:
        _seal_listeners.append(listener)
    return listener


def seal_changed(place: Any, *, actor: Any) -> None:
    for listener in list(_seal_listeners):
        listener(place, actor=actor)
