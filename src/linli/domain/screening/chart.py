"""Trend charts drawn on the server as SVG: no script, readable on a phone.

A chart is a few polylines over days, with the first and last day and the highest
value written on the axes, and the latest value of each line at its end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 340, 180
LEFT, RIGHT, TOP, BOTTOM = 34, 52, 12, 26
COLOURS = ("#b03a2e", "#1f618d", "#7d6608", "#196f3d", "#6c3483")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]  # one per day; None: no report that day


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if value <= step * 4:
            return float(step * ((int(value) // step) + 1)) if value % step else float(value)
    magnitude = 10 ** (len(str(int(value))) - 1)
    return float(magnitude * ((int(value) // magnitude) + 1))


def line_chart(title: str, days: Sequence[dt.date], series: Sequence[Series]) -> str:
    """An SVG document (as text) of ``series`` over ``days``; labels are escaped."""
    n = len(days)
    top_value = max((v for s in series for v in s.values if v is not None), default=0.0)
    top = _nice_top(float(top_value))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" '
        'stroke="#888" stroke-width="1"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#888" '
        'stroke-width="1"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 4}" font-size="10" text-anchor="end">{top:g}</text>',
        f'<text x="{LEFT - 4}" y="{TOP + plot_h}" font-size="10" text-anchor="end">0</text>',
    ]
    if n:
        parts.append(
            f'<text x="{LEFT}" y="{HEIGHT - 8}" font-size="10">{days[0]:%m-%d}</text>'
            f'<text x="{LEFT + plot_w}" y="{HEIGHT - 8}" font-size="10" '
            f'text-anchor="end">{days[-1]:%m-%d}</text>'
        )
    for k, s in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        points = [(x(i), y(v)) for i, v in enumerate(s.values) if v is not None]
        if not points:
            continue
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" '
            f'class="series"><title>{escape(s.label)}</title></polyline>'
        )
        last = next(v for v in reversed(s.values) if v is not None)
        px, py = points[-1]
        parts.append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2.5" fill="{colour}"/>'
            f'<text x="{px + 4:.1f}" y="{py + 4:.1f}" font-size="10" fill="{colour}">'
            f"{last:g}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def legend(series: Sequence[Series]) -> list[tuple[str, str]]:
    """(label, colour) of each line, for a legend written beside the chart in HTML."""
    return [(s.label, COLOURS[k % len(COLOURS)]) for k, s in enumerate(series)]
