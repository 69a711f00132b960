"""Each SPEC rule of the composite factors, on one synthetic player-game per case (the SQL under test is the real
transform's SELECT)."""

import datetime as dt

import pytest

from nbaprops.precompute.player_composite_factors import TRANSFORM

DAY = dt.date(2024, 12, 10)
CONTEXT = {
    "game_id": "0022400300", "game_date": DAY, "season": "2024-25", "season_year": 2024, "team": "BOS",
    "opponent": "NYK", "player_id": 1, "days_rest": 2, "back_to_back": False, "games_last_7_days": 3,
    "minutes_last_7_days": 90.0, "back_to_backs_last_14_days": 0, "star_teammates_out": 0, "is_star": False,
    "played_last_team_game": True, "team_pace_l10": 100.0, "opponent_pace_l10": 100.0,
}  # fmt: skip
CACHE = {"player_id": 1, "cache_date": DAY, "usage_rate_last_7": 20.0, "usage_rate_last_10": 20.0}
ZONES = {
    "player_id": 1, "analysis_date": DAY, "primary_zone": "paint", "meets_min_games": True,
    "pct_paint_last_10": 0.5, "pct_mid_range_last_10": 0.2, "pct_three_last_10": 0.3,
}  # fmt: skip
DEFENSE = {
    "team": "NYK", "analysis_date": DAY, "paint_vs_league": 4.0, "mid_range_vs_league": -1.0,
    "three_vs_league": 2.0, "league_pace": 100.0,
}  # fmt: skip


def _table(con, name, rows):
    cols = list(rows[0])
    row_sql = "(" + ", ".join(["?"] * len(cols)) + ")"
    values = ", ".join([row_sql] * len(rows))
    con.execute(
        f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM (VALUES {values}) t({', '.join(cols)})",
        [v for r in rows for v in r.values()],
    )


def factors(con, context=(), cache=(), zones=(), defense=(), extra_context=(), extra_cache=()):
    _table(con, "analytics.upcoming_player_game_context", [{**CONTEXT, **dict(context)}, *extra_context])
    _table(con, "precompute.player_daily_cache", [{**CACHE, **dict(cache)}, *extra_cache])
    _table(con, "precompute.player_shot_zone_analysis", [{**ZONES, **dict(zones)}])
    _table(con, "precompute.team_defense_zone_analysis", [{**DEFENSE, **dict(defense)}])
    params = TRANSFORM.parameters({"start_date": DAY, "end_date": DAY})
    cur = con.execute(f"SELECT * FROM ({TRANSFORM.sql}) WHERE player_id = 1", params)
    return dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ({}, 100),
        ({"days_rest": 1, "back_to_back": True}, 85),  # a back-to-back costs 15
        ({"days_rest": 3}, 100),  # +5 for 3+ days of rest, clamped at 100
        ({"games_last_7_days": 4, "minutes_last_7_days": 120.0}, 90),  # 4 games in 7 days: -10
        ({"games_last_7_days": 3, "minutes_last_7_days": 105.0 + 0.1}, 92),  # > 35 minutes per game: -8
        ({"games_last_7_days": 7, "minutes_last_7_days": 245.0}, 80),  # 4+ games and > 240 minutes: -10 -10
        ({"back_to_backs_last_14_days": 1}, 95),
        ({"back_to_backs_last_14_days": 2}, 88),
        (
            {"days_rest": 1, "back_to_back": True, "games_last_7_days": 5, "minutes_last_7_days": 250.0,
             "back_to_backs_last_14_days": 3},
            100 - 15 - 10 - 10 - 8 - 12,  # 250 minutes over 5 games is also > 35 per game
        ),
    ],
)  # fmt: skip
def test_fatigue_rules(warehouse, context, expected):
    assert factors(warehouse, context)["fatigue_score"] == expected


def test_rest_bonus_shows_below_the_cap(warehouse):
    rested_tired = factors(warehouse, {"days_rest": 3, "back_to_backs_last_14_days": 2})
    assert rested_tired["fatigue_score"] == 100 - 12 + 5


def test_fatigue_is_clamped_to_zero_to_hundred(warehouse):
    row = factors(warehouse, {"days_rest": 1, "back_to_back": True, "games_last_7_days": 9,
                              "minutes_last_7_days": 400.0, "back_to_backs_last_14_days": 5})  # fmt: skip
    assert 0 <= row["fatigue_score"] <= 100


def test_zone_mismatch_is_opponent_vs_league_in_primary_zone_times_share(warehouse):
    assert factors(warehouse)["shot_zone_mismatch_score"] == pytest.approx(4.0 * 0.5)
    three = factors(warehouse, zones={"primary_zone": "three"})
    assert three["shot_zone_mismatch_score"] == pytest.approx(2.0 * 0.3)
    assert factors(warehouse, defense={"paint_vs_league": 40.0})["shot_zone_mismatch_score"] == 10  # clamped
    assert factors(warehouse, defense={"paint_vs_league": -40.0})["shot_zone_mismatch_score"] == -10
    assert factors(warehouse, zones={"primary_zone": "balanced"})["shot_zone_mismatch_score"] == 0
    assert factors(warehouse, zones={"meets_min_games": False})["shot_zone_mismatch_score"] is None


def test_pace_score_is_half_the_pace_differential_clamped(warehouse):
    assert factors(warehouse, {"team_pace_l10": 102.0, "opponent_pace_l10": 104.0})["pace_score"] == pytest.approx(1.5)
    assert factors(warehouse, {"team_pace_l10": 90.0, "opponent_pace_l10": 92.0})["pace_score"] == -3
    assert factors(warehouse, {"team_pace_l10": 99.0, "opponent_pace_l10": 99.0})["pace_score"] == pytest.approx(-0.5)


def test_usage_spike_rises_when_a_star_teammate_is_out(warehouse):
    assert factors(warehouse)["usage_spike_score"] == pytest.approx(0.0)
    assert factors(warehouse, cache={"usage_rate_last_7": 18.5})["usage_spike_score"] == pytest.approx(1.5)
    assert factors(warehouse, cache={"usage_rate_last_7": 10.0})["usage_spike_score"] == 3  # clamped
    star_out = {**CONTEXT, "player_id": 2, "is_star": True, "played_last_team_game": False}
    # the absent star has no cache row: his usage counts as the 20% average, so nothing is freed
    assert factors(warehouse, extra_context=[star_out])["freed_usage"] == 0
    # a 30% star out frees 10 points; a 20% player absorbs them in proportion: 20 * 100 / 90
    star_cache = {**CACHE, "player_id": 2, "usage_rate_last_10": 30.0}
    row = factors(warehouse, extra_context=[star_out], extra_cache=[star_cache])
    assert row["freed_usage"] == pytest.approx(10.0)
    assert row["projected_usage"] == pytest.approx(20 * 100 / 90)
    assert row["usage_spike_score"] == pytest.approx(20 * 100 / 90 - 20)
