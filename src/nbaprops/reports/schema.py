"""The data dictionary as people read it: tables with rows and description, or one table's columns."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table


def tables_json(rows: list[tuple[str, int, str | None]]) -> str:
    return json.dumps([{"table": t, "rows": n, "description": d} for t, n, d in rows], indent=2)


def columns_json(table: str, rows: list[tuple[str, str, str | None]]) -> str:
    columns = [{"column": c, "type": t, "description": d} for c, t, d in rows]
    return json.dumps({"table": table, "columns": columns}, indent=2)


def print_tables(console: Console, rows: list[tuple[str, int, str | None]]) -> None:
    table = Table(title="Tables (nbaprops schema TABLE shows its columns)")
    table.add_column("table", no_wrap=True)
    table.add_column("rows", justify="right")
    table.add_column("description")
    for name, count, description in rows:
        table.add_row(name, f"{count:,}", description or "")
    console.print(table)


def print_columns(console: Console, name: str, rows: list[tuple[str, str, str | None]]) -> None:
    table = Table(title=name)
    table.add_column("column", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("description")
    for column, kind, description in rows:
        table.add_row(column, kind, description or "")
    console.print(table)
