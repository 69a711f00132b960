"""Features declared as data: one `Feature` per model input, from which the feature store's final SELECT (values,
the count and list of missing features and the quality score), the missing-value report and the model's feature
list are derived.

The feature store's `.sql` file yields each feature's *source* value (NULL when the source had nothing); this module
writes the projection over it, so adding a feature is one declaration plus, when it needs a new input, its source
column in the SQL (docs/architecture.md shows the recipe). A value the sources cannot provide stays NULL (LightGBM
treats it as missing, as it will be when serving) and is counted: there are no made-up stand-ins. Where "nothing"
is itself a fact (no game in the last 7 days is 0 games), the source expression says so and documents why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
# What the columns `feature_projection` derives mean (the data dictionary)
PROJECTION_COLUMNS = {
    "default_feature_count": "how many features fell back to their declared default",
    "defaulted_features": "names of the features that fell back to their declared default",
    "quality_score": "share of features not defaulted (1 = every feature had its source value)",
}


@dataclass(frozen=True)
class Feature:
    """One model input.

    description: one line - what it is, its window, its source (the data dictionary reads it).
    source: a SQL expression over the input SELECT's columns (the column named like the feature when omitted).
    markets: the names of the markets whose model reads it (None: every market, a new one included; points form
    helps predict rebounds too). features/markets.py checks that each name is a declared market.
    counted: a NULL is counted as missing in `default_feature_count` / `defaulted_features` (the names predate
    feature version 4: they now count missing values); False where NULL is a state another feature states (no prop
    line: `has_prop_line`), not data a source lacked.
    markets: the markets whose model reads the feature (ALL_MARKETS: every one).
    """

    name: str
    description: str
    source: str | None = None
    counted: bool = True
    markets: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if not IDENTIFIER.match(self.name):
            raise ValueError(f"feature name {self.name!r} is not a lower-case SQL identifier")
        if not self.description.strip() or "\n" in self.description:
            raise ValueError(f"feature {self.name}: the description must be one non-empty line")
        if self.markets is not None and not self.markets:
            raise ValueError(f"feature {self.name}: lists no market (leave markets out for every market)")
        if self.markets is not None and not all(IDENTIFIER.match(m) for m in self.markets):
            raise ValueError(f"feature {self.name}: markets must be lower-case names, got {self.markets}")

    def serves(self, market: str) -> bool:
        return self.markets is None or market in self.markets

    @property
    def source_sql(self) -> str:
        return self.source or self.name

    @property
    def value_sql(self) -> str:
        return f"{self.source_sql} AS {self.name}"

    @property
    def missing_sql(self) -> str | None:
        """`'name'` when this row's value is NULL, else NULL (None: the feature's NULLs are not counted)."""
        if not self.counted:
            return None
        return f"CASE WHEN {self.source_sql} IS NULL THEN '{self.name}' END"


def check_unique(features: Sequence[Feature]) -> None:
    seen: set[str] = set()
    for feature in features:
        if feature.name in seen:
            raise ValueError(f"feature {feature.name} is declared twice")
        seen.add(feature.name)


def feature_projection(
    inputs_sql: str,
    features: Sequence[Feature],
    *,
    version: int,
    identity: Sequence[str],
    context: Sequence[str],
) -> str:
    """The feature store's SELECT: identity columns, the version, every feature, the count and list of missing
    (NULL, counted) features, the quality score (share of features not missing), then context columns."""
    check_unique(features)
    flags = [f.missing_sql for f in features if f.missing_sql]
    columns = [
        *identity,
        f"{int(version)} AS feature_version",
        *(f.value_sql for f in features),
        "len(defaulted_features) AS default_feature_count",
        "defaulted_features",
        f"round(1 - len(defaulted_features) / {len(features)}, 4) AS quality_score",
        *context,
    ]
    listed = ",\n            ".join(flags) if flags else "NULL::VARCHAR"
    select = ",\n    ".join(columns)
    return (
        f"WITH feature_inputs AS (\n{inputs_sql.strip()}\n),\n"
        "feature_defaults AS (\n"
        "    SELECT *, list_filter([\n"
        f"            {listed}\n"
        "        ], x -> x IS NOT NULL) AS defaulted_features\n"
        "    FROM feature_inputs\n"
        ")\n"
        f"SELECT\n    {select}\nFROM feature_defaults\n"
    )
