"""`nbaprops daily` end to end: the captured payloads served by a real HTTP server on 127.0.0.1, the base URLs
pointed at it, one command from live ingest to a graded yesterday and today's pick sheet, and no other host
contacted. The mirror can answer 500 for one source: the run is then `partial`, in the exit code and in ops.runs."""

import csv
import datetime as dt
import io
import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from typer.testing import CliRunner

from nbaprops.cli import app
from nbaprops.reports.predictions import SHEET_COLUMNS
from nbaprops.warehouse import connect
from tests.sources.samples import (
    BOX_GAME,
    FAKE_KEY,
    PBP_GAMES,
    SAMPLE_DATE,
    box,
    pbp,
    sample,
    team_gamelog_from_players,
)

pytestmark = pytest.mark.realdata
DAY = SAMPLE_DATE + dt.timedelta(days=1)  # the daily run of 2025-03-16 fetches the results of the sample date
BOX_DAY = dt.date(2025, 1, 16)  # the daily run that fetches the results of 2025-01-15: the captured box score + pbp
# every live source and the ledger names it goes by
SOURCES = {
    "schedule": ("nba_cdn_schedule",),
    "game logs": ("nba_stats_leaguegamelog_players", "nba_stats_leaguegamelog_teams"),
    "box scores": ("nba_stats_boxscore_players", "nba_stats_boxscore_teams"),
    "play-by-play": ("nba_cdn_playbyplay",),
    "odds": ("odds_api_event_odds", "odds_api_historical_event_odds"),
    "injuries": ("nba_injury_report",),
}


def _on_day(content: bytes) -> bytes:
    """The captured current odds (LAL-BOS, 2025-01-20, a game no schedule holds) moved onto a game of DAY: LAL-PHX,
    tip-off 15:30 ET, quoted at 13:00 ET. Without it no line of the sheet's day would come from the mirror."""
    text = content.decode()
    assert "2025-01-21T00:30:00Z" in text  # the captured tip-off
    for captured, on_day in (("2025-01-21T00:30:00Z", "2025-03-16T19:30:00Z"), ("2025-01-20T17:55:00Z",
                             "2025-03-16T16:55:00Z"), ("2025-01-20T18:00:00Z", "2025-03-16T17:00:00Z"),
                             ("Boston Celtics", "Phoenix Suns")):  # fmt: skip
        text = text.replace(captured, on_day)
    return text.encode()


def _routes() -> dict:
    players = sample("nba_stats_leaguegamelog_players")
    odds = json.loads(sample("odds_api_event_odds_player_points"))
    return {
        "schedule": sample("nba_cdn_schedule"),
        "players": players,
        "teams": team_gamelog_from_players(players),
        "events": _on_day(sample("odds_api_events")),
        "historical_events": sample("odds_api_historical_events"),
        "odds": _on_day(json.dumps(odds).encode()),
        "historical_odds": json.dumps({"timestamp": "2025-03-15T23:00:00Z", "data": odds}).encode(),
        "injury": sample("nba_injury_report_pdf", "raw_f4391904.pdf"),
    }


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict] = {}
    seen: ClassVar[list] = []
    failing: ClassVar[str | None] = None  # paths containing this get HTTP 500

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        url = urlparse(self.path)
        self.seen.append(url.path)
        if self.failing and self.failing in url.path:
            self.send_response(500)
            self.end_headers()
            return
        body = self._body(url.path, parse_qs(url.query))
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("x-requests-remaining", "480")
        self.send_header("x-requests-used", "20")
        self.end_headers()
        self.wfile.write(body)

    def _body(self, path: str, query: dict) -> bytes | None:
        r = self.routes
        if path.endswith("/scheduleLeagueV2.json"):
            return r["schedule"]
        if path.endswith("/stats/leaguegamelog"):
            return r["players"] if query.get("PlayerOrTeam") == ["P"] else r["teams"]
        if path.endswith("/stats/boxscoretraditionalv2"):
            return box(query["GameID"][0])
        if "/playbyplay/playbyplay_" in path:
            gid = path.rsplit("_", 1)[1].removesuffix(".json")
            return pbp(gid) if gid in PBP_GAMES else json.dumps({"game": {"gameId": gid, "actions": []}}).encode()
        if path.startswith("/v4/historical/") and path.endswith("/events"):
            return r["historical_events"]
        if path.startswith("/v4/historical/") and path.endswith("/odds"):
            return r["historical_odds"]
        if path.endswith("/events"):
            return r["events"]
        if path.endswith("/odds"):
            return r["odds"]
        if path.endswith(f"Injury-Report_{SAMPLE_DATE}_12PM.pdf"):
            return r["injury"]
        return None


@pytest.fixture
def local_sources(monkeypatch, tmp_path):
    _Handler.routes, _Handler.seen, _Handler.failing = _routes(), [], None
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("NBAPROPS_NBA_CDN_URL", base)
    monkeypatch.setenv("NBAPROPS_NBA_STATS_URL", base)
    monkeypatch.setenv("NBAPROPS_ODDS_API_URL", base)
    monkeypatch.setenv("NBAPROPS_INJURY_REPORT_URL", f"{base}/referee/injury")
    monkeypatch.setenv("NBAPROPS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ODDS_API_KEY", FAKE_KEY)
    monkeypatch.setenv("NBAPROPS_HTTP_MIN_INTERVAL", "0")
    monkeypatch.setenv("NBAPROPS_HTTP_ATTEMPTS", "1")  # a 500 fails at once instead of after backoffs
    yield base, _Handler.seen
    server.shutdown()


def daily(db, day: dt.date, models):
    return CliRunner().invoke(
        app, ["--db", str(db), "daily", "--date", str(day), "--models-dir", str(models)], env={"COLUMNS": "200"}
    )


def query(db, sql: str, params=()) -> list[tuple]:
    con = connect(db, read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def loaded_sources(db) -> set[str]:
    """Ledger sources whose payloads parsed to rows and loaded (rows the archive already held identically load once,
    so a live schedule that agrees with the archive's adds none)."""
    rows = query(
        db,
        "SELECT DISTINCT source FROM ops.ingest_log WHERE file LIKE 'http%' AND status IN ('loaded', 'partial') "
        "AND rows_read > 0",
    )
    return {source for (source,) in rows}


def last_run(db) -> tuple[str, str]:
    return query(db, "SELECT status, coalesce(error, '') FROM ops.runs ORDER BY run_id DESC LIMIT 1")[0]


def test_daily_goes_from_live_payloads_to_a_graded_yesterday_and_a_pick_sheet(built_db, tmp_path, local_sources):
    base, seen = local_sources
    db = tmp_path / "daily.duckdb"
    shutil.copy(built_db, db)
    models = tmp_path / "models"

    # 2025-01-16: yesterday's game 0022400561 has its captured box score and play-by-play
    first = daily(db, BOX_DAY, models)
    assert first.exit_code == 0, first.output
    assert last_run(db)[0] == "success"
    played = query(
        db,
        "SELECT count(*), count(usage_rate), count(ts_pct), count(paint_fga), count(mid_range_fga), count(three_fga), "
        "sum(paint_fga + mid_range_fga + three_fga) = sum(fga) "
        "FROM analytics.player_game_summary WHERE game_id = ? AND status = 'active' AND fga > 0",
        [BOX_GAME],
    )[0]
    assert played[0] >= 16 and played[1:6] == (played[0],) * 5 and played[6], played  # zones add up to box FGA

    # 2025-03-16: the day of the captured schedule, game logs, odds and injury report
    result = daily(db, DAY, models)
    assert result.exit_code == 0, result.output
    assert last_run(db)[0] == "success"
    for kind, names in SOURCES.items():
        assert loaded_sources(db) & set(names), f"no {kind} loaded"
    # no trained model yet: the rule system predicts, and the output says so
    assert "run `nbaprops train --market points`" in " ".join(result.output.split())

    # yesterday graded: the accuracy table holds 2025-03-15 and the output says how it went
    graded = query(db, "SELECT count(*), count(actual_value) FROM predictions.prediction_accuracy WHERE game_date = ? "
                   "AND market = 'points'", [SAMPLE_DATE])[0]  # fmt: skip
    assert graded[0] > 0 and graded[1] > 0, graded
    assert f"Graded {SAMPLE_DATE} points (moving_average-" in result.output

    # today's pick sheet: every column, in the table and as CSV from `predict`
    assert f"Pick sheet for {DAY}" in result.output
    for _column, heading in SHEET_COLUMNS:
        assert heading in result.output
    predict = ["predict", "--date", str(DAY), "--models-dir", str(models), "--format", "csv", "--market", "points"]
    sheet = CliRunner().invoke(app, ["--db", str(db), *predict])
    assert sheet.exit_code == 0, sheet.output
    rows = list(csv.DictReader(io.StringIO(sheet.stdout)))
    assert list(rows[0]) == [c for c, _ in SHEET_COLUMNS]
    predicted, players = query(
        db,
        "SELECT count(*), count(DISTINCT player_id) FROM predictions.player_prop_predictions WHERE game_date = ? "
        "AND market = 'points'",
        [DAY],
    )[0]
    features = query(db, "SELECT count(*) FROM features.ml_feature_store WHERE game_date = ?", [DAY])[0][0]
    assert predicted == players == features == len(rows) > 0  # one sheet row per player with a feature row
    # the schedule's tip-off (ET) by team; a game the schedule does not hold on that date has none ('' in CSV: NULL;
    # LAC-CHA, postponed from 2025-01-11, is listed at its old date and time)
    tipoffs = query(db, "SELECT f.team, strftime(s.game_datetime_est, '%H:%M') FROM features.ml_feature_store f "
                        "LEFT JOIN raw.schedule s ON s.game_id = f.game_id AND s.game_date = f.game_date "
                        "WHERE f.game_date = ?", [DAY])  # fmt: skip
    assert dict(tipoffs)["LAL"] == "15:30" and dict(tipoffs)["LAC"] is None
    for r in rows:
        assert r["market"] == "points"
        assert r["player_name"] and r["team"] and r["opponent"] and r["model_version"].startswith("moving_average-")
        assert r["tipoff_et"] == (dict(tipoffs)[r["team"]] or "")
        assert r["pick"] in ("OVER", "UNDER", "PASS") and (r["pick"] == "PASS" or r["line"])
    # the one live line of the day: LeBron James, LAL vs PHX, from the re-dated captured odds (the preferred book)
    lined = [r for r in rows if r["line"]]
    assert [(r["player_name"], r["team"], r["opponent"], r["tipoff_et"]) for r in lined] == [
        ("LeBron James", "LAL", "PHX", "15:30")
    ]
    lebron = lined[0]
    quotes = {(b["key"], o["name"]): (o["point"], o["price"])
              for b in json.loads(sample("odds_api_event_odds_player_points"))["bookmakers"]
              for m in b["markets"] if m["key"] == "player_points"
              for o in m["outcomes"] if o["description"] == "LeBron James"}  # fmt: skip
    over, under = quotes[(lebron["bookmaker"], "Over")], quotes[(lebron["bookmaker"], "Under")]
    assert float(lebron["line"]) == over[0] == under[0]
    assert (float(lebron["over_price"]), float(lebron["under_price"])) == (over[1], under[1])
    edge = float(lebron["predicted_value"]) - float(lebron["line"])
    assert float(lebron["edge"]) == pytest.approx(edge, abs=0.051) and 0.5 <= float(lebron["pick_probability"]) < 1
    assert all(r["bookmaker"] == r["over_price"] == r["edge"] == r["pick_probability"] == "" for r in rows
               if r is not lebron)  # no line: NULL, never a default  # fmt: skip

    con = connect(db, read_only=True)
    urls = [u for (u,) in con.execute("SELECT url FROM ops.http_requests").fetchall()]
    injuries = con.execute("SELECT count(*) FROM raw.injuries").fetchone()[0]
    con.close()
    assert injuries == 14  # the day's injury report went through
    assert urls and all(u.startswith(base) for u in urls)  # nothing but the local server was asked
    assert any(p.endswith("/stats/leaguegamelog") for p in seen)
    assert all(FAKE_KEY not in u for u in urls)


def test_a_source_answering_500_makes_the_run_partial_and_is_named_once(built_db, tmp_path, local_sources):
    db = tmp_path / "daily.duckdb"
    shutil.copy(built_db, db)
    _Handler.failing = "/playbyplay/playbyplay_"
    result = daily(db, DAY, tmp_path / "models")
    assert result.exit_code == 1, result.output
    status, error = last_run(db)
    assert status == "partial" and "nba_cdn_playbyplay" in error
    games = query(db, "SELECT count(*) FROM raw.games WHERE game_date = ?", [SAMPLE_DATE])[0][0]
    assert result.output.count("nba_cdn_playbyplay") == 1, result.output
    line = next(x for x in result.output.splitlines() if "nba_cdn_playbyplay" in x)
    assert line == f"failed: nba_cdn_playbyplay {SAMPLE_DATE}: HTTP 500 ({games} of {games} requests failed)"
    assert "http" not in line
    assert f"Pick sheet for {DAY}" in result.output  # the rest of the run still went through
