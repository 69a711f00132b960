"""How well name-only prop lines join the warehouse: each distinct (player name, game) pair must resolve to one NBA
person id (through `raw.player_names`, aliases included) and one game id; the pairs that do not are listed with the
reason, so a new spelling becomes an alias in `raw/player_aliases.csv` instead of a silently missing line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

PAIRS_SQL = """
WITH pairs AS (
    SELECT DISTINCT player_name, player_lookup, game_date, home_team, away_team, game_id
    FROM raw.prop_lines
    WHERE market = $market AND source_file LIKE $source_file_like
),
ids AS (
    SELECT player_lookup, list(DISTINCT player_id ORDER BY player_id) AS player_ids
    FROM raw.player_names GROUP BY player_lookup
)
SELECT p.player_name, p.game_date, coalesce(p.away_team, '?') || ' @ ' || coalesce(p.home_team, '?') AS game,
    CASE WHEN p.game_id IS NULL THEN 'no loaded game for this matchup on this date'
         WHEN i.player_ids IS NULL
         THEN 'unknown player name ' || p.player_lookup || ' (add an alias to raw/player_aliases.csv)'
         WHEN len(i.player_ids) > 1 THEN 'name matches several players: ' || array_to_string(i.player_ids, ', ')
    END AS reason
FROM pairs p
LEFT JOIN ids i USING (player_lookup)
ORDER BY reason NULLS FIRST, p.player_name, p.game_date
"""


@dataclass(frozen=True)
class UnmatchedPair:
    player_name: str
    game_date: dt.date
    game: str  # "AWAY @ HOME" tricodes
    reason: str


@dataclass(frozen=True)
class PropMatchReport:
    pairs: int
    unmatched: list[UnmatchedPair]

    @property
    def matched(self) -> int:
        return self.pairs - len(self.unmatched)

    @property
    def matched_share(self) -> float:
        return self.matched / self.pairs if self.pairs else 1.0


def prop_match_report(
    con: duckdb.DuckDBPyConnection, *, market: str = "player_points", source_file_like: str = "%"
) -> PropMatchReport:
    """Distinct (player name, game) pairs of `market` in the prop files matching `source_file_like`, and the ones
    that resolve to no single player_id or no game_id, with why."""
    rows = con.execute(PAIRS_SQL, {"market": market, "source_file_like": source_file_like}).fetchall()
    unmatched = [UnmatchedPair(*row) for row in rows if row[3] is not None]
    return PropMatchReport(pairs=len(rows), unmatched=unmatched)
