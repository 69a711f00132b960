"""Oracle tests on the real archive corpus (facts listed in ../shared/data/README.md)."""

import pytest

from nbaprops.raw.ingest import ingest_archive
from nbaprops.warehouse import connect

pytestmark = pytest.mark.realdata

SUMMED = ("pts", "fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "ast", "stl", "blk", "pf")


@pytest.mark.parametrize("season", ["2023-24", "2024-25"])
def test_player_sums_equal_team_totals_for_every_team_game(corpus, season):
    sums = ", ".join(f"sum(p.{c}) AS {c}" for c in SUMMED)
    mismatch = " OR ".join(f"s.{c} IS DISTINCT FROM t.{c}" for c in SUMMED)
    total, bad, five_starters = corpus.execute(
        f"""
        WITH s AS (SELECT game_id, team, {sums}, count(*) FILTER (WHERE starter) AS starters
                   FROM raw.player_boxscores p WHERE source = 'bbref_box' AND season = ? GROUP BY ALL)
        SELECT count(*), count(*) FILTER (WHERE {mismatch}), count(*) FILTER (WHERE s.starters = 5)
        FROM s JOIN raw.team_boxscores t USING (game_id, team)
        WHERE t.source = 'nba_team_box'
        """,
        [season],
    ).fetchone()
    # 2,456 regular-season team-games plus the 4 of the two NBA Cup semifinals, which are regular-season games too
    # (002 ids; team/ labels them nba_cup_semi): all 2,460 add up.
    assert total == 2460
    assert bad == 0
    assert five_starters == 2460


def test_shot_attempts_equal_team_fga_for_every_2024_25_team_game(corpus):
    total, equal = corpus.execute(
        """
        WITH s AS (SELECT game_id, team, count(*) AS fga, count(*) FILTER (WHERE shot_made) AS fgm
                   FROM raw.shots GROUP BY ALL)
        SELECT count(*), count(*) FILTER (WHERE s.fga = t.fga AND s.fgm = t.fgm)
        FROM raw.team_boxscores t LEFT JOIN s USING (game_id, team)
        WHERE t.source = 'nba_team_box' AND t.season = '2024-25'
          AND t.game_id IN (SELECT game_id FROM raw.player_boxscores WHERE source = 'bbref_box')
        """
    ).fetchone()
    assert total == 2460  # see the note on cup semifinals above
    assert equal == 2460


def test_shots_are_stored_with_ten_character_ids_and_iso_dates(corpus):
    bad_ids, seasons = corpus.execute(
        "SELECT count(*) FILTER (WHERE length(game_id) <> 10), string_agg(DISTINCT season, ',' ORDER BY season) "
        "FROM raw.shots"
    ).fetchone()
    assert bad_ids == 0
    assert seasons == "2023-24,2024-25"
    assert corpus.execute("SELECT min(game_date) FROM raw.shots WHERE season = '2023-24'").fetchone()[
        0
    ].isoformat() == ("2023-10-24")


@pytest.mark.parametrize(("season", "played"), [("2023-24", 26400), ("2024-25", 26306)])
def test_played_player_games_resolve_to_nba_ids(corpus, season, played):
    total, resolved = corpus.execute(
        "SELECT count(*), count(player_id) FROM raw.player_boxscores "
        "WHERE source = 'bbref_box' AND season = ? AND dnp_reason IS NULL",
        [season],
    ).fetchone()
    assert total == played
    assert resolved / total >= 0.99


def test_bbref_and_nba_agree_on_points_for_resolved_player_games(corpus):
    disagree = corpus.execute(
        """
        SELECT count(*) FROM raw.player_boxscores b
        JOIN raw.player_boxscores n ON n.source = 'nba_gamelog' AND n.game_id = b.game_id AND n.player_id = b.player_id
        WHERE b.source = 'bbref_box' AND (b.pts <> n.pts OR b.reb <> n.reb OR b.ast <> n.ast)
        """
    ).fetchone()[0]
    assert disagree == 0


def test_every_raw_box_row_has_a_game_id_of_the_loaded_games(corpus):
    orphans = corpus.execute(
        "SELECT count(*) FROM raw.player_boxscores WHERE game_id NOT IN (SELECT game_id FROM raw.games)"
    ).fetchone()[0]
    assert orphans == 0


def test_prop_lines_cover_three_markets_with_lookups(corpus):
    markets = dict(corpus.execute("SELECT market, count(*) FROM raw.prop_lines GROUP BY 1").fetchall())
    assert markets["player_points"] == 36822
    assert markets["player_threes"] == 84510
    assert markets["player_points_rebounds_assists"] > 50000
    assert corpus.execute("SELECT count(*) FROM raw.prop_lines WHERE player_lookup = ''").fetchone()[0] == 0


def test_second_ingest_adds_nothing_anywhere(corpus_db, tmp_path):
    import shutil

    from tests.conftest import ARCHIVE

    copy = tmp_path / "copy.duckdb"
    shutil.copy(corpus_db, copy)
    con = connect(copy)
    tables = [
        f"{s}.{t}"
        for s, t in con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        ).fetchall()
    ]
    before = {t: con.execute(f"SELECT count(*), sum(hash(x)) FROM {t} x").fetchone() for t in tables}
    summary = ingest_archive(con, ARCHIVE)
    assert {f.status for f in summary.files} == {"unchanged"}
    after = {t: con.execute(f"SELECT count(*), sum(hash(x)) FROM {t} x").fetchone() for t in tables}
    con.close()
    assert after == before


MOJIBAKE = ("Ã", "Ä\x87", "â€", "\ufffd")


def test_every_text_value_of_every_raw_table_is_free_of_mojibake(corpus):
    """The Basketball-Reference box files double-encode 26 players' names; ingest repairs them (sources.text)."""
    columns = corpus.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'raw' AND data_type = 'VARCHAR' AND table_name IN "
        "(SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' AND table_type = 'BASE TABLE')"
    ).fetchall()
    assert len(columns) > 20
    bad = {}
    for table, col in columns:
        found = " OR ".join(f'contains("{col}", ?)' for _ in MOJIBAKE)
        if n := corpus.execute(f"SELECT count(*) FROM raw.{table} WHERE {found}", list(MOJIBAKE)).fetchone()[0]:
            bad[f"raw.{table}.{col}"] = n
    assert bad == {}


@pytest.mark.parametrize(
    ("name", "lookup", "spelled_so_by"),
    [("Nikola Jokić", "nikolajokic", ["bbref_box", "nba_gamelog"]), ("Armel Traoré", "armeltraore", ["bbref_box"])],
)  # NBA.com writes "Armel Traore"
def test_accented_names_are_stored_as_written(corpus, name, lookup, spelled_so_by):
    sources = corpus.execute(
        "SELECT source, count(*), count(DISTINCT player_id), any_value(player_lookup) FROM raw.player_boxscores "
        "WHERE player_name = ? GROUP BY 1 ORDER BY 1",
        [name],
    ).fetchall()
    assert [s[0] for s in sources] == spelled_so_by
    assert all(n > 0 and ids == 1 and lk == lookup for _, n, ids, lk in sources)
    assert corpus.execute("SELECT count(*) FROM raw.player_names WHERE player_lookup = ?", [lookup]).fetchone()[0] > 0


def test_every_played_player_game_resolves_to_an_nba_id(corpus):
    played, resolved = corpus.execute(
        "SELECT count(*), count(player_id) FROM raw.player_boxscores WHERE source = 'bbref_box' AND dnp_reason IS NULL"
    ).fetchone()
    assert played == 26400 + 26306
    assert resolved == played
