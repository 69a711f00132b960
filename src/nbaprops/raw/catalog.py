"""The raw-table catalog: what each `raw.*` table is, declared once.

Migrations create the tables; this catalog says what they mean, and everything else reads it: the DAG (which raw
tables a transform may read), fingerprints and the declared-reads test (the date column), validation (keys, game
types, whether a coverage gap blocks), `status` (what to list and where its source is), the loaders (the key that
identifies a row across files and payloads) and the point-in-time audit (when a row becomes known). A test holds the
catalog and the migrated warehouse to each other.
"""

from __future__ import annotations

from dataclasses import dataclass

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
                 description="NBA teams by tricode"),
        RawTable("raw.team_names", ("name",), date_column=None, source_column=None, known="published",
                 description="team spellings of every source -> tricode"),
        RawTable("raw.schedule", ("game_id",), source_column="source_file", known="published",
                 description="scheduled games (the league publishes the schedule ahead)"),
        RawTable("raw.team_boxscores", ("game_id", "team", "source"), validated=True,
                 description="team box scores, one row per team-game and source"),
        RawTable("raw.linescores", ("game_id", "team"), source_column=None, validated=True,
                 coverage_blocking=False, description="points per quarter and overtime"),
        RawTable("raw.player_boxscores", ("game_id", "source", "source_player_id"), validated=True,
                 game_types=BOX_GAME_TYPES, description="player box scores, DNP rows included"),
        RawTable("raw.shots", (), validated=True, coverage_blocking=False, game_types=("regular_season",),
                 description="field-goal attempts with zone"),
        RawTable("raw.prop_lines", (), known="before_tipoff", validated=True, coverage_blocking=False,
                 description="sportsbook player lines, one row per snapshot, book, market and line"),
        RawTable("raw.injuries", (), known="before_game", description="official injury report entries"),
        RawTable("raw.active_lists", ("game_id", "team", "player_id"), known="before_game", validated=True,
                 coverage_blocking=False, game_types=("regular_season",),
                 description="pre-game active and inactive lists per team-game"),
        RawTable("raw.players", ("player_id",), date_column=None, source_column=None, known="published",
                 description="NBA person ids and their Basketball-Reference ids"),
        RawTable("raw.player_names", ("player_lookup", "player_id", "source"), date_column=None, known="published",
                 description="normalised names and aliases -> NBA person id"),
        RawTable("raw.games", ("game_id",), known="published", view_of=("raw.team_boxscores", "raw.schedule"),
                 description="played games (real dates) merged with the schedule"),
        RawTable("raw.game_dates", ("game_date",), source_column=None, known="published", view_of=("raw.games",),
                 description="dates with in-scope games"),
        RawTable("raw.season_starts", ("season_year",), date_column=None, source_column=None, known="published",
                 view_of=("raw.games",), description="first regular-season date per season"),
    )
}  # fmt: skip

RAW_TABLES = frozenset(CATALOG)


def raw_table(name: str) -> RawTable:
    try:
        return CATALOG[name]
    except KeyError:
        raise KeyError(f"{name} is not in the raw-table catalog (src/nbaprops/raw/catalog.py)") from None
