"""Terminal output of an ingest: one line per file, every rejected record named, and a closing summary."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from nbaprops.raw.ingest import IngestSummary
from nbaprops.raw.loader import FileResult

MAX_PROBLEMS_SHOWN = 10
STYLE = {"loaded": "green", "partial": "yellow", "failed": "red", "unchanged": "dim"}


def print_file_result(console: Console, result: FileResult) -> None:
    style = STYLE[result.status]
    line = f"[{style}]{result.status:>9}[/{style}] {result.file}"
    if result.status != "unchanged":
        line += f"  read {result.rows_read:,}  loaded {result.rows_loaded:,}  rejected {result.rows_rejected:,}"
    console.print(line, highlight=False)
    if result.error:
        console.print(f"           {result.file}: {result.error}", style=style, highlight=False)
    for line_no, reason in result.problems[:MAX_PROBLEMS_SHOWN]:
        console.print(f"           {result.file} line {line_no}: {reason}", style=style, highlight=False)
    if len(result.problems) > MAX_PROBLEMS_SHOWN:
        console.print(
            f"           ... and {len(result.problems) - MAX_PROBLEMS_SHOWN} more in raw.quarantine "
            f"(file = '{result.file}')",
            style=style,
            highlight=False,
        )


def print_ingest_summary(console: Console, summary: IngestSummary) -> None:
    table = Table(title="Ingest summary")
    for col in ("status", "files", "rows read", "rows loaded", "rows rejected"):
        table.add_column(col, justify="right" if col != "status" else "left")
    for status in ("loaded", "partial", "failed", "unchanged"):
        files = [f for f in summary.files if f.status == status]
        if files:
            table.add_row(
                status,
                str(len(files)),
                f"{sum(f.rows_read for f in files):,}",
                f"{sum(f.rows_loaded for f in files):,}",
                f"{sum(f.rows_rejected for f in files):,}",
            )
    console.print(table)
    if summary.identity:
        ident = summary.identity
        console.print(
            f"Identity: {ident.resolved_rows:,} of {ident.played_rows:,} played Basketball-Reference player-games "
            f"carry an NBA player_id ({ident.resolved_share:.2%}); {len(ident.unresolved)} player-seasons "
            "unresolved (see `nbaprops status`)."
        )
    if summary.failed:
        console.print(
            f"[red]{len(summary.failed)} file(s) not applied (unreadable or refused, see above):[/red] "
            + ", ".join(f.file for f in summary.failed)
        )
