"""The real transforms on the real corpus through the command line: kill and resume, idempotence, staleness after
editing a phase 3 transform, and a gate on a week deleted from a phase 3 table."""

import dataclasses
import os
import shutil
import signal
import subprocess
import sys

import duckdb
import pytest
from typer.testing import CliRunner

from nbaprops.calendar import SeasonCalendar
from nbaprops.cli import app
from nbaprops.pipeline.partitions import Reason
from nbaprops.pipeline.planner import BackfillRequest, build_plan
from nbaprops.pipeline.registry import discover, downstream
from nbaprops.warehouse import connect

pytestmark = pytest.mark.realdata
runner = CliRunner()


def table_contents(path) -> dict[str, tuple]:
    """Every derived table's row count and order-independent content hash (for "nothing changed" checks)."""
    con = connect(path, read_only=True)
    out = {name: con.execute(f"SELECT count(*), sum(hash(t)) FROM {name} t").fetchone() for name in discover()}
    con.close()
    return out


def content_differences(path_a, path_b) -> dict[str, int]:
    """Per derived table, the keys whose rows differ between two warehouses (or exist in one only). Doubles are
    equal within 1e-9 relative: a window aggregated in other batches may differ in its last bits (parallel
    summation order), which is not a difference in content."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{path_a}' AS a (READ_ONLY); ATTACH '{path_b}' AS b (READ_ONLY)")
    out = {}
    for name, transform in discover().items():
        columns = con.execute(f"SELECT column_name, column_type FROM (DESCRIBE a.{name})").fetchall()
        keys = " AND ".join(f"x.{k} = y.{k}" for k in transform.keys)
        differ = " OR ".join(
            f"abs(x.{c} - y.{c}) > 1e-9 * greatest(1, abs(x.{c})) OR (x.{c} IS NULL) <> (y.{c} IS NULL)"
            if t == "DOUBLE"
            else f"x.{c} IS DISTINCT FROM y.{c}"
            for c, t in columns
        )
        out[name] = con.execute(
            f"SELECT count(*) FROM a.{name} x FULL JOIN b.{name} y ON {keys} "
            f"WHERE x.{transform.keys[0]} IS NULL OR y.{transform.keys[0]} IS NULL OR {differ}"
        ).fetchone()[0]
    con.close()
    return out


def test_killed_backfill_resumes_and_equals_a_clean_rebuild(corpus_db, built_db, tmp_path):
    db = tmp_path / "killed.duckdb"
    shutil.copy(corpus_db, db)
    cmd = [sys.executable, "-m", "nbaprops.cli", "--db", str(db), "backfill", "--batch-days", "30"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # see each batch line as it happens
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    done_lines = []
    for line in proc.stdout:
        if " done, " in line:
            done_lines.append(line)
        if len(done_lines) == 8:  # mid-run: some batches of the first tables written, most not
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    con = connect(db)
    finished = con.execute("SELECT count(*) FROM ops.partitions WHERE state = 'done'").fetchone()[0]
    transforms = discover()
    calendar = SeasonCalendar.load(con)
    plan = build_plan(con, transforms, calendar, BackfillRequest(calendar.game_dates[0], calendar.game_dates[-1]))
    expected_total = sum(len(t.expected) for t in plan.tables)
    con.close()
    assert 0 < finished < expected_total
    assert plan.partitions == expected_total - finished  # only the unfinished partitions are redone

    result = runner.invoke(app, ["--db", str(db), "backfill", "--batch-days", "30"])
    assert result.exit_code == 0, result.output
    assert content_differences(db, built_db) == dict.fromkeys(discover(), 0)
    con = connect(db, read_only=True)
    statuses = [s for (s,) in con.execute("SELECT status FROM ops.runs ORDER BY run_id").fetchall()]
    con.close()
    assert statuses == ["failed", "success"]  # the killed run is closed as interrupted, not left running


def test_second_full_backfill_writes_nothing(built_db, tmp_path):
    db = tmp_path / "again.duckdb"
    shutil.copy(built_db, db)
    before = table_contents(db)
    result = runner.invoke(app, ["--db", str(db), "backfill"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Every partition in range is already done and fresh" in result.output
    assert table_contents(db) == before


def test_editing_a_phase_3_transform_marks_exactly_it_and_its_downstream(built_db, tmp_path):
    con = connect(built_db, read_only=True)
    transforms = discover()
    edited_name = "analytics.team_offense_game_summary"
    original = transforms[edited_name]
    sql = tmp_path / "team_offense_game_summary.sql"
    sql.write_text(original.sql.replace("AS pace,", "AS pace, -- edited\n"))
    transforms[edited_name] = dataclasses.replace(original, sql_file=sql)
    calendar = SeasonCalendar.load(con)
    plan = build_plan(con, transforms, calendar, BackfillRequest(calendar.game_dates[0], calendar.game_dates[-1]))
    con.close()
    affected = {edited_name} | downstream(transforms, edited_name)
    planned = {t.transform.name: t for t in plan.tables if t.work}
    assert set(planned) == affected
    assert "analytics.player_game_summary" not in planned
    assert set(planned[edited_name].work.values()) == {Reason.STALE_CODE}
    for name in affected - {edited_name}:
        assert set(planned[name].work.values()) == {Reason.UPSTREAM}, name
        assert set(planned[name].work) == set(planned[name].expected), name

    copy = tmp_path / "dry.duckdb"
    shutil.copy(built_db, copy)
    result = runner.invoke(app, ["--db", str(copy), "backfill", "--dry-run"], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "nothing written" in result.output


def test_gate_names_the_deleted_week_and_force_overrides(built_db, tmp_path):
    db = tmp_path / "gate.duckdb"
    shutil.copy(built_db, db)
    con = connect(db)
    week = [d for (d,) in con.execute(
        "SELECT DISTINCT game_date FROM analytics.team_offense_game_summary "
        "WHERE game_date BETWEEN DATE '2025-01-13' AND DATE '2025-01-19' ORDER BY 1").fetchall()]  # fmt: skip
    con.execute("DELETE FROM analytics.team_offense_game_summary WHERE game_date BETWEEN ? AND ?", [week[0], week[-1]])
    con.close()
    args = ["--db", str(db), "backfill", "--phases", "precompute", "--start-date", "2025-01-13",
            "--end-date", "2025-01-31", "--no-resume"]  # fmt: skip
    result = runner.invoke(app, args, env={"COLUMNS": "300"})
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "gate: analytics.team_offense_game_summary coverage:" in output
    assert f"missing: {week[0]}..{week[-1]}" in output
    fix = f"nbaprops backfill --tables analytics.team_offense_game_summary --dates {','.join(map(str, week))}"
    assert fix in output

    forced = runner.invoke(app, [*args, "--force"], env={"COLUMNS": "300"})
    assert forced.exit_code == 0, forced.output
    assert "failing gates were overridden" in forced.output
    con = connect(db, read_only=True)
    forced_rows = con.execute(
        "SELECT count(*) FROM ops.partitions WHERE forced AND table_name LIKE 'precompute.%'"
    ).fetchone()[0]
    details = con.execute("SELECT details FROM ops.runs ORDER BY run_id DESC LIMIT 1").fetchone()[0]
    con.close()
    assert forced_rows > 0
    assert '"forced_gates": true' in details

    fixed = runner.invoke(app, ["--db", str(db), *fix.split()[1:]])
    assert fixed.exit_code == 0, fixed.output
    again = runner.invoke(app, args[:-1], env={"COLUMNS": "300"})  # resume mode: gates pass now
    assert again.exit_code == 0, again.output
