"""HTML pieces the report's sections share: a table and a number as shown."""

from __future__ import annotations

from html import escape


def table(table_id: str, headers: list[str], rows: list[list[str]]) -> str:
    """An HTML table; cells are already-escaped HTML, right-aligned when they hold a number."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{c}</td>' if _numeric(c) else f"<td>{c}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _numeric(cell: str) -> bool:
    return cell.replace(",", "").replace(".", "", 1).rstrip("%").lstrip("+-").isdigit()


def num(value: float | None, fmt: str = "{:.3f}") -> str:
    """A stored number as shown: '-' where there is none (a backtest stores NaN as null)."""
    return "-" if value is None else fmt.format(value)
