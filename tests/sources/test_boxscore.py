"""The box-score parser against the captured payload of game 0022400561 (NYK at PHI, 2025-01-15, one overtime)."""

import datetime as dt
import json
from collections import Counter

import pytest

from nbaprops.sources.nba_boxscore import BoxGame, parse_boxscore
from tests.sources.samples import BOX_GAME, box, sample

GAME = BoxGame(BOX_GAME, dt.date(2025, 1, 15), home_team="PHI", away_team="NYK")


def _team_stats() -> dict[str, dict]:
    table = next(s for s in json.loads(sample("nba_stats_boxscoretraditionalv3_team"))["resultSets"]
                 if s["name"] == "TeamStats")  # fmt: skip
    return {r[3]: dict(zip(table["headers"], r, strict=True)) for r in table["rowSet"]}


def test_players_carry_splits_starters_and_dnp_reasons():
    result = parse_boxscore(box(BOX_GAME), GAME, "PlayerStats")
    assert not result.problems and len(result.rows) == 25
    assert Counter(r["team"] for r in result.rows if r["starter"]) == {"NYK": 5, "PHI": 5}
    assert Counter(r["dnp_reason"] for r in result.rows if r["dnp_reason"]) == {"Did Not Play": 7, "Did Not Dress": 1}
    assert all(r["fga"] is None and r["minutes"] is None for r in result.rows if r["dnp_reason"])
    assert {r["source"] for r in result.rows} == {"nba_box"}
    hart = next(r for r in result.rows if r["player_name"] == "Josh Hart")
    fields = ("team", "opponent", "is_home", "minutes", "reb")
    assert tuple(hart[f] for f in fields) == ("NYK", "PHI", False, "49:25", 17)


def test_player_splits_add_up_to_the_team_rows():
    players = parse_boxscore(box(BOX_GAME), GAME, "PlayerStats").rows
    teams = {r["team"]: r for r in parse_boxscore(box(BOX_GAME), GAME, "TeamStats").rows}
    official = _team_stats()
    for team, row in teams.items():
        assert row["pts"] == official[team]["PTS"] and row["minutes"] == "265:00"
        for stat in ("pts", "fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "ast"):
            assert sum(p[stat] or 0 for p in players if p["team"] == team) == row[stat], (team, stat)
    assert (teams["PHI"]["win"], teams["NYK"]["win"]) == (False, True)
    assert {r["source"] for r in teams.values()} == {"nba_team_box"}


def test_a_box_score_of_another_game_is_refused_record_by_record():
    other = BoxGame("0022400562", GAME.game_date, "PHI", "NYK")
    result = parse_boxscore(box(BOX_GAME), other, "TeamStats")
    assert not result.rows and len(result.problems) == 2
    assert "GAME_ID 0022400561 in the box score of game 0022400562" in result.problems[0][1]


@pytest.mark.parametrize("part", ["PlayerStats", "TeamStats"])
def test_an_empty_box_score_gives_no_rows(part):
    assert parse_boxscore(box("0022400001"), GAME, part).rows == []
