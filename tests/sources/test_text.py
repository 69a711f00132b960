"""Text repair at ingest (`sources.text`): double-encoded names come back as written, correct text is untouched."""

import json

from hypothesis import given
from hypothesis import strategies as st

from nbaprops.names import player_lookup
from nbaprops.sources.archive import parse_csv
from nbaprops.sources.nba_stats import parse_player_gamelog
from nbaprops.sources.text import repair_text
from tests.sources.samples import sample

MOJIBAKE = ("Ã", "Ä\x87", "â€")

# Letters of the names the league spells (Latin-1 Supplement and Latin Extended-A), plus ASCII.
NAME_LETTERS = st.characters(min_codepoint=0xC0, max_codepoint=0x17F, categories=("Lu", "Ll"))
NAMES = st.builds(
    lambda first, accent, rest: f"{first}{accent} {rest}",
    st.text(st.characters(min_codepoint=0x61, max_codepoint=0x7A), min_size=1, max_size=8),
    st.text(NAME_LETTERS, min_size=1, max_size=3),
    st.text(st.characters(min_codepoint=0x61, max_codepoint=0x7A), min_size=1, max_size=8),
)


def _double_encoded(text: str) -> str:
    """What a writer that read UTF-8 as Latin-1 stores (the archive's Basketball-Reference box files)."""
    return text.encode("utf-8").decode("latin-1")


def test_the_corpus_spellings_come_back_as_written():
    assert repair_text("Nikola JokiÄ\x87") == "Nikola Jokić"
    assert repair_text("Armel TraorÃ©") == "Armel Traoré"
    assert repair_text("Dario Å\xa0ariÄ\x87") == "Dario Šarić"
    assert repair_text("Kristaps Porziņģis") == "Kristaps Porziņģis"
    assert repair_text("D'Angelo Russell") == "D'Angelo Russell"
    assert repair_text("Dâ€™Angelo Russell") == "D\u2019Angelo Russell"  # cp1252 reading: "â€™" is a quote
    assert repair_text("Šarić Žižić") == "Šarić Žižić"  # cp1252 letters in a correct name stay


@given(NAMES)
def test_a_double_encoded_name_is_repaired_and_a_correct_one_kept(name):
    assert repair_text(name) == name
    assert repair_text(_double_encoded(name)) == name
    assert repair_text(_double_encoded(_double_encoded(name))) == name
    assert player_lookup(repair_text(_double_encoded(name))) == player_lookup(name)


def test_decomposed_text_is_composed_so_two_sources_agree():
    assert repair_text("Jokic\u0301") == "Jokić"


def test_archive_records_are_repaired_when_parsed():
    data = "player,pts\nNikola JokiÄ\x87,30\nArmel TraorÃ©,4\n".encode()
    content = parse_csv(data)
    assert [r[0] for r in content.records] == ["Nikola Jokić", "Armel Traoré"]


def test_a_live_game_log_with_a_double_encoded_name_gets_the_name_and_lookup_as_written():
    payload = json.loads(sample("nba_stats_leaguegamelog_players"))
    table = payload["resultSets"][0]
    name_at = table["headers"].index("PLAYER_NAME")
    table["rowSet"][0][name_at] = _double_encoded("Nikola Jokić")
    row = parse_player_gamelog(json.dumps(payload).encode()).rows[0]
    assert row["player_name"] == "Nikola Jokić"
    assert row["player_lookup"] == "nikolajokic"
    assert not any(m in row["player_name"] for m in MOJIBAKE)
