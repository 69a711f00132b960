"""The prop markets, declared once: what a market's result is, which line it is priced against, which features its
model reads and what the rule system and the baselines average.

Everything downstream takes a `Market`: the training frame (its target and its line), the gradient-boosted and
quantile models (its features), the rule system and baselines (its form columns), the decision thresholds (in its
unit), grading, the backtest and the pick sheet. Adding a market is one `Market(...)` here plus, when it needs them,
its features in `ml_feature_store.py` tagged with its name (docs/model.md shows the recipe).
"""

from __future__ import annotations

from dataclasses import dataclass

from nbaprops.features.declaration import IDENTIFIER
from nbaprops.features.ml_feature_store import DECLARATIONS, FEATURES


@dataclass(frozen=True)
class Market:
    """One prop market.

    result: a SQL expression over analytics.player_game_summary's columns giving the graded number (NULL where the
    archive does not hold it: such rows are counted as having no result, never guessed).
    line_market: the `market` key of its lines in raw.prop_lines.
    stat: the prefix of its form features: `<stat>_avg_last_5`, `_avg_last_10`, `_avg_season`, `_std_last_10`
    (the rule system's weighted form, the baselines and the spread behind the confidence).
    min_edge / min_sigma: the decision thresholds in the market's unit (PASS below min_edge; the spread's floor).
    adjustments: the SPEC's context adjustments of the rule system apply (they are in points: points only).
    """

    name: str
    description: str
    result: str
    line_market: str
    stat: str
    min_edge: float
    min_sigma: float
    adjustments: bool = False

    def __post_init__(self) -> None:
        for value in (self.name, self.stat):
            if not IDENTIFIER.match(value):
                raise ValueError(f"market {self.name!r}: {value!r} is not a lower-case SQL identifier")

    def undeclared(self) -> list[str]:
        """Form columns the feature store does not declare (tests hold every market to none)."""
        return [c for c in self.form.values() if c not in FEATURES]

    @property
    def features(self) -> tuple[str, ...]:
        """The model's inputs, in declaration order: every feature declared for this market."""
        return tuple(f.name for f in DECLARATIONS if f.serves(self.name))

    @property
    def form(self) -> dict[str, str]:
        """The form columns the rule system weights (last 5, last 10, season) and the recent spread."""
        s = self.stat
        return {
            "last_5": f"{s}_avg_last_5",
            "last_10": f"{s}_avg_last_10",
            "season": f"{s}_avg_season",
            "spread": f"{s}_std_last_10",
        }

    @property
    def baselines(self) -> dict[str, str]:
        """What a model must beat (besides the line): the player's season and last-10 averages as of the game."""
        return {"season_average": self.form["season"], "last_10_average": self.form["last_10"]}


DECLARED: tuple[Market, ...] = (
    Market(
        "points", "Points scored.", result="pts", line_market="player_points", stat="points",
        min_edge=1.0, min_sigma=3.0, adjustments=True,
    ),
    Market(
        "pra", "Points + rebounds + assists.", result="pts + reb + ast",
        line_market="player_points_rebounds_assists", stat="pra", min_edge=1.5, min_sigma=4.0,
    ),
    Market(
        "threes", "Three-pointers made.", result="fg3m", line_market="player_threes", stat="threes",
        min_edge=0.5, min_sigma=1.0,
    ),
    Market(
        "rebounds", "Total rebounds.", result="reb", line_market="player_rebounds", stat="rebounds",
        min_edge=1.0, min_sigma=2.0,
    ),
    Market(
        "assists", "Assists.", result="ast", line_market="player_assists", stat="assists",
        min_edge=1.0, min_sigma=1.5,
    ),
)  # fmt: skip
MARKETS: dict[str, Market] = {m.name: m for m in DECLARED}
POINTS = MARKETS["points"]


def check_feature_markets(features=DECLARATIONS, markets=MARKETS) -> None:
    """A feature may only name declared markets (a typo would silently drop it from that market's model)."""
    for feature in features:
        unknown = set(feature.markets or ()) - set(markets)
        if unknown:
            raise ValueError(f"feature {feature.name}: unknown market(s) {sorted(unknown)}; known: {list(markets)}")


check_feature_markets()


def market(name: str) -> Market:
    """The declared market called `name`; an unknown name is an error that lists the known ones."""
    try:
        return MARKETS[name]
    except KeyError:
        raise ValueError(f"unknown market {name!r}; known: {', '.join(MARKETS)}") from None
