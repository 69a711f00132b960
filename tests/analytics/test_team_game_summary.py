"""analytics.team_offense_game_summary and team_defense_game_summary: possessions, pace, ORtg, DRtg and TS% from
raw numbers by hand (acceptance 1), players adding up to team points (acceptance 3), zones for and against."""

import pytest

pytestmark = pytest.mark.realdata

OFFENSE = "analytics.team_offense_game_summary"
DEFENSE = "analytics.team_defense_game_summary"

# (game_id, team, team minutes): a regulation game and a one-overtime game (line score OT points > 0).
ORACLE_TEAM_GAMES = [("0022300065", "BOS", 240), ("0022400071", "LAC", 265)]

TEAM_RAW = (
    "SELECT opponent, pts, fga, fta, oreb, tov FROM raw.team_boxscores "
    "WHERE source = 'nba_team_box' AND game_id = ? AND team = ?"
)


@pytest.mark.parametrize(("game_id", "team", "team_minutes"), ORACLE_TEAM_GAMES)
def test_team_formulas_match_hand_computation(analytics, game_id, team, team_minutes):
    opponent, pts, fga, fta, oreb, tov = analytics.execute(TEAM_RAW, [game_id, team]).fetchone()
    _, opp_pts, opp_fga, opp_fta, opp_oreb, opp_tov = analytics.execute(TEAM_RAW, [game_id, opponent]).fetchone()
    ot_points = analytics.execute(
        "SELECT pts_ot FROM raw.linescores WHERE game_id = ? AND team = ?", [game_id, team]
    ).fetchone()[0]
    assert (ot_points > 0) == (team_minutes > 240)

    possessions = fga + 0.44 * fta - oreb + tov
    opp_possessions = opp_fga + 0.44 * opp_fta - opp_oreb + opp_tov
    expected = {
        "possessions": possessions,
        "pace": 48 * possessions / (team_minutes / 5),
        "offensive_rating": 100 * pts / possessions,
        "ts_pct": pts / (2 * (fga + 0.44 * fta)),
        "ot_periods": (team_minutes - 240) // 25,
        "margin": pts - opp_pts,
    }
    got = analytics.execute(
        f"SELECT {', '.join(expected)} FROM {OFFENSE} WHERE game_id = ? AND team = ?", [game_id, team]
    ).fetchone()
    assert got == pytest.approx(tuple(expected.values()))

    drtg, opp_poss, opp_pace = analytics.execute(
        f"SELECT defensive_rating, opp_possessions, opp_pace FROM {DEFENSE} WHERE game_id = ? AND team = ?",
        [game_id, team],
    ).fetchone()
    assert drtg == pytest.approx(100 * opp_pts / opp_possessions)
    assert opp_poss == pytest.approx(opp_possessions)
    assert opp_pace == pytest.approx(48 * opp_possessions / (team_minutes / 5))


def test_bos_oracle_pinned_to_literal_numbers(analytics):
    """BOS 108 at NYK 104 on 2023-10-25 with the box numbers written out: 77 FGA, 26 FTA, 7 OREB, 13 TOV."""
    row = analytics.execute(
        f"SELECT pts, fga, fta, oreb, tov, possessions, offensive_rating FROM {OFFENSE} "
        "WHERE game_id = '0022300065' AND team = 'BOS'"
    ).fetchone()
    pts, fga, fta, oreb, tov = row[:5]
    assert (pts, fga, fta, oreb, tov) == (108, 77, 26, 7, 13)
    assert row[5] == pytest.approx(77 + 0.44 * 26 - 7 + 13)
    assert row[6] == pytest.approx(100 * 108 / (77 + 0.44 * 26 - 7 + 13))


@pytest.mark.parametrize("season", ["2023-24", "2024-25", "2025-26"])
def test_players_add_up_to_team_points_for_every_team_game_with_players(analytics, season):
    total, with_players, matching, no_players = analytics.execute(
        f"""SELECT count(*), count(*) FILTER (WHERE player_rows > 0),
                   count(*) FILTER (WHERE player_rows > 0 AND players_sum_matches),
                   list(DISTINCT game_type) FILTER (WHERE player_rows = 0)
            FROM {OFFENSE} WHERE season = ?""",
        [season],
    ).fetchone()
    assert with_players == matching
    # Neither player source covers the play-in or the NBA Cup final: those team-games are flagged incomplete.
    assert set(no_players or []) <= {"play_in", "cup_final"}
    assert total - with_players <= 14


def test_points_checked_against_players_independently(analytics):
    """Team points equal the sum of the players' points in analytics.player_game_summary for every flagged match."""
    bad = analytics.execute(
        f"""SELECT count(*) FROM {OFFENSE} t
            JOIN (SELECT game_id, team, sum(pts) AS pts FROM analytics.player_game_summary GROUP BY ALL) p
              USING (game_id, team)
            WHERE t.players_sum_matches AND p.pts <> t.pts"""
    ).fetchone()[0]
    assert bad == 0


def test_team_zones_add_up_and_defense_mirrors_offense(analytics):
    bad_zones = analytics.execute(
        f"SELECT count(*) FROM {OFFENSE} WHERE paint_fga + mid_range_fga + three_fga <> fga OR three_fga <> fg3a"
    ).fetchone()[0]
    assert bad_zones == 0
    zone_games, mirrored = analytics.execute(
        f"""SELECT count(*), count(*) FILTER (WHERE d.paint_fga_allowed = o.paint_fga AND d.opp_pts = o.pts
                                              AND d.three_fgm_allowed = o.three_fgm)
            FROM {DEFENSE} d JOIN {OFFENSE} o ON o.game_id = d.game_id AND o.team = d.opponent
            WHERE o.paint_fga IS NOT NULL"""
    ).fetchone()
    assert zone_games > 4_900 and mirrored == zone_games


def test_one_row_per_team_game_and_wins_are_consistent(analytics):
    for table in (OFFENSE, DEFENSE):
        dupes = analytics.execute(
            f"SELECT count(*) FROM (SELECT game_id, team FROM {table} GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone()[0]
        assert dupes == 0, table
    inconsistent = analytics.execute(
        f"""SELECT count(*) FROM {OFFENSE} a JOIN {OFFENSE} b ON b.game_id = a.game_id AND b.team = a.opponent
            WHERE a.win = b.win OR a.margin <> -b.margin"""
    ).fetchone()[0]
    assert inconsistent == 0
