"""Horizontal bar charts as inline SVG, rendered on the server: no script, no CDN.

Each bar carries its number beside it and links to the resource it counts, so the chart is
readable without colour and usable without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

ROW = 22
LABEL_WIDTH = 300
BAR_WIDTH = 360
VALUE_WIDTH = 60


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str | None = None


def _clip(text: str, limit: int = 44) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(bars: list[Bar], title: str) -> str:
    """An accessible SVG: a <title>, one row per bar with label, bar and number. A group, not an
    image: its labels are links, and an image may hold nothing interactive."""
    top = max((b.value for b in bars), default=0)
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = max(1, len(bars)) * ROW + 4
    out = [
        f'<svg class="bars" role="group" aria-label="{escape(title)}" '
        'xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = i * ROW + 2
        length = 0 if top == 0 else max(1, round(BAR_WIDTH * bar.value / top)) if bar.value else 0
        label = (
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">'
            f"{escape(_clip(bar.label))}<title>{escape(bar.label)}</title></text>"
        )
        if bar.href:
            label = f'<a href="{escape(bar.href)}">{label}</a>'
        out.append(label)
        out.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{ROW - 6}" '
            f'fill="#2b6cb0"><title>{escape(bar.label)}: {bar.value}</title></rect>'
        )
        out.append(
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 15}" class="value">{bar.value}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)
