"""Regression and daily anomalies: daily metrics (rows per game, non-NULL share of critical columns, means such as
usage) per source, each day judged against its own trailing history. Falling below 90% of the trailing-90-day
baseline is a regression; |z| >= 3 against the trailing 14 game days is a warning."""

from __future__ import annotations

import datetime as dt

from nbaprops.calendar import IN_SCOPE_GAME_TYPES
from nbaprops.validation.result import CheckResult, Status
from nbaprops.validation.scope import Scope, verdict
from nbaprops.validation.tables import is_numeric

SHOWN = 20


def _metric_columns(scope: Scope) -> list[str]:
    settings = scope.thresholds
    shares = [
        f'avg(({c} IS NOT NULL)::DOUBLE) AS "non_null:{c}"'
        for c in settings.critical_floors(scope.table, scope.columns)
    ]
    means = [
        f'avg({c}) AS "mean:{c}"' for c in settings.regression.mean_columns if is_numeric(scope.columns.get(c, ""))
    ]
    return ['count(*) / any_value(g.games) AS "rows_per_game"', *shares, *means]


def _flags(scope: Scope) -> list[tuple]:
    """(metric, source, date, value, baseline, baseline_days, z_mean, z_sd, z_days) for every scope date."""
    s = scope.thresholds.regression
    first = min(scope.dates) - dt.timedelta(days=s.baseline_days)
    sql = f"""
        WITH games AS (
            SELECT game_date, count(*) AS games FROM raw.games WHERE list_contains($types, game_type) GROUP BY 1
        ), daily AS (
            SELECT t.{scope.pcol} AS d, {scope.source_expr} AS src, {", ".join(_metric_columns(scope))}
            FROM {scope.table} t JOIN games g ON g.game_date = t.{scope.pcol}
            WHERE t.{scope.pcol} BETWEEN $first AND $last AND {scope.played}
            GROUP BY ALL
        ), long AS (
            UNPIVOT daily ON COLUMNS(* EXCLUDE (d, src)) INTO NAME metric VALUE value
        )
        SELECT * FROM (
            SELECT metric, src, d, value,
                   avg(value) OVER base AS baseline, count(value) OVER base AS base_n,
                   avg(value) OVER recent AS z_mean, stddev_samp(value) OVER recent AS z_sd,
                   count(value) OVER recent AS z_n
            FROM long
            WINDOW base AS (PARTITION BY metric, src ORDER BY d
                            RANGE BETWEEN INTERVAL {s.baseline_days} DAYS PRECEDING AND INTERVAL 1 DAY PRECEDING),
                   recent AS (PARTITION BY metric, src ORDER BY d
                              ROWS BETWEEN {s.zscore_game_days} PRECEDING AND 1 PRECEDING)
        ) WHERE list_contains($dates, d)
        ORDER BY metric, src, d
    """
    params = {"types": list(IN_SCOPE_GAME_TYPES), "first": first, "last": max(scope.dates), **scope.params}
    return scope.con.execute(sql, params).fetchall()


def _flag(metric, src, d, value, reference) -> dict:
    return {"metric": metric, "source": src, "date": d, "value": value, "reference": reference}


def regression(scope: Scope) -> list[CheckResult]:
    if not scope.exists or not scope.dates:
        return []
    s = scope.thresholds.regression
    regressions, outliers = [], []
    for metric, src, d, value, baseline, base_n, z_mean, z_sd, z_n in _flags(scope):
        if value is None:
            continue
        judged = not metric.startswith("mean:")
        if judged and base_n >= s.min_history and baseline and value < s.min_ratio * baseline:
            regressions.append(_flag(metric, src, d, value, baseline))
        if z_n >= s.min_history and z_sd and abs(value - z_mean) / z_sd >= s.zscore:
            outliers.append(_flag(metric, src, d, value, z_mean))
    return [
        CheckResult(
            name="regression",
            table=scope.table,
            status=verdict(not regressions, s.blocking),
            measured=float(len(regressions)),
            threshold=s.min_ratio,
            blocking=s.blocking,
            message=f"{len(regressions)} daily metrics below {s.min_ratio:.0%} of their trailing "
            f"{s.baseline_days}-day baseline" + _examples(regressions),
            details={"flagged": regressions[:SHOWN], "flagged_total": len(regressions)},
        ),
        CheckResult(
            name="daily_zscore",
            table=scope.table,
            status=Status.WARN if outliers else Status.PASS,
            measured=float(len(outliers)),
            threshold=s.zscore,
            blocking=False,
            message=f"{len(outliers)} daily metrics with |z| >= {s.zscore:g} against the trailing "
            f"{s.zscore_game_days} game days" + _examples(outliers),
            details={"flagged": outliers[:SHOWN], "flagged_total": len(outliers)},
        ),
    ]


def _examples(flags: list[dict]) -> str:
    if not flags:
        return ""
    shown = ", ".join(f"{f['date']} {f['metric']}" + (f" [{f['source']}]" if f["source"] else "") for f in flags[:3])
    return f": {shown}" + (" ..." if len(flags) > 3 else "")
