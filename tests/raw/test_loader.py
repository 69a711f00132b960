"""Bad input never passes silently: each case names file, line and problem; good rows still load; rejects are
kept in raw.quarantine; an unreadable file fails the ingest."""

import gzip
import json

import pytest

from nbaprops.raw.ingest import ingest_archive
from tests.raw.mini_archive import (
    BOX_HEADER,
    box_row,
    csv_text,
    good_box_rows,
    write_box,
    write_gz,
    write_team_games,
)

BOX_FILE = "box/bbref_player_box_2024-25.csv.gz"


def _result(summary, rel):
    return next(f for f in summary.files if f.file == rel)


def _quarantine(con, rel):
    return con.execute("SELECT line, reason, record FROM raw.quarantine WHERE file = ? ORDER BY line", [rel]).fetchall()


def _loaded_players(con):
    return {r[0] for r in con.execute("SELECT source_player_id FROM raw.player_boxscores").fetchall()}


def test_good_files_load(tmp_path, warehouse):
    write_team_games(tmp_path)
    write_box(tmp_path, good_box_rows())
    summary = ingest_archive(warehouse, tmp_path)
    assert [f.status for f in summary.files] == ["loaded", "loaded"]
    assert warehouse.execute("SELECT count(*) FROM raw.player_boxscores").fetchone()[0] == 6
    assert warehouse.execute("SELECT count(*) FROM raw.team_boxscores").fetchone()[0] == 2
    assert warehouse.execute("SELECT count(*) FROM ops.ingest_log WHERE status = 'loaded'").fetchone()[0] == 2


def test_non_numeric_stat_is_quarantined_and_the_rest_loads(tmp_path, warehouse):
    rows = good_box_rows()
    rows[2]["pts"] = "abc"
    write_box(tmp_path, rows)
    summary = ingest_archive(warehouse, tmp_path)
    result = _result(summary, BOX_FILE)
    assert result.status == "partial"
    assert result.problems == [(4, "column pts: 'abc' is not a number")]
    ((line, reason, record),) = _quarantine(warehouse, BOX_FILE)
    assert (line, reason) == (4, "column pts: 'abc' is not a number")
    assert json.loads(record)["bbref_player_id"] == "player02"
    assert _loaded_players(warehouse) == {f"player{i:02d}" for i in range(6)} - {"player02"}


def test_duplicated_row_keeps_the_first_and_quarantines_the_copy(tmp_path, warehouse):
    rows = good_box_rows()
    rows.append(dict(rows[1]))
    write_box(tmp_path, rows)
    summary = ingest_archive(warehouse, tmp_path)
    result = _result(summary, BOX_FILE)
    assert result.rows_loaded == 6 and result.rows_rejected == 1
    ((line, reason, _),) = _quarantine(warehouse, BOX_FILE)
    assert line == 8
    assert reason == "duplicate record: same nba_game_id, bbref_player_id as line 3"


def test_unknown_team_code_is_quarantined(tmp_path, warehouse):
    rows = good_box_rows()
    rows[0]["team_nba"] = "XYZ"
    write_box(tmp_path, rows)
    ingest_archive(warehouse, tmp_path)
    ((line, reason, _),) = _quarantine(warehouse, BOX_FILE)
    assert (line, reason) == (2, "unknown team code XYZ in column team_nba")
    assert len(_loaded_players(warehouse)) == 5


def test_missing_required_column_fails_the_file_but_not_the_others(tmp_path, warehouse):
    write_team_games(tmp_path)
    header = [h for h in BOX_HEADER if h != "pts"]
    write_box(tmp_path, good_box_rows(), header=header)
    summary = ingest_archive(warehouse, tmp_path)
    box = _result(summary, BOX_FILE)
    assert box.status == "failed"
    assert box.error == "missing required column(s): pts"
    assert summary.failed == [box]
    assert warehouse.execute("SELECT count(*) FROM raw.team_boxscores").fetchone()[0] == 2
    status, error = warehouse.execute("SELECT status, error FROM ops.ingest_log WHERE file = ?", [BOX_FILE]).fetchone()
    assert (status, error) == ("failed", "missing required column(s): pts")


def test_truncated_gzip_loads_what_it_can_and_says_so(tmp_path, warehouse):
    rows = [box_row(f"p{i:04d}", f"Player {i}", team="BOS" if i % 2 else "NYK") for i in range(3000)]
    data = gzip.compress(csv_text(BOX_HEADER, rows).encode())
    (tmp_path / "box").mkdir()
    (tmp_path / BOX_FILE).write_bytes(data[: int(len(data) * 0.6)])
    summary = ingest_archive(warehouse, tmp_path)
    result = _result(summary, BOX_FILE)
    assert result.status == "partial"
    assert "truncated gzip" in result.error
    loaded = warehouse.execute("SELECT count(*) FROM raw.player_boxscores").fetchone()[0]
    assert 0 < loaded < 3000
    assert result.rows_loaded == loaded
    # the cut-off last line is quarantined, never loaded
    ((line, reason, _),) = _quarantine(warehouse, BOX_FILE)
    assert (line, reason) == (loaded + 2, "last line of a truncated file, cut short")


def test_unreadable_file_fails_loudly(tmp_path, warehouse):
    (tmp_path / "box").mkdir()
    (tmp_path / BOX_FILE).write_bytes(b"\x1f\x8b garbage")
    summary = ingest_archive(warehouse, tmp_path)
    assert summary.failed and "cannot read the file" in summary.failed[0].error


def test_second_ingest_is_a_no_op_and_a_changed_file_replaces_exactly_its_rows(tmp_path, warehouse):
    write_team_games(tmp_path)
    write_box(tmp_path, good_box_rows())
    ingest_archive(warehouse, tmp_path)
    log_rows = warehouse.execute("SELECT count(*) FROM ops.ingest_log").fetchone()[0]

    again = ingest_archive(warehouse, tmp_path)
    assert {f.status for f in again.files} == {"unchanged"}
    assert warehouse.execute("SELECT count(*) FROM ops.ingest_log").fetchone()[0] == log_rows
    assert warehouse.execute("SELECT count(*) FROM raw.player_boxscores").fetchone()[0] == 6

    rows = good_box_rows(4)
    rows[0]["pts"] = "31"
    write_box(tmp_path, rows)
    changed = ingest_archive(warehouse, tmp_path)
    assert _result(changed, BOX_FILE).status == "loaded"
    assert _result(changed, "team/team_game_logs_2024-25.csv").status == "unchanged"
    assert _loaded_players(warehouse) == {f"player{i:02d}" for i in range(4)}
    assert warehouse.execute("SELECT pts FROM raw.player_boxscores WHERE source_player_id = 'player00'").fetchone() == (
        31,
    )
    assert warehouse.execute("SELECT count(*) FROM raw.team_boxscores").fetchone()[0] == 2


def test_same_rows_in_two_files_are_loaded_once(tmp_path, warehouse):
    write_box(tmp_path, good_box_rows())
    write_gz(tmp_path / "box" / "bbref_player_box_2024-25_copy.csv.gz", csv_text(BOX_HEADER, good_box_rows()))
    summary = ingest_archive(warehouse, tmp_path)
    copy = _result(summary, "box/bbref_player_box_2024-25_copy.csv.gz")
    assert copy.rows_elsewhere == 6 and copy.rows_loaded == 0 and copy.rows_rejected == 0
    assert warehouse.execute("SELECT count(*) FROM raw.player_boxscores").fetchone()[0] == 6


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1e10", "column pts: '1e10' is out of range"),
        ("1e999", "column pts: '1e999' is not a finite number"),
        ("NaN", "column pts: 'NaN' is not a finite number"),
        ("-inf", "column pts: '-inf' is not a finite number"),
    ],
)
def test_non_finite_or_huge_number_is_quarantined_not_a_crash(tmp_path, warehouse, value, reason):
    rows = good_box_rows()
    rows[1]["pts"] = value
    write_box(tmp_path, rows)
    result = _result(ingest_archive(warehouse, tmp_path), BOX_FILE)
    assert result.status == "partial"
    assert result.problems == [(3, reason)]
    assert _loaded_players(warehouse) == {f"player{i:02d}" for i in range(6)} - {"player01"}


def test_a_game_dated_outside_its_season_is_quarantined(tmp_path, warehouse):
    rows = good_box_rows()
    rows[3]["game_date"] = "2099-10-22"
    write_box(tmp_path, rows)
    result = _result(ingest_archive(warehouse, tmp_path), BOX_FILE)
    assert result.problems == [(5, "game_date 2099-10-22 is outside season(s) 2024-25")]
    assert _loaded_players(warehouse) == {f"player{i:02d}" for i in range(6)} - {"player03"}


def test_a_short_row_is_quarantined_with_its_line(tmp_path, warehouse):
    text = csv_text(BOX_HEADER, good_box_rows())
    lines = text.splitlines(keepends=True)
    lines[2] = ",".join(lines[2].split(",")[:5]) + "\n"
    write_gz(tmp_path / BOX_FILE, "".join(lines))
    result = _result(ingest_archive(warehouse, tmp_path), BOX_FILE)
    assert result.problems == [(3, f"expected {len(BOX_HEADER)} fields, found 5")]
    assert len(_loaded_players(warehouse)) == 5


def test_a_directory_or_broken_symlink_matching_a_pattern_fails_by_name(tmp_path, warehouse):
    write_box(tmp_path, good_box_rows())
    (tmp_path / "box" / "bbref_player_box_2023-24.csv.gz").mkdir()
    (tmp_path / "box" / "bbref_player_box_2025-26.csv.gz").symlink_to(tmp_path / "gone.csv.gz")
    summary = ingest_archive(warehouse, tmp_path)
    errors = {f.file: f.error for f in summary.failed}
    directory, link = "box/bbref_player_box_2023-24.csv.gz", "box/bbref_player_box_2025-26.csv.gz"
    assert errors == {
        directory: f"not a regular file: {tmp_path / directory}",
        link: f"a broken symbolic link: {tmp_path / link}",
    }
    assert _result(summary, BOX_FILE).status == "loaded" and len(_loaded_players(warehouse)) == 6
    logged = warehouse.execute("SELECT file, status FROM ops.ingest_log WHERE status = 'failed' ORDER BY 1").fetchall()
    assert logged == [(f, "failed") for f in sorted(errors)]


def test_a_partly_read_file_never_replaces_a_complete_one(tmp_path, warehouse):
    """The tolerance is for counts; a truncated file is refused even when it lost fewer rows than the tolerance."""
    rows = [box_row(f"p{i:04d}", f"Player {i}", team="BOS" if i % 2 else "NYK") for i in range(3000)]
    data = gzip.compress(csv_text(BOX_HEADER, rows).encode())
    (tmp_path / "box").mkdir()
    (tmp_path / BOX_FILE).write_bytes(data)
    ingest_archive(warehouse, tmp_path)
    (tmp_path / BOX_FILE).write_bytes(data[:-12])  # only the gzip trailer is lost: every record still reads
    result = _result(ingest_archive(warehouse, tmp_path), BOX_FILE)
    assert result.status == "failed"
    assert result.error.startswith(f"{BOX_FILE} was only partly read (truncated gzip")
    assert "its 3,000 rows in raw.player_boxscores are kept" in result.error
    assert warehouse.execute("SELECT count(*) FROM raw.player_boxscores").fetchone() == (3000,)
