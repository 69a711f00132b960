"""A tiny hand-written archive: one game (NYK at BOS, 2024-10-22), a few players, written in the corpus layout."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

BOX_HEADER = [
    "season",
    "nba_game_id",
    "bbref_game_id",
    "game_date",
    "team_nba",
    "opp_nba",
    "home_away",
    "team",
    "opp",
    "bbref_player_id",
    "player",
    "starter",
    "dnp_reason",
    "minutes",
    "min_seconds",
    "fgm",
    "fga",
    "fg3m",
    "fg3a",
    "ftm",
    "fta",
    "oreb",
    "dreb",
    "reb",
    "ast",
    "stl",
    "blk",
    "tov",
    "pf",
    "pts",
    "plus_minus",
]


def box_row(player_id: str, name: str, team: str = "BOS", pts: str = "10", minutes: str = "30:00", **kw) -> dict:
    opp = "NYK" if team == "BOS" else "BOS"
    row = {
        "season": "2024-25", "nba_game_id": "0022400061", "bbref_game_id": "202410220BOS",
        "game_date": "2024-10-22", "team_nba": team, "opp_nba": opp, "home_away": "H" if team == "BOS" else "A",
        "team": team, "opp": opp, "bbref_player_id": player_id, "player": name, "starter": "1", "dnp_reason": "",
        "minutes": minutes, "min_seconds": "1800", "fgm": "4", "fga": "8", "fg3m": "1", "fg3a": "3", "ftm": "1",
        "fta": "2", "oreb": "1", "dreb": "3", "reb": "4", "ast": "2", "stl": "1", "blk": "0", "tov": "1", "pf": "2",
        "pts": pts, "plus_minus": "5",
    }  # fmt: skip
    row.update(kw)
    return row


TEAM_HEADER = [
    "game_id",
    "game_date",
    "season",
    "game_type",
    "neutral_site",
    "team_id_home",
    "team_abbreviation_home",
    "team_name_home",
    "team_id_road",
    "team_abbreviation_road",
    "team_name_road",
    "pts_home",
    "pts_road",
    "wl_home",
    "fgm_home",
    "fga_home",
    "fg_pct_home",
    "fg3m_home",
    "fg3a_home",
    "fg3_pct_home",
    "ftm_home",
    "fta_home",
    "ft_pct_home",
    "oreb_home",
    "dreb_home",
    "reb_home",
    "ast_home",
    "stl_home",
    "blk_home",
    "tov_home",
    "pf_home",
    "plus_minus_home",
    "fgm_road",
    "fga_road",
    "fg_pct_road",
    "fg3m_road",
    "fg3a_road",
    "fg3_pct_road",
    "ftm_road",
    "fta_road",
    "ft_pct_road",
    "oreb_road",
    "dreb_road",
    "reb_road",
    "ast_road",
    "stl_road",
    "blk_road",
    "tov_road",
    "pf_road",
    "plus_minus_road",
]
TEAM_ROW = [
    "0022400061",
    "2024-10-22",
    "2024-25",
    "regular_season",
    "False",
    "1610612738",
    "BOS",
    "Boston Celtics",
    "1610612752",
    "NYK",
    "New York Knicks",
    "132",
    "109",
    "W",
    "48",
    "95",
    "0.505",
    "29",
    "61",
    "0.475",
    "7",
    "8",
    "0.875",
    "11",
    "29",
    "40",
    "33",
    "6",
    "3",
    "4",
    "15",
    "23",
    "43",
    "78",
    "0.551",
    "11",
    "30",
    "0.367",
    "12",
    "16",
    "0.75",
    "5",
    "29",
    "34",
    "20",
    "2",
    "3",
    "12",
    "12",
    "-23",
]


def csv_text(header: list[str], rows: list[dict | list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header] if isinstance(row, dict) else row)
    return out.getvalue()


def write_gz(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(text.encode()))
    return path


def write_team_games(root: Path) -> Path:
    path = root / "team" / "team_game_logs_2024-25.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(TEAM_HEADER, [TEAM_ROW]))
    return path


def write_box(root: Path, rows: list[dict], header: list[str] = BOX_HEADER) -> Path:
    return write_gz(root / "box" / "bbref_player_box_2024-25.csv.gz", csv_text(header, rows))


def good_box_rows(n: int = 6) -> list[dict]:
    return [box_row(f"player{i:02d}", f"Player {i}", team="BOS" if i % 2 else "NYK") for i in range(n)]
