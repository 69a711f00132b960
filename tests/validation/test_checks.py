"""The other checks on real rows and small synthetic tables: keys, ranges, regression, cross-source agreement,
spot checks, and the gate API the orchestrator calls."""

from __future__ import annotations

import datetime as dt

import pytest

from nbaprops.audit import run_validation
from nbaprops.validation import gate_checks, load_thresholds
from nbaprops.validation.tables import TableSpec
from nbaprops.validation.thresholds import RowCount
from nbaprops.warehouse import connect
from tests.validation.helpers import require_declared

pytestmark = pytest.mark.realdata

SYNTH = "analytics.synth_team_games"
SPECS = {SYNTH: TableSpec(SYNTH, ("game_id", "team"), phase="analytics")}
DAY = dt.date(2025, 1, 15)
SEASON = (dt.date(2024, 10, 22), dt.date(2025, 4, 13))


@pytest.fixture
def synth(corpus_copy):
    """A team-game table shaped like a phase-3 one, built straight from the raw team box scores."""
    corpus_copy.execute(
        f"CREATE TABLE {SYNTH} AS SELECT game_id, game_date, team, pts, 100.0 AS pace FROM raw.team_boxscores "
        "WHERE source = 'nba_team_box' AND season = '2024-25' AND game_type = 'regular_season'"
    )
    return corpus_copy


def _check(con, name: str, thresholds=None, start=SEASON[0], end=SEASON[1]):
    results = run_validation(con, tables=[SYNTH], specs=SPECS, start=start, end=end, thresholds=thresholds)
    return next(r for r in results if r.name == name)


def test_duplicate_keys_are_listed_with_their_date(synth):
    synth.execute(f"INSERT INTO {SYNTH} SELECT * FROM {SYNTH} WHERE game_date = ? LIMIT 1", [DAY])
    result = _check(synth, "key_uniqueness")
    assert result.blocks and result.measured == 1
    assert result.details["bad_dates"] == [DAY]
    assert result.details["bad_keys"][0]["rows"] == 2
    assert "--no-resume" in result.suggested_command and str(DAY) in result.suggested_command


def test_values_outside_their_range_fail(synth):
    assert _check(synth, "range:pace").status == "pass"
    synth.execute(f"UPDATE {SYNTH} SET pace = 150 WHERE game_date = ?", [DAY])
    result = _check(synth, "range:pace")
    assert result.blocks and result.measured > 0
    assert {e["game_date"] for e in result.details["examples"]} == {DAY}


def _with(t, section: str, **changes):
    return t.model_copy(update={section: getattr(t, section).model_copy(update=changes)})


def test_a_day_with_half_its_rows_fails_the_row_count_floor(synth):
    t = load_thresholds()
    floors = _with(t, "row_counts", tables={SYNTH: RowCount(min_rows_per_game=1.5)})
    assert _check(synth, "row_count", floors).status == "pass"
    synth.execute(
        f"DELETE FROM {SYNTH} WHERE rowid IN (SELECT min(rowid) FROM {SYNTH} WHERE game_date = ? GROUP BY game_id)",
        [DAY],
    )
    result = _check(synth, "row_count", floors)
    assert result.blocks and result.details["bad_dates"] == [DAY]
    assert result.details["rows_per_game"] == {str(DAY): 1.0}


def test_daily_zscore_flags_a_real_jump_and_ignores_a_tiny_move(synth):
    t = _with(load_thresholds(), "regression", mean_columns=["pts"])
    before = {f["date"] for f in _check(synth, "daily_zscore", t).details["flagged"]}
    tiny, jump = DAY, DAY + dt.timedelta(days=20)
    assert not {tiny, jump} & before
    synth.execute(f"UPDATE {SYNTH} SET pts = pts * 1.05 WHERE game_date = ?", [tiny])
    synth.execute(f"UPDATE {SYNTH} SET pts = pts * 2 WHERE game_date = ?", [jump])
    result = _check(synth, "daily_zscore", t)
    assert result.status == "warn" and not result.blocks
    after = {f["date"] for f in result.details["flagged"]}
    assert jump in after and tiny not in after


def test_cross_source_disagreement_is_listed_and_judged_by_the_threshold(corpus_copy):
    corpus_copy.execute(
        "UPDATE raw.player_boxscores SET pts = pts + 3 WHERE rowid = (SELECT min(rowid) FROM raw.player_boxscores "
        "WHERE source = 'nba_gamelog' AND game_date = ? AND pts > 0)",
        [DAY],
    )
    lenient = next(r for r in run_validation(corpus_copy, tables=["raw.player_boxscores"]) if r.name == "cross_source")
    assert lenient.status == "pass" and lenient.details["disagreements"] == 1
    assert lenient.details["examples"][0]["game_date"] == DAY
    t = load_thresholds()
    strict = t.model_copy(update={"cross_source": t.cross_source.model_copy(update={"min_agreement": 1.0})})
    results = run_validation(corpus_copy, tables=["raw.player_boxscores"], thresholds=strict)
    assert next(r for r in results if r.name == "cross_source").blocks


def test_gate_checks_cover_coverage_keys_and_null_rates(corpus):
    week = [DAY + dt.timedelta(days=i) for i in range(7)]
    results = gate_checks(corpus, "raw.player_boxscores", week)
    names = {r.name for r in results}
    assert {"coverage", "key_uniqueness", "null_rate:fga", "null_rate:pts"} <= names
    assert not any(r.blocks for r in results)
    with pytest.raises(KeyError):
        gate_checks(corpus, "analytics.no_such_table", week)


def test_spot_check_catches_a_stored_usage_that_raw_rows_contradict(built_copy_path):
    table = "analytics.player_game_summary"
    require_declared(table)
    con = connect(built_copy_path)
    player = con.execute(
        f"UPDATE {table} SET usage_rate = usage_rate * 1.5 WHERE rowid = (SELECT min(rowid) FROM {table} "
        "WHERE game_date = ? AND usage_rate > 10) RETURNING player_id",
        [DAY],
    ).fetchone()[0]
    t = load_thresholds()
    everything = t.model_copy(update={"spot_checks": t.spot_checks.model_copy(update={"sample_size": 100_000})})
    results = run_validation(con, tables=[table], start=DAY, end=DAY, thresholds=everything)
    con.close()
    usage = next(r for r in results if r.name == "spot_check:usage_rate")
    assert usage.blocks and [o["player_id"] for o in usage.details["off"]] == [player]
    assert next(r for r in results if r.name == "spot_check:pts").status == "pass"


def test_cross_source_with_both_sources_but_nothing_joined_fails(corpus_copy):
    """A game-id format mismatch that joins nothing is a failure, never "0/0 player-games agree"."""
    corpus_copy.execute(
        "UPDATE raw.player_boxscores SET game_id = 'x' || game_id WHERE source = 'nba_gamelog' AND game_date = ?", [DAY]
    )
    result = next(
        r
        for r in run_validation(corpus_copy, tables=["raw.player_boxscores"], start=DAY, end=DAY)
        if r.name == "cross_source"
    )
    assert result.blocks and result.details["compared"] == 0 and "none joined" in result.message
