"""Minutes parsing (issue 3, acceptance 2): every form SPEC section 3 names, seconds >= 60 reported, and the SQL
twin (migration 0004) giving the same answers as the Python parser."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.analytics.minutes import MinutesError, parse_minutes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("45:58", 45 + 58 / 60),  # the value the reference system turned into NULL
        ("36:11", 36 + 11 / 60),
        ("0:00", 0.0),
        (" 7:05 ", 7 + 5 / 60),
        ("PT34M12.00S", 34.2),
        ("PT34M", 34.0),
        ("PT45S", 0.75),
        ("28", 28.0),
        ("28.5", 28.5),
        (28, 28.0),
        (31.25, 31.25),
        ("", None),
        ("-", None),
        ("  ", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_accepted_forms(value, expected):
    result = parse_minutes(value)
    assert result == pytest.approx(expected) if expected is not None else result is None


@pytest.mark.parametrize("value", ["12:60", "40:75", "PT12M60.00S", "PT3M99S"])
def test_seconds_of_60_or_more_are_an_error(value):
    with pytest.raises(MinutesError, match="seconds out of range"):
        parse_minutes(value)


@pytest.mark.parametrize("value", ["abc", "12:5", "1:2:3", "PT", "PT1H", "-3", "12,5", True, -1, float("inf")])
def test_unreadable_values_are_an_error_not_none(value):
    with pytest.raises(MinutesError):
        parse_minutes(value)


@given(st.integers(0, 999), st.integers(0, 59))
def test_clock_form(mm, ss):
    assert parse_minutes(f"{mm}:{ss:02d}") == pytest.approx(mm + ss / 60)


@given(st.integers(0, 999), st.integers(60, 99))
def test_clock_seconds_out_of_range(mm, ss):
    with pytest.raises(MinutesError):
        parse_minutes(f"{mm}:{ss}")


@given(st.integers(0, 999), st.decimals(0, "59.99", places=2))
def test_iso_form(mm, seconds):
    assert parse_minutes(f"PT{mm}M{seconds}S") == pytest.approx(mm + float(seconds) / 60)


@given(st.floats(0, 1e6, allow_nan=False))
def test_numbers_pass_through(value):
    assert parse_minutes(value) == value


# Strings that exercise every branch: the documented forms, near misses and noise.
MINUTES_TEXT = st.one_of(
    st.builds(lambda m, s: f"{m}:{s:02d}", st.integers(0, 120), st.integers(0, 99)),
    st.builds(lambda m, s: f"PT{m}M{s}S", st.integers(0, 120), st.decimals(0, 99, places=2)),
    st.builds(lambda s: f"PT{s}S", st.integers(0, 99)),
    st.builds(lambda m: f"PT{m}M", st.integers(0, 99)),
    st.builds(str, st.integers(0, 10_000)),
    st.builds(lambda f: f"{f:.3f}", st.floats(0, 100, allow_nan=False)),
    st.sampled_from(["", "-", " ", "PT", "DNP", "12:5", "1:2:3", "--", " 12:30 ", "PT.5S", "1e3"]),
    st.text(alphabet="0123456789:.PTMS- ", max_size=10),
)


@given(st.lists(MINUTES_TEXT, min_size=1, max_size=30))
def test_sql_twin_gives_the_same_answers(warehouse_session, values):
    rows = warehouse_session.execute(
        "SELECT v, parse_minutes(v), minutes_error(v) FROM unnest($values) t(v)", {"values": values}
    ).fetchall()
    for value, sql_minutes, sql_error in rows:
        try:
            expected = parse_minutes(value)
        except MinutesError:
            assert sql_error is not None and sql_minutes is None, value
            continue
        assert sql_error is None, (value, sql_error)
        assert (sql_minutes is None and expected is None) or math.isclose(sql_minutes, expected, rel_tol=1e-12), value


def test_sql_twin_treats_null_as_blank(warehouse_session):
    assert warehouse_session.execute("SELECT parse_minutes(NULL), minutes_error(NULL)").fetchone() == (None, None)
