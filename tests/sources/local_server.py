"""A real HTTP server on 127.0.0.1 that serves the captured payloads and misbehaves on request.

Started and stopped by the `local_server` fixture; a watchdog shuts it down after `LIFETIME` seconds whatever
happens, handler threads are daemons, and every slow behaviour ends by itself, so no test can hang on it.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest

from tests.sources.samples import FAKE_KEY, box, sample, team_gamelog_from_players

LIFETIME = 600.0  # seconds; the watchdog stops the server even if a test module forgets to

Behaviour = Callable[["Handler"], None]


def gamelog(players: bytes) -> Behaviour:
    """leaguegamelog: `players` for PlayerOrTeam=P, the captured players summed per team for T."""
    teams = team_gamelog_from_players(sample("nba_stats_leaguegamelog_players"))
    return lambda h: body(players if h.query.get("PlayerOrTeam") == ["P"] else teams)(h)


def _good_routes() -> list[tuple[str, Behaviour]]:
    """The captured payloads by path fragment (first match wins), as a well-behaved server would answer."""
    odds = json.loads(sample("odds_api_event_odds_player_points"))
    historical_odds = json.dumps({"timestamp": "2025-03-15T23:00:00Z", "data": odds}).encode()
    injury = sample("nba_injury_report_pdf", "raw_f4391904.pdf")
    return [
        ("/scheduleLeagueV2.json", body(sample("nba_cdn_schedule"))),
        ("/stats/leaguegamelog", gamelog(sample("nba_stats_leaguegamelog_players"))),
        ("/playbyplay/playbyplay_", lambda h: body(empty_playbyplay(h.path))(h)),
        ("/stats/boxscoretraditionalv2", lambda h: body(box(h.query["GameID"][0]))(h)),
        ("/v4/historical/sports/basketball_nba/events/", body(historical_odds)),
        ("/v4/historical/sports/basketball_nba/events", body(sample("odds_api_historical_events"))),
        ("/referee/injury/Injury-Report_2025-03-15_12PM.pdf", body(injury)),
    ]


def empty_playbyplay(path: str) -> bytes:
    gid = path.rsplit("_", 1)[1].removesuffix(".json")
    return json.dumps({"game": {"gameId": gid, "actions": []}}).encode()


def body(data: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Behaviour:
    def answer(h: Handler) -> None:
        h.send_response(status)
        for name, value in {"Content-Length": str(len(data)), **(headers or {})}.items():
            h.send_header(name, value)
        h.end_headers()
        h.wfile.write(data)

    return answer


def echo(h: Handler) -> None:
    """200 text/html repeating the request line, headers and body back: what leaked the key before."""
    text = f"<html><body><h1>Bad request</h1><pre>GET {h.path}\n{h.headers}\n</pre></body></html>".encode()
    body(text, headers={"Content-Type": "text/html"})(h)


def redirect_loop(h: Handler) -> None:
    h.send_response(302)
    h.send_header("Location", h.path)
    h.send_header("Content-Length", "0")
    h.end_headers()


def bad_gzip(data: bytes) -> Behaviour:
    """Says `Content-Encoding: gzip` and sends plain bytes."""
    return body(data, headers={"Content-Encoding": "gzip"})


def trickle(interval: float = 0.1, lasts: float = 15.0) -> Behaviour:
    """Headers at once, then one byte per `interval` for `lasts` seconds: every read is quick, the answer never
    completes (until the behaviour gives up by itself)."""

    def answer(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "1000000")
        h.end_headers()
        ends = time.monotonic() + lasts
        try:
            while time.monotonic() < ends:
                h.wfile.write(b" ")
                h.wfile.flush()
                time.sleep(interval)
        except OSError:  # the client hung up: exactly what a deadline should do
            pass

    return answer


def delayed(seconds: float, then: Behaviour) -> Behaviour:
    def answer(h: Handler) -> None:
        time.sleep(seconds)
        then(h)

    return answer


def sequence(*behaviours: Behaviour) -> Behaviour:
    """The i-th request gets the i-th behaviour; the last one repeats."""
    calls = iter(range(10**6))

    def answer(h: Handler) -> None:
        behaviours[min(next(calls), len(behaviours) - 1)](h)

    return answer


class Handler(BaseHTTPRequestHandler):
    routes: ClassVar[list[tuple[str, Behaviour]]] = []
    seen: ClassVar[list[str]] = []

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlparse(self.path).query)

    def do_GET(self) -> None:
        path = urlparse(self.path).path
        self.seen.append(self.path)
        for fragment, behaviour in self.routes:
            if fragment in path:
                behaviour(self)
                return
        body(b"", status=404)(self)


@dataclass
class LocalServer:
    base: str
    seen: list[str]
    routes: list[tuple[str, Behaviour]] = field(repr=False)

    def reset(self) -> None:
        """Back to the well-behaved captured routes, nothing seen."""
        self.routes[:] = _good_routes()
        self.seen.clear()

    def override(self, fragment: str, behaviour: Behaviour) -> None:
        """Answer paths containing `fragment` with `behaviour` (before every captured route)."""
        self.routes.insert(0, (fragment, behaviour))

    def env(self, tmp_path, **extra: str) -> dict[str, str]:
        """Environment pointing every live source at this server (fast: no rate-limit spacing)."""
        return {
            "NBAPROPS_NBA_CDN_URL": self.base,
            "NBAPROPS_NBA_STATS_URL": self.base,
            "NBAPROPS_ODDS_API_URL": self.base,
            "NBAPROPS_INJURY_REPORT_URL": f"{self.base}/referee/injury",
            "NBAPROPS_CACHE_DIR": str(tmp_path / "cache"),
            "ODDS_API_KEY": FAKE_KEY,
            "NBAPROPS_HTTP_MIN_INTERVAL": "0",
            "NBAPROPS_HTTP_ATTEMPTS": "1",
            "NBAPROPS_HTTP_TIMEOUT": "5",
            **extra,
        }


@contextlib.contextmanager
def serving() -> Iterator[LocalServer]:
    """A server with the captured routes, stopped on exit (or by the watchdog)."""
    Handler.routes, Handler.seen = _good_routes(), []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    watchdog = threading.Timer(LIFETIME, server.shutdown)
    watchdog.daemon = True
    watchdog.start()
    try:
        yield LocalServer(f"http://127.0.0.1:{server.server_address[1]}", Handler.seen, Handler.routes)
    finally:
        watchdog.cancel()
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    with serving() as server:
        yield server
