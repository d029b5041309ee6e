"""Charts as SVG drawn on the server: no JavaScript, no web fonts, nothing from the internet.

Each chart is decoration for sighted readers (aria-hidden); the page puts a table with the same numbers beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Dark colours with enough contrast on white (WCAG 1.4.11 asks 3:1 for graphics).
COLOURS = ("#004b76", "#b34700", "#2e6b30", "#6b2e6b", "#595959")
WIDTH = 640


def _svg(height: int, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text in `body` went through escape()
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" aria-hidden="true" focusable="false" font-family="Fira Sans, sans-serif" font-size="14">'
        f"{body}</svg>"
    )


def bar_chart(items: Sequence[tuple[str, float]], *, value_texts: Sequence[str] | None = None) -> SafeString:
    """Horizontal bars, one per (label, value), longest = largest value."""
    row, label_width, text_width = 30, 230, 90
    height = max(row, row * len(items)) + 10
    top = max((value for _label, value in items), default=0) or 1
    parts = []
    for i, (label, value) in enumerate(items):
        y = 5 + i * row
        length = (WIDTH - label_width - text_width) * max(0.0, value) / top
        text = value_texts[i] if value_texts else f"{value:g}"
        short = label if len(label) <= 32 else label[:31] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 19}" text-anchor="end" fill="#131525">{escape(short)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row - 10}" '
            f'fill="{COLOURS[i % len(COLOURS)]}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 19}" fill="#131525">{escape(text)}</text>'
        )
    return _svg(height, "".join(parts))


def column_chart(points: Sequence[tuple[str, Sequence[float]]], *, series: Sequence[str]) -> SafeString:
    """Columns over time, one group per point with a column per series, and a legend."""
    height, bottom, left, legend = 260, 40, 50, 26
    plot_height = height - bottom - legend - 10
    top = max((max(values, default=0) for _label, values in points), default=0) or 1
    group_width = (WIDTH - left - 10) / max(1, len(points))
    column = max(1.0, group_width * 0.8 / max(1, len(series)))
    parts = [
        f'<line x1="{left}" y1="{legend + plot_height}" x2="{WIDTH - 10}" y2="{legend + plot_height}" '
        f'stroke="#595959"/>',
        f'<text x="{left - 6}" y="{legend + 12}" text-anchor="end" fill="#131525">{top:g}</text>',
        f'<text x="{left - 6}" y="{legend + plot_height}" text-anchor="end" fill="#131525">0</text>',
    ]
    for s, name in enumerate(series):
        x = left + s * 200
        parts.append(
            f'<rect x="{x}" y="4" width="14" height="14" fill="{COLOURS[s % len(COLOURS)]}"/>'
            f'<text x="{x + 20}" y="16" fill="#131525">{escape(name)}</text>'
        )
    every = max(1, len(points) // 12)
    for i, (label, values) in enumerate(points):
        x0 = left + i * group_width + group_width * 0.1
        for s, value in enumerate(values):
            h = plot_height * max(0.0, value) / top
            parts.append(
                f'<rect x="{x0 + s * column:.1f}" y="{legend + plot_height - h:.1f}" width="{column:.1f}" '
                f'height="{h:.1f}" fill="{COLOURS[s % len(COLOURS)]}"/>'
            )
        if i % every == 0:
            parts.append(
                f'<text x="{x0 + group_width * 0.4:.1f}" y="{height - bottom + 20}" text-anchor="middle" '
                f'font-size="12" fill="#131525">{escape(label)}</text>'
            )
    return _svg(height, "".join(parts))
