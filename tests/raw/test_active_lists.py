"""raw.active_lists, the pre-game availability listing, derived from the box-score listings on the real corpus."""

import shutil

import pytest

from nbaprops.raw.ingest import ingest_archive
from nbaprops.warehouse import connect

pytestmark = pytest.mark.realdata


@pytest.mark.parametrize("season", ["2023-24", "2024-25"])
def test_every_listed_player_game_is_on_the_active_list_with_its_availability(corpus, season):
    """One row per listed (game, player); dressed = played or "Did Not Play"; every other reason is inactive."""
    listed, dressed, inactive = corpus.execute(
        "SELECT count(DISTINCT (game_id, player_id)), "
        "count(DISTINCT (game_id, player_id)) FILTER (WHERE dnp_reason IS NULL OR dnp_reason = 'Did Not Play'), "
        "count(DISTINCT (game_id, player_id)) FILTER (WHERE dnp_reason IN ('Did Not Dress', 'Not With Team')) "
        "FROM raw.player_boxscores WHERE source = 'bbref_box' AND season = ? AND player_id IS NOT NULL",
        [season],
    ).fetchone()
    rows, available, out_dressing = corpus.execute(
        "SELECT count(*), count(*) FILTER (WHERE available), "
        "count(*) FILTER (WHERE NOT available AND reason IN ('Did Not Dress', 'Not With Team')) "
        "FROM raw.active_lists WHERE season_year = ? AND source = 'bbref_box'",
        [int(season[:4])],
    ).fetchone()
    assert (rows, available, out_dressing) == (listed, dressed, inactive)
    assert inactive > 500  # the lists really carry inactive players
    # every team-game of the regular season has a list, with at least the five starters available
    short = corpus.execute(
        "SELECT count(*) FROM (SELECT game_id, team, count(*) FILTER (WHERE available) AS n FROM raw.active_lists "
        "WHERE season_year = ? GROUP BY ALL) WHERE n < 5",
        [int(season[:4])],
    ).fetchone()[0]
    assert short == 0


def test_an_upgraded_warehouse_derives_its_active_lists_on_the_next_ingest(corpus_db, tmp_path):
    """A warehouse that predates the lists (empty table, box scores loaded) gets them from an unchanged ingest."""
    from tests.conftest import ARCHIVE

    copy = tmp_path / "copy.duckdb"
    shutil.copy(corpus_db, copy)
    con = connect(copy)
    before = con.execute("SELECT count(*), sum(hash(a)) FROM raw.active_lists a").fetchone()
    con.execute("DELETE FROM raw.active_lists")
    summary = ingest_archive(con, ARCHIVE)
    assert {f.status for f in summary.files} == {"unchanged"}
    assert con.execute("SELECT count(*), sum(hash(a)) FROM raw.active_lists a").fetchone() == before
    con.close()
