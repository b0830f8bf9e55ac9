"""Charts as inline SVG, drawn on the server: no JavaScript library, no CDN, prints well.

Two shapes cover the overview: stacked weekly columns (a series per commune, group or event)
and horizontal bars (totals with their own labels). Every label goes through `escape`: event
titles are typed by staff and group names could one day come from data. Colours are the
Okabe–Ito palette, distinguishable with the common colour-vision deficiencies.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int]


def _axis(value: float, ticks: int = 4) -> tuple[int, int]:
    """(axis maximum, step): whole-number ticks (counts of people), a round step ≥ value/ticks."""
    needed = max(value, 1) / ticks
    power = 10 ** max(0, math.floor(math.log10(needed)))
    step = next(m * power for m in (1, 2, 3, 5, 10) if m * power >= needed)
    return int(step * ticks), int(step)


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def stacked_columns(
    weeks: Sequence[date], series: Sequence[Series], *, title: str, week_label: str
) -> Markup:
    """One column per week, one coloured segment per series; legend below."""
    width, left, top, plot_h = 1100, 44, 12, 220
    legend_rows = math.ceil(len(series) / 3)
    height = top + plot_h + 34 + legend_rows * 22
    totals = [sum(s.values[i] for s in series) for i in range(len(weeks))]
    axis_max, step = _axis(max(totals, default=0))
    slot = (width - left - 8) / max(1, len(weeks))
    bar = slot * 0.7
    body: list[str] = []
    for k in range(axis_max // step + 1):
        value = k * step
        y = top + plot_h - plot_h * value / axis_max
        body.append(
            f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" class="axis" text-anchor="end">'
            f"{value}</text>"
        )
    for i, week in enumerate(weeks):
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_h
        for index, item in enumerate(series):
            value = item.values[i]
            if value <= 0:
                continue
            h = plot_h * value / axis_max
            y -= h
            tip = f"{item.label} – {week_label.format(day=week.strftime('%d/%m/%Y'))}: {value}"
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[index % len(PALETTE)]}"><title>{escape(tip)}</title></rect>'
            )
        if i % 2 == 0 or len(weeks) <= 8:
            body.append(
                f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" class="axis" '
                f'text-anchor="middle">{week.strftime("%d/%m")}</text>'
            )
    for index, item in enumerate(series):
        row, column = divmod(index, 3)
        x = left + column * 340
        y = top + plot_h + 36 + row * 22
        body.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" '
            f'fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{x + 18}" y="{y}" class="legend">{escape(_short(item.label, 30))} '
            f"({sum(item.values)})</text>"
        )
    return _svg(width, height, title, body)


def horizontal_bars(items: Sequence[tuple[str, int]], *, title: str) -> Markup:
    """One labelled bar per item, the value at its end."""
    width, label_w, row_h = 600, 200, 26
    height = max(1, len(items)) * row_h + 8
    axis_max = max((value for _, value in items), default=0) or 1
    plot_w = width - label_w - 60
    body: list[str] = []
    for index, (label, value) in enumerate(items):
        y = 4 + index * row_h
        w = plot_w * value / axis_max
        body.append(
            f'<text x="{label_w - 8}" y="{y + 17}" class="label" text-anchor="end">'
            f"{escape(_short(label, 30))}<title>{escape(label)}</title></text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 9}" '
            f'fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 17}" class="value">{value}</text>'
        )
    return _svg(width, height, title, body)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
