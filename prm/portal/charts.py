"""Inline SVG charts rendered on the server: the same markup serves pages and PDFs.

No JavaScript and no flexbox, so WeasyPrint prints them as they show.
Every chart has a <title> and <desc> for screen readers.
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


def bar_chart(
    bars: list[Bar], *, title: str, width: int = 520, unit: str = "", label_width: int = 150
) -> str:
    """Horizontal bars with labels and values."""
    row, label_w, pad = 28, label_width, 8
    height = row * len(bars) + pad * 2
    top = max([b.value for b in bars] + [1])
    plot_w = width - label_w - 70
    parts = [_open(width, height, title, ", ".join(f"{b.label}: {_figure(b.value)}{unit}" for b in bars))]
    for i, bar in enumerate(bars):
        y = pad + i * row
        w = 0 if top == 0 else max(2, plot_w * bar.value / top) if bar.value else 0
        color = bar.color or PALETTE[i % len(PALETTE)]
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end" font-size="12" fill="#1d2433">{escape(bar.label)}</text>'
            f'<rect x="{label_w}" y="{y + 5}" width="{w:.1f}" height="{row - 10}" rx="3" fill="{color}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 18}" font-size="12" fill="#1d2433">{_figure(bar.value)}{escape(unit)}'
            f"{(' · ' + escape(bar.note)) if bar.note else ''}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def funnel_chart(steps: list[Bar], *, title: str, width: int = 520) -> str:
    """A funnel: stage labels on the left, centred bars proportional to each count."""
    row, pad = 30, 6
    # room for the longest label (12 px text is about 7 px a character; "Primeiras conversas" in pt-BR)
    label_w = max(120, 7 * max((len(str(s.label)) for s in steps), default=0) + 16)
    height = row * len(steps) + pad * 2
    top = max([s.value for s in steps] + [1])
    plot_w = width - label_w - 10
    centre = label_w + plot_w / 2
    parts = [_open(width, height, title, ", ".join(f"{s.label}: {_figure(s.value)}" for s in steps))]
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
        _open(width, height, label or "score", desc)
        + f'<rect x="0" y="3" width="{width}" height="12" rx="6" fill="#eef1f5"/>'
        + f'<rect x="0" y="3" width="{width * v / 100:.1f}" height="12" rx="6" fill="{fill}"/>'
        + f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="0" y2="{height}" stroke="#1d2433" stroke-width="2"/>'
        + "</svg>"
    )


def _open(width, height, title, desc) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img"><title>{escape(title)}</title><desc>{escape(desc)}</desc>'
    )


def gauge(value: float | None, *, title: str, width: int = 200) -> str:
    """A half-circle gauge 0–100 with the value in the middle."""
    height = width * 0.62
    cx, cy, r = width / 2, width / 2, width / 2 - 14
    v = 0.0 if value is None else max(0.0, min(100.0, float(value)))
    angle = math.pi * (1 - v / 100)
    x, y = cx + r * math.cos(angle), cy - r * math.sin(angle)
    color = "#2e8b57" if v >= 70 else "#c28a00" if v >= 40 else "#b3261e"
    large = 0
    label = "—" if value is None else f"{v:.0f}"
    return mark_safe(
        _open(width, int(height), title, f"{title}: {label} / 100")
        + f'<path d="M {cx - r:.1f} {cy:.1f} A {r:.1f} {r:.1f} 0 0 1 {cx + r:.1f} {cy:.1f}" fill="none" stroke="#eef1f5" stroke-width="18"/>'
        + (
            f'<path d="M {cx - r:.1f} {cy:.1f} A {r:.1f} {r:.1f} 0 {large} 1 {x:.1f} {y:.1f}" fill="none" stroke="{color}" stroke-width="18"/>'
            if v > 0
            else ""
        )
        + f'<text x="{cx:.1f}" y="{cy - 8:.1f}" text-anchor="middle" font-size="{width / 5:.0f}" font-weight="700" fill="#1d2433">{label}</text>'
        + "</svg>"
    )


def line_chart(
    points: list[tuple[str, float | None]], *, title: str, width: int = 420, height: int = 160
) -> str:
    """Scores over periods (0–100), with the labels under the x axis."""
    pad_l, pad_r, pad_b, pad_t = 30, 28, 24, 18
    plot_w, plot_h = width - pad_l - pad_r, height - pad_b - pad_t
    n = max(len(points) - 1, 1)
    parts = [_open(width, height, title, ", ".join(f"{k}: {_figure(v)}" for k, v in points))]
    for tick in (0, 50, 100):
        y = pad_t + plot_h * (1 - tick / 100)
        parts.append(
            f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dfe3ea"/>'
            f'<text x="{pad_l - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10" fill="#5d6778">{tick}</text>'
        )
    coords = []
    for i, (label, value) in enumerate(points):
        x = pad_l + plot_w * (i / n if len(points) > 1 else 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" font-size="10" fill="#5d6778">{escape(label)}</text>'
        )
        if value is not None:
            y = pad_t + plot_h * (1 - max(0.0, min(100.0, float(value))) / 100)
            coords.append((x, y, value))
    if len(coords) > 1:
        path = " ".join(f"{'M' if i == 0 else 'L'} {x:.1f} {y:.1f}" for i, (x, y, _) in enumerate(coords))
        parts.append(f'<path d="{path}" fill="none" stroke="{PALETTE[0]}" stroke-width="2.5"/>')
    for x, y, value in coords:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{PALETTE[0]}"/>'
            f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" font-size="10" fill="#1d2433">{float(value):.0f}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _figure(value) -> str:
    """A chart's figure as pages write it (``prm.formats.display.number``): at most two decimals,
    none trailing, the reader's separators (``1,234.5`` in English, ``1 234,5`` in French)."""
    if value is None:
        return "—"
    figure = Decimal(str(round(float(value), 2)))
    figure = figure.quantize(Decimal(1)) if figure == figure.to_integral() else figure.normalize()
    return number(figure)
