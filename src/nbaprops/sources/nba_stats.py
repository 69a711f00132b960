"""stats.nba.com `leaguegamelog` (players or teams, a date range) -> raw.player_boxscores / raw.team_boxscores.

Unlike the archive's game-log files, the live payload carries GAME_ID and the shooting splits, so rows need no
game lookup. Source is `nba_gamelog`, as for the archive's NBA.com logs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from nbaprops.calendar import game_code, game_type_of, normalize_game_id, season_label, season_year_of
from nbaprops.names import player_lookup
from nbaprops.sources.http import STATS_NBA_HEADERS
from nbaprops.sources.payload import RECORD_ERRORS, LiveRequest, ParseResult, PayloadError, dig, load_json
from nbaprops.sources.settings import LiveSettings
from nbaprops.sources.text import repair_text

STATS = ("pts", "fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "tov", "pf")
GAME_COLUMNS = ("GAME_ID", "GAME_DATE", "MATCHUP", "TEAM_ABBREVIATION", "MIN", "PTS", "REB", "AST")
PLAYER_COLUMNS = (*GAME_COLUMNS, "PLAYER_ID", "PLAYER_NAME")
SEASON_TYPES = ("Regular Season", "PlayIn", "Playoffs")


def season_types_for(start: dt.date, end: dt.date) -> tuple[str, ...]:
    """Play-in and playoff logs are separate queries; ask for them only when the range reaches April-June."""
    months = {(start + dt.timedelta(days=i)).month for i in range((end - start).days + 1)}
    return SEASON_TYPES if months & {4, 5, 6} else SEASON_TYPES[:1]


def gamelog_request(
    settings: LiveSettings, kind: str, start: dt.date, end: dt.date, season_type: str, *, refresh: bool = False
) -> LiveRequest:
    """`kind` is `P` (players) or `T` (teams); the range must lie in one season."""
    if season_year_of(start) != season_year_of(end):
        raise ValueError(f"leaguegamelog range {start}..{end} spans two seasons")
    players = kind == "P"
    params = {
        "Counter": 0,
        "DateFrom": f"{start:%m/%d/%Y}",
        "DateTo": f"{end:%m/%d/%Y}",
        "Direction": "ASC",
        "LeagueID": "00",
        "PlayerOrTeam": kind,
        "Season": season_label(season_year_of(start)),
        "SeasonType": season_type,
        "Sorter": "DATE",
    }
    return LiveRequest(
        "nba_stats_leaguegamelog_players" if players else "nba_stats_leaguegamelog_teams",
        "raw.player_boxscores" if players else "raw.team_boxscores",
        f"{settings.nba_stats_url}/stats/leaguegamelog",
        parse_player_gamelog if players else parse_team_gamelog,
        params=params,
        headers=STATS_NBA_HEADERS,
        refresh=refresh,
    )


def _records(content: bytes, required: tuple[str, ...]) -> list[dict[str, Any]]:
    """The LeagueGameLog result set as dicts; a `PayloadError` when it or a required column is missing."""
    sets = dig(load_json(content), "resultSets")
    table = next((s for s in sets if isinstance(s, dict) and s.get("name") == "LeagueGameLog"), None)
    if table is None:
        raise PayloadError("no LeagueGameLog result set")
    headers, rows = dig(table, "headers"), dig(table, "rowSet")
    missing = [c for c in required if c not in headers]
    if missing:
        raise PayloadError(f"LeagueGameLog lacks column(s) {', '.join(missing)}")
    return [dict(zip(headers, row, strict=True)) for row in rows]


def _game_fields(rec: dict[str, Any]) -> dict[str, Any]:
    gid = normalize_game_id(rec["GAME_ID"])
    day = dt.date.fromisoformat(str(rec["GAME_DATE"])[:10])
    team, matchup = rec["TEAM_ABBREVIATION"], str(rec["MATCHUP"])
    if " vs. " in matchup:
        is_home, opponent = True, matchup.split(" vs. ")[1].strip()
    elif " @ " in matchup:
        is_home, opponent = False, matchup.split(" @ ")[1].strip()
    else:
        raise ValueError(f"cannot read home/away from MATCHUP {matchup!r}")
    year = season_year_of(day)
    home, away = (team, opponent) if is_home else (opponent, team)
    stats = {s: _int(rec.get("TOV" if s == "tov" else s.upper())) for s in STATS}
    return {
        "game_id": gid,
        "game_date": day,
        "season": season_label(year),
        "season_year": year,
        "game_type": game_type_of(gid),
        "game_code": game_code(day, away, home),
        "team": team,
        "opponent": opponent,
        "is_home": is_home,
        "minutes": None if rec.get("MIN") is None else str(rec["MIN"]),
        **stats,
        "plus_minus": _int(rec.get("PLUS_MINUS")),
        "source": "nba_gamelog",
    }


def _int(value: object) -> int | None:
    return None if value is None or value == "" else round(float(value))  # type: ignore[arg-type]


def _parse(content: bytes, required: tuple[str, ...], extra) -> ParseResult:
    result = ParseResult()
    for line, rec in enumerate(_records(content, required), start=1):
        try:
            result.rows.append({**_game_fields(rec), **extra(rec), "source_line": line})
        except RECORD_ERRORS as exc:
            result.reject(line, f"game-log row: {type(exc).__name__}: {exc}", rec)
    return result


def _player_fields(rec: dict[str, Any]) -> dict[str, Any]:
    name = repair_text(str(rec["PLAYER_NAME"]))
    return {
        "source_player_id": str(int(rec["PLAYER_ID"])),
        "player_id": int(rec["PLAYER_ID"]),
        "bbref_player_id": None,
        "player_name": name,
        "player_lookup": player_lookup(name),
        "starter": None,
        "dnp_reason": None,
    }


def parse_player_gamelog(content: bytes) -> ParseResult:
    """leaguegamelog PlayerOrTeam=P -> raw.player_boxscores rows."""
    return _parse(content, PLAYER_COLUMNS, _player_fields)


def parse_team_gamelog(content: bytes) -> ParseResult:
    """leaguegamelog PlayerOrTeam=T -> raw.team_boxscores rows."""
    return _parse(content, GAME_COLUMNS, lambda rec: {"win": None if not rec.get("WL") else rec["WL"] == "W"})
