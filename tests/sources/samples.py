"""The captured API payloads in ../shared/data/api-samples, and offline fixtures built from them."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from nbaprops.raw.live import request_logger
from nbaprops.sources.http import HttpClient
from nbaprops.sources.settings import LiveSettings
from tests.conftest import API_SAMPLES

FAKE_KEY = "FAKEKEY-q7Zx93LmTT41"  # recognisable, so a leak is easy to grep
SAMPLE_DATE = dt.date(2025, 3, 15)
PBP_GAMES = {"0022400500": "raw_14ecf360.json.gz", "0022400561": "raw_416e8d5c.json.gz"}


def sample(folder: str, name: str | None = None) -> bytes:
    """Bytes of a captured payload (the single file of `folder` unless named); skips when the samples are absent."""
    path = API_SAMPLES / folder
    if not path.is_dir():
        pytest.skip(f"API samples not found at {API_SAMPLES}")
    files = [path / name] if name else sorted(p for p in path.iterdir() if p.name.startswith(("raw_", "oddsa_")))
    return files[0].read_bytes()


def pbp(game_id: str) -> bytes:
    """The decompressed play-by-play JSON of a sampled game."""
    return gzip.decompress(sample("nba_cdn_playbyplay", PBP_GAMES[game_id]))


BOX_GAME = "0022400561"  # the game of the captured box score (its play-by-play is captured too)


def box(game_id: str) -> bytes:
    """The captured box score for its game; for any other game the same result sets without rows (a mirror has no
    other box score to give)."""
    payload = json.loads(sample("nba_stats_boxscoretraditionalv3_team"))
    if game_id != BOX_GAME:
        for result_set in payload["resultSets"]:
            result_set["rowSet"] = []
    return json.dumps(payload).encode()


def team_gamelog_from_players(content: bytes) -> bytes:
    """A leaguegamelog PlayerOrTeam=T payload summed from the player sample (no team sample was captured); plus-minus
    is the margin. Team turnovers stay the players' sum, so TOV is lower than the league's team log by the team
    turnovers: a disagreement the source precedence has to settle."""
    table = json.loads(content)["resultSets"][0]
    headers = table["headers"]
    stats = ["MIN", "FGM", "FGA", "FG3M", "FG3A", "FTM", "FTA", "OREB", "DREB", "REB", "AST", "STL", "BLK", "TOV",
             "PF", "PTS"]  # fmt: skip
    teams: dict[tuple[str, str], dict] = {}
    for row in table["rowSet"]:
        rec = dict(zip(headers, row, strict=True))
        team = teams.setdefault(
            (rec["GAME_ID"], rec["TEAM_ABBREVIATION"]),
            {
                k: rec[k]
                for k in (
                    "SEASON_ID",
                    "TEAM_ID",
                    "TEAM_ABBREVIATION",
                    "TEAM_NAME",
                    "GAME_ID",
                    "GAME_DATE",
                    "MATCHUP",
                    "WL",
                )
            }
            | dict.fromkeys(stats, 0)
            | {"PLUS_MINUS": 0},
        )
        for s in stats:
            team[s] += rec[s] or 0
    for (game, abbr), team in teams.items():
        opponent = next(t for (g, a), t in teams.items() if g == game and a != abbr)
        team["PLUS_MINUS"] = team["PTS"] - opponent["PTS"]
    out_headers = list(next(iter(teams.values())))
    rows = [[t[h] for h in out_headers] for t in teams.values()]
    return json.dumps({"resultSets": [{"name": "LeagueGameLog", "headers": out_headers, "rowSet": rows}]}).encode()


def live_settings(tmp_path: Path, **overrides) -> LiveSettings:
    values = {
        "nba_cdn_url": "https://cdn.test",
        "nba_stats_url": "https://stats.test",
        "odds_api_url": "https://odds.test",
        "injury_report_url": "https://injury.test/referee/injury",
        "odds_api_key": FAKE_KEY,
        "cache_dir": tmp_path / "cache",
    }
    return LiveSettings(**(values | overrides))


def offline_client(settings: LiveSettings, con=None, sleeps: list[float] | None = None) -> HttpClient:
    """A client that never waits (zero backoff, no rate-limit sleep) and logs requests to `con` when given."""
    return HttpClient(
        settings,
        backoff=lambda _attempt: 0.0,
        sleep=(sleeps.append if sleeps is not None else lambda _s: None),
        on_request=request_logger(con) if con is not None else None,
    )
