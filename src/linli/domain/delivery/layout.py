"""Walking distances, and a stable made-up layout for places the register has no
coordinates for."""

from __future__ import annotations

import hashlib
import math


def walking_metres(ax: float, ay: float, bx: float, by: float, detour: float = 1.3) -> int:
    """Whole metres on foot: the straight line times a detour factor for paths."""
    return round(math.hypot(ax - bx, ay - by) * detour)


def synthetic_xy(code: str, centre: tuple[float, float], *, radius: float = 80.0):
    """A point for ``code`` within ``radius`` metres of ``centre``, the same on every run
    (a digest of the code, not a random draw), for buildings registered without
    coordinates: routes then still differ building from building, and the page says that
    the layout is made up."""
    digest = hashlib.sha256(code.encode()).digest()
    angle = int.from_bytes(digest[:4], "big") / 2**32 * 2 * math.pi
    distance = (0.25 + 0.75 * int.from_bytes(digest[4:8], "big") / 2**32) * radius
    return (
        round(centre[0] + distance * math.cos(angle), 1),
        round(centre[1] + distance * math.sin(angle), 1),
    )
