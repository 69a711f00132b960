"""Acceptance 5: a thresholds file with an unknown key or a string where a number belongs is a clear error naming
the key, and `validate` exits 2."""

from __future__ import annotations

import pytest

from nbaprops.validation import ThresholdsError, load_thresholds
from tests.validation.helpers import cli


def test_packaged_defaults_follow_spec_section_8():
    t = load_thresholds()
    floors = t.null_rates.min_non_null
    assert (floors["minutes"], floors["pts"], floors["usage_rate"], floors["fga"]) == (0.99, 0.995, 0.95, 0.99)
    assert floors["paint_fga"] == 0.40
    assert (t.ranges.columns["usage_rate"].min, t.ranges.columns["usage_rate"].max) == (0, 100)
    assert (t.ranges.columns["pace"].min, t.ranges.columns["pace"].max) == (80, 120)
    assert t.ranges_for("analytics.player_game_summary")["minutes"].max == 70
    assert "minutes" not in t.ranges_for("analytics.team_offense_game_summary")
    assert (t.row_counts.min_season_ratio, t.regression.zscore) == (0.9, 3.0)
    assert (t.regression.zscore_game_days, t.spot_checks.tolerance, t.coverage.min_share) == (14, 0.05, 1.0)
    assert t.played_filter("raw.player_boxscores") == "(dnp_reason IS NULL)"  # the corpus rule, from a name


def test_a_file_overrides_only_the_keys_it_names(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("null_rates:\n  min_non_null:\n    fga: 0.5\ncoverage:\n  blocking: false\n")
    t = load_thresholds(path)
    assert t.null_rates.min_non_null["fga"] == 0.5
    assert t.null_rates.min_non_null["pts"] == 0.995
    assert t.coverage.blocking is False and t.coverage.min_share == 1.0


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("coverage:\n  min_shar: 1.0\n", "coverage.min_shar: Extra inputs are not permitted"),
        (
            "null_rates:\n  min_non_null:\n    fga: high\n",
            "null_rates.min_non_null.fga: Input should be a valid number",
        ),
        ("regression:\n  zscore: '3'\n", "regression.zscore"),
        ("ranges:\n  columns:\n    pace: {min: 120, max: 80}\n", "ranges.columns.pace"),
        ("colour: red\n", "colour: Extra inputs are not permitted"),
        (
            "null_rates:\n  min_non_null:\n    fga: 42\n",
            "null_rates.min_non_null.fga: Input should be less than or equal to 1",
        ),
        (
            "null_rates:\n  per_date_factor: -0.5\n",
            "null_rates.per_date_factor: Input should be greater than or equal to 0",
        ),
        ("cross_source:\n  min_agreement: 99\n", "cross_source.min_agreement"),
        ("row_counts:\n  min_season_ratio: 1.5\n", "row_counts.min_season_ratio"),
        ("default_rates:\n  max_share_over_ceiling_per_date: 2\n", "default_rates.max_share_over_ceiling_per_date"),
        (
            'tables:\n  raw.player_boxscores:\n    played: "1=1; DROP TABLE raw.games"\n',
            "tables.raw.player_boxscores.played: Input should be 'no_dnp_reason' or 'status_active'",
        ),
    ],
)
def test_bad_files_name_the_key(tmp_path, text, named):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ThresholdsError) as exc:
        load_thresholds(path)
    assert named in str(exc.value)
    assert str(path) in str(exc.value)


def test_validate_exits_2_on_a_bad_thresholds_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("keys:\n  blocking: true\n  strict: yes\nspot_checks:\n  tolerance: five percent\n")
    result = cli(tmp_path / "w.duckdb", "validate", "--thresholds", str(path))
    assert result.exit_code == 2, result.output
    assert "keys.strict" in result.output and "spot_checks.tolerance" in result.output


def test_validate_exits_2_on_a_missing_thresholds_file(tmp_path):
    result = cli(tmp_path / "w.duckdb", "validate", "--thresholds", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "does not exist" in result.output
