"""`nbaprops ingest live` against a real 127.0.0.1 server that misbehaves in each way the hostile probe found.

Every test starts from a copy of one good ingest of SAMPLE_DATE (warehouse and cache), makes the server misbehave,
runs the command, and asserts the named error, the exit code and that every raw table is unchanged or only grew by
good records (`raw.quarantine` is where the bad records go, so it is checked on its own).
"""

from __future__ import annotations

import gzip
import json
import logging
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nbaprops.cli import app
from nbaprops.warehouse import connect
from tests.sources.local_server import (
    LocalServer,
    bad_gzip,
    body,
    delayed,
    echo,
    gamelog,
    redirect_loop,
    serving,
    trickle,
)
from tests.sources.samples import FAKE_KEY, SAMPLE_DATE, sample

pytestmark = pytest.mark.realdata
ODDS = "/v4/historical/sports/basketball_nba/events/"
EVENTS = "/v4/historical/sports/basketball_nba/events"
SCHEDULE = "/scheduleLeagueV2.json"
GAMELOG = "/stats/leaguegamelog"
PBP = "/playbyplay/playbyplay_"


def ingest(db: Path, env: dict[str, str], *args: str):
    return CliRunner().invoke(
        app, ["--db", str(db), "ingest", "live", "--date", str(SAMPLE_DATE), *args], env={"COLUMNS": "2000", **env}
    )


def raw_rows(db: Path) -> dict[str, Counter]:
    """Every raw table (but the quarantine) as a multiset of rows."""
    con = connect(db, read_only=True)
    try:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw' AND table_name <> 'quarantine'"
        ).fetchall()]  # fmt: skip
        return {t: Counter(con.execute(f"SELECT * FROM raw.{t}").fetchall()) for t in tables}
    finally:
        con.close()


def query(db: Path, sql: str, params=()) -> list[tuple]:
    con = connect(db, read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def assert_unchanged(before: dict[str, Counter], after: dict[str, Counter]) -> None:
    assert before.keys() == after.keys()
    changed = {t: (sum(before[t].values()), sum(after[t].values())) for t in before if before[t] != after[t]}
    assert not changed, f"raw tables changed (rows before, after): {changed}"


def assert_no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


def assert_one_line_error(result, *fragments: str) -> None:
    """Exit 1, no traceback, and one output line holding every fragment."""
    assert result.exit_code == 1, result.output
    assert_no_traceback(result)
    lines = [line for line in result.output.splitlines() if all(f in line for f in fragments)]
    assert lines, f"no line with {fragments} in:\n{result.output}"


@pytest.fixture(scope="module")
def server():
    with serving() as s:
        yield s


@pytest.fixture(scope="module")
def baseline(server: LocalServer, tmp_path_factory) -> Path:
    """One good ingest of SAMPLE_DATE: its warehouse and cache."""
    root = tmp_path_factory.mktemp("baseline")
    result = ingest(root / "w.duckdb", server.env(root))
    assert result.exit_code == 0, result.output
    assert query(root / "w.duckdb", "SELECT count(*) FROM raw.prop_lines")[0][0] == 16 * 3
    return root


@pytest.fixture
def site(server: LocalServer, baseline: Path, tmp_path: Path):
    """The server, well-behaved again, and a copy of the baseline warehouse and cache in tmp_path."""
    server.reset()
    shutil.copy(baseline / "w.duckdb", tmp_path / "w.duckdb")
    shutil.copytree(baseline / "cache", tmp_path / "cache")
    db = tmp_path / "w.duckdb"
    return server, db, raw_rows(db)


def _ledger_errors(db: Path) -> list[str]:
    return [e for (e,) in query(db, "SELECT error FROM ops.ingest_log WHERE status = 'failed' ORDER BY ingest_id")]


def test_an_echoed_api_key_reaches_no_file_table_log_or_output(site, tmp_path, caplog):
    server, db, before = site

    def events_with_an_echo(h):
        payload = json.loads(sample("odds_api_historical_events"))
        payload["data"].append({"echo": f"GET {h.path}", "headers": str(h.headers)})  # no id: a bad record
        body(json.dumps(payload).encode())(h)

    server.override(EVENTS, events_with_an_echo)
    server.override(ODDS, echo)
    caplog.set_level(logging.DEBUG)
    logging.getLogger("pdfminer").setLevel(logging.WARNING)
    result = ingest(db, server.env(tmp_path), "--refresh")
    assert any(FAKE_KEY in path for path in server.seen)  # the key did go on the wire ...
    assert_one_line_error(result, "odds_api_historical_event_odds: GET", "unusable payload, not cached")
    leaks = [line for line in result.output.splitlines() if FAKE_KEY in line]
    leaks += [r.getMessage() for r in caplog.records if FAKE_KEY in r.getMessage()]
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            leaks += (
                [str(path)] if FAKE_KEY.encode() in (gzip.decompress(data) if path.suffix == ".gz" else data) else []
            )
    con = connect(db, read_only=True)
    for schema, table in con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall():
        leaks += [f"{schema}.{table}" for row in con.execute(f"SELECT * FROM {schema}.{table}").fetchall()
                  if FAKE_KEY in str(row)]  # fmt: skip
    quarantined = con.execute("SELECT record FROM raw.quarantine WHERE record LIKE '%apiKey=***%'").fetchall()
    con.close()
    assert not leaks
    assert len(quarantined) == 17  # ... and came back, redacted: 16 HTML echoes and the echoing event record
    assert_unchanged(before, raw_rows(db))  # the failed odds payloads kept their earlier rows


def test_a_body_that_is_not_the_gzip_it_claims_is_one_line_and_a_ledger_row(site, tmp_path):
    server, db, before = site
    server.override(SCHEDULE, bad_gzip(b"plainly not gzip"))
    result = ingest(db, server.env(tmp_path))
    url = f"{server.base}/static/json/staticData/scheduleLeagueV2.json"
    assert_one_line_error(result, f"nba_cdn_schedule: GET {url} -> the body does not decode as its Content-Encoding")
    assert any(url in e and "Content-Encoding" in e for e in _ledger_errors(db))
    assert_unchanged(before, raw_rows(db))


def test_a_redirect_loop_is_named(site, tmp_path):
    server, db, before = site
    server.override(GAMELOG, redirect_loop)
    result = ingest(db, server.env(tmp_path), "--refresh")
    assert_one_line_error(result, "nba_stats", "GET", "redirect loop", "NBAPROPS_*_URL")
    assert sum("redirect loop" in e for e in _ledger_errors(db)) == 2  # players and teams
    assert_unchanged(before, raw_rows(db))


def test_oddly_shaped_json_fails_its_payload_not_the_run(site, tmp_path):
    server, db, before = site
    server.override(SCHEDULE, body(b'{"leagueSchedule": {"gameDates": [{"games": ["tbd", 5]}]}}'))
    server.override(GAMELOG, body(b'{"resultSets": {"LeagueGameLog": 1}}'))
    server.override(PBP, body(b'{"game": []}'))
    server.override(EVENTS, body(b'{"timestamp": "yesterday", "data": {"id": 1}}'))
    result = ingest(db, server.env(tmp_path), "--refresh")
    assert result.exit_code == 1, result.output
    assert_no_traceback(result)
    errors = _ledger_errors(db)
    assert any("no LeagueGameLog result set" in e for e in errors)
    assert any("playbyplay" in e and "missing field" in e for e in errors)
    assert any("events" in e and "unexpected payload shape (ValueError" in e for e in errors)
    reasons = [r for (r,) in query(db, "SELECT reason FROM raw.quarantine WHERE file LIKE '%scheduleLeagueV2%'")]
    assert len(reasons) == 2 and all(r.startswith("schedule game: TypeError") for r in reasons)  # record problems
    assert_unchanged(before, raw_rows(db))


def test_a_trickling_server_meets_the_request_deadline(site, tmp_path):
    server, db, before = site
    server.override(SCHEDULE, trickle(interval=0.1, lasts=20))
    t0 = time.monotonic()
    result = ingest(db, server.env(tmp_path, NBAPROPS_REQUEST_DEADLINE="1"))
    elapsed = time.monotonic() - t0
    assert_one_line_error(result, "nba_cdn_schedule: GET", "no complete answer within the 1 s request deadline")
    assert elapsed < 10  # the other payloads come from the cache; without a deadline this runs 20 s
    assert any("NBAPROPS_REQUEST_DEADLINE" in e for e in _ledger_errors(db))
    assert_unchanged(before, raw_rows(db))


def test_the_run_deadline_stops_the_run_with_a_note_and_a_ledger_row(site, tmp_path):
    server, db, before = site
    server.override(GAMELOG, delayed(0.7, gamelog(sample("nba_stats_leaguegamelog_players"))))
    t0 = time.monotonic()
    result = ingest(db, server.env(tmp_path, NBAPROPS_RUN_DEADLINE="1"), "--refresh")
    assert time.monotonic() - t0 < 10
    assert_one_line_error(result, "stopped: the run deadline of 1 s (NBAPROPS_RUN_DEADLINE) passed")
    assert any("run's 1 s deadline" in e for e in _ledger_errors(db))
    assert not any(PBP in path for path in server.seen)  # nothing asked after the deadline
    assert_unchanged(before, raw_rows(db))


@pytest.mark.parametrize("bad", [b"", b"<html><body>Service busy</body></html>", b'{"game": {"gameId": "00224'])
def test_empty_html_or_cut_bodies_are_never_cached_and_a_later_run_loads(bad, server, tmp_path):
    server.reset()
    db, env = tmp_path / "w.duckdb", server.env(tmp_path)
    server.override(PBP, body(bad))
    first = ingest(db, env)
    assert first.exit_code == 1
    failed = query(db, "SELECT count(*) FROM ops.ingest_log WHERE file LIKE '%playbyplay%' AND status = 'failed'")
    assert failed[0][0] == 8  # the 8 games of the day
    assert not list((tmp_path / "cache" / "nba_cdn_playbyplay").rglob("*.gz"))
    grown = raw_rows(db)
    server.reset()  # the server is good again; a past date, no --refresh: only an uncached payload is asked for
    second = ingest(db, env)
    assert second.exit_code == 0, second.output
    assert sum(PBP in p for p in server.seen) == 8
    assert not any(GAMELOG in p for p in server.seen)  # the good payloads of the first run were cached
    loaded = query(db, "SELECT count(*) FROM ops.ingest_log WHERE file LIKE '%playbyplay%' AND status = 'loaded'")
    assert loaded[0][0] == 8
    after = raw_rows(db)
    assert all(after[t] - grown[t] == Counter() or t == "shots" for t in grown)  # nothing lost; empty games


def test_a_cached_payload_that_no_longer_parses_is_evicted_and_refetched(site, tmp_path):
    server, db, before = site
    pointers = list((tmp_path / "cache" / "nba_cdn_playbyplay").rglob("latest"))
    assert len(pointers) == 8
    for pointer in pointers:  # poison the cache, as an older version that cached HTML did
        (pointer.parent / pointer.read_text()).write_bytes(gzip.compress(b"<html>cached error page</html>"))
    result = ingest(db, server.env(tmp_path))
    assert result.exit_code == 0, result.output
    assert sum(PBP in p for p in server.seen) == 8
    for pointer in pointers:
        cached = gzip.decompress((pointer.parent / pointer.read_text()).read_bytes())
        assert json.loads(cached)["game"]["actions"] == []
    assert_unchanged(before, raw_rows(db))


def test_refresh_refetches_every_cached_payload_of_the_range(site, tmp_path):
    server, db, _ = site
    players = json.loads(sample("nba_stats_leaguegamelog_players"))
    table = players["resultSets"][0]
    pts, pid = table["headers"].index("PTS"), table["headers"].index("PLAYER_ID")
    table["rowSet"][0][pts] += 1  # a stat correction
    corrected = table["rowSet"][0][pid], table["rowSet"][0][pts]
    server.override(GAMELOG, gamelog(json.dumps(players).encode()))
    assert ingest(db, server.env(tmp_path)).exit_code == 0
    assert not any(GAMELOG in p or PBP in p or ODDS in p for p in server.seen)  # all cached: nothing asked
    result = ingest(db, server.env(tmp_path), "--refresh")
    assert result.exit_code == 0, result.output
    for fragment, count in ((GAMELOG, 2), (PBP, 8), (ODDS, 16)):
        assert sum(fragment in p for p in server.seen) == count
    points = query(db, "SELECT pts FROM raw.player_boxscores WHERE player_id = ? AND source = 'nba_gamelog'",
                   [corrected[0]])  # fmt: skip
    assert points == [(corrected[1],)]


def test_non_finite_numbers_are_quarantined_records_and_the_rest_loads(server, tmp_path):
    server.reset()
    odds = json.loads(sample("odds_api_event_odds_player_points"))
    outcomes = odds["bookmakers"][0]["markets"][0]["outcomes"]
    outcomes[1]["price"] = float("inf")
    outcomes[2]["point"] = float("nan")
    text = json.dumps({"timestamp": "2025-03-15T23:00:00Z", "data": odds})
    assert "Infinity" in text and "NaN" in text
    players = json.loads(sample("nba_stats_leaguegamelog_players"))
    players["resultSets"][0]["rowSet"][0][players["resultSets"][0]["headers"].index("PTS")] = float("inf")
    server.override(ODDS, body(text.encode()))
    server.override(GAMELOG, gamelog(json.dumps(players).encode()))
    db = tmp_path / "w.duckdb"
    result = ingest(db, server.env(tmp_path))
    assert result.exit_code == 0, result.output  # record problems: partial payloads, not failures
    reasons = [r for (r,) in query(db, "SELECT reason FROM raw.quarantine WHERE file LIKE '%/odds%'")]
    assert len(reasons) == 16 * 2
    assert sum("outcomes[1]: ValueError: price must be a finite number, found inf" in r for r in reasons) == 16
    assert sum("outcomes[2]: ValueError: point must be a finite number, found nan" in r for r in reasons) == 16
    assert query(db, "SELECT count(*) FROM raw.prop_lines WHERE NOT isfinite(line) OR NOT isfinite(over_price) "
                     "OR NOT isfinite(under_price)")[0][0] == 0  # fmt: skip
    assert query(db, "SELECT count(*) FROM raw.prop_lines")[0][0] > 0
    [(reason,)] = query(db, "SELECT reason FROM raw.quarantine WHERE file LIKE '%PlayerOrTeam=P%'")
    assert "OverflowError" in reason
    assert query(db, "SELECT count(*) FROM raw.player_boxscores WHERE source = 'nba_gamelog'")[0][0] == 156


def test_a_bad_deadline_setting_is_exit_2_and_one_line_before_any_work(tmp_path, server):
    server.reset()
    result = ingest(tmp_path / "w.duckdb", server.env(tmp_path, NBAPROPS_RUN_DEADLINE="0"), "--refresh")
    assert result.exit_code == 2 and "run_deadline must be positive, got 0" in result.output
    assert_no_traceback(result)
    assert server.seen == [] and not (tmp_path / "w.duckdb").exists()
