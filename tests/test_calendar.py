import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops import calendar as cal


def test_game_type_from_prefix():
    assert cal.game_type_of("0022400974") == "regular_season"
    assert cal.game_type_of("0042300101") == "playoffs"
    assert cal.game_type_of("0052400111") == "play_in"
    assert cal.game_type_of("0012400001") == "preseason"
    assert cal.game_type_of("0062400001") == "cup_final"
    with pytest.raises(ValueError, match="prefix"):
        cal.game_type_of("0092400001")


def test_integer_game_ids_are_zero_padded():
    assert cal.normalize_game_id(22300003) == "0022300003"
    assert cal.season_year_of_game_id("0022300003") == 2023
    with pytest.raises(ValueError):
        cal.normalize_game_id("22-3")


def test_season_of_a_date():
    assert cal.season_year_of(dt.date(2024, 10, 22)) == 2024
    assert cal.season_year_of(dt.date(2025, 6, 20)) == 2024
    assert cal.season_label(2024) == "2024-25"
    assert cal.season_label(2099) == "2099-00"
    assert cal.season_year_of_label("2025-26") == 2025
    with pytest.raises(ValueError):
        cal.season_year_of_label("2025-27")


def test_game_code():
    assert cal.game_code(dt.date(2024, 10, 22), "NYK", "BOS") == "20241022_NYK_BOS"


def test_bootstrap_days_are_the_first_fourteen_of_the_regular_season():
    calendar = cal.SeasonCalendar(game_dates=(), season_starts=dict(cal.FALLBACK_SEASON_STARTS))
    start = dt.date(2024, 10, 22)
    assert calendar.is_bootstrap(start)
    assert calendar.is_bootstrap(start + dt.timedelta(days=13))
    assert not calendar.is_bootstrap(start + dt.timedelta(days=14))
    assert not calendar.is_bootstrap(start - dt.timedelta(days=3))  # preseason is not bootstrap
    shorter = cal.SeasonCalendar((), dict(cal.FALLBACK_SEASON_STARTS), bootstrap_days=7)
    assert not shorter.is_bootstrap(start + dt.timedelta(days=7))


def test_dates_between_skips_bootstrap_on_request():
    days = tuple(dt.date(2024, 10, 22) + dt.timedelta(days=i) for i in range(0, 30, 2))
    calendar = cal.SeasonCalendar(days, dict(cal.FALLBACK_SEASON_STARTS))
    assert calendar.dates_between(days[0], days[-1]) == list(days)
    assert calendar.dates_between(days[0], days[-1], skip_bootstrap=True) == [
        d for d in days if d >= dt.date(2024, 11, 5)
    ]


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_sql_season_macros_agree_with_python(warehouse_session, day):
    con = warehouse_session
    year, label = con.execute(
        "SELECT season_year_of(?::DATE), season_label(season_year_of(?::DATE))", [day, day]
    ).fetchone()
    assert year == cal.season_year_of(day)
    assert label == cal.season_label(cal.season_year_of(day))


@given(st.sampled_from(sorted(cal.GAME_TYPES_BY_PREFIX)), st.integers(0, 99), st.integers(0, 99999))
def test_sql_game_type_macro_agrees_with_python(warehouse_session, prefix, season, number):
    game_id = f"{prefix}{season:02d}{number:05d}"
    assert warehouse_session.execute("SELECT game_type_of(?)", [game_id]).fetchone()[0] == cal.game_type_of(game_id)
