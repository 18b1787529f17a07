"""How long to wait before trying again: one schedule for retried jobs and deliveries."""

from __future__ import annotations

# Waits after the 1st, 2nd, ... failure.
BACKOFF_SECONDS = (30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600)


def backoff(failures: int) -> int | None:
    """Seconds to wait after ``failures`` failed attempts; ``None``: the schedule is used up."""
    if failures < 1:
        raise ValueError("failures counts from 1")
    if failures > len(BACKOFF_SECONDS):
        return None
    return BACKOFF_SECONDS[failures - 1]
