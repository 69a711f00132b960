"""Team/player completeness: a team-game whose players do not add up to the team's totals, or with an implausible
number of players who played, is incomplete - and is named, never silently used as complete."""

from __future__ import annotations

from nbaprops.validation.result import CheckResult
from nbaprops.validation.scope import Scope, verdict
from nbaprops.validation.tables import table_columns
from nbaprops.validation.thresholds import CompletenessPair

SHOWN = 20


def _problems_sql(scope: Scope, pair: CompletenessPair, sums: list[str]) -> str:
    group = ", ".join(["game_id", "team", *pair.group_by])
    player_sums = ", ".join(f"sum({c}) AS p_{c}" for c in sums)
    # A team-game may have rows from several sources; they agree on totals (cross-source checks compare them), so
    # merge them column by column and keep what any source gives.
    team_sums = ", ".join(f"max({c}) AS t_{c}" for c in sums)
    mismatches = " OR ".join(f"p.p_{c} <> t.t_{c}" for c in sums)
    band = scope.thresholds.completeness.players_per_team_game
    return f"""
        WITH p AS (
            SELECT {group}, min({scope.pcol}) AS d, count(*) FILTER (WHERE {scope.played}) AS players, {player_sums}
            FROM {pair.players} WHERE {scope.in_dates} GROUP BY {group}
        ), t AS (
            SELECT game_id, team, {team_sums} FROM {pair.teams}
            WHERE game_id IN (SELECT game_id FROM p) GROUP BY game_id, team
        )
        SELECT p.*, {", ".join(f"t.t_{c}" for c in sums)}
        FROM p LEFT JOIN t USING (game_id, team)
        WHERE {mismatches} OR p.players NOT BETWEEN {band.min} AND {band.max}
        ORDER BY p.d, p.game_id, p.team
    """


def _describe(row: dict, sums: list[str], band) -> str:
    parts = [
        f"{c}: players {p}, team {t}"
        for c in sums
        if (p := row[f"p_{c}"]) is not None and (t := row[f"t_{c}"]) is not None and p != t
    ]
    if not band.min <= row["players"] <= band.max:
        parts.append(f"{row['players']} players played")
    return "; ".join(parts)


def completeness(scope: Scope) -> list[CheckResult]:
    settings = scope.thresholds.completeness
    results = []
    for pair in settings.pairs:
        if pair.players != scope.table or not scope.exists:
            continue
        team_columns = table_columns(scope.con, pair.teams)
        sums = [c for c in pair.sums if c in scope.columns and c in team_columns]
        if not team_columns or not sums:
            continue
        cursor = scope.con.execute(_problems_sql(scope, pair, sums))
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
        band = settings.players_per_team_game
        bad = [
            {**{k: r[k] for k in ("d", "game_id", "team", *pair.group_by)}, "problem": _describe(r, sums, band)}
            for r in rows
        ]
        named = ", ".join(f"{b['game_id']} {b['team']} ({b['problem']})" for b in bad[:5])
        results.append(
            CheckResult(
                name="completeness",
                table=scope.table,
                status=verdict(not bad, settings.blocking),
                measured=float(len(bad)),
                threshold=0.0,
                blocking=settings.blocking,
                message=f"{len(bad)} incomplete team-games against {pair.teams}" + (f": {named}" if bad else ""),
                details={"teams_table": pair.teams, "incomplete": bad[:SHOWN], "incomplete_total": len(bad)},
                suggested_command=scope.spec.fix_command([b["d"] for b in bad], rebuild=True) if bad else "",
            )
        )
    return results
