"""`nbaprops validate` output: a summary table per table, then each warning and failure with its fixing command
(readable at any terminal width), or JSON for machines."""

from __future__ import annotations

import json
from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from nbaprops.validation.result import CheckResult

STYLES = {"pass": "green", "warn": "yellow", "fail": "red"}


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"


def print_results(console: Console, results: list[CheckResult], *, verbose: bool = False) -> None:
    """Failures and warnings always; known source gaps as info lines; passing checks only when `verbose`."""
    summary = Table(title="Validation")
    for col in ("table", "pass", "warn", "fail", "blocking failures"):
        summary.add_column(col, justify="left" if col == "table" else "right")
    per_table: dict[str, Counter] = {}
    for r in results:
        counts = per_table.setdefault(r.table, Counter())
        counts[str(r.status)] += 1
        counts["blocking"] += r.blocks
    for table, counts in per_table.items():
        summary.add_row(table, *(str(counts[k]) for k in ("pass", "warn", "fail", "blocking")))
    console.print(summary)
    for r in results:
        if r.status == "pass" and not verbose:
            if r.details.get("known_gaps") or r.details.get("not_built"):
                console.print(f"[blue]INFO[/] {r.table} [bold]{r.name}[/] {escape(r.message)}", soft_wrap=True)
            continue
        style = STYLES[str(r.status)]
        blocking = "blocking" if r.blocking else "advisory"
        console.print(
            f"[{style}]{str(r.status).upper()}[/] {r.table} [bold]{r.name}[/] "
            f"measured {_number(r.measured)}, threshold {_number(r.threshold)} ({blocking})",
            soft_wrap=True,
        )
        console.print(f"    {escape(r.message)}", soft_wrap=True)
        if r.suggested_command:
            console.print(f"    fix: [bold]{escape(r.suggested_command)}[/]", soft_wrap=True)
    blocking_failures = sum(r.blocks for r in results)
    status = Counter(str(r.status) for r in results)
    console.print(
        f"{len(results)} checks: {status['pass']} pass, {status['warn']} warn, {status['fail']} fail; "
        f"{blocking_failures} blocking failure(s)"
    )


def results_json(results: list[CheckResult]) -> str:
    return json.dumps(
        {"blocking_failures": sum(r.blocks for r in results), "results": [r.to_dict() for r in results]},
        indent=2,
        default=str,
    )
