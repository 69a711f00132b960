"""Acceptance 1 and 4: coverage lists exactly the missing dates and the command that fixes them, and is
bootstrap-aware with the naive figure beside it."""

from __future__ import annotations

import datetime as dt
import json
import shlex

import pytest

from nbaprops.audit import run_validation
from nbaprops.pipeline.transform import Transform
from nbaprops.pipeline.writer import write_batch
from nbaprops.validation import gate_checks
from nbaprops.validation.api import load_calendar
from nbaprops.validation.tables import TableSpec
from nbaprops.warehouse import connect
from tests.validation.helpers import BUILT_FROM, PHASE4_SAMPLE, cli, require_declared

pytestmark = pytest.mark.realdata

FIVE = [dt.date(2024, 11, 6), dt.date(2024, 11, 13), dt.date(2024, 12, 4), dt.date(2025, 1, 15), dt.date(2025, 2, 26)]


def _validate_json(db, table: str, *options: str) -> tuple[int, dict]:
    result = cli(db, "validate", "--tables", table, "--format", "json", *options)
    return result.exit_code, json.loads(result.output)


def _coverage(payload: dict) -> dict:
    return next(r for r in payload["results"] if r["name"] == "coverage")


def _remove_dates(db, table: str) -> None:
    con = connect(db)
    con.execute(f"CREATE TABLE main.kept AS SELECT * FROM {table} WHERE list_contains($d, game_date)", {"d": FIVE})
    con.execute(f"DELETE FROM {table} WHERE list_contains($d, game_date)", {"d": FIVE})
    con.close()


def test_raw_table_missing_five_dates_fails_then_passes_when_restored(corpus_copy_path):
    db, table = corpus_copy_path, "raw.player_boxscores"
    _remove_dates(db, table)
    code, payload = _validate_json(db, table)
    assert code == 1
    coverage = _coverage(payload)
    assert coverage["status"] == "fail" and coverage["blocking"]
    assert coverage["details"]["missing_dates"] == [str(d) for d in FIVE]
    assert coverage["suggested_command"] == "nbaprops ingest archive --seasons 2024-25 --reload"
    text = cli(db, "validate", "--tables", table).output
    assert all(str(d) in text for d in FIVE) and "fix: nbaprops ingest archive --seasons 2024-25 --reload" in text

    con = connect(db)
    con.execute(f"INSERT INTO {table} SELECT * FROM main.kept")
    con.close()
    code, payload = _validate_json(db, table)
    assert code == 0, [r for r in payload["results"] if r["status"] == "fail"]
    assert _coverage(payload)["measured"] == 1.0


SYNTHETIC_SQL = """
SELECT game_id, game_date, team, pts FROM raw.team_boxscores
WHERE source = 'nba_team_box' AND game_date BETWEEN $start_date AND $end_date
"""


def test_synthetic_declared_table_is_bootstrap_aware_and_names_the_backfill(corpus_copy, tmp_path):
    sql_file = tmp_path / "synthetic_points.sql"
    sql_file.write_text(SYNTHETIC_SQL)
    t = Transform(
        name="analytics.synthetic_points", phase="analytics", inputs=("raw.team_boxscores",),
        keys=("game_id", "team"), sql_file=sql_file, bootstrap=True, lookback="same_date",
    )  # fmt: skip
    con, calendar = corpus_copy, load_calendar(corpus_copy)
    start, end = dt.date(2024, 10, 22), dt.date(2025, 3, 1)
    dates = calendar.dates_between(start, end, skip_bootstrap=True)
    write_batch(con, t, dates, run_id=1, settings={})
    specs = {t.name: TableSpec.from_transform(t)}

    def coverage():
        results = run_validation(con, tables=[t.name], start=start, end=end, specs=specs, calendar=calendar)
        return next(r for r in results if r.name == "coverage")

    before = coverage()
    assert before.status == "pass" and before.measured == 1.0
    bootstrap = len(calendar.dates_between(start, end)) - len(dates)
    assert before.details["bootstrap_dates"] == bootstrap > 10
    assert before.details["naive_share"] == pytest.approx(len(dates) / (len(dates) + bootstrap))
    assert "naive" in before.message

    con.execute(f"DELETE FROM {t.name} WHERE list_contains($d, game_date)", {"d": FIVE[:4]})
    after = coverage()
    assert after.blocks and after.details["missing_dates"] == FIVE[:4]
    dates_arg = ",".join(map(str, FIVE[:4]))
    # rows gone behind the ledger's back: the planner sees it, so a plain backfill is the fix
    assert after.suggested_command == f"nbaprops backfill --tables {t.name} --dates {dates_arg}"

    gate = gate_checks(con, t.name, FIVE, spec=specs[t.name], calendar=calendar)
    assert [r.name for r in gate if r.blocks] == ["coverage"]

    write_batch(con, t, FIVE[:4], run_id=2, settings={})
    assert coverage().status == "pass"


def test_phase3_table_missing_five_dates_fails_and_its_fix_command_works(built_copy_path):
    table = "analytics.team_offense_game_summary"
    require_declared(table)
    db = built_copy_path
    _remove_dates(db, table)
    code, payload = _validate_json(db, table, "--start-date", BUILT_FROM)
    assert code == 1
    coverage = _coverage(payload)
    assert coverage["details"]["missing_dates"] == [str(d) for d in FIVE]
    command = coverage["suggested_command"]
    assert command.startswith(f"nbaprops backfill --tables {table} --dates {FIVE[0]},")

    fixed = cli(db, *shlex.split(command)[1:])
    assert fixed.exit_code == 0, fixed.output
    code, payload = _validate_json(db, table, "--start-date", BUILT_FROM)
    assert code == 0, [r for r in payload["results"] if r["status"] == "fail"]


def test_phase4_coverage_is_complete_bootstrap_aware_with_the_naive_figure_beside_it(built_db):
    require_declared(PHASE4_SAMPLE)
    con = connect(built_db, read_only=True)
    try:
        results = run_validation(con, tables=[PHASE4_SAMPLE], start=dt.date.fromisoformat(BUILT_FROM))
    finally:
        con.close()
    coverage = next(r for r in results if r.name == "coverage")
    assert coverage.status == "pass" and coverage.measured == 1.0
    assert 0.85 <= coverage.details["naive_share"] <= 0.95
    assert "naive" in coverage.message and "bootstrap days" in coverage.message
