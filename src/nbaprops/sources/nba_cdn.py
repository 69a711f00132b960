"""NBA CDN: the season schedule (`scheduleLeagueV2`) -> raw.schedule, and play-by-play -> raw.shots.

Shots keep NBA's zone names spelled as the archive's BASIC_ZONE; when an action has no `area`, the zone comes from
the shot distance (SPEC section 3). Coordinates are converted to the archive's feet (LOC_X = -xLegacy/10,
LOC_Y = yLegacy/10 + 5.25), checked against the archive's shots of the same games.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from nbaprops.calendar import game_code, game_type_of, normalize_game_id, season_label, season_year_of_game_id
from nbaprops.sources.payload import (
    RECORD_ERRORS,
    LiveRequest,
    ParseResult,
    PayloadError,
    dig,
    eastern_date,
    load_json,
    utc_timestamp,
)
from nbaprops.sources.settings import LiveSettings

NBA_TEAM_IDS = range(1610612737, 1610612767)  # the 30 franchises; others are international clubs or TBD slots
BASIC_ZONES = frozenset(
    {
        "Restricted Area",
        "In The Paint (Non-RA)",
        "Mid-Range",
        "Left Corner 3",
        "Right Corner 3",
        "Above the Break 3",
        "Backcourt",
    }
)
ZONE_NAMES = {
    "Center": "Center",
    "Left": "Left Side",
    "Right": "Right Side",
    "Left Center": "Left Side Center",
    "Right Center": "Right Side Center",
}
ZONE_RANGES = {"0-8": "Less Than 8 ft.", "8-16": "8-16 ft.", "16-24": "16-24 ft.", "24+": "24+ ft."}
CLOCK = re.compile(r"^PT(\d+)M(\d+)(?:\.\d+)?S$")


def schedule_request(settings: LiveSettings) -> LiveRequest:
    """The current season's schedule; always refetched (games move), every version kept in the cache."""
    url = f"{settings.nba_cdn_url}/static/json/staticData/scheduleLeagueV2.json"
    return LiveRequest("nba_cdn_schedule", "raw.schedule", url, parse_schedule, refresh=True)


def playbyplay_request(settings: LiveSettings, game_id: str, game_date: dt.date | None = None) -> LiveRequest:
    """Play-by-play of a finished game (cached: it does not change once final)."""
    gid = normalize_game_id(game_id)
    url = f"{settings.nba_cdn_url}/static/json/liveData/playbyplay/playbyplay_{gid}.json"
    return LiveRequest("nba_cdn_playbyplay", "raw.shots", url, lambda c: parse_playbyplay(c, game_date))


def _text(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _nba_tricode(team: dict[str, Any]) -> str | None:
    return team.get("teamTricode") if team.get("teamId") in NBA_TEAM_IDS else None


def parse_schedule(content: bytes) -> ParseResult:
    """scheduleLeagueV2 -> raw.schedule rows. `gameDateTimeEst` is Eastern wall time despite its `Z`."""
    days = dig(load_json(content), "leagueSchedule", "gameDates")
    if not isinstance(days, list):
        raise PayloadError("leagueSchedule.gameDates is not a list")
    result = ParseResult()
    line = 0
    for day in days:
        for game in day.get("games") or []:
            line += 1
            try:
                result.rows.append(_schedule_row(game, line))
            except RECORD_ERRORS as exc:
                result.reject(line, f"schedule game: {type(exc).__name__}: {exc}", game)
    return result


def _schedule_row(game: dict[str, Any], line: int) -> dict[str, Any]:
    gid = normalize_game_id(game["gameId"])
    game_type = game_type_of(gid)
    local = dt.datetime.fromisoformat(game["gameDateTimeEst"][:19])
    home, away = game["homeTeam"], game["awayTeam"]
    home_code, away_code = _nba_tricode(home), _nba_tricode(away)
    if game_type != "preseason" and any(
        code is None and team.get("teamId") not in (0, None) for code, team in ((home_code, home), (away_code, away))
    ):
        raise ValueError(f"unknown team id in game {gid}: {home.get('teamId')} / {away.get('teamId')}")
    label, subtype = _text(game.get("gameLabel")), _text(game.get("gameSubtype")) or ""
    year = season_year_of_game_id(gid)
    return {
        "game_id": gid,
        "game_date": local.date(),
        "game_datetime_est": local,
        "season": season_label(year),
        "season_year": year,
        "game_type": game_type,
        "is_cup": label == "Emirates NBA Cup" or subtype.startswith("in-season"),
        "home_team": home_code,
        "away_team": away_code,
        "home_team_id": home.get("teamId"),
        "away_team_id": away.get("teamId"),
        "arena_name": _text(game.get("arenaName")),
        "arena_city": _text(game.get("arenaCity")),
        "game_label": label,
        "game_sub_label": _text(game.get("gameSubLabel")),
        "game_code": game_code(local.date(), away_code, home_code) if home_code and away_code else None,
        "source_line": line,
    }


def shot_zone(area: str | None, distance: float | None, shot_value: int, x_legacy: float | None) -> str | None:
    """NBA's basic zone: the action's `area` when it names one, else derived from distance (SPEC section 3)."""
    if area in BASIC_ZONES:
        return area
    if distance is None:
        return None
    if shot_value == 2:
        return "Restricted Area" if distance <= 4 else "In The Paint (Non-RA)" if distance <= 8 else "Mid-Range"
    if distance >= 40:
        return "Backcourt"
    if distance < 23.75:  # only the corners are closer than the arc's 23.75 ft
        return "Right Corner 3" if (x_legacy or 0) > 0 else "Left Corner 3"
    return "Above the Break 3"


def _zone_detail(detail: str | None) -> tuple[str | None, str | None]:
    """CDN `areaDetail` ("16-24 Left Center") -> the archive's (ZONE_NAME, ZONE_RANGE)."""
    if not detail:
        return None, None
    rng, _, name = detail.partition(" ")
    return ZONE_NAMES.get(name, name or None), ZONE_RANGES.get(rng, rng)


def parse_playbyplay(content: bytes, game_date: dt.date | None = None) -> ParseResult:
    """Field-goal attempts of one game -> raw.shots rows. Without `game_date`, the Eastern date of the first
    action's wall-clock time is used."""
    game = dig(load_json(content), "game")
    gid = normalize_game_id(dig(game, "gameId"))
    actions = dig(game, "actions")
    if not isinstance(actions, list):
        raise PayloadError("game.actions is not a list")
    shots = [(i, a) for i, a in enumerate(actions, start=1) if isinstance(a, dict) and a.get("isFieldGoal") == 1]
    if game_date is None and shots:
        times = [a["timeActual"] for a in actions if isinstance(a, dict) and a.get("timeActual")]
        if not times:
            raise PayloadError(f"game {gid}: no game date given and no action has a timeActual")
        game_date = eastern_date(utc_timestamp(min(times)))
    year = season_year_of_game_id(gid)
    result = ParseResult()
    for i, action in shots:
        line = action.get("actionNumber", i)
        try:
            result.rows.append(_shot_row(action, gid, game_date, year, line))
        except RECORD_ERRORS as exc:
            result.reject(line, f"field-goal action {line}: {type(exc).__name__}: {exc}", action)
    return result


def _shot_row(action: dict[str, Any], gid: str, game_date: dt.date, year: int, line: int) -> dict[str, Any]:
    if action["shotResult"] not in ("Made", "Missed"):
        raise ValueError(f"shotResult must be Made or Missed, found {action['shotResult']!r}")
    if action["actionType"] not in ("2pt", "3pt"):
        raise ValueError(f"actionType must be 2pt or 3pt, found {action['actionType']!r}")
    if not action["teamTricode"] or not action["personId"]:
        raise ValueError("no team or player")
    clock = CLOCK.match(action.get("clock") or "")
    value = 3 if action["actionType"] == "3pt" else 2
    distance = action.get("shotDistance")
    x_legacy, y_legacy = action.get("xLegacy"), action.get("yLegacy")
    zone_name, zone_range = _zone_detail(action.get("areaDetail"))
    return {
        "game_id": gid,
        "game_date": game_date,
        "season": season_label(year),
        "season_year": year,
        "team": action["teamTricode"],
        "player_id": int(action["personId"]),
        "player_name": action.get("playerNameI"),
        "period": action.get("period"),
        "mins_left": int(clock.group(1)) if clock else None,
        "secs_left": int(clock.group(2)) if clock else None,
        "shot_made": action["shotResult"] == "Made",
        "shot_value": value,
        "action_type": action.get("subType"),
        "basic_zone": shot_zone(action.get("area"), distance, value, x_legacy),
        "zone_name": zone_name,
        "zone_range": zone_range,
        "shot_distance": distance,
        "loc_x": -x_legacy / 10 if x_legacy is not None else None,
        "loc_y": y_legacy / 10 + 5.25 if y_legacy is not None else None,
        "source": "nba_cdn_pbp",
        "source_line": line,
    }
