"""Spot checks: recompute a sample of stored phase-3 values straight from the raw rows, by a separate path from the
transform's SQL, and compare within the tolerance (SPEC section 3 formulas)."""

from __future__ import annotations

from nbaprops.validation.result import CheckResult
from nbaprops.validation.scope import Scope, verdict

TABLE = "analytics.player_game_summary"
SHOWN = 10
MINUTES = (
    "CASE WHEN {m} LIKE '%:%' THEN split_part({m}, ':', 1)::DOUBLE + split_part({m}, ':', 2)::DOUBLE / 60 "
    "ELSE TRY_CAST({m} AS DOUBLE) END"
)
# Recomputation of each checked column from Basketball-Reference player rows (b), the team's full box (t) and the
# team's minutes summed over its players (tm).
RECOMPUTED = {
    "pts": "b.pts",
    "usage_rate": "100 * (b.fga + 0.44 * b.fta + b.tov) * (tm.minutes / 5) / "
    f"(nullif({MINUTES.format(m='b.minutes')}, 0) * (t.fga + 0.44 * t.fta + t.tov))",
}


def spot_checks(scope: Scope) -> list[CheckResult]:
    columns = [c for c in RECOMPUTED if c in scope.columns]
    if scope.table != TABLE or not columns or not {"game_id", "player_id"} <= scope.columns.keys():
        return []
    settings = scope.thresholds.spot_checks
    stored = ", ".join(f"s.{c} AS stored_{c}" for c in columns)
    again = ", ".join(f"{RECOMPUTED[c]} AS recomputed_{c}" for c in columns)
    cursor = scope.con.execute(
        f"""
        WITH s AS (
            SELECT * FROM (SELECT * FROM {TABLE} WHERE {scope.in_dates} AND usage_rate IS NOT NULL)
            USING SAMPLE reservoir({settings.sample_size} ROWS) REPEATABLE (7)
        ), tm AS (
            SELECT game_id, team, sum({MINUTES.format(m="minutes")}) AS minutes FROM raw.player_boxscores
            WHERE source = 'bbref_box' AND game_id IN (SELECT game_id FROM s) GROUP BY ALL
        )
        SELECT s.{scope.pcol} AS d, s.game_id, s.player_id, {stored}, {again}
        FROM s
        JOIN raw.player_boxscores b ON b.source = 'bbref_box' AND b.game_id = s.game_id AND b.player_id = s.player_id
        JOIN raw.team_boxscores t ON t.source = 'nba_team_box' AND t.game_id = b.game_id AND t.team = b.team
        JOIN tm ON tm.game_id = b.game_id AND tm.team = b.team
        """
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    return [compare(scope, column, rows, settings) for column in columns]


def compare(scope: Scope, column: str, rows: list[dict], settings) -> CheckResult:
    """One result per column: the sampled rows whose stored and recomputed values differ beyond the tolerance.
    Zero rows compared is a failure, never "0/0 within 5%"."""
    judged = [r for r in rows if r[f"recomputed_{column}"] is not None and r[f"stored_{column}"] is not None]
    off = [
        {"date": r["d"], "game_id": r["game_id"], "player_id": r["player_id"],
         "stored": r[f"stored_{column}"], "recomputed": r[f"recomputed_{column}"]}
        for r in judged
        if abs(r[f"stored_{column}"] - r[f"recomputed_{column}"])
        > settings.tolerance * max(abs(r[f"recomputed_{column}"]), 1.0)
    ]  # fmt: skip
    message = (
        f"{len(judged) - len(off)}/{len(judged)} sampled {column} values within {settings.tolerance:.0%} "
        "of the value recomputed from raw rows"
    )
    if not judged:  # a check that saw nothing proves nothing
        message += f": nothing was compared ({len(rows)} rows sampled, none with both values)"
    return CheckResult(
        name=f"spot_check:{column}",
        table=scope.table,
        status=verdict(bool(judged) and not off, settings.blocking),
        measured=float(len(off)),
        threshold=settings.tolerance,
        blocking=settings.blocking,
        message=message,
        details={"sampled": len(rows), "judged": len(judged), "off": off[:SHOWN]},
        suggested_command=scope.spec.fix_command([o["date"] for o in off], rebuild=True) if off else "",
    )
