"""The command line on a real warehouse."""

import pytest
from typer.testing import CliRunner

from nbaprops.cli import app

runner = CliRunner()


@pytest.mark.realdata
def test_status_shows_the_three_seasons_and_row_counts(corpus_db):
    result = runner.invoke(app, ["--db", str(corpus_db), "status"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "raw.player_boxscores" in result.output
    for season in ("2023-24", "2024-25", "2025-26"):
        assert season in result.output
    assert "32,378" not in result.output  # player box rows are counted over both sources
    assert "Players:" in result.output and "100.00%" in result.output


def test_status_without_a_warehouse_says_how_to_make_one(tmp_path):
    result = runner.invoke(app, ["--db", str(tmp_path / "none.duckdb"), "status"])
    assert result.exit_code == 2
    assert "nbaprops ingest archive" in result.output


def test_ingest_exits_non_zero_when_a_file_cannot_be_read(tmp_path):
    (tmp_path / "box").mkdir()
    (tmp_path / "box" / "bbref_player_box_2024-25.csv.gz").write_bytes(b"not gzip")
    result = runner.invoke(app, ["--db", str(tmp_path / "w.duckdb"), "ingest", "archive", str(tmp_path)])
    assert result.exit_code == 1
    assert "box/bbref_player_box_2024-25.csv.gz" in result.output
    assert "could not be read" in result.output


def test_bad_season_option_is_a_usage_error(tmp_path):
    result = runner.invoke(
        app, ["--db", str(tmp_path / "w.duckdb"), "ingest", "archive", str(tmp_path), "--seasons", "2024"]
    )
    assert result.exit_code == 2
