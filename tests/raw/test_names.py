from hypothesis import given
from hypothesis import strategies as st

from nbaprops.names import player_lookup


def test_examples():
    assert player_lookup("D'Angelo Russell") == "dangelorussell"
    assert player_lookup("Nikola Jokić") == "nikolajokic"
    assert player_lookup("Kristaps Porziņģis") == "kristapsporzingis"
    assert player_lookup("Jaren Jackson Jr.") == "jarenjacksonjr"
    assert player_lookup("  ") == ""


@given(st.text(alphabet=st.characters(codec="utf-8", categories=("L", "M", "N", "P", "Zs")), max_size=30))
def test_python_and_sql_lookups_agree(warehouse_session, name):
    assert warehouse_session.execute("SELECT player_lookup(?)", [name]).fetchone()[0] == player_lookup(name)
