"""The command line on a real warehouse."""

from pathlib import Path

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
    # issue 17's "Why": a malformed date crashed run-table with a traceback
    (
        ["run-table", "analytics.player_game_summary", "--start-date", "2025-1-1", "--end-date", "2025-01-02"],
        "--start-date",
        "not a date (YYYY-MM-DD): 2025-1-1",
    ),
    (["train", "--train-end", "2025-02-29"], "--train-end", "not a date (YYYY-MM-DD): 2025-02-29"),
    # one --format choice for every command that prints a table
    (["validate", "--format", "xml"], "--format", "xml is not one of text, json"),
    (["grade", "--start-date", "2025-03-01", "--end-date", "2025-03-02", "--format", "yaml"], "--format", "not one"),
    (["backfill", "--format", "csv"], "--format", "csv is not one of text, json"),
    (["ingest", "archive", "--format", "table"], "--format", "table is not one of text, json"),
    # the root options
    (["-v", "-q", "status"], "--quiet", "give -v or -q, not both"),
    (["--log-file", "{file}/x.log", "status"], "--log-file", "is a file, not a folder"),
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
    assert line.replace("'", "").startswith(f"Error: Invalid value for {names}: ") and phrase in line.replace(
        "'", ""
    ), line
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


def test_ingest_force_is_gone_its_meaning_is_reload_and_backfill_force_is_about_gates(tmp_path):
    """`--force` meant "reload unchanged files" in ingest and "override failing gates" in backfill: one name, one
    meaning (the backfill's, recorded as `forced` in the ledger)."""
    result = runner.invoke(app, ["--db", str(tmp_path / "w.duckdb"), "ingest", "archive", "--force", str(tmp_path)])
    assert result.exit_code == 2 and "No such option: --force" in result.output
    ingest_help = runner.invoke(app, ["ingest", "archive", "--help"], env={"COLUMNS": "200"}).output
    backfill_help = runner.invoke(app, ["backfill", "--help"], env={"COLUMNS": "200"}).output
    assert "--reload" in ingest_help and "--force" not in ingest_help
    assert "--force" in backfill_help and "input gates fail" in backfill_help


def _commands(group=None, prefix=()):
    import typer.main

    group = group or typer.main.get_command(app)
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name)


@pytest.mark.parametrize("command", list(_commands()), ids=" ".join)
def test_no_help_shows_a_flag_as_taking_a_value(command):
    """`--dry-run <bool>` once appeared in the help: a yes/no option is a plain flag, and no flag has a --no- twin
    the user did not ask for."""
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output and " / --no-" not in result.output, result.output


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("args", "names", "phrase"),
    [
        # issue 17's "Why": an unknown season exited 0 with an empty table
        (["feature-defaults", "--season", "1999-00"], "--season", "known: 2023-24, 2024-25, 2025-26"),
        # empty ranges (the off-season) are errors, not silent successes
        (["grade", "--start-date", "2025-07-01", "--end-date", "2025-07-31"], "--start-date", "no game dates"),
        (
            ["run-table", "analytics.player_game_summary", "--start-date", "2025-07-01", "--end-date", "2025-07-31"],
            "--start-date",
            "no game dates between 2025-07-01 and 2025-07-31",
        ),
        (["backfill", "--start-date", "2025-07-01", "--end-date", "2025-07-31"], "--start-date", "no game dates"),
    ],
    ids=lambda v: " ".join(v[:3]) if isinstance(v, list) else None,
)
def test_a_bad_argument_seen_only_in_the_data_is_exit_2_one_line_and_writes_nothing(built_db, args, names, phrase):
    import duckdb

    def runs():
        with duckdb.connect(str(built_db), read_only=True) as con:
            return con.execute("SELECT count(*) FROM ops.runs").fetchone()[0]

    before = runs()
    result = runner.invoke(app, ["--db", str(built_db), *args], env={"COLUMNS": "400"})
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    (line,) = [ln for ln in result.output.splitlines() if "Error" in ln or phrase in ln]
    assert line.startswith(f"Error: Invalid value for {names}: ") and phrase in line, line
    assert runs() == before


@pytest.mark.realdata
def test_grade_and_run_table_print_json(built_db):
    import json

    import duckdb

    grade = runner.invoke(
        app, ["--db", str(built_db), "grade", "--start-date", "2025-11-04", "--end-date", "2025-11-15", "--format",
              "json"],
    )  # fmt: skip
    assert grade.exit_code == 0, grade.output
    with duckdb.connect(str(built_db), read_only=True) as con:
        counts = con.execute(
            "SELECT market, outcome, count(*) FROM predictions.prediction_accuracy "
            "WHERE game_date BETWEEN '2025-11-04' AND '2025-11-15' GROUP BY 1, 2"
        ).fetchall()
    expected: dict[str, dict[str, int]] = {}
    for market, outcome, n in counts:
        expected.setdefault(market, {})[outcome] = n
    assert json.loads(grade.stdout) == {"start_date": "2025-11-04", "end_date": "2025-11-15", "outcomes": expected}
    assert expected["points"]["correct"] > 0 and expected["points"]["incorrect"] > 0
    table = runner.invoke(
        app, ["--db", str(built_db), "run-table", "analytics.team_offense_game_summary", "--start-date", "2025-01-06",
              "--end-date", "2025-01-08", "--format", "json"],
    )  # fmt: skip
    assert table.exit_code == 0, table.output
    data = json.loads(table.stdout)
    assert data["table"] == "analytics.team_offense_game_summary" and data["status"] == "success"
    assert data["done"] == 3 and data["failed"] == 0 and data["errors"] == []
    with duckdb.connect(str(built_db), read_only=True) as con:
        rows = con.execute(
            "SELECT count(*) FROM analytics.team_offense_game_summary WHERE game_date BETWEEN '2025-01-06' AND "
            "'2025-01-08'"
        ).fetchone()[0]
    assert data["rows"] == rows > 0


def _mini_warehouse(tmp_path):
    from tests.raw.mini_archive import good_box_rows, write_box, write_team_games

    archive = tmp_path / "archive"
    write_team_games(archive)
    write_box(archive, good_box_rows())
    return archive, tmp_path / "w.duckdb"


def test_ingest_archive_and_backfill_print_json_on_stdout_and_progress_elsewhere(tmp_path):
    import json

    archive, db = _mini_warehouse(tmp_path)
    ingest = runner.invoke(app, ["--db", str(db), "ingest", "archive", str(archive), "--format", "json"])
    assert ingest.exit_code == 0, ingest.output
    data = json.loads(ingest.stdout)
    assert data["failed"] == 0 and len(data["files"]) == 2
    assert {f["status"] for f in data["files"]} == {"loaded"}
    assert sum(f["rows_loaded"] for f in data["files"]) == 1 + 6  # the one team-game row, six player rows
    assert "loaded" in ingest.stderr  # the per-file lines went to stderr
    plan = runner.invoke(app, ["--db", str(db), "backfill", "--dry-run", "--format", "json"])
    assert plan.exit_code == 0, plan.output
    data = json.loads(plan.stdout)
    assert data["partitions"] == sum(t["to_compute"] for t in data["tables"]) > 0
    assert {t["table"] for t in data["tables"]} >= {"analytics.player_game_summary"}
    run = runner.invoke(
        app, ["--db", str(db), "backfill", "--tables", "analytics.player_game_summary", "--format", "json"]
    )
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout)
    (table,) = data["tables"]
    assert data["status"] == "success" and data["failed"] == 0 and table["table"] == "analytics.player_game_summary"
    assert table["done"] + table["skipped"] == 1  # the archive's one game date (a bootstrap day is skipped)


def test_log_file_and_verbosity(tmp_path):
    """--log-file keeps the runner's start and end and the ingest summary; -v shows INFO on stderr; -q hides the
    per-batch progress lines."""
    archive, db = _mini_warehouse(tmp_path)
    log = tmp_path / "logs" / "run.log"
    log.parent.mkdir()
    result = runner.invoke(app, ["--db", str(db), "--log-file", str(log), "ingest", "archive", str(archive)])
    assert result.exit_code == 0, result.output
    text = log.read_text()
    assert f"INFO nbaprops.ingest: archive ingest of {archive}: 2 files (2 loaded), 7 rows loaded, 0 rejected" in text
    assert "INFO" not in result.stderr  # the terminal shows warnings and up by default
    quiet = runner.invoke(app, ["--db", str(db), "-q", "--log-file", str(log), "backfill"])
    loud = runner.invoke(app, ["--db", str(db), "-v", "backfill", "--no-resume", "--tables",
                               "analytics.player_game_summary"])  # fmt: skip
    assert "partitions to compute" not in quiet.output and "partitions to compute" in loud.stderr
    text = log.read_text()
    assert "INFO nbaprops.pipeline: run 1 started: nbaprops" in text
    assert "INFO nbaprops.pipeline: run 1 ended" in text
    assert "INFO: run 2 started" in loud.stderr and "INFO: run 2 ended success" in loud.stderr


def test_progress_shows_on_a_terminal_only_once_at_a_time_and_never_under_quiet(caplog):
    import io
    import logging

    from rich.console import Console

    from nbaprops.reports import logs

    def shown(verbosity: int) -> str:
        logs.configure(verbosity=verbosity)
        terminal = Console(file=io.StringIO(), force_terminal=True, width=100)
        with logs.progress(terminal, "validating"), logs.progress(terminal, "inner step"):
            terminal.print("working")
        return terminal.file.getvalue()

    caplog.set_level(logging.INFO, logger="nbaprops.progress")
    assert "validating" in shown(0) and "inner step" not in shown(0)  # nested: one display, no LiveError
    assert "validating" not in shown(-1)
    pipe = Console(file=io.StringIO())
    with logs.progress(pipe, "reading"):
        pass
    assert pipe.file.getvalue() == ""  # nothing mixes into piped output
    assert [r.getMessage() for r in caplog.records][-2:][0] == "reading ..."
    assert caplog.records[-1].getMessage().startswith("reading: done in ")
    logs.configure(verbosity=0)


@pytest.mark.realdata
def test_train_prints_its_summary_as_json_matching_the_saved_metadata(built_db, tmp_path):
    import json

    models = tmp_path / "models"
    result = runner.invoke(
        app, ["--db", str(built_db), "train", "--train-end", "2024-01-15", "--models-dir", str(models), "--format",
              "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    saved = json.loads((Path(data["folder"]) / "metadata.json").read_text())
    assert Path(data["folder"]).parent == models and data["version"] == saved["version"]
    assert {k: data[k] for k in ("rows", "first_training_date", "last_training_date")} == {
        k: saved[k] for k in ("rows", "first_training_date", "last_training_date")
    }
    assert data["last_training_date"] < "2024-01-15" and data["rows"] > 0
