"""The parsers against facts held by the captured payloads themselves and by the archive."""

import json
from collections import Counter

import pytest

from nbaprops.raw.live import team_names
from nbaprops.sources.injury_report import parse_injury_report
from nbaprops.sources.nba_cdn import parse_playbyplay, parse_schedule, shot_zone
from nbaprops.sources.nba_stats import parse_player_gamelog
from nbaprops.sources.payload import PayloadError
from tests.sources.samples import PBP_GAMES, pbp, sample


def _box_team_totals(game_id):
    box = json.loads(sample("nba_stats_boxscoretraditionalv3_team"))
    teams = next(s for s in box["resultSets"] if s["name"] == "TeamStats")
    assert teams["rowSet"][0][0] == game_id
    return {r[teams["headers"].index("TEAM_ABBREVIATION")]: r for r in teams["rowSet"]}, teams["headers"]


def _shot_totals(rows):
    fga, fgm = Counter(), Counter()
    for r in rows:
        fga[r["team"]] += 1
        fgm[r["team"]] += r["shot_made"]
    return fga, fgm


def test_playbyplay_shots_add_up_to_the_team_box_score_of_the_same_game():
    result = parse_playbyplay(pbp("0022400561"))
    assert not result.problems
    fga, fgm = _shot_totals(result.rows)
    teams, headers = _box_team_totals("0022400561")
    for team, row in teams.items():
        assert fga[team] == row[headers.index("FGA")] and fgm[team] == row[headers.index("FGM")], team


@pytest.mark.parametrize("game_id", sorted(PBP_GAMES))
def test_playbyplay_makes_and_free_throws_add_up_to_the_final_score_in_the_payload(game_id):
    """The payload's own team totals: every made shot and free throw must sum to its final score."""
    content = pbp(game_id)
    actions = json.loads(content)["game"]["actions"]
    points = Counter()
    for r in parse_playbyplay(content).rows:
        points[r["team"]] += r["shot_value"] * r["shot_made"]
    for a in actions:
        if a["actionType"] == "freethrow" and a.get("shotResult") == "Made":
            points[a["teamTricode"]] += 1
    final = actions[-1]
    assert sorted(points.values()) == sorted([int(final["scoreHome"]), int(final["scoreAway"])])


@pytest.mark.realdata
@pytest.mark.parametrize("game_id", sorted(PBP_GAMES))
def test_playbyplay_fga_and_fgm_per_team_equal_the_archive_team_box(game_id, corpus):
    fga, fgm = _shot_totals(parse_playbyplay(pbp(game_id)).rows)
    box = corpus.execute(
        "SELECT team, fga, fgm FROM raw.team_boxscores WHERE game_id = ? AND source = 'nba_team_box'", [game_id]
    ).fetchall()
    assert len(box) == 2
    assert {t: (fga[t], fgm[t]) for t, _, _ in box} == {t: (a, m) for t, a, m in box}


def test_playbyplay_zones_are_spelled_like_the_archive():
    rows = parse_playbyplay(pbp("0022400500")).rows
    zones = {r["basic_zone"] for r in rows}
    assert zones <= {"Restricted Area", "In The Paint (Non-RA)", "Mid-Range", "Left Corner 3", "Right Corner 3",
                     "Above the Break 3", "Backcourt"}  # fmt: skip
    assert all((r["shot_value"] == 3) == r["basic_zone"].endswith("3") for r in rows)
    assert rows[0]["game_date"].isoformat() == "2025-01-06"  # Eastern date of a 01:11 UTC tip
    assert {r["zone_range"] for r in rows} <= {"Less Than 8 ft.", "8-16 ft.", "16-24 ft.", "24+ ft."}


@pytest.mark.parametrize(
    ("distance", "value", "zone"),
    [(2, 2, "Restricted Area"), (7.5, 2, "In The Paint (Non-RA)"), (15, 2, "Mid-Range"), (26, 3, "Above the Break 3"),
     (22.1, 3, "Left Corner 3"), (60, 3, "Backcourt")],
)  # fmt: skip
def test_zone_falls_back_to_distance_without_an_area(distance, value, zone):
    assert shot_zone(None, distance, value, None) == zone


def test_a_shot_without_a_team_is_rejected_and_the_rest_kept():
    payload = json.loads(pbp("0022400500"))
    shot = next(a for a in payload["game"]["actions"] if a.get("isFieldGoal") == 1)
    shot["teamTricode"] = None
    result = parse_playbyplay(json.dumps(payload).encode())
    assert len(result.rows) == 180 and result.problems[0][0] == shot["actionNumber"]


def test_schedule_keeps_eastern_dates_and_international_opponents_as_unknown():
    rows = {r["game_id"]: r for r in parse_schedule(sample("nba_cdn_schedule")).rows}
    mel = rows["0012500009"]
    assert (mel["home_team"], mel["away_team"], mel["game_code"]) == ("NOP", None, None)
    assert rows["0012500008"]["game_code"] == "20251002_PHI_NYK" and rows["0012500008"]["season"] == "2025-26"


def test_missing_top_level_field_names_it():
    with pytest.raises(PayloadError, match="leagueSchedule"):
        parse_schedule(b'{"meta": {}}')


def test_injury_report_parses_to_the_companion_json(warehouse):
    expected = json.loads(sample("nba_injury_report_pdf", "exp_f4391904.json"))["records"]
    result = parse_injury_report(sample("nba_injury_report_pdf", "raw_f4391904.pdf"), team_names(warehouse))
    assert not result.problems
    got = [(r["game_date"].strftime("%m/%d/%Y"), r["game_time"], r["matchup"], r["team"], r["player_name_listed"],
            r["status"], r["reason"]) for r in result.rows]  # fmt: skip
    want = [
        (e["date"], e["gametime"], e["matchup"], e["team"], e["player"], e["status"], e["reason"]) for e in expected
    ]
    assert got == want
    assert result.rows[6]["player_lookup"] == "daviddukejr"
    assert str(result.rows[0]["report_time"]) == "2024-01-04 12:30:00"


@pytest.mark.realdata
def test_leaguegamelog_points_rebounds_assists_equal_the_basketball_reference_rows(corpus):
    live = {
        (r["game_id"], r["player_id"]): (r["pts"], r["reb"], r["ast"])
        for r in parse_player_gamelog(sample("nba_stats_leaguegamelog_players")).rows
    }
    bbref = dict(
        ((gid, pid), (pts, reb, ast))
        for gid, pid, pts, reb, ast in corpus.execute(
            "SELECT b.game_id, p.player_id, b.pts, b.reb, b.ast FROM raw.player_boxscores b "
            "JOIN raw.players p ON p.bbref_player_id = b.bbref_player_id "
            "WHERE b.source = 'bbref_box' AND b.game_date = DATE '2025-03-15' AND coalesce(b.dnp_reason, '') = ''"
        ).fetchall()
    )
    assert len(live) == 157
    assert set(live) == set(bbref)
    assert live == bbref
