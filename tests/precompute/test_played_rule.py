"""The corpus's played rule reaches phase 4: a Basketball-Reference row at 0:00 with no DNP reason is a played game,
so it enters the L10 and season windows of precompute.player_daily_cache. Checked against a plain-Python recompute
from raw box-score rows that shares no code with the SQL."""

import datetime as dt
from collections import defaultdict

import pytest

pytestmark = pytest.mark.realdata

CACHE = "precompute.player_daily_cache"
RAW = """SELECT player_id, game_id, game_date, source, source_file, source_line, dnp_reason, minutes, pts
         FROM raw.player_boxscores WHERE player_id IS NOT NULL AND player_id IN (SELECT unnest(?::BIGINT[]))"""


def _season_year(day: dt.date) -> int:
    return day.year if day.month >= 7 else day.year - 1


def _minutes(text: str) -> float:
    """'MM:SS' (Basketball-Reference) or whole minutes (NBA.com game logs)."""
    if ":" in text:
        mm, ss = text.split(":")
        return int(mm) + int(ss) / 60
    return float(text)


def _played_games(rows) -> dict[int, list[tuple[dt.date, int, float]]]:
    """(date, points, minutes) of every played game per player: one row per player-game, Basketball-Reference
    first; played means the DNP reason is empty (data README), not minutes > 0."""
    best = {}
    for row in sorted(rows, key=lambda r: (r[3] != "bbref_box", r[4], r[5])):
        best.setdefault((row[0], row[1]), row)
    games = defaultdict(list)
    for pid, _, day, _, _, _, reason, minutes, pts in best.values():
        if not (reason or "").strip():
            games[pid].append((day, pts, _minutes(minutes)))
    return games


@pytest.fixture
def zero_minute_games(built):
    """The (player, date) of every bbref row at 0:00 with no DNP reason: the rows the old minutes rule dropped."""
    rows = built.execute(
        "SELECT player_id, game_date FROM raw.player_boxscores "
        "WHERE source = 'bbref_box' AND minutes = '0:00' AND coalesce(dnp_reason, '') = '' AND player_id IS NOT NULL"
    ).fetchall()
    assert len(rows) == 20
    return rows


def test_daily_cache_windows_count_zero_minute_games_like_a_plain_recompute(built, zero_minute_games):
    players = sorted({pid for pid, _ in zero_minute_games})
    games = _played_games(built.execute(RAW, [players]).fetchall())
    # every cache row of these players whose L10 window holds one of their 0:00 games (the 10 dates after it)
    cache = built.execute(
        f"""SELECT c.player_id, c.cache_date, c.games_played, c.points_avg_last_10, c.points_avg_season,
                   c.minutes_avg_last_10
            FROM {CACHE} c JOIN (SELECT unnest(?::BIGINT[]) AS player_id, unnest(?::DATE[]) AS zero_day) z
              ON z.player_id = c.player_id AND c.cache_date > z.zero_day AND c.season_year = season_year_of(z.zero_day)
            QUALIFY row_number() OVER (PARTITION BY z.player_id, z.zero_day ORDER BY c.cache_date) <= 10""",
        [[p for p, _ in zero_minute_games], [d for _, d in zero_minute_games]],
    ).fetchall()
    assert len(cache) > 100
    with_zero_in_l10 = 0
    for pid, day, games_played, l10, season_avg, min10 in cache:
        earlier = sorted(
            (g for g in games[pid] if g[0] < day and _season_year(g[0]) == _season_year(day)), reverse=True
        )
        pts = [g[1] for g in earlier]
        mins = [g[2] for g in earlier]
        with_zero_in_l10 += any(m == 0 for m in mins[:10])
        assert games_played == len(earlier), (pid, day)
        assert l10 == pytest.approx(sum(pts[:10]) / len(pts[:10])), (pid, day)
        assert season_avg == pytest.approx(sum(pts) / len(pts)), (pid, day)
        assert min10 == pytest.approx(sum(mins[:10]) / len(mins[:10])), (pid, day)
    assert with_zero_in_l10 > 100  # the 0:00 games really are inside the windows compared
