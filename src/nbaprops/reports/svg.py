"""Tiny inline-SVG charts, so the HTML report works offline with no plotting library or JavaScript."""

from __future__ import annotations

import datetime as dt
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
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" width="{width:.0f}" height="{height}" '
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


def bars(values: dict[str, float], width: int = 360) -> str:
    """Horizontal bars for shares in [0, 1], one row per label."""
    height = ROW_HEIGHT * len(values) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bars" width="{LABEL_WIDTH + width + 60}" '
        f'height="{height}" font-family="sans-serif" font-size="11">'
    ]
    for i, (label, share) in enumerate(values.items()):
        y = i * ROW_HEIGHT
        share = min(max(share, 0.0), 1.0)
        parts.append(f'<text x="4" y="{y + 13}">{escape(label)}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width}" height="12" fill="#eeeeee"/>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{share * width:.1f}" height="12" fill="#1565c0"/>')
        parts.append(f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 13}">{share:.1%}</text>')
    parts.append("</svg>")
    return "".join(parts)
