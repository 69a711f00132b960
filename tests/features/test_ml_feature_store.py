"""The feature store on the real corpus: point-in-time correctness, independent spot checks, coverage, missing
values (never made up), and the oracle-availability twin of models/live_features.py."""

import random
from collections import defaultdict

import pytest

from nbaprops.audit.point_in_time import compare_features, recompute_as_of
from nbaprops.calendar import SeasonCalendar, season_year_of
from nbaprops.features.defaults import default_rates, missing_rates
from nbaprops.features.ml_feature_store import FEATURE_VERSION, FEATURES
from nbaprops.models.live_features import build_oracle_store
from nbaprops.warehouse import connect
from tests.conftest import FIRST_GAMES_AFTER_A_TRADE

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def oracle(built_db):
    """A read-only connection holding the oracle-availability store (temp table) beside the warehouse's."""
    con = connect(built_db, read_only=True)
    yield con, build_oracle_store(con)
    con.close()


def test_the_store_has_every_v1_feature_once_per_player_game(built):
    columns = {r[0] for r in built.execute("DESCRIBE features.ml_feature_store").fetchall()}
    assert set(FEATURES) <= columns
    assert {"feature_version", "quality_score", "default_feature_count", "defaulted_features"} <= columns
    total, distinct, versions = built.execute(
        "SELECT count(*), count(DISTINCT (player_id, game_id)), list(DISTINCT feature_version) "
        "FROM features.ml_feature_store"
    ).fetchone()
    assert total == distinct and versions == [FEATURE_VERSION] == [5]


# NULL here would be a bug, not missing data: each is a fact even without history (no game in 7 days is 0 games)
FACTS = ("games_last_7_days", "back_to_back", "is_home", "has_prop_line", "games_played_season",
         "played_last_team_game", "star_teammates_out", "teammate_minutes_out", "teammate_points_out",
         "teammate_minutes_back", "teammate_minutes_out_tonight", "teammate_points_out_tonight",
         "available_teammates")  # fmt: skip


def test_a_feature_its_sources_lack_is_null_never_a_made_up_value(built):
    """Version 4 has no silent defaults: form is NULL exactly when the player has no played game this season
    (it was 10.0), and 2025-26, whose only box source is the slim NBA.com game log (no splits, no shots), has no
    usage, TS%, shot volume or zones at all (they were 20.0, 0.57, 0.40/0.20/0.40)."""
    assert set(FACTS) <= set(FEATURES)
    nulls = built.execute(
        "SELECT " + ", ".join(f"count(*) FILTER (WHERE {f} IS NULL)" for f in FACTS) + " FROM features.ml_feature_store"
    ).fetchone()
    assert dict(zip(FACTS, nulls, strict=True)) == dict.fromkeys(FACTS, 0)
    form = built.execute(
        "SELECT count(*) FILTER (WHERE (points_avg_season IS NULL) <> (games_played_season = 0)), "
        "count(*) FILTER (WHERE points_avg_season IS NULL), "
        "count(*) FILTER (WHERE games_played_season = 0 AND points_avg_last_10 = 10.0) "
        "FROM features.ml_feature_store"
    ).fetchone()
    assert form[0] == 0 and form[1] > 100 and form[2] == 0
    splits = ("usage_rate_last_10", "ts_pct_last_10", "fga_avg_last_10", "pct_paint", "pct_mid_range", "pct_three")
    slim = built.execute(
        "SELECT count(*), " + ", ".join(f"count({f})" for f in splits) + ", list(DISTINCT box_source) "
        "FROM features.ml_feature_store WHERE season = '2025-26'"
    ).fetchone()
    assert slim[0] > 5_000 and slim[1:-1] == (0,) * len(splits)
    assert set(slim[-1]) <= {"nba_gamelog", "none"}
    assert built.execute(  # where the sources have splits, the values are there (2024-25 playoffs: slim logs)
        "SELECT count(usage_rate_last_10) / count(*), count(pct_paint) / count(*) FROM features.ml_feature_store "
        "WHERE season = '2024-25' AND games_played_season >= 10 AND box_source = 'bbref_box'"
    ).fetchone() >= (0.999, 0.999)


def _sample_pairs(con, rng, per_date=5):
    """Two non-bootstrap dates per season, five players each: 30 pairs."""
    pairs = defaultdict(list)
    for season in ("2023-24", "2024-25", "2025-26"):
        dates = [d for (d,) in con.execute(
            "SELECT DISTINCT game_date FROM features.ml_feature_store WHERE season = ? AND NOT is_bootstrap "
            "ORDER BY 1", [season]).fetchall()]  # fmt: skip
        for day in rng.sample(dates, 2):
            rows = con.execute(
                "SELECT player_id, game_id FROM features.ml_feature_store WHERE game_date = ? ORDER BY 1, 2", [day]
            ).fetchall()
            pairs[day] += rng.sample(rows, min(per_date, len(rows)))
    return pairs


def test_point_in_time_sample_recomputes_exactly(built_db, tmp_path, request):
    rng = random.Random(20261123)
    stored = connect(built_db, read_only=True)
    if request.config.getoption("--pit-full"):
        days = [
            d
            for (d,) in stored.execute(
                "SELECT DISTINCT game_date FROM features.ml_feature_store WHERE NOT is_bootstrap ORDER BY 1"
            ).fetchall()
        ]
        pairs = {d: stored.execute("SELECT player_id, game_id FROM features.ml_feature_store WHERE game_date = ?",
                                   [d]).fetchall() for d in days}  # fmt: skip
    else:
        pairs = _sample_pairs(stored, rng)
    stored.close()
    assert sum(len(p) for p in pairs.values()) >= 30 or request.config.getoption("--pit-full")
    for day, day_pairs in sorted(pairs.items()):
        copy = recompute_as_of(built_db, day, tmp_path)
        recomputed = connect(copy, read_only=True)
        stored = connect(built_db, read_only=True)
        # the copy really forgot the date: no box score on or after it survives
        assert recomputed.execute(
            "SELECT count(*) FROM raw.player_boxscores WHERE game_date >= ?", [day]
        ).fetchone() == (0,)
        assert compare_features(stored, recomputed, day_pairs) == [], day
        recomputed.close()
        stored.close()
        copy.unlink()


def _minutes(text):
    if text is None or text.strip() in ("", "-"):
        return None
    if ":" in text:
        m, s = text.split(":")
        return int(m) + int(s) / 60
    return float(text)


def test_rolling_points_and_minutes_match_a_plain_python_recomputation(built):
    rng = random.Random(7)
    sample = rng.sample(built.execute(
        "SELECT player_id, game_date, points_avg_last_5, points_avg_last_10, points_avg_season, minutes_avg_last_10, "
        "default_feature_count FROM features.ml_feature_store WHERE 'points_avg_season' NOT IN defaulted_features"
    ).fetchall(), 200)  # fmt: skip
    players = sorted({r[0] for r in sample})
    raw = built.execute(
        "SELECT player_id, game_id, game_date, source, dnp_reason, minutes, pts FROM raw.player_boxscores "
        "WHERE player_id IN (SELECT unnest(?::BIGINT[]))",
        [players],
    ).fetchall()
    # one row per player-game, Basketball-Reference first; played = no DNP reason (the corpus rule), whatever the
    # minutes
    best = {}
    for row in sorted(raw, key=lambda r: r[3] != "bbref_box"):
        best.setdefault((row[0], row[1]), row)
    games = defaultdict(list)
    for pid, _, day, _, dnp, minutes, pts in best.values():
        mins = _minutes(minutes)
        if not (dnp or "").strip():
            games[pid].append((day, pts, mins))
    for pid, day, l5, l10, season_avg, min10, _ in sample:
        earlier = sorted(
            (g for g in games[pid] if g[0] < day and season_year_of(g[0]) == season_year_of(day)), reverse=True
        )
        pts = [g[1] for g in earlier]
        mins = [g[2] for g in earlier]
        assert l5 == pytest.approx(sum(pts[:5]) / len(pts[:5]), rel=0.05), (pid, day)
        assert l10 == pytest.approx(sum(pts[:10]) / len(pts[:10]), rel=0.05), (pid, day)
        assert season_avg == pytest.approx(sum(pts) / len(pts), rel=0.05), (pid, day)
        assert min10 == pytest.approx(sum(mins[:10]) / len(mins[:10]), rel=0.05), (pid, day)


@pytest.mark.parametrize("season", ["2023-24", "2024-25"])
def test_every_player_who_played_with_history_has_a_feature_row(built, oracle, season):
    """Every non-bootstrap regular-season date has rows for every player who played and had an earlier game that
    season, but a traded player's first game for his new team: no pre-game source names him on its roster (only
    the oracle's active list does, and the oracle store has those rows too)."""
    calendar = SeasonCalendar.load(built)
    traded = {(r[0], r[1]) for r in built.execute(FIRST_GAMES_AFTER_A_TRADE).fetchall()
              if season_year_of(r[2]) == int(season[:4])}  # fmt: skip
    assert len(traded) > 30  # the case is really exercised
    query = """
        WITH played AS (
            SELECT player_id, game_id, game_date, team FROM analytics.player_game_summary
            WHERE status = 'active' AND season = ? AND game_type = 'regular_season'
        ), with_history AS (
            SELECT p.* FROM played p
            WHERE EXISTS (SELECT 1 FROM played e WHERE e.player_id = p.player_id AND e.game_date < p.game_date)
        )
        SELECT h.game_date, h.player_id, h.game_id
        FROM with_history h
        LEFT JOIN {store} f USING (player_id, game_id)
        WHERE f.player_id IS NULL
        """
    con, oracle_store = oracle
    for connection, store, allowed in ((built, "features.ml_feature_store", traded), (con, oracle_store, set())):
        missing = connection.execute(query.format(store=store), [season]).fetchall()
        assert [m for m in missing if not calendar.is_bootstrap(m[0]) and (m[1], m[2]) not in allowed] == [], store

    stored = {d for (d,) in built.execute(
        "SELECT DISTINCT game_date FROM features.ml_feature_store WHERE season = ?", [season]).fetchall()}  # fmt: skip
    assert not [d for d in stored if calendar.is_bootstrap(d)]
    regular = {d for (d,) in built.execute(
        "SELECT DISTINCT game_date FROM raw.games WHERE season = ? AND game_type = 'regular_season'", [season]
    ).fetchall()}  # fmt: skip
    assert {d for d in regular if not calendar.is_bootstrap(d)} <= stored


def test_consumers_agree_on_the_fatigue_sign(built):
    mismatched = built.execute(
        "SELECT count(*) FROM features.ml_feature_store f JOIN precompute.player_composite_factors c "
        "USING (player_id, game_id) WHERE f.fatigue_score <> c.fatigue_score"
    ).fetchone()[0]
    assert mismatched == 0
    b2b, rested = built.execute(
        "SELECT avg(fatigue_score) FILTER (WHERE back_to_back), avg(fatigue_score) FILTER (WHERE days_rest >= 3) "
        "FROM features.ml_feature_store"
    ).fetchone()
    assert b2b < rested  # higher = fresher


def test_quality_score_divides_by_the_number_of_features(built):
    """The SQL's denominator is a literal: it must follow FEATURES whenever a feature version adds one."""
    wrong = built.execute(
        "SELECT count(*) FROM features.ml_feature_store WHERE quality_score <> round(1 - default_feature_count / ?, 4)",
        [len(FEATURES)],
    ).fetchone()[0]
    assert wrong == 0
    assert built.execute("SELECT min(quality_score) FROM features.ml_feature_store").fetchone()[0] >= 0


def test_v2_role_and_availability_features_match_a_plain_recomputation(built):
    """Last game, last 3, starts and missed team games, recomputed from analytics rows strictly before the date."""
    rng = random.Random(11)
    sample = rng.sample(built.execute(
        "SELECT player_id, team, season, game_date, points_last_game, minutes_last_game, started_last_game, "
        "points_avg_last_3, starter_share_last_5, team_games_missed_last_3, team_games_missed_last_5 "
        "FROM features.ml_feature_store WHERE games_played_season >= 3"
    ).fetchall(), 150)  # fmt: skip
    rows = built.execute(
        "SELECT player_id, team, season, game_id, game_date, status, pts, minutes, starter "
        "FROM analytics.player_game_summary"
    ).fetchall()
    played = defaultdict(list)
    team_games = defaultdict(set)
    for pid, team, season, game_id, day, status, pts, minutes, starter in rows:
        team_games[(team, season)].add((day, game_id))
        if status == "active":
            played[(pid, season)].append((day, game_id, pts, minutes, bool(starter)))
    for pid, team, season, day, p1, m1, s1, p3, st5, miss3, miss5 in sample:
        earlier = sorted((g for g in played[(pid, season)] if g[0] < day), reverse=True)
        assert (p1, m1, s1) == (earlier[0][2], pytest.approx(earlier[0][3]), int(earlier[0][4])), (pid, day)
        assert p3 == pytest.approx(sum(g[2] for g in earlier[:3]) / 3), (pid, day)
        assert st5 == pytest.approx(sum(g[4] for g in earlier[:5]) / len(earlier[:5])), (pid, day)
        mine = {g[1] for g in played[(pid, season)]}
        recent = [g for _, g in sorted((t for t in team_games[(team, season)] if t[0] < day), reverse=True)[:5]]
        assert (miss3, miss5) == (sum(g not in mine for g in recent[:3]), sum(g not in mine for g in recent)), (
            pid, day)  # fmt: skip


def test_missing_features_are_counted_and_reported_by_season_and_source(built):
    counted = built.execute(
        "SELECT count(*) FILTER (WHERE default_feature_count <> len(defaulted_features)), "
        "count(*) FILTER (WHERE 'points_avg_season' IN defaulted_features AND games_played_season > 0) "
        "FROM features.ml_feature_store"
    ).fetchone()
    assert counted == (0, 0)
    rates = {(s, f): share for s, f, _, share in default_rates(built, "2024-25")}
    assert len(rates) == len(FEATURES)
    assert rates[("2024-25", "assisted_rate")] == 1.0  # the archive has no assist data per shot
    assert 0 < rates[("2024-25", "points_avg_season")] < 0.05  # first games of players only
    assert rates[("2024-25", "prop_line")] == 0.0  # no line is not missing data (has_prop_line says so)
    by_source = missing_rates(built, None, "box_source")
    usage = {(s, src): (n, share) for s, src, f, n, share in by_source if f == "usage_rate_last_10"}
    # the season and the source that lack usage: every 2025-26 row (slim game logs), and no Basketball-Reference
    # row of the seasons that have splits
    assert usage[("2025-26", "nba_gamelog")][1] == 1.0
    assert usage[("2024-25", "bbref_box")][1] < 0.01 and usage[("2024-25", "bbref_box")][0] > 20_000
    zones = [(src, n, share) for s, src, f, n, share in missing_rates(built, "2024-25", "zones_source")
             if f == "pct_paint"]  # fmt: skip
    assert sum(n for _, n, _ in zones) == next(n for _, f, n, _ in default_rates(built, "2024-25") if f == "pct_paint")
    assert {src: share for src, _, share in zones} == {"missing": 1.0, "player_shot_zone_analysis": 0.0}
    with pytest.raises(ValueError, match="unknown source column"):
        missing_rates(built, None, "player_name")


def test_v3_tonight_availability_features_match_a_plain_recomputation(oracle):
    """Teammates out tonight and the minute and point shares of the oracle store, recomputed from the raw box-score
    listing (dressed = played or "Did Not Play") and each teammate's last 10 played games strictly before the date.
    The live store runs the same SQL over the injury report / last team game (tests/models/test_live_features.py)."""
    built, store = oracle
    rng = random.Random(5)
    team_games = rng.sample(built.execute(
        f"SELECT DISTINCT game_id, team FROM {store} WHERE season = '2024-25' "
        "AND game_type = 'regular_season' ORDER BY 1, 2"
    ).fetchall(), 40)  # fmt: skip
    listing = dict(((g, p), reason) for g, p, reason in built.execute(
        "SELECT game_id, player_id, dnp_reason FROM raw.player_boxscores WHERE source = 'bbref_box' "
        "AND player_id IS NOT NULL").fetchall())  # fmt: skip
    played = defaultdict(list)
    for pid, day, minutes, pts in built.execute(
        "SELECT player_id, game_date, minutes, pts FROM analytics.player_game_summary "
        "WHERE status = 'active' AND season = '2024-25'"
    ).fetchall():
        played[pid].append((day, minutes, pts))
    out_seen = 0
    for game_id, team in team_games:
        rows = built.execute(
            "SELECT player_id, game_date, team_games_missed_last_5, teammate_minutes_out_tonight, "
            "teammate_points_out_tonight, available_teammates, projected_minutes, points_share_available "
            f"FROM {store} WHERE game_id = ? AND team = ?",
            [game_id, team],
        ).fetchall()
        recent, available = {}, {}
        for pid, day, *_ in rows:
            last_10 = sorted((g for g in played[pid] if g[0] < day), reverse=True)[:10]
            recent[pid] = (
                (sum(g[1] for g in last_10) / len(last_10), sum(g[2] for g in last_10) / len(last_10))
                if last_10 else (0.0, 0.0)
            )  # fmt: skip
            available[pid] = (game_id, pid) in listing and listing[(game_id, pid)] in (None, "Did Not Play")
        missed_5 = {r[0]: r[2] for r in rows}
        for pid, _, _, min_out, pts_out, n_available, projected, share in rows:
            mates = [p for p in recent if p != pid]
            out = [p for p in mates if not available[p] and missed_5[p] < 5]
            out_seen += len(out)
            assert min_out == pytest.approx(sum(recent[p][0] for p in out), abs=1e-6), (game_id, pid)
            assert pts_out == pytest.approx(sum(recent[p][1] for p in out), abs=1e-6), (game_id, pid)
            assert n_available == sum(available[p] for p in mates), (game_id, pid)
            minutes, points = recent[pid]
            if minutes:
                pool = minutes + sum(recent[p][0] for p in mates if available[p])
                assert projected == pytest.approx(240 * minutes / pool, rel=1e-6), (game_id, pid)
            if points:
                pool = points + sum(recent[p][1] for p in mates if available[p])
                assert share == pytest.approx(points / pool, rel=1e-6), (game_id, pid)
    assert out_seen > 20  # the sample really has teammates out tonight
