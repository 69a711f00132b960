"""Missing-value rates of the feature store: a feature whose sources had nothing is NULL and listed in
`defaulted_features` (the name predates feature version 4, when such values were filled with made-up defaults), so
rows rebuilt from missing inputs are visible. The mean number of missing features per row and the share of rows that
are mostly missing are judged per date and per season; features no source provides in a season (thresholds
`default_rates.known_gaps`) are reported and not counted."""

from __future__ import annotations

import datetime as dt

from nbaprops.features.ml_feature_store import FEATURES
from nbaprops.validation.result import CheckResult
from nbaprops.validation.scope import Scope, verdict
from nbaprops.validation.thresholds import DefaultRates

SHOWN = 10


def _excess_sql(scope: Scope, settings: DefaultRates) -> tuple[str, dict[str, object]]:
    """SQL of the defaults a row has beyond the known gaps, with its (bound, never inlined) parameters."""
    if "defaulted_features" not in scope.columns:
        return "default_feature_count", {}
    params: dict[str, object] = {"gap_all": settings.known_gaps.get("all", [])}
    cases = []
    for i, (season, features) in enumerate(sorted(settings.known_gaps.items())):
        if season != "all":
            params |= {f"gap_season_{i}": season, f"gap_{i}": features}
            cases.append(f"WHEN $gap_season_{i} THEN $gap_{i}")
    by_season = f"CASE {scope.season_expr} {' '.join(cases)} ELSE []::VARCHAR[] END" if cases else "[]::VARCHAR[]"
    known = f"list_concat($gap_all::VARCHAR[], {by_season})"
    return f"len(list_filter(defaulted_features, f -> NOT list_contains({known}, f)))", params


def _date_counts(rows: list[tuple]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _d, season, *_ in rows:
        counts[season] = counts.get(season, 0) + 1
    return counts


def _seasons_mostly_covered(scope: Scope, live: str, in_scope: dict[str, int]) -> set[str]:
    """The seasons whose limits apply: those the scope covers at least half of. A season's limit judges a season;
    a gate or a daily run reads a few dates, and a season's first days after the bootstrap (players' first games,
    no form yet) are over it by nature - the per-date limits judge those."""
    totals = dict(
        scope.con.execute(
            f"SELECT {scope.season_expr}, count(DISTINCT {scope.pcol}) FROM {scope.table} WHERE {live} GROUP BY 1"
        ).fetchall()
    )
    return {season for season, n in in_scope.items() if totals.get(season) and n >= totals[season] / 2}


def default_rates(scope: Scope) -> list[CheckResult]:
    settings = scope.thresholds.default_rates
    if scope.table != settings.table or not scope.exists or "default_feature_count" not in scope.columns:
        return []
    unknown = sorted({f for fs in settings.known_gaps.values() for f in fs} - set(FEATURES))
    if unknown:
        raise ValueError(f"default_rates.known_gaps names unknown features: {', '.join(unknown)}")
    excess, params = _excess_sql(scope, settings)
    live = "NOT is_bootstrap" if "is_bootstrap" in scope.columns else "TRUE"
    rows = scope.con.execute(
        f"""
        SELECT {scope.pcol}, {scope.season_expr}, count(*), avg(x), count(*) FILTER (WHERE x > $ceiling)
        FROM (SELECT *, {excess} AS x FROM {scope.table} WHERE {scope.in_dates} AND {live})
        GROUP BY ALL ORDER BY 1
        """,
        {**params, "ceiling": settings.row_ceiling},
    ).fetchall()
    bad_dates: dict[dt.date, str] = {}
    seasons: dict[str, list[float]] = {}
    for d, season, n, mean, over in rows:
        total = seasons.setdefault(season, [0, 0.0, 0])
        total[0], total[1], total[2] = total[0] + n, total[1] + mean * n, total[2] + over
        if mean > settings.max_mean_per_date or over / n > settings.max_share_over_ceiling_per_date:
            bad_dates[d] = f"{d} (mean {mean:.1f}, {over / n:.0%} over {settings.row_ceiling})"
    judged = _seasons_mostly_covered(scope, live, _date_counts(rows))
    bad_seasons = {
        season: f"{season} (mean {s / n:.1f}, {over / n:.0%} over {settings.row_ceiling})"
        for season, (n, s, over) in seasons.items()
        if season in judged
        and (s / n > settings.max_mean_per_season or over / n > settings.max_share_over_ceiling_per_season)
    }
    dates = sorted(bad_dates)
    message = (
        f"missing features per row beyond known gaps: {len(dates)} dates over mean {settings.max_mean_per_date:g} "
        f"or {settings.max_share_over_ceiling_per_date:.0%} of rows over {settings.row_ceiling}"
    )
    if dates:
        message += ": " + ", ".join(bad_dates[d] for d in dates[:SHOWN]) + (" ..." if len(dates) > SHOWN else "")
    if bad_seasons:
        message += "; seasons over their limits: " + ", ".join(bad_seasons.values())
    gaps = "; ".join(f"{season}: {', '.join(fs)}" for season, fs in settings.known_gaps.items())
    message += f" (known gaps, not counted: {gaps})" if gaps else ""
    return [
        CheckResult(
            name="default_rate",
            table=scope.table,
            status=verdict(not dates and not bad_seasons, settings.blocking),
            measured=float(len(dates) + len(bad_seasons)),
            threshold=settings.max_mean_per_date,
            blocking=settings.blocking,
            message=message,
            details={
                "bad_dates": dates,
                "bad_seasons": sorted(bad_seasons),
                "mean_per_season": {s: round(v[1] / v[0], 3) for s, v in seasons.items()},
                "known_gaps": settings.known_gaps,
            },
            suggested_command=scope.spec.fix_command(dates, rebuild=True) if dates else "",
        )
    ]
