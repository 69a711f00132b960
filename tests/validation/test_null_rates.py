"""Acceptance 2: source-aware null rates. 2025-26 has only the slim NBA.com game logs (no FGA, FTA, OREB): a
known gap (info) naming season, columns and source, not a warning or a block. FGA blanked for one week of 2024-25, where
Basketball-Reference has it: a blocking failure naming the dates."""

from __future__ import annotations

import datetime as dt

import pytest

from nbaprops.audit import run_validation
from nbaprops.warehouse import connect
from tests.validation.helpers import require_declared

pytestmark = pytest.mark.realdata

WEEK = (dt.date(2025, 1, 6), dt.date(2025, 1, 12))


def _by_name(results):
    return {r.name: r for r in results}


def _assert_slim_season_warns(results):
    found = _by_name(results)
    gap = found["null_rate:source_gaps"]
    assert gap.status == "pass" and not gap.blocking  # a known gap is reported (info), not warned about forever
    assert gap.message.startswith("known gap") and gap.details["known_gaps"]
    slim = next(g for g in gap.details["gaps"] if g["sources"] == ["nba_gamelog"])
    assert slim["season"] == "2025-26"
    assert {"fga", "fta", "oreb"} <= set(slim["columns"])
    assert "2025-26" in gap.message and "nba_gamelog" in gap.message and "fga" in gap.message
    assert found["null_rate:fga"].status == "pass"
    assert not any(r.blocks for r in results if r.name.startswith("null_rate"))


def _blank_fga_for_a_week(db, table: str, played: str) -> list[dt.date]:
    con = connect(db)
    rows = con.execute(
        f"UPDATE {table} SET fga = NULL WHERE game_date BETWEEN $a AND $b AND {played} AND fga IS NOT NULL "
        "RETURNING game_date",
        {"a": WEEK[0], "b": WEEK[1]},
    ).fetchall()
    con.close()
    return sorted({r[0] for r in rows})


def _assert_week_fails(db, table: str, dates: list[dt.date]):
    con = connect(db, read_only=True)
    try:
        found = _by_name(run_validation(con, tables=[table]))
    finally:
        con.close()
    fga = found["null_rate:fga"]
    assert fga.blocks
    assert fga.details["failing_seasons"] == ["2024-25"]
    assert fga.details["bad_dates"] == dates
    assert all(str(d) in fga.message for d in dates)
    assert found["null_rate:pts"].status == "pass"


def test_raw_slim_season_is_a_known_gap_not_a_block(corpus):
    _assert_slim_season_warns(run_validation(corpus, tables=["raw.player_boxscores"]))


def test_raw_blank_fga_week_fails_naming_the_dates(corpus_copy_path):
    dates = _blank_fga_for_a_week(corpus_copy_path, "raw.player_boxscores", "source = 'bbref_box'")
    assert len(dates) >= 5
    _assert_week_fails(corpus_copy_path, "raw.player_boxscores", dates)


def test_phase3_slim_season_is_a_known_gap_not_a_block(built_db):
    require_declared("analytics.player_game_summary")
    con = connect(built_db, read_only=True)
    try:
        results = run_validation(con, tables=["analytics.player_game_summary"])
    finally:
        con.close()
    _assert_slim_season_warns(results)
    assert "usage_rate" in next(g for g in _by_name(results)["null_rate:source_gaps"].details["gaps"])["columns"]


def test_phase3_blank_fga_week_fails_naming_the_dates(built_copy_path):
    require_declared("analytics.player_game_summary")
    dates = _blank_fga_for_a_week(built_copy_path, "analytics.player_game_summary", "minutes > 0")
    _assert_week_fails(built_copy_path, "analytics.player_game_summary", dates)
