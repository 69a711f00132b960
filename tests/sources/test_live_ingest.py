"""`ingest_live` end to end against the captured payloads (served by respx), and the Odds API key kept out of
every log, table, cache file name and message."""

import datetime as dt
import json
import logging

import httpx
import pytest
import respx
from typer.testing import CliRunner

from nbaprops.cli import app
from nbaprops.raw.live_ingest import ingest_live
from tests.sources.samples import (
    FAKE_KEY,
    SAMPLE_DATE,
    box,
    live_settings,
    offline_client,
    sample,
    team_gamelog_from_players,
)

FAILING_GAME = "0022400968"
TRUNCATED_GAME = "0022400969"


def _serve():
    players = sample("nba_stats_leaguegamelog_players")
    teams = team_gamelog_from_players(players)
    odds = json.loads(sample("odds_api_event_odds_player_points"))
    respx.get("https://cdn.test/static/json/staticData/scheduleLeagueV2.json").mock(
        return_value=httpx.Response(200, content=sample("nba_cdn_schedule"))
    )
    respx.get("https://stats.test/stats/leaguegamelog").mock(
        side_effect=lambda req: httpx.Response(200, content=players if req.url.params["PlayerOrTeam"] == "P" else teams)
    )

    def playbyplay(req):
        gid = req.url.path.rsplit("_", 1)[1].removesuffix(".json")
        if gid == FAILING_GAME:
            return httpx.Response(500)
        body = json.dumps({"game": {"gameId": gid, "actions": []}}).encode()
        return httpx.Response(200, content=body[:20] if gid == TRUNCATED_GAME else body)

    respx.get(url__startswith="https://cdn.test/static/json/liveData/playbyplay/").mock(side_effect=playbyplay)
    respx.get("https://stats.test/stats/boxscoretraditionalv2").mock(
        side_effect=lambda req: httpx.Response(200, content=box(req.url.params["GameID"]))
    )
    quota = {"x-requests-remaining": "480", "x-requests-used": "20"}
    respx.get("https://odds.test/v4/historical/sports/basketball_nba/events").mock(
        return_value=httpx.Response(200, content=sample("odds_api_historical_events"), headers=quota)
    )
    respx.get(url__regex=r"https://odds\.test/v4/historical/sports/basketball_nba/events/\w+/odds").mock(
        return_value=httpx.Response(200, json={"timestamp": "2025-03-15T23:00:00Z", "data": odds}, headers=quota)
    )
    respx.get("https://injury.test/referee/injury/Injury-Report_2025-03-15_12PM.pdf").mock(
        return_value=httpx.Response(200, content=sample("nba_injury_report_pdf", "raw_f4391904.pdf"))
    )
    respx.get(url__startswith="https://injury.test/").mock(return_value=httpx.Response(404))


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def ingested(tmp_path, warehouse):
    """One ingest of SAMPLE_DATE; returns the summary, the settings and every log line written meanwhile."""
    collect, root = _Collect(), logging.getLogger()
    root.addHandler(collect)
    level, root.level = root.level, logging.DEBUG
    logging.getLogger("pdfminer").setLevel(logging.WARNING)
    settings = live_settings(tmp_path)
    try:
        with respx.mock:
            _serve()
            summary = ingest_live(
                warehouse, SAMPLE_DATE, settings=settings, client=offline_client(settings, warehouse),
                today=SAMPLE_DATE + dt.timedelta(days=1),
            )  # fmt: skip
    finally:
        root.removeHandler(collect)
        root.level = level
    return summary, settings, collect.lines


def test_ingest_live_loads_every_source_for_a_day(ingested, warehouse):
    summary, _, _ = ingested
    count = lambda sql: warehouse.execute(sql).fetchone()[0]  # noqa: E731
    assert count("SELECT count(*) FROM raw.player_boxscores WHERE source = 'nba_gamelog'") == 157
    assert count("SELECT count(*) FROM raw.team_boxscores WHERE source = 'nba_gamelog'") == 16
    assert count("SELECT count(*) FROM raw.schedule") == 13
    assert count("SELECT count(*) FROM raw.prop_lines") == 16 * 3  # 16 events, each served the 3-line sample
    assert count("SELECT count(*) FROM raw.injuries") == 14
    assert count("SELECT count(*) FROM raw.players WHERE player_id = 201939") == 1  # identity rebuilt
    failed, truncated = summary.failed
    assert FAILING_GAME in failed.file and "HTTP 500" in failed.error
    assert TRUNCATED_GAME in truncated.file and "possibly truncated" in truncated.error
    reason = warehouse.execute("SELECT reason FROM raw.quarantine WHERE file LIKE ?", [f"%{TRUNCATED_GAME}%"])
    assert "truncated" in reason.fetchone()[0]
    assert count("SELECT count(*) FROM ops.http_requests WHERE quota_remaining = '480'") == 17
    assert count("SELECT count(DISTINCT file) FROM ops.ingest_log") == len(summary.payloads)


def test_a_second_run_changes_nothing(ingested, warehouse, tmp_path):
    _, settings, _ = ingested
    before = warehouse.execute("SELECT count(*) FROM raw.player_boxscores").fetchone()[0]
    with respx.mock:  # no routes: a cache miss would fail the request
        respx.get(url__startswith="https://cdn.test/static/json/staticData/").mock(
            return_value=httpx.Response(200, content=sample("nba_cdn_schedule"))
        )
        respx.get(url__startswith="https://").mock(return_value=httpx.Response(404))
        again = ingest_live(warehouse, SAMPLE_DATE, settings=settings, client=offline_client(settings, warehouse),
                            today=dt.date(2025, 4, 1))  # fmt: skip
    assert warehouse.execute("SELECT count(*) FROM raw.player_boxscores").fetchone()[0] == before
    ok = [p for p in again.payloads if FAILING_GAME not in p.file and TRUNCATED_GAME not in p.file]
    assert {p.status for p in ok} == {"unchanged"}


def test_the_odds_api_key_never_leaks(ingested, warehouse):
    summary, settings, logs = ingested
    assert any("apiKey=***" in line for line in logs)  # httpx's own request log, scrubbed
    leaks = [line for line in logs if FAKE_KEY in line]
    for schema, table in warehouse.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT temporary"
    ).fetchall():
        rows = warehouse.execute(f"SELECT * FROM {schema}.{table}").fetchall()
        leaks += [f"{schema}.{table}: {row}" for row in rows if FAKE_KEY in str(row)]
    leaks += [str(p) for p in settings.cache_dir.rglob("*") if FAKE_KEY in str(p)]
    leaks += [str(p) for p in settings.cache_dir.rglob("*") if p.is_file() and FAKE_KEY.encode() in p.read_bytes()]
    leaks += [line for line in summary.describe() if FAKE_KEY in line]
    leaks += [p.error for p in summary.payloads if p.error and FAKE_KEY in p.error]
    assert warehouse.execute("SELECT count(*) FROM ops.ingest_log WHERE file LIKE '%odds.test%'").fetchone()[0] > 0
    assert not leaks


def test_without_a_key_prop_lines_are_skipped_with_a_note(tmp_path, warehouse):
    settings = live_settings(tmp_path, odds_api_key=None)
    with respx.mock:
        _serve()
        summary = ingest_live(warehouse, SAMPLE_DATE, settings=settings, client=offline_client(settings, warehouse),
                              today=SAMPLE_DATE + dt.timedelta(days=1))  # fmt: skip
    assert any("ODDS_API_KEY" in n for n in summary.notes)
    assert warehouse.execute("SELECT count(*) FROM raw.prop_lines").fetchone()[0] == 0


def test_cli_needs_a_date_or_a_range(tmp_path):
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "w.duckdb"), "ingest", "live"])
    assert result.exit_code == 2
    result = CliRunner().invoke(
        app, ["--db", str(tmp_path / "w.duckdb"), "ingest", "live", "--start-date", "2025-03-15", "--end-date", "x"]
    )
    assert result.exit_code == 2 and "not a date" in result.output
