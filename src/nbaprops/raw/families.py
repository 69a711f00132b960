"""Declarations of every file family of the archive corpus: where the files are, which table they feed, and what
a valid record looks like. The loader (`raw.loader`) applies the declared checks generically; each family's
`sql/<name>.sql` maps a valid staged record onto the raw table's columns."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from nbaprops.calendar import season_year_of_label

SEASON_IN_NAME = re.compile(r"(20\d\d)-(\d\d)")


def _seasons_from_label(name: str) -> frozenset[int]:
    """`..._2024-25.csv.gz` -> {2024}; `..._2024-26.csv.gz` -> {2024, 2025}."""
    match = SEASON_IN_NAME.search(name)
    if not match:
        return frozenset()
    first = int(match.group(1))
    last_end = 2000 + int(match.group(2))
    return frozenset(range(first, last_end))


def _seasons_from_shots(name: str) -> frozenset[int]:
    """`NBA_2024_Shots` holds the season that ends in 2024."""
    match = re.search(r"NBA_(20\d\d)_Shots", name)
    return frozenset({int(match.group(1)) - 1}) if match else frozenset()


def _seasons_from_schedule(name: str) -> frozenset[int]:
    """`LeagueSchedule24_25` -> {2024}."""
    match = re.search(r"(\d\d)_(\d\d)", name)
    return frozenset({2000 + int(match.group(1))}) if match else frozenset()


@dataclass(frozen=True)
class FileFamily:
    """One kind of archive file and the raw table it feeds."""

    name: str
    pattern: str  # glob relative to the archive root
    table: str
    required: tuple[str, ...]  # header columns the file must have (case-insensitive)
    key: tuple[str, ...]  # staged columns that identify a record: a second record with the same key is a duplicate;
    # () when the source has no natural key
    target_key: tuple[str, ...]  # raw-table columns that identify a row across files
    numeric: tuple[str, ...] = ()
    dates: tuple[tuple[str, str], ...] = ()  # (column, strptime format)
    not_null: tuple[str, ...] = ()
    tricodes: tuple[str, ...] = ()  # columns holding NBA team tricodes
    optional: tuple[str, ...] = ()  # columns read when present, NULL otherwise
    seasons_of: Callable[[str], frozenset[int]] = _seasons_from_label

    @property
    def sql(self) -> str:
        return resources.files("nbaprops.raw").joinpath("sql", f"{self.name}.sql").read_text(encoding="utf-8")

    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


BOX_STATS = ("fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "tov", "pf")
SLIM_STATS = ("PTS", "REB", "AST", "STL", "BLK", "TOV", "PLUS_MINUS")
TEAM_BOX_STATS = ("pts", *BOX_STATS, "plus_minus")

FAMILIES: tuple[FileFamily, ...] = (
    FileFamily(
        name="schedule",
        pattern="schedule/LeagueSchedule*.csv",
        table="raw.schedule",
        required=("gameId", "gameDateTimeEst", "homeTeamId", "awayTeamId"),
        optional=("arenaName", "arenaCity", "gameLabel", "gameSubLabel", "gameSubtype"),
        key=("gameId",),
        target_key=("game_id",),
        numeric=("gameId", "homeTeamId", "awayTeamId"),
        not_null=("gameId", "gameDateTimeEst"),
        seasons_of=_seasons_from_schedule,
    ),
    FileFamily(
        name="nba_team_box",
        pattern="team/team_game_logs_*.csv",
        table="raw.team_boxscores",
        required=(
            "game_id",
            "game_date",
            "team_abbreviation_home",
            "team_abbreviation_road",
            *(f"{s}_{side}" for side in ("home", "road") for s in TEAM_BOX_STATS),
        ),
        key=("game_id",),
        target_key=("game_id", "team", "source"),
        numeric=("game_id", *(f"{s}_{side}" for side in ("home", "road") for s in TEAM_BOX_STATS)),
        dates=(("game_date", "%Y-%m-%d"),),
        not_null=("game_id", "game_date", "pts_home", "pts_road"),
        tricodes=("team_abbreviation_home", "team_abbreviation_road"),
    ),
    FileFamily(
        name="linescores",
        pattern="team/linescores_*.csv",
        table="raw.linescores",
        required=(
            "game_id",
            "game_date",
            "team_abbreviation_home",
            "team_abbreviation_road",
            *(f"pts_{q}_{side}" for side in ("home", "road") for q in ("qtr1", "qtr2", "qtr3", "qtr4", "ot_total")),
            "pts_home",
            "pts_road",
        ),
        key=("game_id",),
        target_key=("game_id", "team"),
        numeric=(
            "game_id",
            *(f"pts_{q}_{side}" for side in ("home", "road") for q in ("qtr1", "qtr2", "qtr3", "qtr4", "ot_total")),
        ),
        dates=(("game_date", "%Y-%m-%d"),),
        not_null=("game_id", "game_date"),
        tricodes=("team_abbreviation_home", "team_abbreviation_road"),
    ),
    FileFamily(
        name="nba_gamelog_teams",
        pattern="gamelogs/nba_team_game_logs_*.csv.gz",
        table="raw.team_boxscores",
        required=("TEAM_ABBREVIATION", "GAME_DATE", "MATCHUP", "WL", *SLIM_STATS),
        key=("TEAM_ABBREVIATION", "GAME_DATE"),
        target_key=("game_id", "team", "source"),
        numeric=SLIM_STATS,
        dates=(("GAME_DATE", "%Y-%m-%d"),),
        not_null=("TEAM_ABBREVIATION", "GAME_DATE", "MATCHUP", "PTS"),
        tricodes=("TEAM_ABBREVIATION",),
    ),
    FileFamily(
        name="bbref_box",
        pattern="box/bbref_player_box_*.csv.gz",
        table="raw.player_boxscores",
        required=(
            "nba_game_id",
            "game_date",
            "team_nba",
            "opp_nba",
            "home_away",
            "bbref_player_id",
            "player",
            "starter",
            "dnp_reason",
            "minutes",
            "pts",
            *BOX_STATS,
            "plus_minus",
        ),
        key=("nba_game_id", "bbref_player_id"),
        target_key=("game_id", "source", "source_player_id"),
        numeric=("nba_game_id", "starter", "pts", *BOX_STATS, "plus_minus"),
        dates=(("game_date", "%Y-%m-%d"),),
        not_null=("nba_game_id", "game_date", "team_nba", "opp_nba", "bbref_player_id", "player"),
        tricodes=("team_nba", "opp_nba"),
    ),
    FileFamily(
        name="nba_gamelog_players",
        pattern="gamelogs/nba_player_game_logs_*.csv.gz",
        table="raw.player_boxscores",
        required=("PLAYER_ID", "PLAYER_NAME", "TEAM_ABBREVIATION", "GAME_DATE", "MATCHUP", "MIN", *SLIM_STATS),
        key=("PLAYER_ID", "GAME_DATE"),
        target_key=("game_id", "source", "source_player_id"),
        numeric=("PLAYER_ID", "MIN", *SLIM_STATS),
        dates=(("GAME_DATE", "%Y-%m-%d"),),
        not_null=("PLAYER_ID", "PLAYER_NAME", "TEAM_ABBREVIATION", "GAME_DATE", "MATCHUP"),
        tricodes=("TEAM_ABBREVIATION",),
    ),
    FileFamily(
        name="shots",
        pattern="shots/NBA_*_Shots.csv.zip",
        table="raw.shots",
        required=(
            "SEASON_2",
            "TEAM_ID",
            "PLAYER_ID",
            "PLAYER_NAME",
            "GAME_DATE",
            "GAME_ID",
            "SHOT_MADE",
            "ACTION_TYPE",
            "SHOT_TYPE",
            "BASIC_ZONE",
            "ZONE_NAME",
            "ZONE_RANGE",
            "LOC_X",
            "LOC_Y",
            "SHOT_DISTANCE",
            "QUARTER",
            "MINS_LEFT",
            "SECS_LEFT",
        ),
        # Shots have no natural key: identical records are distinct attempts (the per-team-game FGA oracle in
        # ../shared/data/README.md holds only when they are all kept).
        key=(),
        target_key=("source_file", "source_line"),
        numeric=(
            "TEAM_ID",
            "PLAYER_ID",
            "GAME_ID",
            "LOC_X",
            "LOC_Y",
            "SHOT_DISTANCE",
            "QUARTER",
            "MINS_LEFT",
            "SECS_LEFT",
        ),
        dates=(("GAME_DATE", "%m-%d-%Y"),),
        not_null=("TEAM_ID", "PLAYER_ID", "GAME_ID", "GAME_DATE", "SHOT_MADE", "SHOT_TYPE"),
        seasons_of=_seasons_from_shots,
    ),
    FileFamily(
        name="odds_api_points",
        pattern="props/odds_api_player_points_*.csv.gz",
        table="raw.prop_lines",
        required=(
            "snapshot_time_utc",
            "event_id",
            "player",
            "market",
            "line",
            "bookmaker",
            "game",
            "game_time_utc",
            "over_odds",
            "under_odds",
        ),
        key=("snapshot_time_utc", "event_id", "player", "market", "line", "bookmaker"),
        target_key=("source_file", "source_line"),
        numeric=("line", "over_odds", "under_odds"),
        not_null=("player", "market", "line", "bookmaker", "game", "game_time_utc"),
    ),
    FileFamily(
        name="odds_api_threes",
        pattern="props/odds_api_player_threes_*.csv.gz",
        table="raw.prop_lines",
        required=("file_date", "player", "game", "game_time", "market", "line", "bookmaker", "over_odds", "under_odds"),
        optional=("bookmaker_last_update", "market_last_update"),
        key=("file_date", "player", "game", "market", "line", "bookmaker"),
        target_key=("source_file", "source_line"),
        numeric=("line", "over_odds", "under_odds"),
        dates=(("file_date", "%Y-%m-%d"),),
        not_null=("player", "market", "line", "bookmaker", "game", "game_time"),
    ),
    FileFamily(
        name="pra_odds",
        pattern="props/player_pra_odds_*.csv.gz",
        table="raw.prop_lines",
        required=(
            "player_name",
            "event_id",
            "event_date",
            "home_team",
            "away_team",
            "bookmaker",
            "line",
            "timestamp",
            "over_price",
            "under_price",
        ),
        key=("event_id", "player_name", "bookmaker", "line", "timestamp"),
        target_key=("source_file", "source_line"),
        numeric=("line", "over_price", "under_price"),
        dates=(("event_date", "%Y-%m-%d"),),
        not_null=("player_name", "event_date", "home_team", "away_team", "bookmaker", "line"),
    ),
)

FAMILIES_BY_NAME = {f.name: f for f in FAMILIES}


def parse_seasons(text: str | None) -> frozenset[int] | None:
    """`"2023-24,2024-25"` -> {2023, 2024}; None or empty means every season."""
    if not text:
        return None
    return frozenset(season_year_of_label(part.strip()) for part in text.split(",") if part.strip())
