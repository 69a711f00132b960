"""The data dictionary in the warehouse itself: table and column descriptions as DuckDB comments, so
`duckdb_columns().comment` (any SQL client), `nbaprops schema` and the Python API all read the same words.

Each table's own columns are described next to its declaration (`raw/catalog.py`, each transform's module); the
columns many tables share are described once here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

DOCUMENTED_SCHEMAS = ("raw", "analytics", "precompute", "features", "predictions")

GLOSSARY: dict[str, str] = {
    # identity and time
    "game_id": "NBA game id (10 digits, e.g. 0022400061: 002 = regular season, 24 = season 2024-25)",
    "game_date": "date of the game (US Eastern)",
    "season": "season label, e.g. 2024-25",
    "season_year": "first calendar year of the season (2024 for 2024-25)",
    "game_type": "regular_season, playoffs, play_in, cup_final, preseason or all_star (from the game id)",
    "game_code": "readable game key YYYYMMDD_AWAY_HOME (e.g. 20241007_ORL_NOP)",
    "player_id": "NBA person id",
    "player_name": "player's name as the NBA spells it",
    "player_lookup": "normalised name key (lower case, no accents, punctuation or suffix; the player_lookup macro)",
    "bbref_player_id": "Basketball-Reference player id (e.g. jamesle01)",
    "team": "team tricode (e.g. BOS)",
    "opponent": "opponent's tricode",
    "is_home": "true when the team plays at home",
    "home_team": "home team's tricode",
    "away_team": "away team's tricode",
    "win": "true when the team won",
    # lineage
    "source": "which source provided the row (e.g. bbref_box, nba_gamelog, nba_box, nba_team_box, odds_api)",
    "source_file": "archive file or live payload URL the row was loaded from",
    "source_line": "line (or record number) of the row in its source file",
    # box-score counting stats
    "minutes": "minutes played",
    "pts": "points",
    "fgm": "field goals made",
    "fga": "field goals attempted",
    "fg3m": "three-pointers made",
    "fg3a": "three-pointers attempted",
    "ftm": "free throws made",
    "fta": "free throws attempted",
    "oreb": "offensive rebounds",
    "dreb": "defensive rebounds",
    "reb": "total rebounds",
    "ast": "assists",
    "stl": "steals",
    "blk": "blocks",
    "tov": "turnovers",
    "pf": "personal fouls",
    "plus_minus": "point differential while on the floor (team: the final margin)",
    "team_minutes": "team minutes played (240 in regulation, 25 more per overtime)",
    "efg_pct": "effective field-goal percentage: (fgm + 0.5 fg3m) / fga",
    "ts_pct": "true shooting percentage: pts / (2 (fga + 0.44 fta))",
    "paint_fga": "field goals attempted in the paint (restricted area and paint, from raw.shots)",
    "paint_fgm": "field goals made in the paint",
    "mid_range_fga": "mid-range field goals attempted (inside the arc, outside the paint)",
    "mid_range_fgm": "mid-range field goals made",
    "three_fga": "three-point attempts by shot zone (raw.shots)",
    "three_fgm": "three-pointers made by shot zone (raw.shots)",
    "possessions_missing": "why possessions are NULL (a split such as oreb or tov is missing), else NULL",
    "players_sum_matches": "true when the players' points add up to the team's",
    "players_sum_mismatch": "what differs between the players' sum and the team's totals, else NULL",
    # schedule context
    "days_rest": "days since the previous game (NULL before the first game of the season)",
    "back_to_back": "true when the previous game was the day before",
    "games_last_7_days": "games played in the 7 days before this one",
    "games_last_14_days": "games played in the 14 days before this one",
    "back_to_backs_last_14_days": "back-to-backs in the 14 days before this one",
    "games_played": "games played this season before this date",
    "season_phase": "early (team games 1-20), mid (21-60), late, or postseason (playoffs and play-in)",
    "margin": "points scored minus points allowed",
    "ot_periods": "overtime periods played",
    # lines
    "line": "the points line (over/under) of the prop",
    "points_line": "points line before tip-off from the preferred bookmaker (setting bookmaker_priority)",
    "opening_line": "the first points line seen for the game",
    "line_movement": "points line minus opening line",
    "line_bookmaker": "bookmaker whose line was taken (first in setting bookmaker_priority that had one)",
    "over_price": "American odds of the over",
    "under_price": "American odds of the under",
    # predictions
    "system": "prediction system: moving_average, gbm or ensemble",
    "model_version": "the model artifact (or rule version) that made the prediction",
    "market": "the prop market (features/markets.py): points, pra, threes, rebounds or assists",
    "predicted_value": "the system's predicted result of the market (points, threes made, ...)",
    "recommendation": "OVER, UNDER or PASS",
    "feature_version": "version of the feature store's declarations (FEATURE_VERSION)",
    "availability_source": "what decided tonight's availability: active_list, injury_report or last_team_game",
    "primary_zone": "the player's main shot zone over his last 10 games: paint, three, mid_range or balanced",
    "league_pace": "league-average pace over the same window",
}


class UnknownTable(LookupError):
    """A table the warehouse does not hold."""


@dataclass(frozen=True)
class CatalogComments:
    """The comments in place, read in two catalog queries: `duckdb_tables()`/`duckdb_columns()` list the whole
    catalog before any filter applies, so documenting table by table costs two such scans per table."""

    tables: dict[str, str | None]  # schema.table (tables and views) -> comment
    views: frozenset[str]
    columns: dict[str, list[tuple[str, str | None, str | None]]]  # schema.table -> (column, comment, default)

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection, table: str | None = None) -> CatalogComments:
        """Every table's comments, or only `table`'s."""
        where = ""
        if table is not None:
            schema, name = table.split(".")
            where = f"WHERE schema_name = {_literal(schema)} AND table_name = {_literal(name)}"
        tables = con.execute(
            f"SELECT schema_name || '.' || table_name, comment, false FROM duckdb_tables() {where} UNION ALL "
            f"SELECT schema_name || '.' || view_name, comment, true FROM duckdb_views() "
            f"{where.replace('table_name', 'view_name')}"
        ).fetchall()
        columns: dict[str, list[tuple[str, str | None, str | None]]] = {}
        for name, column, comment, default in con.execute(
            f"SELECT schema_name || '.' || table_name, column_name, comment, column_default FROM duckdb_columns() "
            f"{where} ORDER BY column_index"
        ).fetchall():
            columns.setdefault(name, []).append((column, comment, default))
        return cls({n: c for n, c, _ in tables}, frozenset(n for n, _, view in tables if view), columns)


def comment_on(
    con: duckdb.DuckDBPyConnection,
    table: str,
    description: str,
    columns: Mapping[str, str],
    *,
    current: CatalogComments | None = None,
) -> None:
    """Write `table`'s description and every column's (its own, else the glossary's) as comments, skipping those
    already in place (a comment is a catalog write; `current` is what is in place, read for this table when not
    given). A column with neither keeps no comment: `nbaprops schema` shows it blank and tests/test_schema.py fails
    on it. Tables DuckDB cannot comment safely: see `commentable`."""
    current = current or CatalogComments.read(con, table)
    if table in current.tables and current.tables[table] != description:
        con.execute(f"COMMENT ON {'VIEW' if table in current.views else 'TABLE'} {table} IS {_literal(description)}")
    existing = current.columns.get(table, [])
    if not commentable(existing):
        return
    for column, comment, _ in existing:
        text = columns.get(column) or GLOSSARY.get(column)
        if text and text != comment:
            con.execute(f'COMMENT ON COLUMN {table}."{column}" IS {_literal(text)}')


def commentable(columns: list[tuple]) -> bool:
    """Whether column comments are safe on a table of (name, comment, default) columns. DuckDB 1.5 cannot replay
    a write-ahead log that holds COMMENT ON COLUMN of a table with a column DEFAULT (current_timestamp: "Calling
    DatabaseManager::GetDefaultDatabase with no default database set"), so a crash before the next checkpoint
    would leave the file unreadable: such a table (raw.quarantine) keeps its table comment only."""
    return all(default is None for _, _, default in columns)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, str | None]]:
    """(schema.table, rows, description) of every documented table and view."""
    found = con.execute(
        f"""
        SELECT schema_name || '.' || table_name, comment FROM duckdb_tables() WHERE schema_name IN {DOCUMENTED_SCHEMAS}
        UNION ALL
        SELECT schema_name || '.' || view_name, comment FROM duckdb_views()
        WHERE NOT internal AND schema_name IN {DOCUMENTED_SCHEMAS}
        ORDER BY 1
        """
    ).fetchall()
    return [(name, con.execute(f"SELECT count(*) FROM {name}").fetchone()[0], comment) for name, comment in found]


def columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, str | None]]:
    """(column, type, description) of `table`, in order; an unknown table is an error naming the known ones."""
    schema, _, name = table.partition(".")
    rows = con.execute(
        "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
        "ORDER BY column_index",
        [schema, name],
    ).fetchall()
    if not rows:
        known = ", ".join(
            f"{s}.{t}" for s, t in con.execute(
                f"SELECT DISTINCT schema_name, table_name FROM duckdb_columns() WHERE schema_name IN "
                f"{DOCUMENTED_SCHEMAS} ORDER BY ALL"
            ).fetchall()
        )  # fmt: skip
        raise UnknownTable(f"no table {table} in the warehouse; tables: {known}")
    return rows
