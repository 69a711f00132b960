"""The feature store with oracle availability: what the archive's active lists of the game's date would add.

The warehouse's feature store is what a live run has before tip-off: tonight's availability comes from the injury
report, else "played the team's last game". `raw.active_lists` (Basketball-Reference's list of who dressed, built
from the game's own box score after the game) is an oracle no run before tip-off has; `backtest --availability
oracle` measures what it would be worth, as a labelled upper bound. It recomputes, in temp tables of the same
connection (read-only is fine), exactly the transforms whose rows depend on it - the player context (roster and
availability), the tables keyed by its rows (the daily cache and shot zones of a traded player's first game), the
composite factors (stars out, freed usage) and the feature store - with the same SQL and the session variable
`availability = 'oracle'`, which the context SQL honours by reading the active lists. Everything else (box scores,
team tables) is read from the warehouse: it depends only on games before the date. Seconds per season, instead of a
second warehouse. The early-season rows (bootstrap days, first games) are read as stored, live: they are built from
earlier seasons, and the oracle context would only add a traded player's first game to them.
"""

from __future__ import annotations

import duckdb

from nbaprops.analytics.upcoming_player_game_context import TRANSFORM as CONTEXT
from nbaprops.features.ml_feature_store import TRANSFORM as STORE
from nbaprops.pipeline.settings import run_parameters
from nbaprops.pipeline.transform import Transform
from nbaprops.precompute.player_composite_factors import TRANSFORM as FACTORS
from nbaprops.precompute.player_daily_cache import TRANSFORM as CACHE
from nbaprops.precompute.player_shot_zone_analysis import TRANSFORM as ZONES

# Every warehouse transform downstream of raw.active_lists, in dependency order (a test holds this to the registry)
ORACLE_CHAIN: tuple[Transform, ...] = (CONTEXT, CACHE, ZONES, FACTORS, STORE)
# output table of the warehouse -> its oracle temp twin
TWINS = {t.name: "temp.main.oracle_" + t.name.split(".")[1] for t in ORACLE_CHAIN}
ORACLE_CONTEXT, ORACLE_STORE = TWINS[CONTEXT.name], TWINS[STORE.name]


def _retarget(transform: Transform) -> str:
    """The transform's SQL reading the oracle twins of the tables recomputed before it."""
    sql = transform.sql
    for table, twin in TWINS.items():
        if table in transform.inputs:
            if table not in sql:
                raise ValueError(f"{transform.name} declares {table} as an input but its SQL does not name it")
            sql = sql.replace(table, twin)
    return sql


def build_oracle_store(con: duckdb.DuckDBPyConnection) -> str:
    """Fill ORACLE_STORE with oracle-availability feature rows for every season of the warehouse's feature store,
    on the same partition dates (bootstrap days stay empty); returns its name for `load_frame(store=...)`."""
    seasons = con.execute(
        "SELECT min(game_date), max(game_date) FROM features.ml_feature_store GROUP BY season_year ORDER BY 1"
    ).fetchall()
    if not seasons:
        raise ValueError("features.ml_feature_store is empty: build the warehouse first (`nbaprops build`)")
    values = run_parameters(con)
    con.execute("SET VARIABLE availability = 'oracle'")
    try:
        for i, (start, end) in enumerate(seasons):
            span = {**values, "start_date": start, "end_date": end}
            for transform in ORACLE_CHAIN:
                twin = TWINS[transform.name]
                head = f"CREATE OR REPLACE TEMP TABLE {twin} AS" if i == 0 else f"INSERT INTO {twin}"
                con.execute(f"{head} {_retarget(transform)}", transform.parameters(span))
    finally:
        con.execute("RESET VARIABLE availability")
    con.execute(
        f"DELETE FROM {ORACLE_STORE} WHERE game_date NOT IN (SELECT DISTINCT game_date FROM features.ml_feature_store)"
    )
    return ORACLE_STORE
