"""Every live client against its captured payload, offline: happy path, 429 then success, 500 three times (a
failure in the ledger), a truncated body (quarantined, named), and an empty game day."""

import datetime as dt
import json

import httpx
import pytest
import respx

from nbaprops.raw.live import fetch_and_load, team_names
from nbaprops.sources import injury_report, nba_cdn, nba_stats, odds_api
from tests.sources.samples import (
    SAMPLE_DATE,
    live_settings,
    offline_client,
    pbp,
    sample,
    team_gamelog_from_players,
)


def _clients(settings, teams):
    """(name, request, captured payload, empty-day payload, expected rows from the capture)."""
    event = {"event_id": "a1b2c3d4e5f6g7h8i9j0", "commence_time_utc": dt.datetime(2025, 1, 21, 0, 30)}
    players = sample("nba_stats_leaguegamelog_players")
    empty_log = json.dumps(
        {
            "resultSets": [
                {"name": "LeagueGameLog", "headers": json.loads(players)["resultSets"][0]["headers"], "rowSet": []}
            ]
        }
    ).encode()
    return [
        ("schedule", nba_cdn.schedule_request(settings), sample("nba_cdn_schedule"),
         b'{"leagueSchedule": {"gameDates": []}}', 13),
        ("playbyplay", nba_cdn.playbyplay_request(settings, "0022400561"), pbp("0022400561"),
         b'{"game": {"gameId": "0022400561", "actions": []}}', 178),
        ("gamelog_players", nba_stats.gamelog_request(settings, "P", SAMPLE_DATE, SAMPLE_DATE, "Regular Season"),
         players, empty_log, 157),
        ("gamelog_teams", nba_stats.gamelog_request(settings, "T", SAMPLE_DATE, SAMPLE_DATE, "Regular Season"),
         team_gamelog_from_players(players), empty_log, 16),
        ("events", odds_api.events_request(settings, SAMPLE_DATE, historical=False), sample("odds_api_events"),
         b"[]", 3),
        ("historical_events", odds_api.events_request(settings, SAMPLE_DATE, historical=True),
         sample("odds_api_historical_events"), b'{"timestamp": "2025-03-15T16:00:00Z", "data": []}', 16),
        ("event_odds", odds_api.event_odds_request(settings, event, teams, historical=False),
         sample("odds_api_event_odds_player_points"),
         b'{"id": "e", "commence_time": "2025-01-21T00:30:00Z", "home_team": "Los Angeles Lakers", '
         b'"away_team": "Boston Celtics", "bookmakers": []}', 3),
        ("historical_event_odds", odds_api.event_odds_request(settings, event, teams, historical=True),
         sample("odds_api_historical_event_odds"), None, 0),  # the capture holds spreads/totals only
        ("injury_report", injury_report.report_request(settings, SAMPLE_DATE, 17, teams),
         sample("nba_injury_report_pdf", "raw_f4391904.pdf"), None, 14),
    ]  # fmt: skip


CASES = [
    "schedule", "playbyplay", "gamelog_players", "gamelog_teams", "events", "historical_events", "event_odds",
    "historical_event_odds", "injury_report",
]  # fmt: skip
# A report or a historical snapshot always has content: those endpoints have no empty-day shape.
EMPTY_DAY_CASES = CASES[:7]


def _case(request, tmp_path, warehouse):
    settings = live_settings(tmp_path)
    return (*_clients(settings, team_names(warehouse))[CASES.index(request.param)], offline_client(settings, warehouse))


@pytest.fixture(params=CASES)
def client_case(request, tmp_path, warehouse):
    return _case(request, tmp_path, warehouse)


@pytest.fixture(params=EMPTY_DAY_CASES)
def empty_day_case(request, tmp_path, warehouse):
    return _case(request, tmp_path, warehouse)


def _ledger(con):
    return con.execute("SELECT file, status, error, rows_read, rows_loaded FROM ops.ingest_log").fetchall()


@respx.mock
def test_captured_payload_loads(client_case, warehouse):
    _, request, payload, _, expected, client = client_case
    respx.get(url__startswith=request.url).mock(return_value=httpx.Response(200, content=payload))
    result = fetch_and_load(warehouse, client, request)
    assert result.status == "loaded", result.error
    assert result.rows_loaded == expected
    if request.table:
        assert warehouse.execute(f"SELECT count(*) FROM {request.table}").fetchone()[0] == expected
    again = fetch_and_load(warehouse, client, request)  # same payload: nothing written twice
    assert again.status == "unchanged"
    if request.table:
        assert warehouse.execute(f"SELECT count(*) FROM {request.table}").fetchone()[0] == expected


@respx.mock
def test_429_then_success(client_case, warehouse):
    _, request, payload, _, expected, client = client_case
    route = respx.get(url__startswith=request.url).mock(
        side_effect=[httpx.Response(429), httpx.Response(200, content=payload)]
    )
    assert fetch_and_load(warehouse, client, request).rows_loaded == expected
    assert route.call_count == 2
    statuses = [r[0] for r in warehouse.execute("SELECT status FROM ops.http_requests ORDER BY attempt").fetchall()]
    assert statuses == [429, 200]


@respx.mock
def test_500_three_times_is_a_clear_failure_in_the_ledger(client_case, warehouse):
    _, request, *_, client = client_case
    route = respx.get(url__startswith=request.url).mock(return_value=httpx.Response(500))
    result = fetch_and_load(warehouse, client, request)
    assert route.call_count == 3
    [(file, status, error, _, _)] = _ledger(warehouse)
    assert status == "failed" and result.status == "failed"
    assert request.source in error and "failed after 3 attempts: HTTP 500" in error and file in error


@respx.mock
def test_truncated_body_is_quarantined_never_cached_and_refetched_later(client_case, warehouse):
    _, request, payload, _, expected, client = client_case
    route = respx.get(url__startswith=request.url)
    route.mock(return_value=httpx.Response(200, content=payload[: len(payload) // 2]))
    result = fetch_and_load(warehouse, client, request)
    assert result.status == "failed"
    [(file, line, reason)] = warehouse.execute("SELECT file, line, reason FROM raw.quarantine").fetchall()
    assert file == result.file and request.url in file and line is None
    assert "truncated" in reason or "not a readable PDF" in reason
    assert f"{request.source}: GET " in _ledger(warehouse)[0][2] and "not cached" in _ledger(warehouse)[0][2]
    assert not list(client.settings.cache_dir.rglob("*.gz"))  # the cut body was not cached
    route.mock(return_value=httpx.Response(200, content=payload))  # the server is good again
    again = fetch_and_load(warehouse, client, request)
    assert again.status == "loaded" and again.rows_loaded == expected and route.call_count == 2


@respx.mock
def test_empty_game_day_loads_nothing_and_fails_nothing(empty_day_case, warehouse):
    _, request, _, empty, _, client = empty_day_case
    respx.get(url__startswith=request.url).mock(return_value=httpx.Response(200, content=empty))
    result = fetch_and_load(warehouse, client, request)
    assert (result.status, result.rows_loaded, result.rows_rejected) == ("loaded", 0, 0)
