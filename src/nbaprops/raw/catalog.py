"""The raw-table catalog: what each `raw.*` table is, declared once.

Migrations create the tables; this catalog says what they mean, and everything else reads it: the DAG (which raw
tables a transform may read), fingerprints and the declared-reads test (the date column), validation (keys, game
types, whether a coverage gap blocks), `status` (what to list and where its source is), the loaders (the key that
identifies a row across files and payloads) and the point-in-time audit (when a row becomes known). A test holds the
catalog and the migrated warehouse to each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# When a row becomes known, which is what the point-in-time audit forgets for a date d:
#   "published": known ahead (schedule, ids, names): never forgotten;
#   "before_game": published on the game's day before tip-off (injury reports, active lists): rows after d;
#   "before_tipoff": line snapshots: rows after d, and rows of d taken at or after tip-off;
#   "after_game": results (box scores, shots, line scores): rows of d and after.
KNOWN_WHEN = ("published", "before_game", "before_tipoff", "after_game")

# Source precedence, one rule for every keyed table (`keys`). When a live payload and an archive file describe the
# same row (same key, same `source`): a value both give and that agrees loads once; a value only one of them gives
# fills the other's NULL (a live game log brings shooting splits the archive game log lacks); a value both give and
# that differs is taken from the source named first here, and the other value is kept in `raw.quarantine` with a
# reason naming the column and both values. The live payload is the newer official publication (it carries the
# league's stat corrections), so it wins; two archive files that disagree stay a conflict (the later one is
# quarantined), since neither is newer by nature.
PRECEDENCE = ("live", "archive")

BOX_GAME_TYPES = ("regular_season", "playoffs")  # game logs and Basketball-Reference: no play-in, no cup final


@dataclass(frozen=True)
class RawTable:
    name: str
    keys: tuple[str, ...]  # identifies a row across files and payloads; () = rows are replaced by their own file
    date_column: str | None = "game_date"
    source_column: str | None = "source"
    known: str = "after_game"
    view_of: tuple[str, ...] = ()  # a view: the tables it is computed from
    validated: bool = False  # coverage, keys and null rates are checked by `validate`
    coverage_blocking: bool = True  # False: the source is known to be partial; missing dates only warn
    game_types: tuple[str, ...] | None = None  # None: every in-scope game type is expected
    description: str = ""
    # column -> what it means (the data dictionary); shared columns come from warehouse/dictionary.py's GLOSSARY
    columns: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        if self.known not in KNOWN_WHEN:
            raise ValueError(f"{self.name}: known must be one of {KNOWN_WHEN}")
        if self.known != "published" and self.date_column is None:
            raise ValueError(f"{self.name}: a table whose rows become known on a date needs a date column")

    @property
    def is_view(self) -> bool:
        return bool(self.view_of)

    def forget_condition(self) -> str | None:
        """SQL condition (parameter `$day`) of the rows not known before `$day` began; None: nothing to forget."""
        col = self.date_column
        return {
            "published": None,
            "before_game": f"{col} > $day",
            "before_tipoff": f"{col} > $day OR ({col} = $day AND snapshot_time_utc >= commence_time_utc)",
            "after_game": f"{col} >= $day",
        }[self.known]


CATALOG: dict[str, RawTable] = {
    t.name: t
    for t in (
        RawTable("raw.teams", ("team",), date_column=None, source_column=None, known="published",
                 description="NBA teams by tricode",
                 columns={"team_id": "NBA team id", "bbref_code": "Basketball-Reference code (BRK, CHO, PHO differ)",
                          "city": "team's city", "nickname": "team's nickname (e.g. Celtics)",
                          "full_name": "city and nickname"}),
        RawTable("raw.team_names", ("name",), date_column=None, source_column=None, known="published",
                 description="team spellings of every source -> tricode",
                 columns={"name": "a spelling of the team by some source (tricode, Basketball-Reference code, "
                                  "full name)"}),
        RawTable("raw.schedule", ("game_id",), source_column="source_file", known="published",
                 description="scheduled games (the league publishes the schedule ahead)",
                 columns={"game_datetime_est": "scheduled tip-off, US Eastern", "is_cup": "true for NBA Cup games",
                          "home_team_id": "NBA id of the home team (NULL for a non-NBA opponent)",
                          "away_team_id": "NBA id of the away team (NULL for a non-NBA opponent)",
                          "arena_name": "arena", "arena_city": "arena's city",
                          "game_label": "the league's label (e.g. Preseason, Emirates NBA Cup)",
                          "game_sub_label": "the league's sub-label (e.g. a round or an international game)"}),
        RawTable("raw.team_boxscores", ("game_id", "team", "source"), validated=True,
                 description="team box scores, one row per team-game and source"),
        RawTable("raw.linescores", ("game_id", "team"), source_column=None, validated=True,
                 coverage_blocking=False, description="points per quarter and overtime",
                 columns={"pts_q1": "points in the 1st quarter", "pts_q2": "points in the 2nd quarter",
                          "pts_q3": "points in the 3rd quarter", "pts_q4": "points in the 4th quarter",
                          "pts_ot": "points in overtime (0 without)", "pts": "final points"}),
        RawTable("raw.player_boxscores", ("game_id", "source", "source_player_id"), validated=True,
                 game_types=BOX_GAME_TYPES, description="player box scores, DNP rows included",
                 columns={"source_player_id": "the source's own player id (bbref id or NBA person id)",
                          "player_id": "NBA person id (resolved by identity for bbref rows)",
                          "starter": "true when the player started",
                          "dnp_reason": "why the player did not play, as the source wrote it (NULL: he played)",
                          "minutes": "minutes as the source wrote them (MM:SS or decimal)"}),
        RawTable("raw.shots", (), validated=True, coverage_blocking=False, game_types=("regular_season",),
                 description="field-goal attempts with zone",
                 columns={"period": "period (5 and up: overtime)", "mins_left": "minutes left in the period",
                          "secs_left": "seconds left in the minute", "shot_made": "true when the shot went in",
                          "shot_value": "2 or 3", "action_type": "kind of shot (e.g. Layup Shot, Jump Shot)",
                          "basic_zone": "the league's basic zone (Restricted Area, In The Paint (Non-RA), Mid-Range, "
                                        "Left Corner 3, ...)",
                          "zone_name": "side of the court (Left Side, Center, ...)",
                          "zone_range": "distance band (Less Than 8 ft., 8-16 ft., ...)",
                          "shot_distance": "distance from the basket in feet",
                          "loc_x": "x on the court (feet from the basket, sideways)",
                          "loc_y": "y on the court (feet from the baseline)"}),
        RawTable("raw.prop_lines", (), known="before_tipoff", validated=True, coverage_blocking=False,
                 description="sportsbook player lines, one row per snapshot, book, market and line",
                 columns={"market": "prop market (player_points, player_threes, player_points_rebounds_assists)",
                          "bookmaker": "sportsbook key (e.g. draftkings)",
                          "player_name": "player's name as the book wrote it",
                          "event_id": "The Odds API event id", "commence_time_utc": "tip-off per the book, UTC",
                          "snapshot_time_utc": "when the odds were captured, UTC"}),
        RawTable("raw.injuries", (), known="before_game", description="official injury report entries",
                 columns={"report_time": "when the report was published, US Eastern as printed on it",
                          "game_time": "tip-off as printed (\"07:30 (ET)\")", "matchup": "AWAY@HOME",
                          "player_name": "player's name, First Last",
                          "player_name_listed": "player's name as printed (\"Last, First\")",
                          "status": "Out, Doubtful, Questionable, Probable or Available",
                          "reason": "the report's reason (injury or illness, G League, rest, ...)"}),
        RawTable("raw.active_lists", ("game_id", "team", "player_id"), known="before_game", validated=True,
                 coverage_blocking=False, game_types=("regular_season",),
                 description="pre-game active and inactive lists per team-game",
                 columns={"available": "dressed (played or a coach's-decision DNP) vs inactive",
                          "reason": "Basketball-Reference's reason when he did not play (e.g. Did Not Dress)"}),
        RawTable("raw.players", ("player_id",), date_column=None, source_column=None, known="published",
                 description="NBA person ids and their Basketball-Reference ids",
                 columns={"resolved_by": "how the bbref id was linked: nba (own id), box_match, name_match or alias"}),
        RawTable("raw.player_names", ("player_lookup", "player_id", "source"), date_column=None, known="published",
                 description="normalised names and aliases -> NBA person id",
                 columns={"source": "where the name was seen: bbref_box, nba_gamelog, shots or alias"}),
        RawTable("raw.games", ("game_id",), known="published", view_of=("raw.team_boxscores", "raw.schedule"),
                 description="played games (real dates) merged with the schedule",
                 columns={"source": "team_box (played: its real date) or schedule (not played yet)"}),
        RawTable("raw.game_dates", ("game_date",), source_column=None, known="published", view_of=("raw.games",),
                 description="dates with in-scope games"),
        RawTable("raw.season_starts", ("season_year",), date_column=None, source_column=None, known="published",
                 view_of=("raw.games",), description="first regular-season date per season",
                 columns={"season_start": "date of the season's first regular-season game"}),
    )
}  # fmt: skip

RAW_TABLES = frozenset(CATALOG)

# The loaders' reject pile: a raw table, not a source table, so it is not in CATALOG; its dictionary entry
QUARANTINE = RawTable(
    "raw.quarantine", (), date_column=None, source_column=None, known="published",
    description="records a loader rejected, with the reason: the file, the line and the record as JSON",
    columns={"ingest_id": "the ops.ingest_log row of the load that rejected it", "file": "source file or payload",
             "line": "line (record number) in the file", "reason": "why: the column, the value and the rule",
             "record": "the rejected record as JSON", "quarantined_at": "when it was rejected"},
)  # fmt: skip


def raw_table(name: str) -> RawTable:
    try:
        return CATALOG[name]
    except KeyError:
        raise KeyError(f"{name} is not in the raw-table catalog (src/nbaprops/raw/catalog.py)") from None
