"""Tiny inline-SVG charts, so the HTML report works offline with no plotting library or JavaScript. Every chart has
a viewBox and scales down to the page width (`max-width: 100%`); the heatmap always spans the page."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from html import escape

STATE_COLORS = {
    "done": "#2e7d32",
    "missing": "#d32f2f",
    "failed": "#ff8f00",
    "bootstrap": "#9e9e9e",
    "not_expected": "#eeeeee",
}
LABEL_WIDTH, ROW_HEIGHT, TOP = 300, 18, 34


def _runs(states: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first index, length, state) of each run of equal neighbouring states."""
    runs: list[tuple[int, int, str]] = []
    for i, state in enumerate(states):
        if runs and runs[-1][2] == state:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1, state)
        else:
            runs.append((i, 1, state))
    return runs


def heatmap(rows: dict[str, list[str]], dates: Sequence[dt.date], plot_width: float = 1000.0) -> str:
    """Tables x dates coloured by state, `plot_width` pixels for all dates; runs of one state are one rectangle
    whose tooltip gives the date span."""
    cell_width = plot_width / max(len(dates), 1)
    width = LABEL_WIDTH + plot_width + 60  # room for the last month label
    height = TOP + ROW_HEIGHT * len(rows) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" viewBox="0 0 {width:.0f} {height}" width="100%" '
        f'font-family="sans-serif" font-size="11">'
    ]
    months_seen: set[tuple[int, int]] = set()
    for i, d in enumerate(dates):
        if (d.year, d.month) not in months_seen:
            months_seen.add((d.year, d.month))
            x = LABEL_WIDTH + i * cell_width
            parts.append(f'<line x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{TOP}" stroke="#555"/>')
            if d.month in (1, 4, 7, 10) or len(months_seen) == 1:
                parts.append(f'<text x="{x:.1f}" y="{TOP - 8}">{d:%Y-%m}</text>')
    for r, (label, states) in enumerate(rows.items()):
        y = TOP + r * ROW_HEIGHT
        parts.append(f'<text x="4" y="{y + 13}">{escape(label)}</text>')
        for start, length, state in _runs(states):
            span = f"{dates[start]}" + (f"..{dates[start + length - 1]}" if length > 1 else "")
            parts.append(
                f'<rect x="{LABEL_WIDTH + start * cell_width:.1f}" y="{y + 2}" width="{length * cell_width:.1f}" '
                f'height="{ROW_HEIGHT - 4}" fill="{STATE_COLORS[state]}" data-state="{state}">'
                f"<title>{escape(label)}: {state} {span} ({length} dates)</title></rect>"
            )
    legend_y = TOP + ROW_HEIGHT * len(rows) + 12
    for i, (state, color) in enumerate(STATE_COLORS.items()):
        x = LABEL_WIDTH + i * 110
        parts.append(f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{color}" stroke="#999"/>')
        parts.append(f'<text x="{x + 16}" y="{legend_y + 10}">{state.replace("_", " ")}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _svg(cls: str, width: float, height: float) -> str:
    """The opening tag of a chart drawn in a width x height box that shrinks with the page."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" style="max-width: 100%; height: auto" font-family="sans-serif" '
        f'font-size="11">'
    )


def bars(values: dict[str, float], width: int = 360, top: float = 1.0, fmt: str = "{:.1%}",
         label_width: int = LABEL_WIDTH) -> str:  # fmt: skip
    """Horizontal bars for values in [0, top] (shares by default), one row per label."""
    height = ROW_HEIGHT * len(values) + 4
    parts = [_svg("bars", label_width + width + 60, height)]
    for i, (label, value) in enumerate(values.items()):
        y = i * ROW_HEIGHT
        share = min(max(value / top, 0.0), 1.0)
        parts.append(f'<text x="4" y="{y + 13}">{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{width}" height="12" fill="#eeeeee"/>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{share * width:.1f}" height="12" fill="#1565c0"/>')
        parts.append(f'<text x="{label_width + width + 6}" y="{y + 13}">{fmt.format(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


SERIES_COLORS = ("#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a")
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM, LEGEND_ROW = 48, 20, 10, 36, 14


class Plot:
    """A plotting area of width x height with linear x and y scales, axes, ticks, and a legend above it (one row
    per series, so long names never run off the chart)."""

    def __init__(self, cls: str, width: float, height: float, x: tuple[float, float], y: tuple[float, float],
                 x_label: str, y_label: str, legend: list[str]) -> None:  # fmt: skip
        self.width, self.height, self.x, self.y = width, height, x, y
        self.top = PAD_TOP + LEGEND_ROW * len(legend)
        middle = self.top + (height - self.top - PAD_BOTTOM) / 2
        self.parts = [
            _svg(cls, width, height),
            f'<text x="{PAD_LEFT + (width - PAD_LEFT - PAD_RIGHT) / 2:.0f}" y="{height - 4}" '
            f'text-anchor="middle">{escape(x_label)}</text>',
            f'<text x="12" y="{middle:.0f}" text-anchor="middle" transform="rotate(-90 12 {middle:.0f})">'
            f"{escape(y_label)}</text>",
        ]
        for i, name in enumerate(legend):
            y_text = 2 + LEGEND_ROW * (i + 1)
            self.parts.append(
                f'<rect x="{PAD_LEFT}" y="{y_text - 9}" width="10" height="10" fill="{SERIES_COLORS[i]}"/>'
                f'<text x="{PAD_LEFT + 14}" y="{y_text}">{escape(name)}</text>'
            )

    def px(self, x: float) -> float:
        lo, hi = self.x
        return PAD_LEFT + (x - lo) / ((hi - lo) or 1) * (self.width - PAD_LEFT - PAD_RIGHT)

    def py(self, y: float) -> float:
        lo, hi = self.y
        return self.height - PAD_BOTTOM - (y - lo) / ((hi - lo) or 1) * (self.height - self.top - PAD_BOTTOM)

    def axes(self, x_ticks: list[tuple[float, str]], y_ticks: list[tuple[float, str]]) -> None:
        x0, x1, y0, y1 = self.px(self.x[0]), self.px(self.x[1]), self.py(self.y[0]), self.py(self.y[1])
        self.parts.append(f'<path d="M{x0:.1f},{y1:.1f} V{y0:.1f} H{x1:.1f}" fill="none" stroke="#555"/>')
        for value, label in x_ticks:
            x = self.px(value)
            self.parts.append(
                f'<line x1="{x:.1f}" y1="{y0:.1f}" x2="{x:.1f}" y2="{y0 + 4:.1f}" stroke="#555"/>'
                f'<text x="{x:.1f}" y="{y0 + 15:.1f}" text-anchor="middle">{escape(label)}</text>'
            )
        for value, label in y_ticks:
            y = self.py(value)
            self.parts.append(
                f'<line x1="{x0 - 4:.1f}" y1="{y:.1f}" x2="{x0:.1f}" y2="{y:.1f}" stroke="#555"/>'
                f'<text x="{x0 - 6:.1f}" y="{y + 4:.1f}" text-anchor="end">{escape(label)}</text>'
            )

    def line(
        self, points: list[tuple[float, float]], color: str, dash: str = "", dots: list[str] | None = None
    ) -> None:
        """A polyline; with `dots`, a circle per point whose tooltip is the matching text."""
        if not points:
            return
        path = " ".join(f"{self.px(x):.1f},{self.py(y):.1f}" for x, y in points)
        style = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="1.5"{style}/>')
        for (x, y), tip in zip(points, dots or [], strict=False):
            self.parts.append(
                f'<circle cx="{self.px(x):.1f}" cy="{self.py(y):.1f}" r="3" fill="{color}">'
                f"<title>{escape(tip)}</title></circle>"
            )

    def svg(self) -> str:
        return "".join(self.parts) + "</svg>"


def _ticks(lo: float, hi: float, fmt: str, count: int = 5) -> list[tuple[float, str]]:
    """Ticks inside [lo, hi] at a round step (1, 2 or 5 times a power of ten) giving about `count` intervals."""
    rough = (hi - lo) / count or 1.0
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    first = math.ceil(lo / step - 1e-9)
    return [(k * step, fmt.format(k * step)) for k in range(first, math.floor(hi / step + 1e-9) + 1)]


def calibration_chart(series: dict[str, list[dict]], x_key: str, y_key: str, top: float, label: str,
                      fmt: str = "{:.1f}", size: int = 300) -> str:  # fmt: skip
    """Observed against predicted per bin for each series, with the y = x diagonal of perfect calibration; each
    point's tooltip gives its bin and rows."""
    plot = Plot("calibration", size, size, (0, top), (0, top), f"predicted {label}", f"observed {label}", list(series))
    plot.axes(_ticks(0, top, fmt), _ticks(0, top, fmt))
    plot.line([(0, 0), (top, top)], "#bbb", dash="4")
    for (name, bins), color in zip(series.items(), SERIES_COLORS, strict=False):
        tips = [f"{name}: predicted {b[x_key]:.3g}, observed {b[y_key]:.3g} ({b['rows']:,} rows)"
                for b in bins]  # fmt: skip
        plot.line([(b[x_key], b[y_key]) for b in bins], color, dots=tips)
    return plot.svg()


def interval_chart(rows: list[dict], width: int = 520) -> str:
    """One row per label: the value as a dot with its [low, high] interval and a red tick at its reference (e.g. a
    hit rate, its Wilson 95% interval and the break-even of its prices), on an axis spanning them all."""
    height = ROW_HEIGHT * 1.5 * len(rows) + 30
    drawn = [v for r in rows if r["value"] is not None for v in (r["low"], r["high"], r["reference"])]
    lo, hi = math.floor(min(drawn, default=0) * 10) / 10, math.ceil(max(drawn, default=1) * 10) / 10
    plot_left, plot_width = 150, width - 150 - 20
    parts = [_svg("intervals", width, height)]

    def px(v: float) -> float:
        return plot_left + (min(max(v, lo), hi) - lo) / ((hi - lo) or 1) * plot_width

    for i, r in enumerate(rows):
        y = 12 + i * ROW_HEIGHT * 1.5
        parts.append(f'<text x="4" y="{y + 4}">{escape(r["label"])}</text>')
        if r["value"] is None:
            parts.append(f'<text x="{plot_left}" y="{y + 4}" fill="#888">no decided picks</text>')
            continue
        parts.append(
            f'<line x1="{px(r["low"]):.1f}" y1="{y}" x2="{px(r["high"]):.1f}" y2="{y}" stroke="#1565c0" '
            f'stroke-width="2"/><circle cx="{px(r["value"]):.1f}" cy="{y}" r="4" fill="#1565c0"><title>'
            f"{escape(r['label'])}: {r['value']:.1%} (95% {r['low']:.1%}-{r['high']:.1%}), {r['n']:,} decided, "
            f"break-even {r['reference']:.1%}</title></circle>"
            f'<line x1="{px(r["reference"]):.1f}" y1="{y - 6}" x2="{px(r["reference"]):.1f}" y2="{y + 6}" '
            f'stroke="#c62828" stroke-width="2"/>'
        )
    axis_y = height - 18
    parts.append(f'<line x1="{plot_left}" y1="{axis_y}" x2="{plot_left + plot_width}" y2="{axis_y}" stroke="#555"/>')
    for value, label in _ticks(lo, hi, "{:.0%}"):
        parts.append(f'<text x="{px(value):.1f}" y="{axis_y + 13}" text-anchor="middle">{label}</text>')
    parts.append("</svg>")
    return "".join(parts)


def timeline_chart(series: dict[str, list[tuple[dt.date, float]]], y_label: str, width: int = 520,
                   height: int = 260) -> str:  # fmt: skip
    """One line per series over dates, with a zero line (e.g. cumulative profit in units)."""
    days = sorted({d for points in series.values() for d, _ in points})
    values = [v for points in series.values() for _, v in points] + [0.0]
    if not days:
        return ""
    first = days[0]
    span = max((days[-1] - first).days, 1)
    low, high = min(values), max(values)
    pad = (high - low) * 0.05 or 1.0
    plot = Plot("timeline", width, height, (0, span), (low - pad, high + pad), "game date", y_label, list(series))
    x_ticks = [(i * span / 4, f"{first + dt.timedelta(days=round(i * span / 4)):%m-%d}") for i in range(5)]
    plot.axes(x_ticks, _ticks(low - pad, high + pad, "{:g}", 4))
    plot.line([(0, 0), (span, 0)], "#bbb", dash="4")
    for (name, points), color in zip(series.items(), SERIES_COLORS, strict=False):
        tips = [f"{name} {d}: {v:+.2f}" for d, v in points]
        plot.line([((d - first).days, v) for d, v in points], color, dots=tips)
    return plot.svg()
