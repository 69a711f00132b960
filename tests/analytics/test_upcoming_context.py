"""analytics.upcoming_team_game_context and upcoming_player_game_context: DNPs never in averages and one
back-to-back convention (acceptance 4), contexts for every 2025-26 scheduled game (acceptance 6), and nothing read
from the game's own date or later. Expected values are recomputed here with plain queries, not the transforms'."""

import shutil

import pytest

from nbaprops.models.live_features import ORACLE_CONTEXT, build_oracle_store
from nbaprops.pipeline.registry import discover
from nbaprops.pipeline.settings import run_parameters
from nbaprops.pipeline.writer import write_batch
from nbaprops.warehouse import connect
from tests.conftest import FIRST_GAMES_AFTER_A_TRADE

pytestmark = pytest.mark.realdata

TEAM = "analytics.upcoming_team_game_context"
PLAYER = "analytics.upcoming_player_game_context"
SUMMARY = "analytics.player_game_summary"


@pytest.fixture(scope="module")
def oracle(built_db):
    """The player context recomputed with the archive's active lists of the game's date (the backtest's oracle
    mode), in a temp table of a read-only connection: the pipeline's context never reads them."""
    con = connect(built_db, read_only=True)
    build_oracle_store(con)
    yield con
    con.close()


def test_back_to_back_means_one_day_of_rest_in_every_table(analytics):
    tables = [
        t
        for (t,) in analytics.execute(
            """SELECT table_schema || '.' || table_name FROM information_schema.columns
               WHERE table_schema = 'analytics' AND column_name IN ('back_to_back', 'days_rest')
               GROUP BY ALL HAVING count(*) = 2"""
        ).fetchall()
    ]
    assert set(tables) == {TEAM, PLAYER}
    for table in tables:
        bad = analytics.execute(
            f"SELECT count(*) FROM {table} WHERE back_to_back IS DISTINCT FROM (days_rest = 1)"
        ).fetchone()[0]
        assert bad == 0, table
    assert analytics.execute(f"SELECT count(*) FROM {TEAM} WHERE back_to_back").fetchone()[0] > 1_000


def test_points_averages_use_played_games_only(analytics):
    """L5 / L10 recomputed with a correlated query over the player's earlier *played* games of the season."""
    rows = analytics.execute(
        f"""
        WITH sample AS (
            SELECT * FROM {PLAYER} WHERE game_date BETWEEN DATE '2024-01-01' AND DATE '2024-01-20'
        )
        SELECT s.points_avg_l5, s.points_avg_l10, s.games_played,
            (SELECT avg(pts) FROM (SELECT pts FROM {SUMMARY} h WHERE h.player_id = s.player_id
                AND h.season_year = s.season_year AND h.game_date < s.game_date AND h.status = 'active'
                ORDER BY h.game_date DESC LIMIT 5)),
            (SELECT avg(pts) FROM (SELECT pts FROM {SUMMARY} h WHERE h.player_id = s.player_id
                AND h.season_year = s.season_year AND h.game_date < s.game_date AND h.status = 'active'
                ORDER BY h.game_date DESC LIMIT 10)),
            (SELECT count(*) FROM {SUMMARY} h WHERE h.player_id = s.player_id
                AND h.season_year = s.season_year AND h.game_date < s.game_date AND h.status = 'active'),
            -- the same window over every row, DNPs counted as 0 points: what a careless average would give
            (SELECT avg(coalesce(pts, 0)) FROM (SELECT pts FROM {SUMMARY} h WHERE h.player_id = s.player_id
                AND h.season_year = s.season_year AND h.game_date < s.game_date
                ORDER BY h.game_date DESC LIMIT 5))
        FROM sample s
        """
    ).fetchall()
    assert len(rows) > 3_000
    for l5, l10, games, want_l5, want_l10, want_games, _ in rows:
        assert games == want_games
        assert (l5, l10) == (pytest.approx(want_l5), pytest.approx(want_l10)) if want_games else l5 is None
    assert sum(1 for r in rows if r[3] is not None and r[6] != pytest.approx(r[3])) > 100, "DNPs must matter"


def test_no_dnp_or_inactive_game_counts_as_rest_or_workload(analytics):
    """days_rest counts from the last *played* game; a DNP yesterday is not a back-to-back."""
    bad = analytics.execute(
        f"""
        SELECT count(*) FROM {PLAYER} c
        WHERE c.days_rest IS DISTINCT FROM (
            SELECT c.game_date - max(h.game_date) FROM {SUMMARY} h
            WHERE h.player_id = c.player_id AND h.season_year = c.season_year AND h.game_date < c.game_date
              AND h.status = 'active')
          AND c.game_date BETWEEN DATE '2025-01-01' AND DATE '2025-01-31'
        """
    ).fetchone()[0]
    assert bad == 0


def test_workload_counts_the_days_before_the_game(analytics):
    rows = analytics.execute(
        f"""
        SELECT c.games_last_7_days, c.minutes_last_7_days, c.games_last_14_days,
            (SELECT count(*) FROM {SUMMARY} h WHERE h.player_id = c.player_id AND h.status = 'active'
               AND h.game_date BETWEEN c.game_date - 7 AND c.game_date - 1),
            (SELECT coalesce(sum(minutes), 0) FROM {SUMMARY} h WHERE h.player_id = c.player_id
               AND h.status = 'active' AND h.game_date BETWEEN c.game_date - 7 AND c.game_date - 1),
            (SELECT count(*) FROM {SUMMARY} h WHERE h.player_id = c.player_id AND h.status = 'active'
               AND h.game_date BETWEEN c.game_date - 14 AND c.game_date - 1)
        FROM {PLAYER} c WHERE c.game_date BETWEEN DATE '2024-02-01' AND DATE '2024-02-10'
        """
    ).fetchall()
    assert rows
    for g7, m7, g14, want_g7, want_m7, want_g14 in rows:
        assert (g7, g14) == (want_g7, want_g14)
        assert m7 == pytest.approx(want_m7)


def test_contexts_exist_for_every_scheduled_game_of_2025_26(analytics):
    last_box = analytics.execute(
        "SELECT max(game_date) FROM raw.team_boxscores WHERE source = 'nba_team_box' AND season = '2025-26'"
    ).fetchone()[0]
    scheduled, future, missing_team, missing_player = analytics.execute(
        f"""
        WITH s AS (
            SELECT g.game_id, g.game_date, g.home_team, g.away_team
            FROM raw.schedule s JOIN raw.games g USING (game_id)
            WHERE s.source_file LIKE '%LeagueSchedule25_26%'
              AND g.game_type IN ('regular_season', 'play_in', 'playoffs', 'cup_final')
        )
        SELECT count(*), count(*) FILTER (WHERE s.game_date > ?),
            count(*) FILTER (WHERE (SELECT count(*) FROM {TEAM} c WHERE c.game_id = s.game_id
                                    AND c.team IN (s.home_team, s.away_team)) <> 2),
            -- a team's first game of the season has no roster history yet: only a game that opens the season for
            -- both teams may lack player rows
            count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM {PLAYER} p WHERE p.game_id = s.game_id)
                             AND (SELECT max(team_game_number) FROM {TEAM} c WHERE c.game_id = s.game_id) > 1)
        FROM s
        """,
        [last_box],
    ).fetchall()[0]
    assert scheduled >= 1_230
    assert future > 400  # games after the last box score
    assert missing_team == 0
    assert missing_player == 0


def test_player_contexts_use_only_earlier_appearances(analytics):
    """Every rostered player appeared before the game's date this season, and his latest appearance is for the
    team (the pipeline reads no active list, which in oracle mode adds a traded player's first game)."""
    bad = analytics.execute(
        f"""
        SELECT count(*) FROM {PLAYER} c
        WHERE c.game_date BETWEEN DATE '2024-02-01' AND DATE '2024-03-31'
          AND c.team IS DISTINCT FROM (SELECT arg_max(h.team, h.game_date) FROM {SUMMARY} h
                                       WHERE h.player_id = c.player_id AND h.season_year = c.season_year
                                         AND h.game_date < c.game_date)
        """
    ).fetchone()[0]
    assert bad == 0


def test_a_traded_player_plays_his_first_game_for_his_new_team_on_its_roster(oracle):
    """With the oracle's active lists, the player who appeared for another team last is on his new team's roster
    the first time it lists him, and on no other team's roster that day. (No pre-game source the pipeline reads
    names him: there his first game has no row, tests/features/test_ml_feature_store.py.)"""
    traded = oracle.execute(
        f"""
        SELECT t.player_id, t.game_date, t.team,
            (SELECT list(c.team) FROM {ORACLE_CONTEXT} c WHERE c.player_id = t.player_id AND c.game_date = t.game_date)
        FROM ({FIRST_GAMES_AFTER_A_TRADE}) t
        WHERE t.game_date < DATE '2025-07-01' AND t.game_date IN (SELECT game_date FROM {ORACLE_CONTEXT})
        """
    ).fetchall()
    assert len(traded) > 60
    assert [t for t in traded if t[3] != [t[2]]] == []


def test_players_without_a_line_are_included(analytics):
    with_line, without_line, bad_movement = analytics.execute(
        f"""SELECT count(*) FILTER (WHERE has_line), count(*) FILTER (WHERE NOT has_line),
                   count(*) FILTER (WHERE has_line AND line_movement IS DISTINCT FROM points_line - opening_line)
            FROM {PLAYER} WHERE season = '2025-26' AND game_date <= DATE '2025-11-15'"""
    ).fetchone()
    assert with_line > 2_000 and without_line > 1_000 and bad_movement == 0


def test_star_teammates_out_counts_stars_missing_the_previous_game(analytics):
    """Recomputed from the context's own star and availability columns for a month."""
    bad = analytics.execute(
        f"""
        SELECT count(*) FROM {PLAYER} c
        WHERE c.game_date BETWEEN DATE '2024-12-01' AND DATE '2024-12-31'
          AND c.star_teammates_out <> (SELECT count(*) FROM {PLAYER} o WHERE o.game_id = c.game_id
                                       AND o.team = c.team AND o.player_id <> c.player_id
                                       AND o.is_star AND NOT o.played_last_team_game)
        """
    ).fetchone()[0]
    assert bad == 0
    stars = analytics.execute(
        f"SELECT count(DISTINCT player_id) FROM {PLAYER} WHERE is_star AND season = '2024-25'"
    ).fetchone()[0]
    assert 30 <= stars <= 150


def test_availability_tonight_follows_the_active_list_in_oracle_mode_only(oracle, analytics):
    """With the oracle's active lists, available = dressed: played, or "Did Not Play" (a coach's decision). The
    pipeline's context never uses them (models/test_live_features.py perturbs them)."""
    rows = oracle.execute(
        f"""
        SELECT c.available_tonight, s.status, s.dnp_reason, count(*)
        FROM {ORACLE_CONTEXT} c LEFT JOIN {SUMMARY} s USING (game_id, player_id)
        WHERE c.season = '2024-25' AND c.availability_source = 'active_list'
        GROUP BY ALL
        """
    ).fetchall()
    by_case = {(available, status, reason): n for available, status, reason, n in rows}
    assert {(a, s) for a, s, _ in by_case} == {(True, "active"), (True, "dnp"), (False, "inactive"), (False, None)}
    assert by_case[(False, "inactive", "Did Not Dress")] > 100  # injured players on the inactive list
    assert (
        oracle.execute(
            f"SELECT count(*) FROM {ORACLE_CONTEXT} WHERE game_type = 'regular_season' "
            "AND availability_source <> 'active_list' AND game_date <= (SELECT max(game_date) FROM raw.active_lists)"
        ).fetchone()[0]
        == 0
    )
    sources = analytics.execute(f"SELECT list(DISTINCT availability_source ORDER BY 1) FROM {PLAYER}").fetchone()[0]
    assert sources == ["last_team_game"]  # the corpus has no injury report; never the active list


def test_without_an_active_list_the_injury_report_then_the_last_game_decide(built_db, tmp_path):
    """A team-game without an active list takes tonight's availability from the latest injury report entry (Out or
    Doubtful = unavailable, anything else or not listed = available); with no report either, from whether the player
    played the team's last game."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(built_db, path)
    con = connect(path)
    game_id, day, team = con.execute(
        f"SELECT game_id, game_date, team FROM {PLAYER} WHERE game_date = DATE '2025-01-15' ORDER BY 1, 3 LIMIT 1"
    ).fetchone()
    roster = [
        p
        for (p,) in con.execute(
            f"SELECT player_id FROM {PLAYER} WHERE game_id = ? AND team = ? ORDER BY 1", [game_id, team]
        ).fetchall()
    ]
    con.execute("DELETE FROM raw.active_lists WHERE game_id = ? AND team = ?", [game_id, team])
    reports = [  # (player, report time, status): the later report wins
        (roster[0], "2025-01-15 13:00", "Questionable"), (roster[0], "2025-01-15 17:30", "Out"),
        (roster[1], "2025-01-15 17:30", "Doubtful"), (roster[2], "2025-01-15 17:30", "Probable"),
    ]  # fmt: skip
    con.executemany(
        "INSERT INTO raw.injuries (report_time, game_date, team, game_id, player_name, player_name_listed, "
        "player_lookup, player_id, status, source, source_file, source_line) "
        "VALUES (?, ?, ?, ?, 'x', 'x', 'x', ?, ?, 'test', 'test', 0)",
        [(when, day, team, game_id, pid, status) for pid, when, status in reports],
    )
    transform = discover()[PLAYER]

    def availability():
        write_batch(con, transform, [day], run_id=0, settings=run_parameters(con))
        return {pid: (available, source, played_last) for pid, available, source, played_last in con.execute(
            f"SELECT player_id, available_tonight, availability_source, played_last_team_game FROM {PLAYER} "
            "WHERE game_id = ? AND team = ?", [game_id, team]).fetchall()}  # fmt: skip

    reported = availability()
    assert {source for _, source, _ in reported.values()} == {"injury_report"}
    assert [reported[p][0] for p in roster[:3]] == [False, False, True]
    assert all(reported[p][0] for p in roster[3:])

    con.execute("DELETE FROM raw.injuries")
    inferred = availability()
    assert {source for _, source, _ in inferred.values()} == {"last_team_game"}
    assert all(available == played_last for available, _, played_last in inferred.values())
    assert not all(available for available, _, _ in inferred.values())  # someone missed the last game
    con.close()
