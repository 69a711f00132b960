"""The Odds API v4: NBA events and `player_points` event odds -> raw.prop_lines (current and historical endpoints).

The key travels only as a secret parameter (see `sources.http`). Past dates use the historical endpoints with the
snapshot taken shortly before tip-off, so a replayed day sees the line a bettor saw.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from nbaprops.names import player_lookup
from nbaprops.sources.payload import (
    RECORD_ERRORS,
    LiveRequest,
    ParseResult,
    PayloadError,
    dig,
    eastern_date,
    eastern_day_bounds,
    load_json,
    utc_timestamp,
)
from nbaprops.sources.settings import LiveSettings
from nbaprops.sources.text import repair_text

SPORT = "basketball_nba"
MARKET = "player_points"
SNAPSHOT_BEFORE_TIPOFF = dt.timedelta(minutes=30)


class MissingApiKey(RuntimeError):
    """ODDS_API_KEY is not set."""


def _iso(t: dt.datetime) -> str:
    return f"{t:%Y-%m-%dT%H:%M:%SZ}"


def _key(settings: LiveSettings) -> dict[str, str]:
    if not settings.odds_api_key:
        raise MissingApiKey("The Odds API needs a key: set ODDS_API_KEY")
    return {"apiKey": settings.odds_api_key}


def events_request(settings: LiveSettings, day: dt.date, *, historical: bool) -> LiveRequest:
    """Events that tip off on the Eastern `day`; historical ones as listed at noon Eastern that day."""
    start, end = eastern_day_bounds(day)
    params: dict[str, object] = {"commenceTimeFrom": _iso(start), "commenceTimeTo": _iso(end)}
    path = f"/v4/sports/{SPORT}/events"
    if historical:
        path = f"/v4/historical/sports/{SPORT}/events"
        params["date"] = _iso(start + dt.timedelta(hours=12))
    source = "odds_api_historical_events" if historical else "odds_api_events"
    return LiveRequest(
        source, None, settings.odds_api_url + path, parse_events, params, _key(settings), refresh=not historical
    )


def event_odds_request(
    settings: LiveSettings, event: Mapping[str, Any], teams: Mapping[str, str], *, historical: bool
) -> LiveRequest:
    """`player_points` odds of one event: current (every fetch kept as a snapshot) or just before tip-off."""
    params: dict[str, object] = {"regions": settings.odds_regions, "markets": MARKET, "oddsFormat": "american"}
    path = f"/v4/sports/{SPORT}/events/{event['event_id']}/odds"
    if historical:
        path = f"/v4/historical/sports/{SPORT}/events/{event['event_id']}/odds"
        params["date"] = _iso(event["commence_time_utc"] - SNAPSHOT_BEFORE_TIPOFF)
    return LiveRequest(
        "odds_api_historical_event_odds" if historical else "odds_api_event_odds",
        "raw.prop_lines",
        settings.odds_api_url + path,
        lambda content: parse_event_odds(content, teams),
        params,
        _key(settings),
        refresh=not historical,
        snapshot=not historical,
    )


def _unwrap(payload: Any) -> tuple[Any, dt.datetime | None]:
    """Historical responses wrap the current shape in {"timestamp", "data"}."""
    if isinstance(payload, dict) and "data" in payload and "timestamp" in payload:
        return payload["data"], utc_timestamp(payload["timestamp"])
    return payload, None


def _finite(value: object, what: str) -> float:
    """A line or price as a finite number; `Infinity`, `NaN`, booleans and text are errors (a record problem)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{what} must be a number, found {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{what} must be a finite number, found {value!r}")
    return number


def parse_events(content: bytes) -> ParseResult:
    """Event list -> {event_id, commence_time_utc, home_team_name, away_team_name} (steers the odds requests)."""
    events, _ = _unwrap(load_json(content))
    if not isinstance(events, list):
        raise PayloadError("expected a list of events")
    result = ParseResult()
    for line, ev in enumerate(events, start=1):
        try:
            result.rows.append(
                {
                    "event_id": str(ev["id"]),
                    "commence_time_utc": utc_timestamp(ev["commence_time"]),
                    "home_team_name": ev["home_team"],
                    "away_team_name": ev["away_team"],
                    "source_line": line,
                }
            )
        except RECORD_ERRORS as exc:
            result.reject(line, f"event: {type(exc).__name__}: {exc}", ev)
    return result


def parse_event_odds(content: bytes, teams: Mapping[str, str]) -> ParseResult:
    """One event's odds -> raw.prop_lines rows, one per (bookmaker, player, line) with its Over and Under prices.
    Markets other than `player_points` are ignored; `teams` maps the API's team names to tricodes."""
    event, snapshot = _unwrap(load_json(content))
    if not isinstance(event, dict):
        raise PayloadError("expected an event object")
    commence = utc_timestamp(dig(event, "commence_time"))
    home, away = teams.get(dig(event, "home_team")), teams.get(dig(event, "away_team"))
    if home is None or away is None:
        raise PayloadError(f"unknown team name in {event['away_team']} @ {event['home_team']}")
    base = {
        "market": MARKET,
        "event_id": str(dig(event, "id")),
        "game_date": eastern_date(commence),
        "commence_time_utc": commence,
        "home_team": home,
        "away_team": away,
        "game_id": None,
        "source": "odds_api",
    }
    result = ParseResult()
    line = 0
    for b, book in enumerate(event.get("bookmakers") or []):
        for m, market in enumerate(book.get("markets") or []):
            if market.get("key") != MARKET:
                continue
            taken = snapshot or utc_timestamp(market.get("last_update") or book["last_update"])
            pairs: dict[tuple[str, float], dict[str, Any]] = {}
            for o, outcome in enumerate(market.get("outcomes") or []):
                line += 1
                try:
                    side, name = outcome["name"], repair_text(outcome["description"])
                    point, price = _finite(outcome["point"], "point"), outcome.get("price")
                    if price is not None:
                        price = _finite(price, "price")
                    if side not in ("Over", "Under"):
                        raise ValueError(f"outcome name must be Over or Under, found {side!r}")
                except RECORD_ERRORS as exc:
                    where = f"bookmakers[{b}].markets[{m}].outcomes[{o}]"
                    result.reject(line, f"{book.get('key')} outcome {where}: {type(exc).__name__}: {exc}", outcome)
                    continue
                row = pairs.setdefault(
                    (name, point),
                    {
                        **base,
                        "bookmaker": str(book["key"]).strip().lower(),
                        "player_name": name,
                        "player_lookup": player_lookup(name),
                        "line": point,
                        "over_price": None,
                        "under_price": None,
                        "snapshot_time_utc": taken,
                        "source_line": line,
                    },
                )
                row["over_price" if side == "Over" else "under_price"] = price
            result.rows.extend(pairs.values())
    return result
