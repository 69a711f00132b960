"""Point-in-time audit: recompute a date's features in a copy of the warehouse that has forgotten that date and
everything after it, and compare with the stored features.

"Forgotten" means: every raw row that the raw-table catalog says was not known before the date began is deleted
(results dated on or after it, prop-line snapshots taken at or after tip-off, injury reports and active lists of
later dates), and every derived partition on or after the date is dropped. What is published before
tip-off stays: the schedule (games known only from box scores are written into raw.schedule first), the date's
injury reports and its active lists (`raw.active_lists`: who dressed, not what they did). Then the backfill
recomputes the date.

Both feature tables are audited alike: the feature store, and the early-season rows of bootstrap dates and players'
first games (features.early_season_features), which have the same feature columns.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from nbaprops.context import RunContext
from nbaprops.features.early_season_features import TABLE as EARLY_SEASON
from nbaprops.features.ml_feature_store import FEATURES
from nbaprops.features.ml_feature_store import TRANSFORM as STORE
from nbaprops.pipeline.backfill import Backfill
from nbaprops.pipeline.gates import upstream_lookbacks
from nbaprops.pipeline.planner import BackfillRequest
from nbaprops.pipeline.registry import discover
from nbaprops.raw.catalog import CATALOG
from nbaprops.settings import get_settings
from nbaprops.warehouse import connect, database_file, ledger


@dataclass(frozen=True)
class Mismatch:
    player_id: int
    game_id: str
    feature: str
    stored: object
    recomputed: object


def forget_from(con: duckdb.DuckDBPyConnection, day: dt.date) -> None:
    """Delete what was not known before `day` began (see the module docstring)."""
    con.execute("BEGIN TRANSACTION")
    # The played version of each game (date, teams) becomes its schedule entry: postponed games keep their real date.
    con.execute(
        "DELETE FROM raw.schedule WHERE game_id IN (SELECT game_id FROM raw.games WHERE source = 'team_box' "
        "AND game_date >= ?)",
        [day],
    )
    con.execute(
        """
        INSERT INTO raw.schedule
        SELECT g.game_id, g.game_date, NULL, g.season, g.season_year, g.game_type, false, g.home_team, g.away_team,
               NULL, NULL, NULL, NULL, NULL, NULL, g.game_code, 'point_in_time', 0
        FROM raw.games g WHERE g.source = 'team_box' AND g.game_date >= ?
        """,
        [day],
    )
    for table in CATALOG.values():
        condition = table.forget_condition()
        if condition and not table.is_view:
            con.execute(f"DELETE FROM {table.name} WHERE {condition}", {"day": day})
    for name, transform in discover().items():
        if ledger.table_exists(con, name):
            con.execute(f"DELETE FROM {name} WHERE {transform.partition_column} >= ?", [day])
        ledger.forget_partitions(con, name, day)
    con.execute("COMMIT")


@contextmanager
def recomputed(
    source_db: Path, day: dt.date, workdir: Path, *, table: str | None = None, keep: bool = True
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A copy of `source_db` in `workdir` that forgot `day` onwards, with `day`'s features recomputed: its connection,
    open while the block runs. `table`: recompute only that table and the derived tables it reads (declared inputs,
    transitively), not every phase 3-4 table; a table it reads but does not declare stays forgotten, so the
    comparison fails loudly rather than passes. The predictions are not audited here (they read the features):
    recomputing them would only gate on a half-forgotten season. `keep=False` deletes the copy after, unsaved:
    nobody reads it again, so it is not checkpointed (about a second on the real corpus)."""
    copy = workdir / f"pit_{day.isoformat()}.duckdb"
    shutil.copy(source_db, copy)
    con = connect(copy)
    if not keep:
        con.execute("PRAGMA disable_checkpoint_on_shutdown")
    try:
        with RunContext(get_settings(), con) as run:
            forget_from(run.con, day)
            pipeline = Backfill(run)
            tables = (
                None if table is None else (table, *upstream_lookbacks(pipeline.transforms[table], pipeline.transforms))
            )
            request = BackfillRequest(
                day, day, dates=frozenset({day}), phases=("analytics", "precompute", "features"), tables=tables
            )
            pipeline.run_range(request, command=f"point-in-time {day}", batch_days=1)
            yield run.con
    finally:
        if not keep:
            for path in (copy, copy.with_name(copy.name + ".wal")):
                path.unlink(missing_ok=True)


def recompute_as_of(source_db: Path, day: dt.date, workdir: Path) -> Path:
    """As `recomputed`, the saved copy's path, to open again."""
    with recomputed(source_db, day, workdir) as con:
        return database_file(con)


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


# the tables the audit compares, each with the rows it samples on a date: the feature store's rows, and the
# early-season table's (every row of a bootstrap date; on a later date, the players' first games)
FEATURE_TABLES = (STORE.name, EARLY_SEASON)


def compare_features(
    stored: duckdb.DuckDBPyConnection,
    recomputed: duckdb.DuckDBPyConnection,
    pairs: list[tuple[int, str]],
    table: str = STORE.name,
) -> list[Mismatch]:
    """Every feature of every (player_id, game_id) pair of `table`, stored vs recomputed; a missing row is a
    mismatch too."""
    if table not in FEATURE_TABLES:
        raise ValueError(f"the point-in-time audit compares {FEATURE_TABLES}, not {table}")
    columns = ", ".join(FEATURES)
    mismatches = []
    for player_id, game_id in pairs:
        query = f"SELECT {columns} FROM {table} WHERE player_id = ? AND game_id = ?"
        before = stored.execute(query, [player_id, game_id]).fetchone()
        after = recomputed.execute(query, [player_id, game_id]).fetchone()
        if before is None or after is None:
            mismatches.append(Mismatch(player_id, game_id, "<row>", before is not None, after is not None))
            continue
        for name, a, b in zip(FEATURES, before, after, strict=True):
            if not _same(a, b):
                mismatches.append(Mismatch(player_id, game_id, name, a, b))
    return mismatches
