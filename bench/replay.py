"""A synthetic archive corpus N times the real one, for the scaling benchmark (`bench/scale.py`).

Replay k (k = 0 .. N-1) is the real corpus moved 3k seasons later (three seasons are what the corpus holds), so
nothing collides and the warehouse sees one long history:
- every date and timestamp moves by the same whole number of weeks (about 3k years: weekdays, rest days and the
  order of snapshots and tip-offs are kept; a shifted date that would land in another season is an error);
- game ids change their season digits (characters 4-5) and season labels (columns and file names) move with them;
- NBA person ids get `k * PLAYER_ID_OFFSET`, Basketball-Reference ids and odds event ids a suffix `r<k>`;
- player names get a suffix ` R<k>`, so `player_lookup` keys stay unique per replay (a name shared by two ids
  resolves to neither). A name-only source that spells a player as one of the alias table's names
  (`raw/player_aliases.csv`, which maps real ids only) is replayed under the NBA.com name of that id, so it
  resolves to the replayed id exactly as the original resolves through the alias.
Replay 0 keeps the real values. Only the columns the loader reads (each family's required and optional columns)
are written, and only the files its families find (`raw.ingest.discover`).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gzip
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from nbaprops.calendar import season_label, season_year_of, season_year_of_label
from nbaprops.names import player_lookup
from nbaprops.raw.families import FileFamily
from nbaprops.raw.ingest import discover
from nbaprops.raw.players import load_aliases
from nbaprops.sources.archive import read_csv_file
from nbaprops.validation.thresholds import default_thresholds_text

SEASONS_PER_REPLAY = 3
PLAYER_ID_OFFSET = 10_000_000  # above every real NBA person id (about 1.6M); 25 replays stay below 2**31
MAX_FACTOR = 25  # game ids hold the season in two digits: 2023 + 3 * 24 + 2 = 2097


@dataclass(frozen=True)
class Replay:
    """How replay `k` moves values; `names` maps an alias's lookup to the NBA.com name of its id."""

    k: int
    names: dict[str, str]

    @property
    def years(self) -> int:
        return SEASONS_PER_REPLAY * self.k

    @property
    def days(self) -> int:
        """Whole weeks closest to `years` years (from a season's start, so leap days are counted)."""
        start = dt.date(2023, 7, 1)
        return 7 * round((start.replace(year=start.year + self.years) - start).days / 7)

    def date(self, day: dt.date) -> dt.date:
        moved = day + dt.timedelta(days=self.days)
        if season_year_of(moved) != season_year_of(day) + self.years:
            raise ValueError(f"{day} moved by {self.days} days lands in another season ({moved})")
        return moved


Mapper = Callable[[str, Replay], str]


def iso_date(value: str, replay: Replay) -> str:
    """`YYYY-MM-DD...` (a date or a timestamp in any ISO spelling): the date moves, the time of day stays."""
    moved = replay.date(dt.date.fromisoformat(value[:10]))
    return moved.isoformat() + value[10:]


def us_date(value: str, replay: Replay) -> str:
    """`MM-DD-YYYY` (shots)."""
    return f"{replay.date(dt.datetime.strptime(value, '%m-%d-%Y').date()):%m-%d-%Y}"


def game_id(value: str, replay: Replay) -> str:
    """Season digits of a 10-character id move; an id given as an integer stays an integer."""
    padded = value.zfill(10)
    moved = f"{padded[:3]}{int(padded[3:5]) + replay.years:02d}{padded[5:]}"
    return moved if len(value) == 10 else str(int(moved))


def label(value: str, replay: Replay) -> str:
    """`2023-24` -> `2026-27`."""
    return season_label(season_year_of_label(value) + replay.years)


def person_id(value: str, replay: Replay) -> str:
    return str(int(float(value)) + replay.k * PLAYER_ID_OFFSET)


def suffixed_id(value: str, replay: Replay) -> str:
    return f"{value}r{replay.k}"


def nba_name(value: str, replay: Replay) -> str:
    return f"{value} R{replay.k}"


def listed_name(value: str, replay: Replay) -> str:
    """A name-only source's spelling: an alias is replaced by the NBA.com name of the id it stands for."""
    return nba_name(replay.names.get(player_lookup(value), value), replay)


# family -> column -> how replay k rewrites it. Every column the loader reads that holds a date, time, id, season
# or player name is listed (tests/bench/test_replay.py holds this to the families); the rest are copied.
MAPPERS: dict[str, dict[str, Mapper]] = {
    "schedule": {"gameId": game_id, "gameDateTimeEst": iso_date},
    "nba_team_box": {"game_id": game_id, "game_date": iso_date},
    "linescores": {"game_id": game_id, "game_date": iso_date},
    "nba_gamelog_teams": {"GAME_DATE": iso_date},
    "bbref_box": {"nba_game_id": game_id, "game_date": iso_date, "bbref_player_id": suffixed_id, "player": listed_name},
    "nba_gamelog_players": {"PLAYER_ID": person_id, "PLAYER_NAME": nba_name, "GAME_DATE": iso_date},
    "shots": {
        "SEASON_2": label,
        "PLAYER_ID": person_id,
        "PLAYER_NAME": nba_name,
        "GAME_DATE": us_date,
        "GAME_ID": game_id,
    },
    "odds_api_points": {
        "snapshot_time_utc": iso_date,
        "event_id": suffixed_id,
        "player": listed_name,
        "game_time_utc": iso_date,
    },
    "odds_api_threes": {
        "file_date": iso_date,
        "player": listed_name,
        "game_time": iso_date,
        "bookmaker_last_update": iso_date,
        "market_last_update": iso_date,
    },
    "pra_odds": {"player_name": listed_name, "event_id": suffixed_id, "event_date": iso_date, "timestamp": iso_date},
}

_LABEL = re.compile(r"(20\d\d)-(\d\d)")  # 2023-24, 2024-26
_SHOTS = re.compile(r"NBA_(20\d\d)_Shots")
_SCHEDULE = re.compile(r"LeagueSchedule(\d\d)_(\d\d)")


def file_name(name: str, replay: Replay) -> str:
    """The file's name with its season(s) moved, so `seasons_of` and the seasons of its rows agree."""
    y = replay.years
    name = _LABEL.sub(lambda m: f"{int(m[1]) + y}-{(int(m[2]) + y) % 100:02d}", name)
    name = _SHOTS.sub(lambda m: f"NBA_{int(m[1]) + y}_Shots", name)
    return _SCHEDULE.sub(lambda m: f"LeagueSchedule{int(m[1]) + y:02d}_{int(m[2]) + y:02d}", name)


@dataclass
class ReplayedFile:
    family: str
    path: Path
    replay: int
    records: int
    skipped: int  # records the reader could not parse (the loader would quarantine them): not replayed


@functools.cache
def alias_names(root: Path) -> dict[str, str]:
    """Alias lookup -> the NBA.com name (game logs) of the id the alias stands for (read once per archive)."""
    by_id: dict[int, str] = {}
    for family, path in discover(root):
        if family.name == "nba_gamelog_players":
            content = read_csv_file(path)
            pid, name = (content.header.index(c) for c in ("PLAYER_ID", "PLAYER_NAME"))
            by_id.update((int(float(r[pid])), r[name]) for r in content.records)
    return {lookup: by_id[pid] for lookup, pid in load_aliases() if pid in by_id}


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(data, compresslevel=1, mtime=0))
    elif path.name.endswith(".zip"):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.writestr(path.name.removesuffix(".zip"), data)
    else:
        path.write_bytes(data)


def _replay_rows(family: FileFamily, header: list[str], records: list[list[str]], replay: Replay, where: Path):
    """The records with replay's values; a value a mapper cannot move is an error naming the file and line."""
    index = {h.lower(): i for i, h in enumerate(header)}
    read = [c for c in family.columns() if c.lower() in index]
    positions = [index[c.lower()] for c in read]
    mappers = [MAPPERS[family.name].get(c) if replay.k else None for c in read]
    rows = []
    for n, record in enumerate(records):
        row = []
        for pos, mapper in zip(positions, mappers, strict=True):
            value = record[pos]
            if mapper and value.strip():
                try:
                    value = mapper(value.strip(), replay)
                except ValueError as exc:
                    raise ValueError(f"{where}: record {n + 1}, column {header[pos]}: {exc}") from None
            row.append(value)
        rows.append(row)
    return read, rows


def replay_corpus(
    root: Path,
    out: Path,
    factor: int,
    seasons: frozenset[int] | None = None,
    families: frozenset[str] | None = None,
) -> list[ReplayedFile]:
    """Write `factor` replays of the archive under `root` (optionally only some real seasons or file families) into
    `out`, in the archive's layout."""
    if not 1 <= factor <= MAX_FACTOR:
        raise ValueError(f"factor must be 1..{MAX_FACTOR}, not {factor}")
    unknown = {f.name for f, _ in discover(root)} - MAPPERS.keys()
    if unknown:
        raise ValueError(f"no replay rules for file families {sorted(unknown)}: add them to MAPPERS")
    names = alias_names(root)
    written = []
    for family, path in discover(root, seasons):
        if families is not None and family.name not in families:
            continue
        content = read_csv_file(path)
        rel = path.relative_to(root)
        for k in range(factor):
            replay = Replay(k, names)
            header, rows = _replay_rows(family, content.header, content.records, replay, rel)
            target = out / rel.parent / file_name(rel.name, replay)
            _write(target, header, rows)
            written.append(ReplayedFile(family.name, target, k, len(rows), len(content.problems)))
    return written


def replayed_thresholds(factor: int) -> dict:
    """A thresholds file (merged over the packaged one, as `--thresholds` is) that gives every replayed season the
    known gaps of the real season it replays: a replayed 2025-26 lacks what 2025-26 lacks (slim game logs, no
    shots), and without them its feature gates would fail where the real season's pass."""
    packaged = yaml.safe_load(default_thresholds_text())
    replays = [Replay(k, {}) for k in range(factor)]
    features = {
        label(season, r): gaps
        for season, gaps in packaged["default_rates"]["known_gaps"].items()
        if season != "all"
        for r in replays
    }
    dates = [
        {**gap, "seasons": [label(s, r) for s in gap["seasons"] for r in replays]} if "seasons" in gap else gap
        for gap in packaged["known_gaps"]
    ]
    return {"default_rates": {"known_gaps": features}, "known_gaps": dates}
