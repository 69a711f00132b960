"""stats.nba.com `boxscoretraditionalv2` (one game) -> raw.player_boxscores (source `nba_box`) and
raw.team_boxscores (source `nba_team_box`, the source of the archive's NBA.com team box files, so the two are held to
each other by the source precedence of `raw.catalog`).

The payload (see ../shared/data/api-samples/nba_stats_boxscoretraditionalv3_team, a `resultSets` payload) carries
every player of both teams with the full splits, starters (START_POSITION) and the reason a player did not play
(COMMENT), but no date or home team: the request carries the game (`BoxGame`) from the schedule. One payload feeds
two tables, so it is two requests with a `part` each (the second is served from the cache).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from nbaprops.calendar import game_code, game_type_of, normalize_game_id, season_label, season_year_of
from nbaprops.names import player_lookup
from nbaprops.sources.http import STATS_NBA_HEADERS
from nbaprops.sources.payload import RECORD_ERRORS, LiveRequest, ParseResult, PayloadError, dig, load_json
from nbaprops.sources.settings import LiveSettings
from nbaprops.sources.text import repair_text

# NBA.com's comment prefix -> the Basketball-Reference reason the corpus rule (player_status) reads.
DNP_REASONS = {"DNP": "Did Not Play", "DND": "Did Not Dress", "NWT": "Not With Team"}
STATS = {"pts": "PTS", "fgm": "FGM", "fga": "FGA", "fg3m": "FG3M", "fg3a": "FG3A", "ftm": "FTM", "fta": "FTA",
         "oreb": "OREB", "dreb": "DREB", "reb": "REB", "ast": "AST", "stl": "STL", "blk": "BLK", "tov": "TO",
         "pf": "PF", "plus_minus": "PLUS_MINUS"}  # fmt: skip


@dataclass(frozen=True)
class BoxGame:
    """What the box score does not say about its game: taken from the loaded schedule."""

    game_id: str
    game_date: dt.date
    home_team: str
    away_team: str


def boxscore_requests(settings: LiveSettings, game: BoxGame) -> tuple[LiveRequest, LiveRequest]:
    """The player and the team part of a finished game's box score (cached: final box scores rarely change)."""
    url = f"{settings.nba_stats_url}/stats/boxscoretraditionalv2"
    params = {"GameID": normalize_game_id(game.game_id), "StartPeriod": 0, "EndPeriod": 0, "StartRange": 0,
              "EndRange": 0, "RangeType": 0}  # fmt: skip
    return (
        LiveRequest("nba_stats_boxscore_players", "raw.player_boxscores", url,
                    lambda c: parse_boxscore(c, game, "PlayerStats"), params=params, headers=STATS_NBA_HEADERS,
                    part="players"),
        LiveRequest("nba_stats_boxscore_teams", "raw.team_boxscores", url,
                    lambda c: parse_boxscore(c, game, "TeamStats"), params=params, headers=STATS_NBA_HEADERS,
                    part="teams"),
    )  # fmt: skip


def _records(content: bytes, name: str) -> list[dict[str, Any]]:
    sets = dig(load_json(content), "resultSets")
    table = next((s for s in sets if isinstance(s, dict) and s.get("name") == name), None)
    if table is None:
        raise PayloadError(f"no {name} result set")
    headers = dig(table, "headers")
    return [dict(zip(headers, row, strict=True)) for row in dig(table, "rowSet")]


def _int(value: object) -> int | None:
    return None if value is None or value == "" else round(float(value))  # type: ignore[arg-type]


def _game_fields(rec: dict[str, Any], game: BoxGame) -> dict[str, Any]:
    gid = normalize_game_id(rec["GAME_ID"])
    if gid != normalize_game_id(game.game_id):
        raise ValueError(f"GAME_ID {gid} in the box score of game {game.game_id}")
    team = str(rec["TEAM_ABBREVIATION"])
    if team not in (game.home_team, game.away_team):
        raise ValueError(f"team {team} is neither {game.home_team} nor {game.away_team}")
    year = season_year_of(game.game_date)
    return {
        "game_id": gid, "game_date": game.game_date, "season": season_label(year), "season_year": year,
        "game_type": game_type_of(gid), "game_code": game_code(game.game_date, game.away_team, game.home_team),
        "team": team, "opponent": game.away_team if team == game.home_team else game.home_team,
        "is_home": team == game.home_team,
        "minutes": None if rec.get("MIN") in (None, "") else str(rec["MIN"]),
        **{col: _int(rec.get(key)) for col, key in STATS.items()},
    }  # fmt: skip


def _dnp_reason(rec: dict[str, Any]) -> str | None:
    """No minutes and a comment: the comment's reason (`DNP - Coach's Decision` -> Did Not Play)."""
    comment = str(rec.get("COMMENT") or "").strip()
    if rec.get("MIN") not in (None, "") or not comment:
        return None
    return DNP_REASONS.get(comment.split(" ", 1)[0], comment)


def _player_fields(rec: dict[str, Any]) -> dict[str, Any]:
    name = repair_text(str(rec["PLAYER_NAME"]))
    return {
        "source_player_id": str(int(rec["PLAYER_ID"])), "player_id": int(rec["PLAYER_ID"]), "bbref_player_id": None,
        "player_name": name, "player_lookup": player_lookup(name),
        "starter": bool(str(rec.get("START_POSITION") or "").strip()), "dnp_reason": _dnp_reason(rec),
        "source": "nba_box",
    }  # fmt: skip


def parse_boxscore(content: bytes, game: BoxGame, part: str) -> ParseResult:
    """`part` PlayerStats -> raw.player_boxscores rows; TeamStats -> raw.team_boxscores rows."""
    result = ParseResult()
    records = _records(content, part)
    points = {r.get("TEAM_ABBREVIATION"): _int(r.get("PTS")) for r in records} if part == "TeamStats" else {}
    for line, rec in enumerate(records, start=1):
        try:
            row = {**_game_fields(rec, game), "source_line": line}
            if part == "PlayerStats":
                row |= _player_fields(rec)
            else:
                opponent_pts = points.get(row["opponent"])
                row |= {
                    "source": "nba_team_box",
                    "win": None if opponent_pts is None or row["pts"] is None else row["pts"] > opponent_pts,
                }
            result.rows.append(row)
        except RECORD_ERRORS as exc:
            result.reject(line, f"box-score row: {type(exc).__name__}: {exc}", rec)
    return result
