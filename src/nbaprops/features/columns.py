"""The feature store's column descriptions: each feature's from its declaration (`Feature.description` in
ml_feature_store.py), the columns the projection derives (declaration.py) and the context columns its SQL passes
through (below). Identity columns (game_id, player_id, ...) take the glossary's."""

from __future__ import annotations

from nbaprops.features import ml_feature_store
from nbaprops.features.declaration import PROJECTION_COLUMNS

FEATURE_STORE = ml_feature_store.TRANSFORM.name  # (not imported as TRANSFORM: discovery would see it twice)

CONTEXT_COLUMNS = {
    "box_source": "box-score source of the player's latest played game ('<source> (live)' when it was loaded from a "
    "live payload), none without one",
    "form_source": "player_daily_cache, or missing when the player had no earlier game this season (early-season "
    "rows: prior or shrunk_prior)",
    "factors_source": "player_composite_factors, or missing when the composite factors had no row",
    "opponent_source": "team_defense_zone_analysis, or missing when the opponent had no defensive window yet",
    "zones_source": "player_shot_zone_analysis, or missing when the player had too few games for shot zones",
    "line_source": "prop_lines when a points line was seen before tip-off, else none",
    "is_bootstrap": "true on a season's first bootstrap_days days (few games behind the features)",
}


def feature_store_columns() -> dict[str, str]:
    """Column -> description of features.ml_feature_store (a feature without a description is left out)."""
    features = {f.name: f.description for f in ml_feature_store.DECLARATIONS if f.description}
    return {**PROJECTION_COLUMNS, **CONTEXT_COLUMNS, **features}
