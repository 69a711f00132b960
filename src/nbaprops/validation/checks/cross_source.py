"""Cross-source agreement: where Basketball-Reference and NBA.com both have a player-game, points, rebounds and
assists must agree; a disagreement means one parser or one source is wrong."""

from __future__ import annotations

from nbaprops.validation.result import CheckResult, Status
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
    compared, bad, left, right = scope.con.execute(
        f"{joined} SELECT count(*), count(*) FILTER (WHERE differs), "
        "(SELECT count(*) FROM l), (SELECT count(*) FROM r) FROM j"
    ).fetchone()
    cursor = scope.con.execute(
        f"{joined} SELECT * EXCLUDE (differs) FROM j WHERE differs ORDER BY game_date, game_id LIMIT {SHOWN}"
    )
    names = [d[0] for d in cursor.description]
    examples = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    agreement = 1 - bad / compared if compared else 0.0
    message = f"{LEFT} vs {RIGHT} on {', '.join(columns)}: {compared - bad}/{compared} player-games agree"
    if not (left and right):  # one source only in this range: nothing to compare, and nothing wrong
        return [_one_source(message, left, right)]
    if not compared:
        message += f" ({left} and {right} rows, none joined on game_id + player_id)"
    return [
        CheckResult(
            name="cross_source",
            table=TABLE,
            status=verdict(agreement >= settings.min_agreement, settings.blocking),
            measured=agreement,
            threshold=settings.min_agreement,
            blocking=settings.blocking,
            message=message,
            details={"compared": compared, "disagreements": bad, "examples": examples},
        )
    ]


def _one_source(message: str, left: int, right: int) -> CheckResult:
    return CheckResult(
        name="cross_source",
        table=TABLE,
        status=Status.PASS,
        measured=None,
        threshold=None,
        blocking=False,
        message=f"{message}: only one source in range ({LEFT} {left} rows, {RIGHT} {right} rows)",
        details={"compared": 0, "known_gaps": [{"sources": [LEFT if left else RIGHT]}]},
    )
