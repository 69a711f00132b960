"""Every failure gets a category, per partition and per run; nothing leaves a run `running`; the bootstrap rule is
one truth for the planner, the SQL and the ledger."""

import dataclasses
import datetime as dt
import shutil

import duckdb
import pyarrow as pa
import pytest

from nbaprops.calendar import SeasonCalendar
from nbaprops.pipeline.failures import ConfigurationError, NoDataError, categorize, run_category
from nbaprops.pipeline.planner import BackfillRequest, build_plan
from nbaprops.pipeline.runner import execute_plan
from nbaprops.warehouse import connect
from tests.pipeline.toy import toy_transforms

WEEK = BackfillRequest(dt.date(2024, 11, 1), dt.date(2024, 11, 7))
POINTS, ROLLING = "analytics.toy_team_points", "precompute.toy_rolling"


@pytest.mark.parametrize(
    ("exc", "category"),
    [
        (duckdb.BinderException("no column x"), "processing"),
        (duckdb.InterruptException("interrupted"), "timeout"),
        (TimeoutError("slow"), "timeout"),
        (ConfigurationError("no value for $x"), "configuration"),
        (NoDataError("no rows"), "no_data"),
        (RuntimeError("surprise"), "unknown"),
    ],
)
def test_every_exception_has_a_category(exc, category):
    assert categorize(exc) == category


def test_a_run_takes_the_category_of_most_of_its_failed_partitions():
    assert run_category([]) is None
    assert run_category(["upstream", "processing", "upstream"]) == "upstream"
    assert run_category(["timeout", "processing"]) == "processing"  # a tie goes to the earlier category


def _run(con, transforms, request=WEEK):
    calendar = SeasonCalendar.load(con)
    return execute_plan(
        con, build_plan(con, transforms, calendar, request), transforms, calendar, command="test", batch_days=400
    )


def _raising(exc: BaseException):
    def compute(con, dates, parameters) -> pa.Table:
        raise exc

    return compute


@pytest.mark.realdata
def test_a_python_error_fails_its_partitions_with_a_category_and_the_run_goes_on(corpus_copy, tmp_path):
    transforms = toy_transforms(tmp_path / "t")
    broken = dataclasses.replace(
        transforms[POINTS], compute=_raising(RuntimeError("model file unreadable")), sql_file=tmp_path / "t/x.py"
    )
    (tmp_path / "t/x.py").write_text("# a python transform")
    summary = _run(corpus_copy, {POINTS: broken, ROLLING: transforms[ROLLING]})
    assert summary.status == "failed"
    categories = dict(
        corpus_copy.execute(
            "SELECT table_name, list(DISTINCT failure_category) FROM ops.partitions WHERE state = 'failed' GROUP BY 1"
        ).fetchall()
    )
    assert categories == {POINTS: ["unknown"], ROLLING: ["upstream"]}
    status, category, error = corpus_copy.execute(
        "SELECT status, failure_category, error FROM ops.runs ORDER BY run_id DESC LIMIT 1"
    ).fetchone()
    per_partition = [
        r[0]
        for r in corpus_copy.execute("SELECT failure_category FROM ops.partitions WHERE state = 'failed'").fetchall()
    ]
    assert per_partition.count("unknown") > per_partition.count("upstream") > 0
    assert (status, category) == ("failed", "unknown")
    assert "model file unreadable" in error


@pytest.mark.realdata
def test_an_interrupt_closes_the_run_as_failed_before_it_propagates(corpus_copy, tmp_path):
    transforms = toy_transforms(tmp_path / "t")
    broken = dataclasses.replace(
        transforms[POINTS], compute=_raising(KeyboardInterrupt()), sql_file=tmp_path / "t/x.py"
    )
    (tmp_path / "t/x.py").write_text("# a python transform")
    with pytest.raises(KeyboardInterrupt):
        _run(corpus_copy, {POINTS: broken})
    assert corpus_copy.execute("SELECT status, failure_category FROM ops.runs").fetchall() == [("failed", "unknown")]


@pytest.mark.realdata
def test_a_normal_run_removes_rows_an_include_bootstrap_run_left_on_bootstrap_days(corpus_copy, tmp_path):
    transforms = toy_transforms(tmp_path / "t")
    calendar = SeasonCalendar.load(corpus_copy)
    season = BackfillRequest(dt.date(2024, 10, 1), dt.date(2024, 11, 15))
    bootstrap = [d for d in calendar.dates_between(season.start, season.end) if calendar.is_bootstrap(d)]
    _run(corpus_copy, transforms, dataclasses.replace(season, include_bootstrap=True))
    assert (
        corpus_copy.execute(
            f"SELECT count(*) FROM {ROLLING} WHERE list_contains(?, game_date)", [bootstrap]
        ).fetchone()[0]
        > 0
    )
    _run(corpus_copy, transforms, season)
    left = corpus_copy.execute(
        f"SELECT count(*) FROM {ROLLING} WHERE list_contains(?, game_date)", [bootstrap]
    ).fetchone()[0]
    states = {
        r[0]
        for r in corpus_copy.execute(
            "SELECT state FROM ops.partitions WHERE table_name = ? AND list_contains(?, partition_date)",
            [ROLLING, bootstrap],
        ).fetchall()
    }
    assert left == 0 and states == {"skipped"}


@pytest.mark.realdata
def test_the_bootstrap_setting_is_one_truth_for_planner_sql_and_validation(built_db, tmp_path, monkeypatch):
    """NBAPROPS_BOOTSTRAP_DAYS=10: the planner expects days 10-13 of a season, the SQL writes them, validation
    passes them; it once planned nothing while validation failed forever."""
    from nbaprops.audit import run_validation
    from nbaprops.pipeline.registry import discover

    monkeypatch.setenv("NBAPROPS_BOOTSTRAP_DAYS", "10")
    path = tmp_path / "w.duckdb"
    shutil.copy(built_db, path)
    con = connect(path)
    calendar = SeasonCalendar.load(con)
    assert calendar.bootstrap_days == 10
    start = calendar.season_start(2024)
    newly = [d for d in calendar.dates_between(start, start + dt.timedelta(days=13)) if not calendar.is_bootstrap(d)]
    newly = [d for d in newly if (d - start).days >= 10]
    assert newly
    transforms = discover()
    request = BackfillRequest(start, start + dt.timedelta(days=20), tables=("features.ml_feature_store",))
    plan = build_plan(con, transforms, calendar, request)
    assert set(newly) <= set(plan.tables[0].work)
    summary = execute_plan(con, plan, transforms, calendar, command="test", batch_days=400, force=True)
    assert summary.failed == 0
    written = con.execute(
        "SELECT count(DISTINCT game_date) FROM features.ml_feature_store WHERE list_contains(?, game_date)", [newly]
    ).fetchone()[0]
    assert written == len(newly)
    coverage = [
        r for r in run_validation(con, tables=["features.ml_feature_store"], start=start, end=request.end)
        if r.name == "coverage"
    ]  # fmt: skip
    assert coverage and all(r.status != "fail" for r in coverage)
    con.close()


@pytest.mark.realdata
def test_run_table_goes_through_the_gates_and_the_ledger(built_db, tmp_path):
    """`run-table` once wrote a table and recorded success without looking at its inputs."""
    from typer.testing import CliRunner

    from nbaprops.cli import app

    path = tmp_path / "w.duckdb"
    shutil.copy(built_db, path)
    con = connect(path)
    con.execute("DELETE FROM analytics.team_offense_game_summary WHERE game_date BETWEEN '2025-01-06' AND '2025-01-08'")
    con.close()
    args = ["--db", str(path), "run-table", "analytics.team_defense_game_summary"]
    result = CliRunner().invoke(app, [*args, "--start-date", "2025-01-06", "--end-date", "2025-01-08"])
    assert result.exit_code == 1
    assert "gate: analytics.team_offense_game_summary coverage" in result.output
    assert "nbaprops backfill --tables analytics.team_offense_game_summary" in result.output
    con = connect(path, read_only=True)
    states = con.execute(
        "SELECT DISTINCT state, failure_category FROM ops.partitions WHERE table_name = "
        "'analytics.team_defense_game_summary' AND partition_date BETWEEN '2025-01-06' AND '2025-01-08'"
    ).fetchall()
    run = con.execute("SELECT status, failure_category FROM ops.runs ORDER BY run_id DESC LIMIT 1").fetchone()
    con.close()
    assert states == [("failed", "upstream")] and run == ("failed", "upstream")
