"""Charts rendered on the server: the same markup serves pages and PDFs.

A chart is an inline SVG of shapes only, with its words (labels, figures,
ticks) set in HTML beside it (``static/prm/charts.css`` lays them out, in em
of the chart's 12 px so that a PDF can draw a chart smaller): WeasyPrint
draws a word in SVG at about 0.8 ms, a line of an HTML text block at about
0.2 ms. No inline styles (the pages' Content-Security-Policy refuses them), no
JavaScript, no flexbox. The SVG keeps a <title> and a <desc> with every
figure for screen readers; the HTML words are hidden from them.
The funnel and the score bar, shown on pages only, keep their few words in SVG.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from prm.formats.display import number

PALETTE = ["#1f5f8b", "#2e8b57", "#c28a00", "#b3261e", "#6b3fa0", "#4a6d7c", "#8a5a44", "#5d6778"]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    color: str = ""
    note: str = ""


def bar_chart(bars: list[Bar], *, title: str, unit: str = "", wide_labels: bool = False) -> str:
    """Horizontal bars: their labels left of them and their figures right of them, in HTML.

    The SVG holds the bars alone (positions in percent of the plot, so the
    chart narrows on a phone and in a PDF column), one row of 28 px (at the
    chart's 12 px) per bar. ``wide_labels``: a label column of 240 px instead
    of 150 (long labels, e.g. the scorecard's dimensions).
    """
    row, pad = 28, 8
    height = row * len(bars) + pad * 2
    top = max([b.value for b in bars] + [1])
    desc = ", ".join(f"{b.label}: {_figure(b.value)}{unit}" for b in bars)
    rects = []
    for i, bar in enumerate(bars):
        share = 0.0 if top <= 0 or bar.value <= 0 else max(1.0, 100 * bar.value / top)
        rects.append(
            f'<rect x="0" y="{_pct(pad + i * row + 5, height)}%" width="{share:.2f}%" '
            f'height="{_pct(row - 10, height)}%" rx="3" fill="{bar.color or PALETTE[i % len(PALETTE)]}"/>'
        )
    figures = [f"{_figure(b.value)}{unit}" + (f" · {b.note}" if b.note else "") for b in bars]
    svg = _open("100%", _em(height), title, desc) + "".join(rects) + "</svg>"
    return mark_safe(
        f'<div class="chart chart-bars{" chart-bars-wide" if wide_labels else ""}">'
        f"{_column('chart-labels', [b.label for b in bars])}"
        f'<div class="chart-plot">{svg}</div>'
        f"{_column('chart-values', figures)}</div>"
    )


def funnel_chart(steps: list[Bar], *, title: str, width: int = 520) -> str:
    """A funnel: stage labels on the left, centred bars proportional to each count."""
    row, pad = 30, 6
    # room for the longest label (12 px text is about 7 px a character; "Primeiras conversas" in pt-BR)
    label_w = max(120, 7 * max((len(str(s.label)) for s in steps), default=0) + 16)
    height = row * len(steps) + pad * 2
    top = max([s.value for s in steps] + [1])
    plot_w = width - label_w - 10
    centre = label_w + plot_w / 2
    desc = ", ".join(f"{s.label}: {_figure(s.value)}" for s in steps)
    parts = [_open(width, height, title, desc, view_box=f"0 0 {width} {height}", css_class="chart")]
    for i, step in enumerate(steps):
        w = max(4.0, plot_w * step.value / top)
        y = pad + i * row
        color = step.color or PALETTE[i % len(PALETTE)]
        inside = w > 40
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="12" fill="#1d2433">{escape(step.label)}</text>'
            f'<rect x="{centre - w / 2:.1f}" y="{y}" width="{w:.1f}" height="{row - 6}" rx="4" fill="{color}"/>'
            f'<text x="{centre if inside else centre + w / 2 + 6:.1f}" y="{y + 17}" text-anchor="{"middle" if inside else "start"}" '
            f'font-size="12" font-weight="600" fill="{"#fff" if inside else "#1d2433"}">{_figure(step.value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def score_bar(value: float | None, threshold: float, *, width: int = 220, label: str = "") -> str:
    """A 0–100 bar with the threshold marked (for tier axes)."""
    height = 18
    v = 0 if value is None else max(0.0, min(100.0, value))
    fill = "#2e8b57" if value is not None and value >= threshold else "#c28a00"
    tx = width * threshold / 100
    shown = gettext("not measured") if value is None else _figure(value)
    desc = gettext("%(label)s %(value)s / threshold %(threshold)s") % {
        "label": label,
        "value": shown,
        "threshold": _figure(threshold),
    }
    return mark_safe(
        _open(width, height, label or "score", desc, view_box=f"0 0 {width} {height}", css_class="chart")
        + f'<rect x="0" y="3" width="{width}" height="12" rx="6" fill="#eef1f5"/>'
        + f'<rect x="0" y="3" width="{width * v / 100:.1f}" height="12" rx="6" fill="{fill}"/>'
        + f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="0" y2="{height}" stroke="#1d2433" stroke-width="2"/>'
        + "</svg>"
    )


def _open(width, height, title, desc, *, view_box: str = "", css_class: str = "chart-svg", stretch=False):
    """The chart's ``<svg>``. Its title and description are what a screen reader reads (the HTML
    words around it are hidden from it). A ``view_box`` scales the drawing to the box; ``stretch``
    lets it stretch to the box's width alone."""
    extra = f'viewBox="{view_box}" ' if view_box else ""
    extra += 'preserveAspectRatio="none" ' if stretch else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" width="{width}" height="{height}" '
        f'{extra}role="img"><title>{escape(title)}</title><desc>{escape(desc)}</desc>'
    )


def _em(px: float) -> str:
    """``px`` at the chart's 12 px font, in em: the chart scales with its font size (smaller in PDFs)."""
    return f"{px / 12:.4f}em"


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.3f}"


def _column(css_class: str, lines: list) -> str:
    """A column of labels as one HTML text block, a line per row (``white-space: pre``).

    One block, not an element per label: WeasyPrint lays out each text box at
    a cost (about 1 ms an absolutely placed label, 0.2 ms a line of a block).
    """
    text = "\n".join(escape(" ".join(str(line).split())) for line in lines)
    return f'<div class="{css_class}" aria-hidden="true">{text}</div>'


def gauge(value: float | None, *, title: str) -> str:
    """A half-circle gauge 0–100 (200 × 124 px at the chart's 12 px) with the value in its middle."""
    width, height = 200, 124
    cx, cy, r = width / 2, width / 2, width / 2 - 14
    v = 0.0 if value is None else max(0.0, min(100.0, float(value)))
    angle = math.pi * (1 - v / 100)
    x, y = cx + r * math.cos(angle), cy - r * math.sin(angle)
    color = "#2e8b57" if v >= 70 else "#c28a00" if v >= 40 else "#b3261e"
    label = "—" if value is None else f"{v:.0f}"
    arc = f'<path d="M {cx - r:.1f} {cy:.1f} A {r:.1f} {r:.1f} 0 0 1 '
    return mark_safe(
        '<div class="chart chart-gauge">'
        + _open(_em(width), _em(height), title, f"{title}: {label} / 100", view_box=f"0 0 {width} {height}")
        + f'{arc}{cx + r:.1f} {cy:.1f}" fill="none" stroke="#eef1f5" stroke-width="18"/>'
        + (f'{arc}{x:.1f} {y:.1f}" fill="none" stroke="{color}" stroke-width="18"/>' if v > 0 else "")
        + f'</svg><div class="chart-gauge-value" aria-hidden="true">{label}</div></div>'
    )


def line_chart(points: list[tuple[str, float | None]], *, title: str) -> str:
    """Scores (0–100) over periods: a point per period in the middle of its column, its figure
    above the plot and its period under it (one text block per column), the ticks left of it.

    The SVG (the grid, the line and its points) stretches to the plot's width;
    its strokes do not (``vector-effect``), so the points stay round.
    """
    plot_w, height, top_y, bottom_y = 362, 130, 6, 124
    slot = plot_w / max(len(points), 1)
    parts = [
        _open(
            "100%",
            _em(height),
            title,
            ", ".join(f"{k}: {_figure(v)}" for k, v in points),
            view_box=f"0 0 {plot_w} {height}",
            stretch=True,
        )
    ]
    for tick in (0, 50, 100):
        y = bottom_y - (bottom_y - top_y) * tick / 100
        parts.append(f'<line x1="0" x2="{plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dfe3ea" {_FIXED}/>')
    coords = [
        ((i + 0.5) * slot, bottom_y - (bottom_y - top_y) * max(0.0, min(100.0, float(value))) / 100)
        for i, (_label, value) in enumerate(points)
        if value is not None
    ]
    if len(coords) > 1:
        path = " ".join(f"{'M' if i == 0 else 'L'} {x:.1f} {y:.1f}" for i, (x, y) in enumerate(coords))
        parts.append(f'<path d="{path}" fill="none" stroke="{PALETTE[0]}" stroke-width="2.5" {_FIXED}/>')
    if coords:  # round points: zero-length strokes with round caps, unstretched
        dots = " ".join(f"M {x:.1f} {y:.1f} h 0" for x, y in coords)
        parts.append(
            f'<path d="{dots}" stroke="{PALETTE[0]}" stroke-width="8" stroke-linecap="round" {_FIXED}/>'
        )
    parts.append("</svg>")
    columns = "".join(
        f"<span>{'' if v is None else f'{float(v):.0f}'}\n{escape(' '.join(str(k).split()))}</span>"
        for k, v in points
    )
    return mark_safe(
        '<div class="chart chart-line"><div class="chart-ticks" aria-hidden="true">100\n50\n0</div>'
        f'<div class="chart-plot">{"".join(parts)}'
        f'<div class="chart-columns" aria-hidden="true">{columns}</div></div></div>'
    )


#: strokes keep their width when the SVG stretches to its box
_FIXED = 'vector-effect="non-scaling-stroke"'


def _figure(value) -> str:
    """A chart's figure as pages write it (``prm.formats.display.number``): at most two decimals,
    none trailing, the reader's separators (``1,234.5`` in English, ``1 234,5`` in French)."""
    if value is None:
        return "—"
    figure = Decimal(str(round(float(value), 2)))
    figure = figure.quantize(Decimal(1)) if figure == figure.to_integral() else figure.normalize()
    return number(figure)
