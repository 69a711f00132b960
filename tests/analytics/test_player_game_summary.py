"""analytics.player_game_summary: formula oracles computed by hand from raw numbers (acceptance 1), usage bounds and
coverage (acceptance 3), status and DNP rules, source fallback and tiers, zones, prop results; plus a synthetic game
proving a bad minutes value is reported, not a silent NULL."""

import datetime as dt

import pytest

from nbaprops.pipeline.registry import discover
from nbaprops.pipeline.settings import run_parameters
from nbaprops.pipeline.writer import write_batch

TABLE = "analytics.player_game_summary"

# (game_id, bbref_player_id, team minutes): Tatum in a regulation game, Booker and Harden in a one-overtime game
# (the line score shows overtime points: 240 + 25 minutes).
ORACLE_PLAYER_GAMES = [
    ("0022300065", "tatumja01", 240),
    ("0022400071", "bookede01", 265),
    ("0022400071", "hardeja01", 265),
]


def _raw_player_and_team(con, game_id, bbref_id):
    player = con.execute(
        "SELECT player_id, team, minutes, pts, fgm, fga, fg3m, fta, tov FROM raw.player_boxscores "
        "WHERE source = 'bbref_box' AND game_id = ? AND bbref_player_id = ?",
        [game_id, bbref_id],
    ).fetchone()
    team = con.execute(
        "SELECT fga, fta, tov FROM raw.team_boxscores WHERE source = 'nba_team_box' AND game_id = ? AND team = ?",
        [game_id, player[1]],
    ).fetchone()
    return player, team


@pytest.mark.realdata
@pytest.mark.parametrize(("game_id", "bbref_id", "team_minutes"), ORACLE_PLAYER_GAMES)
def test_formulas_match_hand_computation(analytics, game_id, bbref_id, team_minutes):
    (player_id, _team, minutes_text, pts, fgm, fga, fg3m, fta, tov), (t_fga, t_fta, t_tov) = _raw_player_and_team(
        analytics, game_id, bbref_id
    )
    mm, ss = minutes_text.split(":")
    minutes = int(mm) + int(ss) / 60
    expected_usage = 100 * (fga + 0.44 * fta + tov) * (team_minutes / 5) / (minutes * (t_fga + 0.44 * t_fta + t_tov))
    expected_ts = pts / (2 * (fga + 0.44 * fta))
    expected_efg = (fgm + 0.5 * fg3m) / fga

    row = analytics.execute(
        f"SELECT minutes, usage_rate, ts_pct, efg_pct, team_minutes, status, quality_tier FROM {TABLE} "
        "WHERE game_id = ? AND player_id = ?",
        [game_id, player_id],
    ).fetchone()
    assert row[0] == pytest.approx(minutes)
    assert row[1] == pytest.approx(expected_usage)
    assert row[2] == pytest.approx(expected_ts)
    assert row[3] == pytest.approx(expected_efg)
    assert row[4:] == (team_minutes, "active", "gold")


@pytest.mark.realdata
def test_tatum_oracle_pinned_to_literal_numbers(analytics):
    """The same oracle with the box-score numbers written out: 34 points on 13/22 FG (3 threes), 6 FTA in 38:39."""
    ts, efg, minutes = analytics.execute(
        f"SELECT ts_pct, efg_pct, minutes FROM {TABLE} WHERE game_id = '0022300065' AND player_name = 'Jayson Tatum'"
    ).fetchone()
    assert ts == pytest.approx(34 / (2 * (22 + 0.44 * 6)))
    assert efg == pytest.approx((13 + 0.5 * 3) / 22)
    assert minutes == pytest.approx(38 + 39 / 60)


@pytest.mark.realdata
def test_usage_is_a_percentage_and_known_for_99_percent_of_played_games(analytics):
    out_of_range = analytics.execute(f"SELECT count(*) FROM {TABLE} WHERE usage_rate NOT BETWEEN 0 AND 100").fetchone()
    assert out_of_range[0] == 0
    for season in ("2023-24", "2024-25"):
        played, known = analytics.execute(
            f"SELECT count(*), count(usage_rate) FROM {TABLE} "
            "WHERE season = ? AND status = 'active' AND source = 'bbref_box'",
            [season],
        ).fetchone()
        assert played > 26_000
        assert known / played >= 0.99, season


@pytest.mark.realdata
def test_impossible_usage_is_flagged_not_stored(analytics):
    flagged = analytics.execute(
        f"SELECT usage_rate, usage_error, minutes, quality_score FROM {TABLE} WHERE usage_error IS NOT NULL"
    ).fetchall()
    assert flagged, "the corpus has seconds-long stints whose usage formula exceeds 100"
    for usage, error, minutes, score in flagged:
        assert usage is None and "> 100" in error and minutes < 2 and score < 1


@pytest.mark.realdata
def test_one_row_per_key_and_every_played_bbref_row_kept(analytics):
    dupes = analytics.execute(
        f"SELECT count(*) FROM (SELECT game_id, player_id FROM {TABLE} GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()[0]
    assert dupes == 0
    raw_played, kept = analytics.execute(
        f"""SELECT (SELECT count(*) FROM raw.player_boxscores WHERE source = 'bbref_box' AND dnp_reason IS NULL),
                   (SELECT count(*) FROM {TABLE} WHERE source = 'bbref_box' AND dnp_reason IS NULL)"""
    ).fetchone()
    assert kept == raw_played


@pytest.mark.realdata
def test_minutes_parsed_for_every_played_row(analytics):
    """The reference system's parser left 99.5% of minutes NULL; here every row with a minutes value parses."""
    unparsed = analytics.execute(
        f"SELECT count(*) FROM {TABLE} WHERE minutes IS NULL AND status = 'active' OR minutes_error IS NOT NULL"
    ).fetchone()[0]
    assert unparsed == 0


@pytest.mark.realdata
def test_status_and_reason_categories(analytics):
    rows = dict(
        ((reason, status, category), n)
        for reason, status, category, n in analytics.execute(
            f"SELECT dnp_reason, status, dnp_reason_category, count(*) FROM {TABLE} WHERE status <> 'active' "
            "GROUP BY ALL"
        ).fetchall()
    )
    assert rows[("Did Not Play", "dnp", "coach_decision")] > 10_000
    assert rows[("Did Not Dress", "inactive", "injury")] > 1_000
    assert rows[("Not With Team", "inactive", "personal")] > 100
    assert rows[("Player Suspended", "inactive", "other")] > 0
    # the corpus rule: played = no DNP reason, whatever the minutes, so every row without a reason is active
    assert not any(reason is None for reason, _, _ in rows)


@pytest.mark.realdata
def test_zero_minute_rows_without_a_reason_are_played(analytics):
    """The 20 Basketball-Reference rows at 0:00 with no DNP reason (17 of them with nothing else in the box, which
    the old minutes rule called DNPs) are played, and so is every NBA.com game-log row (it lists only who took the
    floor, 0-minute rows included)."""
    zero = analytics.execute(
        f"""SELECT r.game_id, r.player_id, s.status, s.minutes, s.dnp_reason_category
            FROM raw.player_boxscores r JOIN {TABLE} s USING (game_id, player_id)
            WHERE r.source = 'bbref_box' AND r.minutes = '0:00' AND coalesce(r.dnp_reason, '') = ''"""
    ).fetchall()
    assert len(zero) == 20
    assert {(status, minutes, category) for *_, status, minutes, category in zero} == {("active", 0.0, None)}
    game_logs = dict(
        analytics.execute(f"SELECT status, count(*) FROM {TABLE} WHERE source = 'nba_gamelog' GROUP BY ALL").fetchall()
    )
    assert list(game_logs) == ["active"] and game_logs["active"] > 26_000
    assert (
        analytics.execute(f"SELECT count(*) FROM {TABLE} WHERE source = 'nba_gamelog' AND minutes = 0").fetchone()[0]
        > 50
    )


@pytest.mark.realdata
def test_source_fallback_and_quality_tiers(analytics):
    tiers = dict(
        ((season, source, tier), n)
        for season, source, tier, n in analytics.execute(
            f"SELECT season, source, quality_tier, count(*) FROM {TABLE} GROUP BY ALL"
        ).fetchall()
    )
    assert tiers[("2023-24", "bbref_box", "gold")] > 30_000
    assert tiers[("2025-26", "nba_gamelog", "bronze")] > 26_000  # no bbref box for 2025-26
    assert tiers[("2024-25", "nba_gamelog", "bronze")] > 1_700  # playoffs
    assert not any(season == "2025-26" and source == "bbref_box" for season, source, _ in tiers)
    slim = analytics.execute(
        f"SELECT count(usage_rate), count(paint_fga), count(fga), max(quality_score) FROM {TABLE} "
        "WHERE source = 'nba_gamelog'"
    ).fetchone()
    assert slim == (0, 0, 0, 0.5)


@pytest.mark.realdata
def test_zones_add_up_to_attempts_for_gold_rows(analytics):
    bad = analytics.execute(
        f"""SELECT count(*) FROM {TABLE} WHERE quality_tier = 'gold' AND status = 'active'
            AND (paint_fga + mid_range_fga + three_fga <> fga OR three_fga <> fg3a
                 OR paint_fgm + mid_range_fgm + three_fgm <> fgm OR three_fgm <> fg3m)"""
    ).fetchone()[0]
    assert bad == 0


@pytest.mark.realdata
def test_prop_results_follow_points_and_line(analytics):
    rows = analytics.execute(
        f"SELECT pts, points_line, over_under_result FROM {TABLE} WHERE points_line IS NOT NULL"
    ).fetchall()
    assert len(rows) > 2_000
    for pts, line, result in rows:
        assert result == ("OVER" if pts > line else "UNDER" if pts < line else "PUSH")


@pytest.mark.realdata
def test_points_line_is_the_priority_bookmakers_latest_before_tipoff(analytics):
    """Recomputed from raw.prop_lines independently for DraftKings rows (first in the priority list)."""
    mismatches = analytics.execute(
        f"""
        WITH dk AS (
            SELECT game_id, n.player_id, arg_max(line, snapshot_time_utc) AS line
            FROM raw.prop_lines p JOIN raw.player_names n USING (player_lookup)
            WHERE market = 'player_points' AND bookmaker = 'draftkings' AND snapshot_time_utc < commence_time_utc
            GROUP BY ALL
        )
        SELECT count(*), count(*) FILTER (WHERE s.points_line IS DISTINCT FROM dk.line)
        FROM {TABLE} s JOIN dk USING (game_id, player_id) WHERE s.line_bookmaker = 'draftkings'
        """
    ).fetchone()
    assert mismatches[0] > 1_000 and mismatches[1] == 0


# --- a synthetic game: rules that the real corpus never exercises ------------------------------------------------

BOX = """INSERT INTO raw.player_boxscores (game_id, game_date, season, season_year, game_type, team, opponent,
    is_home, source_player_id, player_id, player_name, player_lookup, dnp_reason, minutes, pts, fgm, fga, fg3m, fg3a,
    ftm, fta, tov, source, source_file, source_line)
    VALUES ('0022400001', DATE '2024-10-22', '2024-25', 2024, 'regular_season', 'BOS', 'NYK', true, ?, ?, ?, ?, ?, ?,
            ?, ?, ?, 0, 0, 0, 0, ?, 'bbref_box', 'synthetic', ?)"""


def test_bad_minutes_are_reported_and_statuses_follow_the_rules(warehouse):
    players = [  # (id, dnp_reason, minutes, pts, fgm, fga, tov)
        (1, None, "48:00", 20, 8, 16, 2),
        (2, None, "12:75", 4, 2, 3, 0),  # seconds out of range
        (3, "Did Not Dress", None, None, None, None, None),
        (4, None, "0:00", 0, 0, 0, 0),  # nothing in the box but no DNP reason: played (the corpus rule)
        (5, None, "0:00", 2, 1, 1, 0),  # 0:00 with points: played (data README)
    ]
    for n, (pid, reason, minutes, pts, fgm, fga, tov) in enumerate(players):
        warehouse.execute(BOX, [str(pid), pid, f"P{pid}", f"p{pid}", reason, minutes, pts, fgm, fga, tov, n])
    warehouse.execute(
        "INSERT INTO raw.team_boxscores (game_id, game_date, season, season_year, game_type, team, opponent, is_home,"
        " pts, fga, fta, tov, source, source_file, source_line) VALUES ('0022400001', DATE '2024-10-22', '2024-25',"
        " 2024, 'regular_season', 'BOS', 'NYK', true, 26, 20, 0, 2, 'nba_team_box', 'synthetic', 1)"
    )
    day = dt.date(2024, 10, 22)
    write_batch(warehouse, discover()[TABLE], [day], run_id=1, settings=run_parameters(warehouse))
    rows = {
        r[0]: r[1:]
        for r in warehouse.execute(
            f"SELECT player_id, status, minutes, minutes_error, usage_rate, quality_score FROM {TABLE}"
        ).fetchall()
    }
    assert rows[1][:3] == ("active", 48.0, None)
    assert rows[2][0] == "active" and rows[2][1] is None and "seconds out of range" in rows[2][2]
    assert rows[2][4] == 0.5  # silver (no shots) minus the reported error
    assert rows[3][0] == "inactive"
    assert rows[4][0] == "active"
    assert rows[5][0] == "active" and rows[5][3] is None  # usage is NULL at 0 minutes
    # a sum of player minutes below 240 never means negative overtimes: the team played 240
    assert warehouse.execute(f"SELECT DISTINCT team_minutes FROM {TABLE}").fetchall() == [(240,)]
