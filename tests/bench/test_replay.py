"""The synthetic corpus of the scaling benchmark (`bench/replay.py`) keeps the real data's invariants: a factor-2
replay of a 2024-25 slice, checked on the replayed rows against the oracle facts of ../shared/data/README.md,
without ingesting or running the backfill."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import sys

import duckdb
import pyarrow as pa
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.calendar import season_year_of, season_year_of_game_id
from nbaprops.names import player_lookup
from nbaprops.raw.families import FAMILIES
from nbaprops.sources.archive import read_csv_file
from nbaprops.validation.thresholds import load_thresholds
from nbaprops.warehouse import connect
from tests.conftest import REPO, require_corpus

_spec = importlib.util.spec_from_file_location("replay", REPO / "bench" / "replay.py")
replay = sys.modules.setdefault("replay", importlib.util.module_from_spec(_spec))  # bench/ is not a package
_spec.loader.exec_module(replay)

SLICE = frozenset({"nba_team_box", "bbref_box", "shots", "nba_gamelog_players", "pra_odds"})
SPLITS = ("pts", "fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "pf")
# Teams are the same thirty in every replay: their ids and codes are copied on purpose.
TEAM_COLUMNS = {"TEAM_ID", "homeTeamId", "awayTeamId"}


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    """DuckDB tables `<family>_<k>` of the factor-2 replay of 2024-25, read back with the loader's reader."""
    root = require_corpus()
    out = tmp_path_factory.mktemp("replay")
    written = replay.replay_corpus(root, out, 2, seasons=frozenset({2024}), families=SLICE)
    con = duckdb.connect()
    teams = connect(out / "teams.duckdb")  # the warehouse's team registry: shots name teams by id only
    con.register("team_rows", teams.execute("SELECT team_id, team FROM raw.teams").arrow())
    con.execute("CREATE TABLE team_ids AS SELECT team_id AS id, team FROM team_rows")
    teams.close()
    for f in written:
        content = read_csv_file(f.path)
        columns = zip(content.header, zip(*content.records, strict=True), strict=True)
        con.register(f"arrow_{f.family}_{f.replay}", pa.table({h: list(c) for h, c in columns}))
        con.execute(f"CREATE TABLE {f.family}_{f.replay} AS SELECT * FROM arrow_{f.family}_{f.replay}")
    yield con, written
    con.close()


def test_every_date_id_season_and_name_column_the_loader_reads_has_a_rule():
    """A column added to a family later must get a replay rule (or be a team column), not be copied silently."""
    pattern = re.compile(r"date|time|update|id$|season|player", re.IGNORECASE)
    for family in FAMILIES:
        wanted = {c for c in family.columns() if pattern.search(c)} - TEAM_COLUMNS
        assert wanted == set(replay.MAPPERS[family.name]), family.name


def test_files_are_named_for_their_replayed_seasons(replayed):
    _, written = replayed
    names = sorted(f.path.name for f in written if f.replay == 1)
    assert names == [
        "NBA_2028_Shots.csv.zip",
        "bbref_player_box_2027-28.csv.gz",
        "nba_player_game_logs_2027-28.csv.gz",
        "player_pra_odds_2027-28.csv.gz",
        "team_game_logs_2027-28.csv",
    ]
    assert {f.records for f in written if f.replay == 0} == {f.records for f in written if f.replay == 1}


def _side(side: str) -> str:
    return ", ".join(f"CAST({c}_{side} AS INTEGER) AS {c}" for c in SPLITS)


def _team_totals_matched(con: duckdb.DuckDBPyConnection, k: int, season_digits: str) -> tuple[int, int]:
    """(team-games whose splits equal the sums of their players, regular-season team-games) of replay k."""
    sums = ", ".join(f"sum(CAST(CAST(nullif({s}, '') AS DOUBLE) AS INTEGER)) AS {s}" for s in SPLITS)
    return con.execute(f"""
        WITH players AS (SELECT nba_game_id AS game_id, team_nba AS team, {sums} FROM bbref_box_{k} GROUP BY ALL),
        teams AS (SELECT game_id, team_abbreviation_home AS team, {_side("home")} FROM nba_team_box_{k}
                  UNION ALL SELECT game_id, team_abbreviation_road, {_side("road")} FROM nba_team_box_{k})
        SELECT count(*) FILTER (WHERE {" AND ".join(f"p.{s} = t.{s}" for s in SPLITS)}), count(*)
        FROM teams t LEFT JOIN players p USING (game_id, team) WHERE game_id LIKE '002{season_digits}%'
    """).fetchone()


def test_team_totals_equal_player_sums_on_replayed_rows(replayed):
    """README oracle: every regular-season team-game of 2024-25 (1,230 games), here replayed as 2027-28."""
    con, _ = replayed
    assert _team_totals_matched(con, 1, "27") == (2460, 2460)
    assert _team_totals_matched(con, 0, "24") == (2460, 2460)


def test_shots_equal_fga_per_team_game_on_replayed_rows(replayed):
    """README oracle: FGA and FGM per team-game equal team totals for every team-game with shots in 2024-25."""
    con, _ = replayed
    matched, team_games = con.execute("""
        WITH shots AS (SELECT lpad(GAME_ID, 10, '0') AS game_id, team, count(*) AS fga,
                              count(*) FILTER (WHERE SHOT_MADE = 'TRUE') AS fgm, any_value(GAME_DATE) AS day
                       FROM shots_1 JOIN team_ids ON id = CAST(TEAM_ID AS BIGINT) GROUP BY ALL),
        sides AS (SELECT game_id, game_date, team_abbreviation_home AS team, CAST(fga_home AS INTEGER) AS fga,
                         CAST(fgm_home AS INTEGER) AS fgm FROM nba_team_box_1
                  UNION ALL SELECT game_id, game_date, team_abbreviation_road, CAST(fga_road AS INTEGER),
                         CAST(fgm_road AS INTEGER) FROM nba_team_box_1)
        SELECT count(*) FILTER (WHERE s.fga = t.fga AND s.fgm = t.fgm
                                AND strptime(s.day, '%m-%d-%Y')::DATE = t.game_date::DATE), count(*)
        FROM shots s LEFT JOIN sides t USING (game_id, team)
    """).fetchone()
    assert matched == team_games >= 2456


def test_ids_are_new_unique_and_shared_consistently(replayed):
    con, _ = replayed
    shared = (("nba_team_box", "game_id"), ("bbref_box", "nba_game_id"), ("bbref_box", "bbref_player_id"),
              ("shots", "PLAYER_ID"), ("nba_gamelog_players", "PLAYER_ID"), ("pra_odds", "event_id"))  # fmt: skip
    for table, column in shared:
        overlap, fresh = con.execute(
            f"SELECT count(*) FILTER (WHERE {column} IN (SELECT {column} FROM {table}_0)), count(DISTINCT {column}) "
            f"FROM {table}_1"
        ).fetchone()
        before = con.execute(f"SELECT count(DISTINCT {column}) FROM {table}_0").fetchone()[0]
        assert (overlap, fresh) == (0, before), (table, column)
    seasons = {season_year_of_game_id(g) for (g,) in con.execute("SELECT game_id FROM nba_team_box_1").fetchall()}
    assert seasons == {2027}
    # Every game the box scores and shots name is a replayed team-box game on the same date.
    orphans = con.execute("""
        SELECT (SELECT count(*) FROM bbref_box_1 b ANTI JOIN nba_team_box_1 t
                ON t.game_id = b.nba_game_id AND t.game_date = b.game_date)
             + (SELECT count(*) FROM shots_1 s ANTI JOIN nba_team_box_1 t
                ON t.game_id = lpad(s.GAME_ID, 10, '0') AND strptime(s.GAME_DATE, '%m-%d-%Y')::DATE = t.game_date::DATE)
    """).fetchone()[0]
    assert orphans == 0
    # NBA person ids move by one offset in every file that carries them, and names keep naming one id each.
    ids = con.execute("""
        SELECT count(*) FILTER (WHERE CAST(r1.PLAYER_ID AS BIGINT) <> CAST(r0.PLAYER_ID AS BIGINT) + 10000000
                                OR r1.PLAYER_NAME <> r0.PLAYER_NAME || ' R1'), count(*)
        FROM shots_1 r1 POSITIONAL JOIN shots_0 r0
    """).fetchone()
    assert ids == (0, 219527)  # README: the 2024-25 shots


def test_dates_move_by_whole_weeks_into_the_replayed_season(replayed):
    con, _ = replayed
    days = replay.Replay(1, {}).days
    for table, column, fmt in (("nba_team_box", "game_date", "%Y-%m-%d"), ("bbref_box", "game_date", "%Y-%m-%d"),
                               ("shots", "GAME_DATE", "%m-%d-%Y"), ("pra_odds", "event_date", "%Y-%m-%d")):  # fmt: skip
        pairs = con.execute(
            f"SELECT strptime(r0.{column}, '{fmt}')::DATE, strptime(r1.{column}, '{fmt}')::DATE "
            f"FROM {table}_0 r0 POSITIONAL JOIN {table}_1 r1"
        ).fetchall()
        assert pairs
        assert all((b - a).days == days for a, b in pairs), table
    assert days % 7 == 0 and abs(days - 3 * 365.25) < 4
    # Snapshot timestamps move with their games: the pra snapshot stays the same time before the game date.
    moved = con.execute(
        "SELECT count(*) FROM pra_odds_0 r0 POSITIONAL JOIN pra_odds_1 r1 "
        "WHERE CAST(r1.timestamp AS TIMESTAMPTZ) - CAST(r0.timestamp AS TIMESTAMPTZ) <> to_days(?)",
        [days],
    ).fetchone()[0]
    assert moved == 0


def test_prop_names_resolve_like_the_originals(replayed):
    """A replayed prop name is the original (or the NBA.com name of an alias) with the replay's suffix."""
    con, _ = replayed
    names = replay.alias_names(require_corpus())
    assert names[player_lookup("Nicolas Claxton")] == "Nic Claxton"
    pairs = con.execute("SELECT r0.player_name, r1.player_name FROM pra_odds_0 r0 POSITIONAL JOIN pra_odds_1 r1")
    for original, replayed_name in pairs.fetchall():
        assert replayed_name == names.get(player_lookup(original), original) + " R1"


OFF_SEASON = (dt.date(2000, 6, 21), dt.date(2000, 7, 31))  # no NBA game falls in it: the replay may cross it


@given(
    st.dates(dt.date(2021, 8, 1), dt.date(2026, 6, 20)).filter(
        lambda d: not OFF_SEASON[0] <= d.replace(year=2000) <= OFF_SEASON[1]
    ),
    st.integers(1, replay.MAX_FACTOR - 1),
)
def test_replayed_dates_keep_weekday_and_land_in_the_replayed_season(day, k):
    moved = replay.Replay(k, {}).date(day)
    assert moved.weekday() == day.weekday()
    assert season_year_of(moved) == season_year_of(day) + 3 * k


@given(st.sampled_from(["001", "002", "004", "005"]), st.integers(21, 25), st.integers(0, 99999),
       st.integers(1, replay.MAX_FACTOR - 1))  # fmt: skip
def test_replayed_game_ids_move_only_their_season(prefix, season, number, k):
    original = f"{prefix}{season}{number:05d}"
    moved = replay.game_id(original, replay.Replay(k, {}))
    assert (moved[:3], moved[5:]) == (original[:3], original[5:])
    assert season_year_of_game_id(moved) == 2000 + season + 3 * k
    assert replay.game_id(str(int(original)), replay.Replay(k, {})) == str(int(moved))


def test_a_date_pushed_into_another_season_is_an_error():
    with pytest.raises(ValueError, match="lands in another season"):
        replay.Replay(1, {}).date(dt.date(2024, 6, 29))


def test_replayed_seasons_get_the_known_gaps_of_the_seasons_they_replay(tmp_path):
    path = tmp_path / "thresholds.yaml"
    path.write_text(yaml.safe_dump(replay.replayed_thresholds(3)), encoding="utf-8")
    replayed, packaged = load_thresholds(path), load_thresholds()
    assert replayed.default_rates.known_gaps["2028-29"] == packaged.default_rates.known_gaps["2025-26"]
    assert replayed.default_rates.known_gaps["2031-32"] == packaged.default_rates.known_gaps["2025-26"]
    assert "2034-35" not in replayed.default_rates.known_gaps
    shots = next(g for g in replayed.known_gaps if g.table == "raw.shots")
    assert sorted(shots.seasons) == ["2025-26", "2028-29", "2031-32"]
