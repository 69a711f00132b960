"""Cross-source agreement: where Basketball-Reference and NBA.com both have a player-game, points, rebounds and
assists must agree; a disagreement means one parser or one source is wrong."""

from __future__ import annotations

from nbaprops.validation.result import CheckResult
from nbaprops.validation.scope import Scope, verdict

TABLE = "raw.player_boxscores"
LEFT, RIGHT = "bbref_box", "nba_gamelog"
SHOWN = 20


def cross_source(scope: Scope) -> list[CheckResult]:
    if scope.table != TABLE or not scope.exists:
        return []
    settings = scope.thresholds.cross_source
    columns = [c for c in settings.columns if c in scope.columns]
    pairs = ", ".join(f"l.{c} AS {LEFT}_{c}, r.{c} AS {RIGHT}_{c}" for c in columns)
    differs = " OR ".join(f"l.{c} IS DISTINCT FROM r.{c}" for c in columns)
    joined = f"""
        WITH l AS (SELECT * FROM {TABLE} WHERE source = '{LEFT}' AND {scope.in_dates} AND {scope.played}),
             r AS (SELECT * FROM {TABLE} WHERE source = '{RIGHT}' AND {scope.in_dates}),
             j AS (SELECT l.game_date, l.game_id, l.team, l.player_id, l.player_name, {pairs}, ({differs}) AS differs
                   FROM l JOIN r USING (game_id, player_id))
    """
    compared, bad = scope.con.execute(
        f"{joined} SELECT count(*), count(*) FILTER (WHERE differs) FROM j", scope.params
    ).fetchone()
    cursor = scope.con.execute(
        f"{joined} SELECT * EXCLUDE (differs) FROM j WHERE differs ORDER BY game_date, game_id LIMIT {SHOWN}",
        scope.params,
    )
    names = [d[0] for d in cursor.description]
    examples = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    agreement = 1 - bad / compared if compared else 1.0
    return [
        CheckResult(
            name="cross_source",
            table=TABLE,
            status=verdict(agreement >= settings.min_agreement, settings.blocking),
            measured=agreement,
            threshold=settings.min_agreement,
            blocking=settings.blocking,
            message=f"{LEFT} vs {RIGHT} on {', '.join(columns)}: {compared - bad}/{compared} player-games agree",
            details={"compared": compared, "disagreements": bad, "examples": examples},
        )
    ]
