"""features.early_season_features: feature rows for the player-games the feature store cannot have - the bootstrap
days of a season (its phase-4 inputs keep their bootstrap) and a player's first games of a season, with a new team
or back from an absence - built from his earlier seasons and shrunk toward this season's games as they come.

The columns are the feature store's (the same declarations through `feature_projection`, so a model reads both
alike) plus flags that say how much current-season evidence is behind a row. `FEATURE_ROWS` is the one place that
puts the two tables together for the models.
"""

from nbaprops.features.columns import feature_store_columns
from nbaprops.features.declaration import feature_projection
from nbaprops.features.ml_feature_store import (
    CONTEXT_COLUMNS,
    DECLARATIONS,
    FEATURE_VERSION,
    IDENTITY_COLUMNS,
)
from nbaprops.features.ml_feature_store import TRANSFORM as STORE
from nbaprops.pipeline.transform import declare
from nbaprops.precompute.form_windows import LEAGUE_FG3_PCT, WINDOWS, fill_markers, form_windows

TABLE = "features.early_season_features"
# The prior counts as PRIOR_GAMES games of this season: weight n / (n + PRIOR_GAMES) on the player's n games. Chosen
# on the first 30 days of 2024-25 (2,017 played early-season rows; MAE of the shrunk season average against the
# points scored: k=1 4.605, 2 4.551, 3 4.547, 4 4.553, 6 4.571, 10 4.608, 30 4.690). Not 2023-24: the corpus's first
# season has no season before it to shrink toward. The backtest span (2025-26) was not looked at.
PRIOR_GAMES = 3
# A form feature whose value is not the window of its own name (form_windows.py), as SQL over one evidence set's
# windows row {w}: 3P% is shrunk toward the league's first (on the target's date), then toward the prior like the rest.
FROM_WINDOWS = {
    "ft_share_of_points": "{w}.ft_share_of_points_last_10",
    "fg3_pct_shrunk": "fg3_pct_shrunk({w}.fg3m_season, {w}.fg3a_season, lg.league_fg3_pct)",
}
# The form features shrunk toward the prior: every declared feature the daily cache's windows give.
SHRUNK = tuple(f.name for f in DECLARATIONS if f.name in WINDOWS or f.name in FROM_WINDOWS)
FLAG_DESCRIPTIONS = {
    "is_early_season": "true: an early-season row (the feature store's rows are false in FEATURE_ROWS)",
    "early_season_reason": "why the feature store has no row: bootstrap_day, first_game_of_season or "
    "new_to_team_or_returning",
    "current_season_games": "games he played this season before the date: the evidence behind this season's form",
    "has_prior_season": "true when he played in an earlier season",
    "prior_season_games": "games he played in his latest earlier season (0 without one)",
    "is_rookie_prior": "true when the prior is earlier seasons' average first season (no earlier season of his own)",
    "current_weight": "weight n / (n + k) of this season's form against the prior (k = PRIOR_GAMES; 1 without a prior)",
}
FLAGS = tuple(FLAG_DESCRIPTIONS)


def form_columns(stat: str) -> str:
    """This season's and the prior's value of `stat` as two columns (the prior: his own earlier season, else the
    rookie prior). Plain columns, not row structs: Spark has no `alias AS struct` of a joined row."""
    value = FROM_WINDOWS.get(stat, "{w}." + stat)
    prior = f"CASE WHEN pri.games IS NOT NULL THEN {value.format(w='pri')} ELSE {value.format(w='rk')} END"
    return f"{value.format(w='cur')} AS current_{stat}, {prior} AS prior_{stat}"


def shrink(stat: str) -> str:
    """This season's value weighted toward the prior's; either alone when the other has none."""
    cur, prior = f"current_{stat}", f"prior_{stat}"
    return (
        f"CASE WHEN {cur} IS NULL THEN {prior} WHEN {prior} IS NULL THEN {cur} "
        f"ELSE current_weight * {cur} + (1 - current_weight) * {prior} END AS {stat}"
    )


def compose(inputs_sql: str) -> str:
    fills = {
        "/* FORM WINDOWS */": form_windows("recent"),
        "/* LEAGUE FG3 PCT */": LEAGUE_FG3_PCT,
        "/* SHRUNK FORM */": ",\n        ".join(shrink(s) for s in SHRUNK),
        "/* FORM COLUMNS */": ",\n        ".join(form_columns(s) for s in SHRUNK),
        "/* FORM COLUMN NAMES */": ", ".join(f"current_{s}, prior_{s}" for s in SHRUNK),
    }
    filled = fill_markers(TABLE, inputs_sql, fills)
    return feature_projection(
        filled.replace("$early_season_k", str(int(PRIOR_GAMES))),
        DECLARATIONS,
        version=FEATURE_VERSION,
        identity=IDENTITY_COLUMNS,
        context=CONTEXT_COLUMNS + FLAGS,
    )


def feature_rows(store: str = STORE.name) -> str:
    """A subquery of every feature row the models read: the feature store (or its live twin) and the early-season
    rows, with `is_early_season` telling them apart. The early-season table has no row the store has."""
    columns = ", ".join((*IDENTITY_COLUMNS, "feature_version", *(f.name for f in DECLARATIONS), *CONTEXT_COLUMNS))
    return (
        f"(SELECT {columns}, false AS is_early_season FROM {store} "
        f"UNION ALL SELECT {columns}, true AS is_early_season FROM {TABLE})"
    )


FEATURE_ROWS = feature_rows()

TRANSFORM = declare(
    __file__,
    name=TABLE,
    phase="features",
    inputs=(
        "analytics.upcoming_team_game_context",
        "analytics.upcoming_player_game_context",
        "analytics.player_game_summary",
        "raw.season_starts",
        "raw.prop_lines",
        "raw.player_names",
        "raw.injuries",
    ),
    keys=("player_id", "game_id"),
    partition_column="game_date",
    bootstrap=False,
    lookback="same_date",
    reads=(("analytics.player_game_summary", "history"),),  # earlier seasons: the prior and the rookie prior
    dates="scheduled",
    compose=compose,
    columns={**feature_store_columns(), **FLAG_DESCRIPTIONS},
    description=(
        "Early-season feature rows (bootstrap days, first games of a season or with a team): the feature store's "
        "columns from earlier seasons shrunk toward this season's games, with flags of the evidence behind them."
    ),
)
