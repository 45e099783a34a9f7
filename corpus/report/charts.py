"""Inline SVG charts, drawn in Python so ``index.html`` needs no script and no network.

Two shapes cover the whole report: horizontal bars (funnel, reasons, languages, domains)
and vertical bars over bins (length histograms, cluster sizes). Every label and title goes
through :func:`html.escape`, because labels come from the data (domains, reason codes).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

ROW_HEIGHT = 24
BAR_HEIGHT = 16
HBAR_WIDTH = 760  # full-width card; half-width cards pass HALF_WIDTH
HALF_WIDTH = 500
VALUE_WIDTH = 130
MAX_COLUMN_WIDTH = 48
COLUMN_CHART_WIDTH = 520
COLUMN_CHART_HEIGHT = 220
FONT = "font-family:inherit;font-size:12px"
ACCENT = "#2f6fdf"
MUTED = "#d9dee7"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    color: str = ACCENT
    note: str = ""  # shown after the value, e.g. a percentage
    background: int | None = None  # a lighter bar behind this one (the funnel's "in")


def compact(n: float) -> str:
    """1234 -> 1.2k, 2500000 -> 2.5M: axis labels that fit under a narrow column."""
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= div:
            text = f"{n / div:.1f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return f"{n:g}"


def _shorten(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _svg(chart_id: str, width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg id="{escape(chart_id)}" data-chart="{escape(chart_id)}" class="chart" role="img" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
            f"<title>{escape(title)}</title>{''.join(body)}</svg>")


def empty_chart(chart_id: str, title: str, message: str = "nothing to show") -> str:
    """A chart element that still exists (for links and tests) and says why it is empty."""
    body = [f'<text x="8" y="22" style="{FONT};fill:#6b7280">{escape(message)}</text>']
    return _svg(chart_id, HBAR_WIDTH, 34, body, title)


def hbar_chart(chart_id: str, title: str, bars: Sequence[Bar], *, scale_max: int | None = None,
               width: int = HBAR_WIDTH) -> str:
    """Horizontal bars, one row per item, with the value written at the bar's end."""
    if not bars:
        return empty_chart(chart_id, title)
    top = scale_max or max(max(b.value, b.background or 0) for b in bars) or 1
    # The label column fits the longest label (about 7 px a character at 12 px), up to 45% of
    # the chart; longer labels are shortened to what fits, with the full text as a tooltip.
    max_chars = int(width * 0.45 - 12) // 7
    longest = max(len(_shorten(b.label, max_chars)) for b in bars)
    label_width = max(60, 7 * longest + 12)
    span = width - label_width - VALUE_WIDTH
    height = ROW_HEIGHT * len(bars) + 6
    body = []
    for i, bar in enumerate(bars):
        y = i * ROW_HEIGHT + 4
        mid = y + BAR_HEIGHT / 2 + 4
        body.append(f'<text x="{label_width - 8}" y="{mid:.1f}" text-anchor="end" style="{FONT};fill:#374151">'
                    f"<title>{escape(bar.label)}</title>{escape(_shorten(bar.label, max_chars))}</text>")
        if bar.background is not None:
            w = span * bar.background / top
            body.append(f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" rx="3" '
                        f'fill="{MUTED}"/>')
        w = max(span * bar.value / top, 1.5 if bar.value else 0)
        body.append(f'<rect class="bar" x="{label_width}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" rx="3" '
                    f'fill="{escape(bar.color)}"><title>{escape(bar.label)}: {bar.value:,}</title></rect>')
        end = label_width + max(w, span * (bar.background or 0) / top) + 6
        note = f' <tspan style="fill:#6b7280">{escape(bar.note)}</tspan>' if bar.note else ""
        body.append(f'<text x="{end:.1f}" y="{mid:.1f}" style="{FONT};fill:#111827">{bar.value:,}{note}</text>')
    return _svg(chart_id, width, height, body, title)


def column_chart(chart_id: str, title: str, labels: Sequence[str], counts: Sequence[int], *,
                 x_title: str, color: str = ACCENT) -> str:
    """Vertical bars over ordered bins; ``labels`` has one entry per bin (or per edge + 1)."""
    if not counts or not any(counts):
        return empty_chart(chart_id, title)
    left, bottom, top_pad = 44, 42, 12
    width, height = COLUMN_CHART_WIDTH, COLUMN_CHART_HEIGHT
    plot_w, plot_h = width - left - 8, height - bottom - top_pad
    top = max(counts)
    step = min(plot_w / len(counts), MAX_COLUMN_WIDTH)
    body = [f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - 8}" y2="{top_pad + plot_h}" '
            f'stroke="#9ca3af"/>']
    for tick in sorted({top, round(top / 2)} - {0}):  # two grid lines are enough to read magnitudes
        y = top_pad + plot_h * (1 - tick / top)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 8}" y2="{y:.1f}" stroke="#eef0f4"/>'
                    f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" style="{FONT};fill:#6b7280">'
                    f"{compact(tick)}</text>")
    label_every = max(1, round(len(labels) / 10))
    for i, n in enumerate(counts):
        h = plot_h * n / top
        x = left + i * step
        body.append(f'<rect class="bar" x="{x + 1:.1f}" y="{top_pad + plot_h - h:.1f}" '
                    f'width="{max(step - 2, 1):.1f}" height="{h:.1f}" fill="{escape(color)}">'
                    f"<title>{escape(labels[i])}: {n:,}</title></rect>")
    for i, label in enumerate(labels):
        if i % label_every == 0:
            x = left + i * step + step / 2
            body.append(f'<text x="{x:.1f}" y="{top_pad + plot_h + 15}" text-anchor="middle" '
                        f'style="{FONT};fill:#6b7280">{escape(label.split("–")[0])}</text>')
    body.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" '
                f'style="{FONT};fill:#374151">{escape(x_title)}</text>')
    return _svg(chart_id, width, height, body, title)


def histogram_chart(chart_id: str, title: str, hist: dict, *, x_title: str, color: str = ACCENT) -> str:
    """A report histogram (``edges``/``counts``) as columns labelled by their lower edge."""
    edges, counts = hist.get("edges", []), hist.get("counts", [])
    labels = [f"{compact(a)}–{compact(b)}" for a, b in zip(edges, edges[1:])]
    return column_chart(chart_id, title, labels, counts, x_title=x_title, color=color)
