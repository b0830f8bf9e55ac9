"""Charts as inline SVG, drawn on the server: no JavaScript library, no CDN, prints well.

Two shapes cover the overview: stacked weekly columns (a series per commune, group or event)
and horizontal bars (totals with their own labels). Every label goes through `escape`: event
titles are typed by staff and group names could one day come from data. Colours are the
Okabe–Ito palette, distinguishable with the common colour-vision deficiencies.

An SVG scales its text with its width, so one drawing cannot be readable both on a 1366 px
screen and on a 390 px phone. `responsive` draws each chart twice — wide, and narrow (a
viewBox about as wide as a phone, fewer axis labels, one legend entry per line) — and CSS
shows the one that fits (`.chart-wide` / `.chart-narrow`).
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


def _svg(width: int, height: int, title: str, body: list[str], variant: str = "") -> Markup:
    css = f"chart {variant}".strip()
    return Markup(
        f'<svg class="{css}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def stacked_columns(
    weeks: Sequence[date],
    series: Sequence[Series],
    *,
    title: str,
    week_label: str,
    narrow: bool = False,
) -> Markup:
    """One column per week, one coloured segment per series; legend below."""
    width, left, top, plot_h = (380, 34, 10, 180) if narrow else (1100, 44, 12, 220)
    per_row, column_w, label_every = (1, 0, 3) if narrow else (3, 340, 2)
    legend_rows = math.ceil(len(series) / per_row)
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
        if (len(weeks) - 1 - i) % label_every == 0 or len(weeks) <= 4:
            body.append(
                f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" class="axis" '
                f'text-anchor="middle">{week.strftime("%d/%m")}</text>'
            )
    for index, item in enumerate(series):
        row, column = divmod(index, per_row)
        x = left + column * column_w
        y = top + plot_h + 36 + row * 22
        body.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" '
            f'fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{x + 18}" y="{y}" class="legend">{escape(_short(item.label, 30))} '
            f"({sum(item.values)})</text>"
        )
    return _svg(width, height, title, body, "chart-narrow" if narrow else "chart-wide")


def horizontal_bars(
    items: Sequence[tuple[str, int]], *, title: str, narrow: bool = False
) -> Markup:
    """One labelled bar per item, the value at its end."""
    width, label_w, row_h = (380, 150, 26) if narrow else (600, 200, 26)
    limit = 22 if narrow else 30
    height = max(1, len(items)) * row_h + 8
    axis_max = max((value for _, value in items), default=0) or 1
    plot_w = width - label_w - 60
    body: list[str] = []
    for index, (label, value) in enumerate(items):
        y = 4 + index * row_h
        w = plot_w * value / axis_max
        body.append(
            f'<text x="{label_w - 8}" y="{y + 17}" class="label" text-anchor="end">'
            f"{escape(_short(label, limit))}<title>{escape(label)}</title></text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 9}" '
            f'fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 17}" class="value">{value}</text>'
        )
    return _svg(width, height, title, body, "chart-narrow" if narrow else "chart-wide")


def responsive_columns(
    weeks: Sequence[date], series: Sequence[Series], *, title: str, week_label: str
) -> Markup:
    """The weekly columns drawn for a wide screen and for a phone (CSS shows one)."""
    wide = stacked_columns(weeks, series, title=title, week_label=week_label)
    narrow = stacked_columns(weeks, series, title=title, week_label=week_label, narrow=True)
    return wide + narrow


def responsive_bars(items: Sequence[tuple[str, int]], *, title: str) -> Markup:
    """The bars drawn for a wide screen and for a phone (CSS shows one)."""
    return horizontal_bars(items, title=title) + horizontal_bars(items, title=title, narrow=True)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
