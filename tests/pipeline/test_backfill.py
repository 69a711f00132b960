"""Planner and runner on a copy of the real warehouse with two toy transforms: resume, idempotence, staleness,
gates and run history."""

import datetime as dt
import json
import shutil

import pytest

from nbaprops.calendar import SeasonCalendar
from nbaprops.pipeline.partitions import Reason, ReprocessMode
from nbaprops.pipeline.planner import BackfillRequest, build_plan
from nbaprops.pipeline.runner import execute_plan
from nbaprops.warehouse import connect
from tests.pipeline.toy import TEAM_POINTS_SQL, toy_transforms

pytestmark = pytest.mark.realdata

SEASON = BackfillRequest(dt.date(2024, 10, 1), dt.date(2025, 4, 30))
POINTS, ROLLING = "analytics.toy_team_points", "precompute.toy_rolling"


def run(con, transforms, request=SEASON, **kw):
    calendar = SeasonCalendar.load(con)
    plan = build_plan(con, transforms, calendar, request)
    return plan, execute_plan(
        con, plan, transforms, calendar, command="test", batch_days=kw.pop("batch_days", 400), **kw
    )


def content(con, table):
    return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def test_full_run_then_nothing_left_to_do(corpus_copy, tmp_path):
    transforms = toy_transforms(tmp_path / "t")
    plan, summary = run(corpus_copy, transforms)
    calendar = SeasonCalendar.load(corpus_copy)
    regular = [d for d in calendar.dates_between(SEASON.start, SEASON.end, played_only=True)]
    points_plan = next(t for t in plan.tables if t.transform.name == POINTS)
    assert points_plan.expected == regular
    rolling_plan = next(t for t in plan.tables if t.transform.name == ROLLING)
    assert all(not calendar.is_bootstrap(d) for d in rolling_plan.expected)
    assert len(rolling_plan.skipped_bootstrap) > 0
    assert summary.status == "success" and summary.failed == 0

    again = build_plan(corpus_copy, transforms, calendar, SEASON)
    assert again.partitions == 0
    states = dict(corpus_copy.execute("SELECT state, count(*) FROM ops.partitions GROUP BY 1").fetchall())
    assert states["skipped"] == len(rolling_plan.skipped_bootstrap)
    status, details = corpus_copy.execute(
        "SELECT status, details FROM ops.runs ORDER BY run_id DESC LIMIT 1"
    ).fetchone()
    assert status == "success"
    assert json.loads(details)["tables"][ROLLING]["done"] == len(rolling_plan.expected)


def test_interrupted_run_resumes_and_equals_a_clean_rebuild(corpus_copy, tmp_path, corpus_db):
    transforms = toy_transforms(tmp_path / "t")
    batches = []

    def crash_after_three(table, dates):
        batches.append(dates)
        if len(batches) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(corpus_copy, transforms, batch_days=10, after_batch=crash_after_three)
    done_before = corpus_copy.execute("SELECT count(*) FROM ops.partitions WHERE state = 'done'").fetchone()[0]
    assert done_before == sum(len(b) for b in batches)

    calendar = SeasonCalendar.load(corpus_copy)
    resumed = build_plan(corpus_copy, transforms, calendar, SEASON)
    planned = {(t.transform.name, d) for t in resumed.tables for d in t.work}
    assert not planned & {(POINTS, d) for b in batches for d in b}  # finished batches are not redone
    run(corpus_copy, transforms, batch_days=10)
    assert corpus_copy.execute("SELECT status FROM ops.runs ORDER BY run_id LIMIT 1").fetchone()[0] == "failed"

    clean_path = tmp_path / "clean.duckdb"
    shutil.copy(corpus_db, clean_path)
    clean = connect(clean_path)
    run(clean, toy_transforms(tmp_path / "c"))
    for table in (POINTS, ROLLING):
        assert content(corpus_copy, table) == content(clean, table)
    clean.close()


def test_editing_a_transform_plans_it_and_its_downstream_only(corpus_copy, tmp_path):
    run(corpus_copy, toy_transforms(tmp_path / "t"))
    edited = toy_transforms(tmp_path / "t2", TEAM_POINTS_SQL.replace("pts\n", "pts + 0 AS pts\n"))
    plan = build_plan(corpus_copy, edited, SeasonCalendar.load(corpus_copy), SEASON)
    by_table = {t.transform.name: t for t in plan.tables}
    assert set(by_table[POINTS].work.values()) == {Reason.STALE_CODE}
    assert set(by_table[POINTS].work) == set(by_table[POINTS].expected)
    assert set(by_table[ROLLING].work.values()) == {Reason.UPSTREAM}
    assert set(by_table[ROLLING].work) == set(by_table[ROLLING].expected)


def test_changed_raw_data_marks_that_date_and_later_dates_of_the_season(corpus_copy, tmp_path):
    transforms = toy_transforms(tmp_path / "t")
    run(corpus_copy, transforms)
    day = dt.date(2025, 2, 3)
    corpus_copy.execute(
        "UPDATE raw.team_boxscores SET pts = pts + 1 WHERE game_date = ? AND source = 'nba_team_box'", [day]
    )
    plan = build_plan(corpus_copy, transforms, SeasonCalendar.load(corpus_copy), SEASON)
    by_table = {t.transform.name: t for t in plan.tables}
    assert by_table[POINTS].work == {day: Reason.STALE_INPUT}
    assert min(by_table[ROLLING].work) == day
    assert set(by_table[ROLLING].work) == {d for d in by_table[ROLLING].expected if d >= day}
    _, summary = run(corpus_copy, transforms)
    assert summary.status == "success"
    assert build_plan(corpus_copy, transforms, SeasonCalendar.load(corpus_copy), SEASON).partitions == 0


def test_gate_stops_a_table_whose_input_lost_a_week_and_force_overrides(corpus_copy, tmp_path):
    transforms = toy_transforms(tmp_path / "t")
    run(corpus_copy, transforms)
    week = [d for (d,) in corpus_copy.execute(
        f"SELECT DISTINCT game_date FROM {POINTS} WHERE game_date BETWEEN '2025-01-06' AND '2025-01-12' ORDER BY 1"
    ).fetchall()]  # fmt: skip
    corpus_copy.execute(f"DELETE FROM {POINTS} WHERE game_date BETWEEN '2025-01-06' AND '2025-01-12'")
    request = BackfillRequest(dt.date(2025, 1, 6), dt.date(2025, 1, 31), tables=(ROLLING,), mode=ReprocessMode.ALL)
    _, summary = run(corpus_copy, transforms, request)
    assert summary.status == "failed" and summary.failed > 0
    message = summary.tables[0].errors[0]
    assert message.startswith(f"gate: {POINTS} coverage: ")
    assert f"missing: {week[0]}..{week[-1]};" in message
    assert message.endswith(f"fix with: nbaprops backfill --tables {POINTS} --dates {','.join(map(str, week))}")
    category = corpus_copy.execute("SELECT failure_category FROM ops.runs ORDER BY run_id DESC LIMIT 1").fetchone()[0]
    assert category == "upstream"

    # the planner sees the rows are gone: a plain backfill of the input brings them back
    plan = build_plan(
        corpus_copy, transforms, SeasonCalendar.load(corpus_copy), BackfillRequest(week[0], week[-1], tables=(POINTS,))
    )
    assert plan.tables[0].work == dict.fromkeys(week, Reason.MISSING)

    _, forced = run(corpus_copy, transforms, request, force=True)
    assert forced.status == "success" and forced.forced_gates
    assert corpus_copy.execute(
        "SELECT bool_and(forced) FROM ops.partitions WHERE table_name = ? AND partition_date BETWEEN ? AND ?",
        [ROLLING, dt.date(2025, 1, 6), dt.date(2025, 1, 31)],
    ).fetchone()[0]
