"""Features declared as data: one `Feature` per model input, from which the feature store's final SELECT (values,
defaults, the default count and the quality score), the defaults report and the model's feature list are derived.

The feature store's `.sql` file yields each feature's *source* value (NULL when the source had nothing); this module
writes the projection over it, so adding a feature is one declaration plus, when it needs a new input, its source
column in the SQL (docs/architecture.md shows the recipe).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

MARKETS = ("points",)
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

    source: a SQL expression over the input SELECT's columns (the column named like the feature when omitted).
    default: the SQL value used when the source is NULL, counted in `default_feature_count` and listed in
    `defaulted_features`; None means the value is never replaced (a NULL stays NULL and the model sees it missing).
    """

    name: str
    default: str | None = None
    source: str | None = None
    markets: tuple[str, ...] = ("points",)
    description: str = ""

    def __post_init__(self) -> None:
        if not IDENTIFIER.match(self.name):
            raise ValueError(f"feature name {self.name!r} is not a lower-case SQL identifier")
        unknown = set(self.markets) - set(MARKETS)
        if unknown:
            raise ValueError(f"feature {self.name}: unknown market(s) {sorted(unknown)}; known: {MARKETS}")

    @property
    def source_sql(self) -> str:
        return self.source or self.name

    @property
    def value_sql(self) -> str:
        if self.default is None:
            return f"{self.source_sql} AS {self.name}"
        return f"coalesce({self.source_sql}, {self.default}) AS {self.name}"

    @property
    def defaulted_sql(self) -> str | None:
        """`'name'` when this row fell back to the default, else NULL (None: the feature has no default)."""
        if self.default is None:
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
    """The feature store's SELECT: identity columns, the version, every feature (defaults applied), the count and
    list of defaulted features, the quality score (share of features not defaulted), then context columns."""
    check_unique(features)
    flags = [f.defaulted_sql for f in features if f.defaulted_sql]
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
