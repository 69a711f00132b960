"""Features are declared once: the feature store's columns, its missing-value accounting, its quality score, the
model's list and the data dictionary's descriptions all come from `DECLARATIONS`."""

from __future__ import annotations

import datetime as dt

import pytest

from nbaprops.features.declaration import Feature, feature_projection
from nbaprops.features.ml_feature_store import (
    CONTEXT_COLUMNS,
    DECLARATIONS,
    FEATURE_VERSION,
    FEATURES,
    IDENTITY_COLUMNS,
    TRANSFORM,
    source_values,
)
from nbaprops.pipeline.settings import run_parameters

COUNTS = ("default_feature_count", "defaulted_features", "quality_score")


def test_the_stored_columns_are_exactly_the_declared_ones(built):
    columns = [r[0] for r in built.execute("DESCRIBE features.ml_feature_store").fetchall()]
    assert columns == [*IDENTITY_COLUMNS, "feature_version", *FEATURES, *COUNTS, *CONTEXT_COLUMNS]
    assert built.execute("SELECT DISTINCT feature_version FROM features.ml_feature_store").fetchall() == [
        (FEATURE_VERSION,)
    ]


def test_defaulted_features_are_exactly_the_counted_features_that_are_null(built):
    """`defaulted_features` lists a counted feature exactly when the row's value is NULL (no value is made up in
    its place), never an uncounted one (prop lines: has_prop_line says there is none)."""
    counted = [f.name for f in DECLARATIONS if f.counted]
    assert {f.name for f in DECLARATIONS if not f.counted} == {"prop_line", "opening_line", "line_movement"}
    mismatched = built.execute(
        "SELECT " + ", ".join(
            f"count(*) FILTER (WHERE ({f} IS NULL AND {f in counted}) <> list_contains(defaulted_features, '{f}'))"
            for f in FEATURES)
        + ", count(*) FILTER (WHERE prop_line IS NULL) FROM features.ml_feature_store"
    ).fetchone()  # fmt: skip
    assert dict(zip(FEATURES, mismatched[:-1], strict=True)) == dict.fromkeys(FEATURES, 0)
    assert mismatched[-1] > 100_000  # rows without a line exist, and none lists the line as missing
    listed = {
        r[0]
        for r in built.execute("SELECT DISTINCT unnest(defaulted_features) FROM features.ml_feature_store").fetchall()
    }
    assert listed and listed <= set(counted)
    wrong = built.execute(
        f"SELECT count(*) FROM features.ml_feature_store WHERE quality_score <> round(1 - default_feature_count / "
        f"{len(DECLARATIONS)}, 4) OR default_feature_count <> len(defaulted_features)"
    ).fetchone()[0]
    assert wrong == 0


def test_every_feature_has_a_one_line_description():
    """The data dictionary reads `Feature.description`: all 86, one line each, and the constructor refuses none."""
    assert len(DECLARATIONS) == 86
    assert all(f.description.strip() and "\n" not in f.description for f in DECLARATIONS)
    assert len({f.description for f in DECLARATIONS}) == len(DECLARATIONS)  # no copy-pasted placeholder
    for bad in ("", "  ", "two\nlines"):
        with pytest.raises(ValueError, match="one non-empty line"):
            Feature("a", bad)


def test_adding_a_feature_is_one_declaration(built):
    """The recipe of docs/architecture.md: a toy feature declared with a source expression appears as a column,
    stays NULL and is counted when its source has nothing, and moves the quality score's denominator."""
    toy = Feature("toy_points_per_game_played", "Toy: season points per game played.",
                  source="points_avg_season / nullif(games_played_season, 0)")  # fmt: skip
    declarations = (*DECLARATIONS, toy)
    sql = feature_projection(
        source_values(TRANSFORM.sql_file.read_text(encoding="utf-8")), declarations, version=99,
        identity=IDENTITY_COLUMNS, context=CONTEXT_COLUMNS,
    )  # fmt: skip
    day = dt.date(2025, 1, 15)
    params = TRANSFORM.parameters({**run_parameters(built), "start_date": day, "end_date": day})
    rows = built.execute(
        f"SELECT toy_points_per_game_played, list_contains(defaulted_features, 'toy_points_per_game_played'), "
        f"games_played_season, quality_score, default_feature_count, feature_version, points_avg_season FROM ({sql}) q "
        f"WHERE game_date = $start_date",
        params,
    ).fetchall()
    assert rows
    assert any(r[2] == 0 for r in rows) and any(r[2] > 0 for r in rows)  # both cases are exercised
    for value, defaulted, games, quality, count, version, season_average in rows:
        assert version == 99
        assert defaulted == (games == 0)
        assert value == (None if defaulted else pytest.approx(season_average / games))
        assert quality == round(1 - count / (len(FEATURES) + 1), 4)


def test_a_feature_declared_twice_or_with_a_bad_name_is_an_error():
    with pytest.raises(ValueError, match="declared twice"):
        feature_projection("SELECT 1 AS a", (Feature("a", "x"), Feature("a", "y")), version=1, identity=(), context=())
    with pytest.raises(ValueError, match="identifier"):
        Feature("Points Avg", "x")
    with pytest.raises(ValueError, match="lower-case names"):
        Feature("a", "x", markets=("Curling",))
