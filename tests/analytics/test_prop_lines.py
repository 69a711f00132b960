"""Prop lines: which line counts (priority bookmaker, main line, before tip-off; SPEC section 4) on hand-made
snapshots, and how the 2025-26 points file matches players and games (acceptance 5)."""

import datetime as dt

import pytest

from nbaprops.analytics.prop_matching import prop_match_report
from nbaprops.settings import DEFAULT_BOOKMAKER_PRIORITY

TIP = dt.datetime(2025, 11, 1, 23, 30)
LINE = """INSERT INTO raw.prop_lines (market, bookmaker, player_name, player_lookup, game_date, commence_time_utc,
    game_id, line, over_price, under_price, snapshot_time_utc, source, source_file, source_line)
    VALUES ('player_points', ?, 'A Player', 'aplayer', DATE '2025-11-01', ?, '0022500100', ?, ?, ?, ?, 'test', 't', 0)
"""


def _snapshot(con, book, hours_before, line, over=-110.0, under=-110.0):
    con.execute(LINE, [book, TIP, line, over, under, TIP - dt.timedelta(hours=hours_before)])


def _chosen(con):
    return con.execute(
        "SELECT line_bookmaker, opening_line, latest_line, snapshots "
        "FROM prop_line_before_tipoff('player_points', $p, DATE '1900-01-01', DATE '2999-12-31')",
        {"p": list(DEFAULT_BOOKMAKER_PRIORITY)},
    ).fetchall()


def test_priority_book_main_line_opening_and_latest_before_tipoff(warehouse):
    warehouse.execute("INSERT INTO raw.player_names VALUES ('aplayer', 7, 'nba_gamelog')")
    _snapshot(warehouse, "bovada", 2, 30.5)  # ranked after draftkings and fanduel
    _snapshot(warehouse, "fanduel", 30, 24.5)  # opening
    _snapshot(warehouse, "fanduel", 30, 21.5, over=-300, under=220)  # an alternate line at the same snapshot
    _snapshot(warehouse, "fanduel", 3, 25.5)  # latest before tip-off
    _snapshot(warehouse, "fanduel", -1, 27.5)  # after tip-off: never used
    assert _chosen(warehouse) == [("fanduel", 24.5, 25.5, 2)]
    _snapshot(warehouse, "draftkings", 5, 26.0)
    assert _chosen(warehouse) == [("draftkings", 26.0, 26.0, 1)]


def test_ambiguous_names_stay_unresolved(warehouse):
    warehouse.execute("INSERT INTO raw.player_names VALUES ('aplayer', 7, 'nba_gamelog'), ('aplayer', 8, 'alias')")
    _snapshot(warehouse, "fanduel", 3, 25.5)
    assert _chosen(warehouse) == []
    report = prop_match_report(warehouse)
    assert report.pairs == 1 and report.matched == 0
    assert report.unmatched[0].reason == "name matches several players: 7, 8"


@pytest.mark.realdata
def test_points_lines_2025_26_match_players_and_games(corpus):
    report = prop_match_report(corpus, source_file_like="%player_points_2025-26_part1%")
    assert report.pairs > 2_500
    assert report.matched_share >= 0.95, report.unmatched[:20]
    for pair in report.unmatched:  # listed with the reason
        assert pair.reason and pair.player_name and pair.game_date
    # the spellings found while building this (Nicolas Claxton, Herb Jones...) resolve through the alias table
    assert not [p for p in report.unmatched if p.player_name in ("Nicolas Claxton", "Herb Jones")]


@pytest.mark.realdata
def test_unmatched_names_are_reported_with_an_alias_hint(corpus):
    report = prop_match_report(corpus, market="player_points_rebounds_assists")
    assert report.unmatched, "the PRA files still hold abbreviated names (e.g. 'S Gilgeous-Alexander')"
    assert all("alias" in p.reason or "game" in p.reason for p in report.unmatched)
