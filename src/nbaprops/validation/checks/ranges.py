"""Value ranges: numbers outside what the game allows (minutes 0-70, usage 0-100, pace 80-120) are data errors."""

from __future__ import annotations

from nbaprops.validation.result import CheckResult
from nbaprops.validation.scope import Scope, verdict
from nbaprops.validation.tables import is_numeric

SHOWN = 10


def value_ranges(scope: Scope) -> list[CheckResult]:
    settings = scope.thresholds.ranges
    results = []
    for column, band in scope.thresholds.ranges_for(scope.table).items():
        if not is_numeric(scope.columns.get(column, "")):
            continue
        keys = [k for k in scope.spec.keys if k in scope.columns and k != column]
        shown = ", ".join([scope.pcol, *keys, column])
        bad = scope.con.execute(
            f"SELECT {shown}, count(*) OVER () FROM {scope.table} "
            f"WHERE {scope.in_dates} AND NOT ({column} BETWEEN $lo AND $hi) ORDER BY 1 LIMIT {SHOWN}",
            {"lo": band.min, "hi": band.max},
        ).fetchall()
        total = bad[0][-1] if bad else 0
        examples = [dict(zip([scope.pcol, *keys, column], row[:-1], strict=True)) for row in bad]
        dates = [d for (d,) in scope.con.execute(
            f"SELECT DISTINCT {scope.pcol} FROM {scope.table} "
            f"WHERE {scope.in_dates} AND NOT ({column} BETWEEN $lo AND $hi) ORDER BY 1",
            {"lo": band.min, "hi": band.max},
        ).fetchall()] if total else []  # fmt: skip
        on = f" on {len(dates)} dates: {', '.join(map(str, dates[:SHOWN]))}" + (" ..." if len(dates) > SHOWN else "")
        results.append(
            CheckResult(
                name=f"range:{column}",
                table=scope.table,
                status=verdict(total == 0, settings.blocking),
                measured=float(total),
                threshold=0.0,
                blocking=settings.blocking,
                message=f"{total} values of {column} outside [{band.min:g}, {band.max:g}]" + (on if total else ""),
                details={"column": column, "min": band.min, "max": band.max, "examples": examples, "bad_dates": dates},
                suggested_command=scope.spec.fix_command(dates, rebuild=True) if total else "",
            )
        )
    return results
