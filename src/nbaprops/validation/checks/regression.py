"""Daily anomalies: the daily mean of each `regression.mean_columns` column (mean usage), per source, against its
trailing game days. A day is flagged when |z| >= 3 *and* the mean moved by at least `min_relative_change` (a tiny
move on a quiet metric is noise, not news). Row counts and null shares are judged by absolute floors instead
(row_count, null_rate), which fail; their relative day-to-day swings (a 2-game day, a roster) need no action."""

from __future__ import annotations

from nbaprops.calendar import IN_SCOPE_GAME_TYPES
from nbaprops.validation.result import CheckResult, Status
from nbaprops.validation.scope import Scope
from nbaprops.validation.tables import is_numeric

SHOWN = 20


def _daily(scope: Scope, columns: list[str]) -> list[tuple]:
    """(metric, source, date, value, z_mean, z_sd, z_days) for every scope date."""
    s = scope.thresholds.regression
    means = ", ".join(f'avg({c}) AS "mean:{c}"' for c in columns)
    sql = f"""
        WITH daily AS (
            SELECT t.{scope.pcol} AS d, {scope.source_expr} AS src, {means}
            FROM {scope.table} t
            WHERE t.{scope.pcol} IN (SELECT game_date FROM raw.games WHERE list_contains($types, game_type))
              AND t.{scope.pcol} <= $last AND {scope.played}
            GROUP BY ALL
        ), long AS (
            UNPIVOT daily ON COLUMNS(* EXCLUDE (d, src)) INTO NAME metric VALUE value
        )
        SELECT * FROM (
            SELECT metric, src, d, value,
                   avg(value) OVER recent AS z_mean, stddev_samp(value) OVER recent AS z_sd,
                   count(value) OVER recent AS z_n
            FROM long
            WINDOW recent AS (PARTITION BY metric, src ORDER BY d
                              ROWS BETWEEN {s.zscore_game_days} PRECEDING AND 1 PRECEDING)
        ) WHERE d IN (SELECT game_date FROM {scope.dates_table})
        ORDER BY metric, src, d
    """
    params = {"types": list(IN_SCOPE_GAME_TYPES), "last": max(scope.dates)}
    return scope.con.execute(sql, params).fetchall()


def regression(scope: Scope) -> list[CheckResult]:
    s = scope.thresholds.regression
    columns = [c for c in s.mean_columns if is_numeric(scope.columns.get(c, ""))]
    if not scope.exists or not scope.dates or not columns:
        return []
    outliers = []
    for metric, src, d, value, z_mean, z_sd, z_n in _daily(scope, columns):
        if value is None or z_n < s.min_history or not z_sd:
            continue
        moved = abs(value - z_mean) >= s.min_relative_change * abs(z_mean)
        if abs(value - z_mean) / z_sd >= s.zscore and moved:
            outliers.append({"metric": metric, "source": src, "date": d, "value": value, "reference": z_mean})
    return [
        CheckResult(
            name="daily_zscore",
            table=scope.table,
            status=Status.WARN if outliers else Status.PASS,
            measured=float(len(outliers)),
            threshold=s.zscore,
            blocking=False,
            message=f"{len(outliers)} daily means with |z| >= {s.zscore:g} against the trailing "
            f"{s.zscore_game_days} game days and a move of {s.min_relative_change:.0%} or more" + _examples(outliers),
            details={"flagged": outliers[:SHOWN], "flagged_total": len(outliers)},
        ),
    ]


def _examples(flags: list[dict]) -> str:
    if not flags:
        return ""
    shown = ", ".join(
        f"{f['date']} {f['metric']} {f['value']:.1f} vs {f['reference']:.1f}"
        + (f" [{f['source']}]" if f["source"] else "")
        for f in flags[:3]
    )
    return f": {shown}" + (" ..." if len(flags) > 3 else "")
