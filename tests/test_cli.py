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
    assert "cannot read the file" in result.output


def test_bad_season_option_is_a_usage_error(tmp_path):
    result = runner.invoke(
        app, ["--db", str(tmp_path / "w.duckdb"), "ingest", "archive", str(tmp_path), "--seasons", "2024"]
    )
    assert result.exit_code == 2


# Each bad argument: (arguments after --db, the argument the one-line error names, a phrase of the message).
# "{file}" is an existing regular file, so "{file}/x" can never be created.
BAD_ARGUMENTS = [
    (["backfill", "--start-date", "2025-1-1"], "--start-date", "not a date (YYYY-MM-DD): 2025-1-1"),
    (["backfill", "--start-date", "2025-03-02", "--end-date", "2025-03-01"], "--start-date", "the range is empty"),
    (["backfill", "--dates", "2025-03-01,2025-3-2"], "--dates", "not a date (YYYY-MM-DD): 2025-3-2"),
    (["backfill", "--phases", "analytics,nope"], "--phases", "unknown: nope"),
    (["backfill", "--tables", "analytics.nope"], "--tables", "unknown: analytics.nope"),
    (["backfill", "--batch-days", "0"], "--batch-days", "greater than or equal to 1"),
    (["backfill", "--batch-days", "-5"], "--batch-days", "greater than or equal to 1"),
    (["backfill", "--workers", "0"], "--workers", "greater than or equal to 1"),
    (["validate", "--phase", "nope"], "--phase", "unknown: nope"),
    (["validate", "--start-date", "2025-03-02", "--end-date", "2025-03-01"], "--start-date", "the range is empty"),
    (["ingest", "live", "--date", "2025-13-01"], "--date", "not a date (YYYY-MM-DD): 2025-13-01"),
    (["ingest", "live", "--start-date", "2025-03-02", "--end-date", "2025-03-01"], "--start-date", "range is empty"),
    (
        ["run-table", "analytics.player_game_summary", "--start-date", "2025-03-02", "--end-date", "2025-03-01"],
        "--start-date",
        "the range is empty",
    ),
    (["grade", "--start-date", "2025-03-02", "--end-date", "2025-03-01"], "--start-date", "the range is empty"),
    (["backtest", "--start-date", "2025-03-02", "--end-date", "2025-03-01"], "--start-date", "the range is empty"),
    (["predict", "--date", "yesterday"], "--date", "not a date (YYYY-MM-DD): yesterday"),
    (["daily", "--date", "2025-02-30"], "--date", "not a date (YYYY-MM-DD): 2025-02-30"),
    (["report", "--out", "{file}/x"], "--out", "is a file, not a folder"),
    (["build", "--out", "{file}"], "--out", "is not a folder"),
    (
        ["backtest", "--start-date", "2025-01-01", "--end-date", "2025-02-01", "--out", "{file}/x.json"],
        "--out",
        "is a file, not a folder",
    ),
    (["ingest", "archive", "{tmp}/no-such-folder"], "PATH", "archive folder not found"),
]


@pytest.mark.parametrize(("args", "names", "phrase"), BAD_ARGUMENTS, ids=[" ".join(a[:3]) for a, _, _ in BAD_ARGUMENTS])
def test_a_bad_argument_is_exit_2_and_one_line_before_any_work(tmp_path, args, names, phrase):
    file = tmp_path / "a-file"
    file.write_text("")
    db = tmp_path / "w.duckdb"
    args = [a.format(file=file, tmp=tmp_path) for a in args]
    result = runner.invoke(app, ["--db", str(db), *args], env={"COLUMNS": "400"})
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    (line,) = [ln for ln in result.output.splitlines() if "Error" in ln or phrase in ln]
    assert line.replace("'", "").startswith(f"Error: Invalid value for {names}: ") and phrase in line, line
    assert not db.exists()  # refused before any work: not even the warehouse was created


def test_an_unwritable_db_is_exit_2_naming_it(tmp_path):
    file = tmp_path / "a-file"
    file.write_text("")
    result = runner.invoke(app, ["--db", str(file / "w.duckdb"), "ingest", "archive", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "Error: Invalid value for --db: cannot create" in " ".join(result.output.split())


def test_a_read_only_folder_is_exit_2_naming_it(tmp_path, monkeypatch):
    """Tests run as root, for whom no permission bit denies a write: the check's answer is simulated."""
    import os

    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: (str(p), mode) != (str(tmp_path), os.W_OK) and real(p, mode))
    result = runner.invoke(app, ["--db", str(tmp_path / "w.duckdb"), "ingest", "archive", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert f"Error: Invalid value for --db: cannot write {tmp_path}/w.duckdb: {tmp_path} is not writable" in " ".join(
        result.output.split()
    )
    assert not (tmp_path / "w.duckdb").exists()


def test_a_range_without_game_dates_is_exit_2(tmp_path):
    from tests.raw.mini_archive import write_team_games

    write_team_games(tmp_path / "archive")
    db = str(tmp_path / "w.duckdb")
    assert runner.invoke(app, ["--db", db, "ingest", "archive", str(tmp_path / "archive")]).exit_code == 0
    result = runner.invoke(app, ["--db", db, "backfill", "--start-date", "2030-01-01", "--end-date", "2030-01-31"])
    assert result.exit_code == 2
    assert "no game dates between 2030-01-01 and 2030-01-31" in " ".join(result.output.split())
