"""A day's predictions as people read them: the best system per player-game, lines first."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.table import Table

COLUMNS = ("player", "team", "opp", "system", "line", "predicted", "edge", "pick", "confidence")
NUMERIC = {"line", "predicted", "edge", "confidence"}


def print_predictions(console: Console, day: dt.date, rows: list[tuple]) -> None:
    if not rows:
        console.print(f"no predictions for {day}")
        return
    table = Table(title=f"Predictions for {day}")
    for col in COLUMNS:
        table.add_column(col, justify="right" if col in NUMERIC else "left")
    for _, *values in rows:
        table.add_row(*("" if v is None else str(v) for v in values))
    console.print(table)
