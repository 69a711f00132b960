"""Replay of every captured payload (../shared/data/api-samples) into a warehouse that already holds the archive for
those dates, served by a local HTTP server: values the two publications share load once, a value only the live
payload has enriches the row, and a value they disagree on follows the source precedence (raw.catalog.PRECEDENCE)
with the archive's value kept in raw.quarantine under a reason that names the column and both values."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from nbaprops.raw.live_ingest import ingest_live
from nbaprops.sources.settings import LiveSettings
from tests.sources.local_server import body, gamelog, serving
from tests.sources.samples import FAKE_KEY, PBP_GAMES, SAMPLE_DATE, offline_client, pbp, sample

pytestmark = pytest.mark.realdata

PBP_DATES = {"0022400500": dt.date(2025, 1, 6), "0022400561": dt.date(2025, 1, 15)}


def _players_with(change) -> bytes:
    """The captured player game log with `change(header_index, rows)` applied."""
    payload = json.loads(sample("nba_stats_leaguegamelog_players"))
    table = payload["resultSets"][0]
    change(table["headers"].index, table["rowSet"])
    return json.dumps(payload).encode()


def _replay(con, tmp_path, players: bytes | None = None):
    """ingest_live for the sample dates, each payload served on its own date only (another date's game log is
    empty); returns every payload result."""
    players = players or sample("nba_stats_leaguegamelog_players")
    empty = _players_with(lambda _index, rows: rows.clear())
    results = []
    with serving() as server:
        server.override("/stats/leaguegamelog", lambda h: (
            gamelog(players) if h.query.get("DateFrom") == [SAMPLE_DATE.strftime("%m/%d/%Y")] else body(empty)
        )(h))  # fmt: skip
        for gid in PBP_GAMES:
            server.override(f"playbyplay_{gid}.json", body(pbp(gid)))
        settings = LiveSettings(
            nba_cdn_url=server.base, nba_stats_url=server.base, odds_api_url=server.base,
            injury_report_url=f"{server.base}/referee/injury", odds_api_key=FAKE_KEY, cache_dir=tmp_path / "cache",
        )  # fmt: skip
        for day in sorted({SAMPLE_DATE, *PBP_DATES.values()}):
            client = offline_client(settings, con)
            summary = ingest_live(con, day, settings=settings, client=client, today=day + dt.timedelta(days=1))
            results += summary.payloads
    return results


def _gamelog(results, source: str):
    """The game-log payload of the sample date (the other dates' logs are empty)."""
    (result,) = [r for r in results if r.source == source and "DateFrom=03%2F15%2F2025" in r.file]
    return result


def test_every_captured_payload_replays_onto_the_archive_without_rejecting_agreeing_rows(corpus_copy, tmp_path):
    con = corpus_copy
    results = _replay(con, tmp_path)
    assert not [r.error for r in results if r.status == "failed"]
    by_source = {}
    for r in results:
        by_source.setdefault(r.source, []).append(r)
    # Player game log: the archive has the same 157 rows without shooting splits; none rejected, none overruled,
    # every row loads once, enriched with the splits.
    players = _gamelog(results, "nba_stats_leaguegamelog_players")
    assert (players.rows_read, players.rows_rejected, players.values_overruled) == (157, 0, 0)
    count = lambda sql, *p: con.execute(sql, list(p)).fetchone()[0]  # noqa: E731
    assert count("SELECT count(*) FROM raw.player_boxscores WHERE source = 'nba_gamelog' AND game_date = ?",
                 SAMPLE_DATE) == 157  # fmt: skip
    assert count("SELECT count(fga) FROM raw.player_boxscores WHERE source = 'nba_gamelog' AND game_date = ? "
                 "AND source_file LIKE 'http%'", SAMPLE_DATE) == 157  # fmt: skip
    # Play-by-play: the archive already holds both games' attempts, the same count: nothing loaded twice.
    shots = by_source["nba_cdn_playbyplay"]
    assert {r.rows_read for r in shots} >= {181, 178}
    assert sum(r.rows_rejected for r in shots) == 0
    assert count("SELECT count(*) FROM raw.shots WHERE game_id IN ('0022400500', '0022400561')") == 181 + 178
    # Box score of the captured game: every player (starters, DNP reasons, splits) loads; its team rows are the
    # archive's NBA.com team box to the value (the archive lacks only the minutes), so they load once, enriched, except
    # NYK's turnovers: the box says 13 (its players' sum), the archive 16; the live value wins, 16 is quarantined.
    (box_players,) = [r for r in by_source["nba_stats_boxscore_players"] if r.rows_read]
    (box_teams,) = [r for r in by_source["nba_stats_boxscore_teams"] if r.rows_read]
    assert (box_players.rows_read, box_players.rows_loaded, box_players.rows_rejected) == (25, 25, 0)
    assert (box_teams.rows_read, box_teams.rows_loaded, box_teams.rows_rejected, box_teams.values_overruled) == (
        2, 2, 0, 1)  # fmt: skip
    (reason,) = con.execute("SELECT reason FROM raw.quarantine WHERE file = ?", [box_teams.file]).fetchone()
    assert reason.endswith("column tov: 16 vs 13 (team/team_game_logs_2024-25.csv line 597 vs this payload)")
    assert count("SELECT count(*) FROM raw.team_boxscores WHERE game_id = '0022400561' AND source = 'nba_team_box' "
                 "AND minutes = '265:00'") == 2  # fmt: skip
    # Schedule, odds and the injury report: nothing rejected.
    for source in ("nba_cdn_schedule", "odds_api_historical_events", "odds_api_historical_event_odds",
                   "nba_injury_report"):  # fmt: skip
        assert by_source[source] and sum(r.rows_rejected for r in by_source[source]) == 0, source
    # Team game log (summed from the players): it agrees with the archive on everything but the team turnovers,
    # so only rows whose TOV differs have a quarantined archive value, and the reason names TOV and both values.
    teams = _gamelog(results, "nba_stats_leaguegamelog_teams")
    assert teams.rows_rejected == 0 and teams.rows_loaded == 16  # every live row loads; archive values lose
    reasons = [r[0] for r in con.execute("SELECT reason FROM raw.quarantine WHERE file = ?", [teams.file]).fetchall()]
    differing_tov = count(
        "SELECT count(*) FROM raw.team_boxscores l JOIN raw.quarantine q ON q.file = l.source_file "
        "AND q.line = l.source_line WHERE l.source_file = ?",
        teams.file,
    )
    assert len(reasons) == differing_tov == teams.values_overruled > 0
    assert all(re.fullmatch(r".*: column tov: \d+ vs \d+ \(gamelogs/nba_team_game_logs_2024-25\.csv\.gz line \d+ "
                            r"vs this payload\)", reason) for reason in reasons), reasons  # fmt: skip


def test_a_value_the_sources_disagree_on_follows_the_precedence_and_the_loser_is_quarantined(corpus_copy, tmp_path):
    con = corpus_copy

    def add_a_point(index, rows):
        rows[0][index("PTS")] += 1

    first = json.loads(sample("nba_stats_leaguegamelog_players"))["resultSets"][0]
    player, archive_pts = str(first["rowSet"][0][first["headers"].index("PLAYER_ID")]), None
    archive_pts = con.execute(
        "SELECT pts FROM raw.player_boxscores WHERE source = 'nba_gamelog' AND source_player_id = ? AND game_date = ?",
        [player, SAMPLE_DATE],
    ).fetchone()[0]
    results = _replay(con, tmp_path, players=_players_with(add_a_point))
    players = _gamelog(results, "nba_stats_leaguegamelog_players")
    assert (players.rows_rejected, players.values_overruled, players.status) == (0, 1, "loaded")
    stored = con.execute(
        "SELECT pts, source_file FROM raw.player_boxscores WHERE source = 'nba_gamelog' AND source_player_id = ? "
        "AND game_date = ?",
        [player, SAMPLE_DATE],
    ).fetchall()
    assert stored == [(archive_pts + 1, players.file)]  # one row, the live value (live > archive)
    reason, record = con.execute("SELECT reason, record FROM raw.quarantine WHERE file = ?", [players.file]).fetchone()
    assert f"column pts: {archive_pts} vs {archive_pts + 1}" in reason
    assert "nba_player_game_logs_2024-25.csv.gz line" in reason and "live > archive" in reason
    assert json.loads(record)["pts"] == archive_pts

    # The archive file applied again afterwards: the same rule from the other side. Its rows the live payload
    # holds are not loaded twice; the one value the live payload overrules is that file's only rejected record.
    from nbaprops.raw.families import FAMILIES_BY_NAME
    from nbaprops.raw.loader import load_file
    from tests.conftest import ARCHIVE

    rel = "gamelogs/nba_player_game_logs_2024-25.csv.gz"
    again = load_file(con, FAMILIES_BY_NAME["nba_gamelog_players"], ARCHIVE / rel, rel, force=True)
    assert again.rows_rejected == 1 and again.rows_elsewhere == 156
    ((_line, why),) = again.problems
    assert why.startswith(f"overruled by the live payload {players.file} line 1 (source precedence: live > archive)")
    assert why.endswith(f"column pts: {archive_pts} vs {archive_pts + 1}")
    assert con.execute(
        "SELECT count(*), count(fga) FROM raw.player_boxscores WHERE source = 'nba_gamelog' AND game_date = ?",
        [SAMPLE_DATE],
    ).fetchone() == (157, 157)
