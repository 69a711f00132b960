"""The NBA's official injury report (a PDF published several times a day) -> raw.injuries.

The report is a table whose cells are only written when they change (date, time, matchup and team carry down, even
across pages) and whose long reasons wrap onto lines above and below the player's line. Words are placed in
columns by the x position of the header words; a line with only reason text belongs to the nearest player line.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pdfplumber

from nbaprops.names import player_lookup
from nbaprops.sources.payload import RECORD_ERRORS, LiveRequest, ParseResult, PayloadError
from nbaprops.sources.settings import LiveSettings
from nbaprops.sources.text import repair_text

COLUMNS = ("date", "time", "matchup", "team", "player", "status", "reason")
HEADER = ("Game", "Game", "Matchup", "Team", "Player", "Current", "Reason")  # first word of each column's title
STATUSES = frozenset({"Out", "Questionable", "Doubtful", "Probable", "Available"})
REPORT_TIME = re.compile(r"Injury Report:\s*(\d\d/\d\d/\d\d)\s+(\d\d?:\d\d\s*[AP]M)")
PAGE_FOOTER = re.compile(r"^Page\s*\d+\s*of\s*\d+$")
LINE_TOLERANCE = 3.0  # points: words whose tops differ less than this are on one line


def report_request(settings: LiveSettings, day: dt.date, hour: int, teams: Mapping[str, str]) -> LiveRequest:
    """The report published at `hour` (0-23, US Eastern) of `day`; a published report never changes."""
    stamp = f"{(hour % 12) or 12:02d}{'AM' if hour < 12 else 'PM'}"
    url = f"{settings.injury_report_url}/Injury-Report_{day:%Y-%m-%d}_{stamp}.pdf"
    return LiveRequest("nba_injury_report", "raw.injuries", url, lambda content: parse_injury_report(content, teams))


@dataclass
class _Line:
    top: float
    cells: dict[str, str] = field(default_factory=dict)


def _lines(page: Any) -> tuple[list[_Line], dict[str, float] | None]:
    words = sorted(page.extract_words(x_tolerance=1), key=lambda w: (w["top"], w["x0"]))
    grouped: list[list[dict[str, Any]]] = []
    for word in words:
        if grouped and word["top"] - grouped[-1][0]["top"] < LINE_TOLERANCE:
            grouped[-1].append(word)
        else:
            grouped.append([word])
    starts = None
    lines = []
    for group in grouped:
        texts = [w["text"] for w in group]
        if starts is None:
            if "Matchup" in texts and "Reason" in texts:
                firsts = [w for w in group if w["text"] in HEADER]
                game = [w["x0"] for w in firsts if w["text"] == "Game"]
                named = {w["text"]: w["x0"] for w in firsts}
                starts = dict(zip(COLUMNS, (game[0], game[1], *(named[h] for h in HEADER[2:])), strict=True))
            continue
        if PAGE_FOOTER.match(" ".join(texts)):
            continue
        line = _Line(group[0]["top"])
        for word in group:
            column = max((c for c in COLUMNS if starts[c] <= word["x0"] + 2), key=lambda c: starts[c], default=None)
            if column:
                line.cells[column] = f"{line.cells[column]} {word['text']}" if column in line.cells else word["text"]
        lines.append(line)
    return lines, starts


def first_last(listed: str) -> str:
    """`"Duke Jr., David"` -> `"David Duke Jr."` (the spelling other sources use)."""
    last, sep, first = listed.partition(", ")
    return f"{first.strip()} {last.strip()}" if sep else listed.strip()


def parse_injury_report(content: bytes, teams: Mapping[str, str]) -> ParseResult:
    """Injury report PDF -> raw.injuries rows (players with a status; "NOT YET SUBMITTED" teams are skipped).
    `teams` maps printed team names to tricodes; an unknown name rejects the record."""
    try:
        pdf = pdfplumber.open(io.BytesIO(content))
        with pdf:
            header_text = pdf.pages[0].extract_text() or "" if pdf.pages else ""
            pages = [_lines(page) for page in pdf.pages]
    except Exception as exc:  # pdfminer raises many types for a damaged file
        raise PayloadError(f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    stamp = REPORT_TIME.search(header_text)
    if stamp is None:
        raise PayloadError("no 'Injury Report: MM/DD/YY HH:MM AM' title on the first page")
    report_time = dt.datetime.strptime(f"{stamp.group(1)} {stamp.group(2).replace(' ', '')}", "%m/%d/%y %I:%M%p")
    if all(starts is None for _, starts in pages):
        raise PayloadError("no table header (Game Date ... Reason) found")

    result = ParseResult()
    state: dict[str, str] = {}
    for lines, _ in pages:
        records: list[tuple[_Line, dict[str, Any]]] = []
        fragments: list[_Line] = []
        for line in lines:
            for key in ("date", "time", "matchup", "team"):
                if key in line.cells:
                    state[key] = line.cells[key]
            if "player" in line.cells:
                records.append((line, {**state, **line.cells}))
            elif set(line.cells) == {"reason"}:
                fragments.append(line)
        for frag in fragments:  # a wrapped reason: its pieces sit just above and below the player's line
            if records:
                _, rec = min(records, key=lambda r: abs(r[0].top - frag.top))
                rec.setdefault("_pieces", []).append((frag.top, frag.cells["reason"]))
        for line, rec in records:
            pieces = sorted([*rec.pop("_pieces", []), *([(line.top, rec["reason"])] if "reason" in rec else [])])
            rec["reason"] = " ".join(text for _, text in pieces) or None
            source_line = result.records + 1
            try:
                result.rows.append(_row(rec, report_time, teams, source_line))
            except RECORD_ERRORS as exc:
                result.reject(source_line, f"injury record: {type(exc).__name__}: {exc}", rec)
    return result


def _row(rec: dict[str, Any], report_time: dt.datetime, teams: Mapping[str, str], line: int) -> dict[str, Any]:
    status = rec.get("status")
    if status not in STATUSES:
        raise ValueError(f"status must be one of {sorted(STATUSES)}, found {status!r}")
    if rec["team"] not in teams:
        raise ValueError(f"unknown team name {rec['team']!r}")
    away, _, home = rec["matchup"].partition("@")
    listed = repair_text(rec["player"])
    name = first_last(listed)
    return {
        "report_time": report_time,
        "game_date": dt.datetime.strptime(rec["date"], "%m/%d/%Y").date(),
        "game_time": rec.get("time"),
        "matchup": rec["matchup"],
        "away_team": away or None,
        "home_team": home or None,
        "team": teams[rec["team"]],
        "game_id": None,
        "player_name": name,
        "player_name_listed": listed,
        "player_lookup": player_lookup(name),
        "player_id": None,
        "status": status,
        "reason": rec.get("reason"),
        "source": "nba_injury_report",
        "source_line": line,
    }
