"""analytics.team_offense_game_summary and team_defense_game_summary: possessions (the two-team estimate), pace,
ORtg, DRtg and TS% from raw numbers by hand (acceptance 1), players adding up to team points (acceptance 3), zones
for and against; a property test of the possessions on synthetic games through the real transform."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbaprops.analytics.team_offense_game_summary import TRANSFORM as OFFENSE_TRANSFORM
from nbaprops.pipeline.registry import discover
from nbaprops.pipeline.settings import run_parameters
from nbaprops.warehouse import connect

OFFENSE = "analytics.team_offense_game_summary"
DEFENSE = "analytics.team_defense_game_summary"

# (game_id, team, team minutes): a regulation game and a one-overtime game (line score OT points > 0).
ORACLE_TEAM_GAMES = [("0022300065", "BOS", 240), ("0022400071", "LAC", 265)]

TEAM_RAW = (
    "SELECT opponent, pts, fgm, fga, fta, oreb, dreb, tov FROM raw.team_boxscores "
    "WHERE source = 'nba_team_box' AND game_id = ? AND team = ?"
)


def estimate(fga, fgm, fta, oreb, opp_dreb, tov):
    """One team's estimate (SPEC section 3), written out independently of the SQL macro; a game's possessions are
    0.5 * (estimate(team, opponent's DREB) + estimate(opponent, team's DREB))."""
    return fga + 0.4 * fta - 1.07 * (oreb / (oreb + opp_dreb)) * (fga - fgm) + tov


@pytest.mark.realdata
@pytest.mark.parametrize(("game_id", "team", "team_minutes"), ORACLE_TEAM_GAMES)
def test_team_formulas_match_hand_computation(analytics, game_id, team, team_minutes):
    opponent, pts, fgm, fga, fta, oreb, dreb, tov = analytics.execute(TEAM_RAW, [game_id, team]).fetchone()
    _, opp_pts, opp_fgm, opp_fga, opp_fta, opp_oreb, opp_dreb, opp_tov = analytics.execute(
        TEAM_RAW, [game_id, opponent]
    ).fetchone()
    ot_points = analytics.execute(
        "SELECT pts_ot FROM raw.linescores WHERE game_id = ? AND team = ?", [game_id, team]
    ).fetchone()[0]
    assert (ot_points > 0) == (team_minutes > 240)

    # both teams' estimates, each with the other's defensive rebounds, averaged
    possessions = 0.5 * (estimate(fga, fgm, fta, oreb, opp_dreb, tov) + estimate(opp_fga, opp_fgm, opp_fta, opp_oreb,
                                                                                dreb, opp_tov))  # fmt: skip
    expected = {
        "possessions": possessions,
        "pace": 48 * possessions / (team_minutes / 5),
        "offensive_rating": 100 * pts / possessions,
        "ts_pct": pts / (2 * (fga + 0.44 * fta)),
        "ot_periods": (team_minutes - 240) // 25,
        "margin": pts - opp_pts,
    }
    got = analytics.execute(
        f"SELECT {', '.join(expected)}, possessions_missing FROM {OFFENSE} WHERE game_id = ? AND team = ?",
        [game_id, team],
    ).fetchone()
    assert got[:-1] == pytest.approx(tuple(expected.values()))
    assert got[-1] is None

    drtg, opp_poss, opp_pace = analytics.execute(
        f"SELECT defensive_rating, opp_possessions, opp_pace FROM {DEFENSE} WHERE game_id = ? AND team = ?",
        [game_id, team],
    ).fetchone()
    assert drtg == pytest.approx(100 * opp_pts / possessions)
    assert opp_poss == pytest.approx(possessions)  # one number of possessions per game
    assert opp_pace == pytest.approx(48 * possessions / (team_minutes / 5))


@pytest.mark.realdata
def test_bos_oracle_pinned_to_literal_numbers(analytics):
    """BOS 108 at NYK 104 on 2023-10-25 with both box scores written out.
    BOS: 37/77 FG, 26 FTA, 7 OREB, 39 DREB, 13 TOV. NYK: 36/97 FG, 26 FTA, 17 OREB, 30 DREB, 11 TOV.
    est BOS = 77 + 0.4*26 - 1.07*(7/(7+30))*(77-37) + 13 = 92.3027; est NYK = 97 + 10.4 - 1.07*(17/56)*61 + 11
    = 98.5859; possessions = 95.4443 for both; pace = 48*95.4443/48 = 95.4443; BOS ORtg 113.15, DRtg 108.96."""
    rows = {
        r[0]: r[1:]
        for r in analytics.execute(
            f"SELECT team, pts, fgm, fga, fta, oreb, dreb, tov, possessions, pace, offensive_rating FROM {OFFENSE} "
            "WHERE game_id = '0022300065'"
        ).fetchall()
    }
    assert rows["BOS"][:7] == (108, 37, 77, 26, 7, 39, 13)
    assert rows["NYK"][:7] == (104, 36, 97, 26, 17, 30, 11)
    possessions = 0.5 * ((77 + 0.4 * 26 - 1.07 * (7 / 37) * 40 + 13) + (97 + 0.4 * 26 - 1.07 * (17 / 56) * 61 + 11))
    assert possessions == pytest.approx(95.4443, abs=1e-4)
    for team, pts in (("BOS", 108), ("NYK", 104)):
        assert rows[team][7:] == pytest.approx((possessions, possessions, 100 * pts / possessions))
    drtg = analytics.execute(
        f"SELECT defensive_rating FROM {DEFENSE} WHERE game_id = '0022300065' AND team = 'BOS'"
    ).fetchone()[0]
    assert drtg == pytest.approx(100 * 104 / possessions)


@pytest.mark.realdata
def test_every_full_box_game_has_one_possession_count_and_slim_games_say_why(analytics):
    """Both rows of a game carry the same possessions; a game without splits has NULL possessions, pace and ratings
    and names the reason (2025-26 NBA.com game logs), never a stand-in number."""
    unequal = analytics.execute(
        f"""SELECT count(*) FROM {OFFENSE} a JOIN {OFFENSE} b ON b.game_id = a.game_id AND b.team = a.opponent
            WHERE a.possessions IS DISTINCT FROM b.possessions"""
    ).fetchone()[0]
    assert unequal == 0
    by_source = {
        source: rest
        for source, *rest in analytics.execute(
            f"""SELECT source, count(*), count(possessions), count(pace), count(offensive_rating),
                       count(possessions_missing), min(possessions_missing)
                FROM {OFFENSE} GROUP BY ALL"""
        ).fetchall()
    }
    full_rows, full_poss, *_, full_missing, _ = by_source["nba_team_box"]
    assert full_rows > 6_000 and full_poss == full_rows and full_missing == 0
    slim_rows, slim_poss, slim_pace, slim_ortg, slim_missing, reason = by_source["nba_gamelog"]
    assert slim_rows > 800 and (slim_poss, slim_pace, slim_ortg) == (0, 0, 0) and slim_missing == slim_rows
    assert reason == "no fga/fgm/fta/oreb/dreb/tov in nba_gamelog (team) or nba_gamelog (opponent)"
    unexplained = analytics.execute(
        f"SELECT count(*) FROM {DEFENSE} WHERE defensive_rating IS NULL AND possessions_missing IS NULL"
    ).fetchone()[0]
    assert unexplained == 0


# --- the estimate on synthetic games through the real transform ---------------------------------------------------

DAY = dt.date(2024, 12, 1)
TEAM_ROW = """INSERT INTO raw.team_boxscores (game_id, game_date, season, season_year, game_type, team, opponent,
    is_home, pts, fgm, fga, fta, oreb, dreb, tov, source, source_file, source_line)
    VALUES ('0022400999', ?, '2024-25', 2024, 'regular_season', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'synthetic', ?)"""


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """An empty warehouse with an (empty) player summary, so the team transform's SELECT runs on raw rows alone."""
    con = connect(tmp_path_factory.mktemp("teams") / "teams.duckdb")
    players = discover()["analytics.player_game_summary"]
    params = players.parameters({**run_parameters(con), "start_date": DAY, "end_date": DAY})
    con.execute(f"CREATE TABLE {players.name} AS SELECT * FROM ({players.sql}) LIMIT 0", params)
    yield con
    con.close()


def _offense(con, teams):
    con.execute("DELETE FROM raw.team_boxscores")
    for n, (team, opponent, source, box) in enumerate(teams):
        con.execute(TEAM_ROW, [DAY, team, opponent, team == "BOS", *box, source, n])
    params = OFFENSE_TRANSFORM.parameters({**run_parameters(con), "start_date": DAY, "end_date": DAY})
    cur = con.execute(
        f"SELECT team, possessions, possessions_missing, offensive_rating, pts FROM ({OFFENSE_TRANSFORM.sql}) q",
        params,
    )
    return {r[0]: r[1:] for r in cur.fetchall()}


@st.composite
def team_box(draw):
    """pts, fgm, fga, fta, oreb, dreb, tov of one team, with made shots never above attempts."""
    fga = draw(st.integers(50, 120))
    return (
        draw(st.integers(60, 160)), draw(st.integers(0, fga)), fga, draw(st.integers(0, 60)),
        draw(st.integers(0, 30)), draw(st.integers(1, 60)), draw(st.integers(0, 35)),
    )  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(home=team_box(), away=team_box())
def test_both_teams_get_the_two_team_estimate(synthetic, home, away):
    rows = _offense(synthetic, [("BOS", "NYK", "nba_team_box", home), ("NYK", "BOS", "nba_team_box", away)])
    (h_pts, h_fgm, h_fga, h_fta, h_oreb, h_dreb, h_tov) = home
    (a_pts, a_fgm, a_fga, a_fta, a_oreb, a_dreb, a_tov) = away
    expected = 0.5 * (estimate(h_fga, h_fgm, h_fta, h_oreb, a_dreb, h_tov) + estimate(a_fga, a_fgm, a_fta, a_oreb,
                                                                                      h_dreb, a_tov))  # fmt: skip
    assert rows["BOS"][0] == rows["NYK"][0]  # exactly the same number on both rows
    assert rows["BOS"][0] == pytest.approx(expected)
    assert rows["BOS"][1] is None and rows["NYK"][1] is None
    assert rows["BOS"][2] == pytest.approx(100 * h_pts / expected)
    assert rows["NYK"][2] == pytest.approx(100 * a_pts / expected)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(home=team_box(), away=team_box(), lost=st.sampled_from([3, 4, 5]))
def test_missing_splits_or_opponent_give_null_possessions_with_a_reason(synthetic, home, away, lost):
    slim = tuple(None if i == lost else v for i, v in enumerate(away))  # the opponent lacks FTA, OREB or DREB
    rows = _offense(synthetic, [("BOS", "NYK", "nba_team_box", home), ("NYK", "BOS", "nba_gamelog", slim)])
    for team in ("BOS", "NYK"):
        possessions, missing, ortg, _ = rows[team]
        assert possessions is None and ortg is None
        assert missing.startswith("no fga/fgm/fta/oreb/dreb/tov in")
    alone = _offense(synthetic, [("BOS", "NYK", "nba_team_box", home)])
    assert alone["BOS"][:3] == (None, "no row for opponent NYK", None)


@pytest.mark.realdata
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


@pytest.mark.realdata
def test_points_checked_against_players_independently(analytics):
    """Team points equal the sum of the players' points in analytics.player_game_summary for every flagged match."""
    bad = analytics.execute(
        f"""SELECT count(*) FROM {OFFENSE} t
            JOIN (SELECT game_id, team, sum(pts) AS pts FROM analytics.player_game_summary GROUP BY ALL) p
              USING (game_id, team)
            WHERE t.players_sum_matches AND p.pts <> t.pts"""
    ).fetchone()[0]
    assert bad == 0


@pytest.mark.realdata
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


@pytest.mark.realdata
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
