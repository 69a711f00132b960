"""`nbaprops daily` end to end: the captured payloads served by a real HTTP server on 127.0.0.1, the base URLs
pointed at it, one command from live ingest to a predictions table, and no other host contacted."""

import datetime as dt
import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from typer.testing import CliRunner

from nbaprops.cli import app
from nbaprops.warehouse import connect
from tests.sources.samples import FAKE_KEY, PBP_GAMES, SAMPLE_DATE, box, pbp, sample, team_gamelog_from_players

pytestmark = pytest.mark.realdata
DAY = SAMPLE_DATE + dt.timedelta(days=1)  # the daily run of 2025-03-16 fetches the results of the sample date


def _routes() -> dict:
    players = sample("nba_stats_leaguegamelog_players")
    odds = json.loads(sample("odds_api_event_odds_player_points"))
    return {
        "schedule": sample("nba_cdn_schedule"),
        "players": players,
        "teams": team_gamelog_from_players(players),
        "events": sample("odds_api_events"),
        "historical_events": sample("odds_api_historical_events"),
        "odds": json.dumps(odds).encode(),
        "historical_odds": json.dumps({"timestamp": "2025-03-15T23:00:00Z", "data": odds}).encode(),
        "injury": sample("nba_injury_report_pdf", "raw_f4391904.pdf"),
    }


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict] = {}
    seen: ClassVar[list] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        url = urlparse(self.path)
        self.seen.append(url.path)
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
    _Handler.routes, _Handler.seen = _routes(), []
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
    yield base, _Handler.seen
    server.shutdown()


def test_daily_goes_from_live_payloads_to_a_predictions_table(built_db, tmp_path, local_sources):
    base, seen = local_sources
    db = tmp_path / "daily.duckdb"
    shutil.copy(built_db, db)
    result = CliRunner().invoke(
        app, ["--db", str(db), "daily", "--date", str(DAY), "--models-dir", str(tmp_path / "models")],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"Predictions for {DAY}" in result.output
    # no trained model yet: the rule system predicts, and the output says so
    assert "run `nbaprops train`" in " ".join(result.output.split())

    con = connect(db, read_only=True)
    predicted, players = con.execute(
        "SELECT count(*), count(DISTINCT player_id) FROM predictions.player_points_predictions WHERE game_date = ?",
        [DAY],
    ).fetchone()
    features = con.execute("SELECT count(*) FROM features.ml_feature_store WHERE game_date = ?", [DAY]).fetchone()[0]
    urls = [u for (u,) in con.execute("SELECT url FROM ops.http_requests").fetchall()]
    injuries = con.execute("SELECT count(*) FROM raw.injuries").fetchone()[0]
    live_rows = con.execute(
        "SELECT count(*) FROM ops.ingest_log WHERE source LIKE 'nba_stats%' AND status IN ('loaded', 'partial')"
    ).fetchone()[0]
    con.close()
    assert predicted == players == features > 0  # every player with a feature row tonight has a prediction
    assert injuries == 14 and live_rows >= 2  # the day's injury report and both game logs went through
    assert urls and all(u.startswith(base) for u in urls)  # nothing but the local server was asked
    assert any(p.endswith("/stats/leaguegamelog") for p in seen)
    assert all(FAKE_KEY not in u for u in urls)
