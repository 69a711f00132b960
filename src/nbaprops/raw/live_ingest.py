"""Ingest the live sources for a date range: the schedule, finished games (box scores, shots), prop lines and the
injury report. `ingest_live` is what `nbaprops ingest live` and a future `nbaprops daily` call.

Dates before `today` (US Eastern) get results and the historical odds snapshot before tip-off; today and later get
the current odds. Every payload lands in ops.ingest_log, so a failed source is visible, never silent. The run is
bounded: once the client's run deadline passes, the request that hit it is recorded as failed and the run stops with
a note (cached payloads are reused by the next run). `settings.refresh` refetches every payload of the range.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from nbaprops.calendar import IN_SCOPE_GAME_TYPES, season_year_of
from nbaprops.raw.live import PayloadResult, fetch_and_load, request_logger, team_names
from nbaprops.raw.players import resolve_players
from nbaprops.sources import injury_report, nba_boxscore, nba_cdn, nba_stats, odds_api
from nbaprops.sources.http import HttpClient
from nbaprops.sources.nba_boxscore import BoxGame
from nbaprops.sources.payload import EASTERN
from nbaprops.sources.settings import LiveSettings

INJURY_REPORT_LAST_HOUR = 19  # for past dates: the last report before most tip-offs


class _RunOver(Exception):
    """The run's deadline passed: no further request is worth making."""


@dataclass
class LiveSummary:
    start: dt.date
    end: dt.date
    fetched: list[tuple[str, PayloadResult]] = field(default_factory=list)  # (the date or range asked, result)
    notes: list[str] = field(default_factory=list)  # sources skipped and why (no key, no report published)

    @property
    def payloads(self) -> list[PayloadResult]:
        return [p for _, p in self.fetched]

    @property
    def failed(self) -> list[PayloadResult]:
        return [p for p in self.payloads if p.status == "failed"]

    def rows_loaded(self, table: str) -> int:
        return sum(p.rows_loaded for p in self.payloads if p.table == table)

    def describe(self) -> list[str]:
        """One line per payload, then the notes and a total: what an operator reads after `ingest live`."""
        lines = [
            f"{p.status:>9} {p.source:<32} read {p.rows_read:>6,}  loaded {p.rows_loaded:>6,}  "
            f"rejected {p.rows_rejected:>4,}  {p.file}"
            + (f"\n          {p.values_overruled} archive values overruled" if p.values_overruled else "")
            + (f"\n          {p.error}" if p.error else "")
            for p in self.payloads
        ]
        lines += [f"     note {n}" for n in self.notes]
        lines.append(f"{len(self.payloads)} payloads for {self.start}..{self.end}, {len(self.failed)} failed")
        return lines

    def by_source_day(self) -> list[SourceDay]:
        """The payloads aggregated per source and date asked, in fetch order: what a bettor reads."""
        groups: dict[tuple[str, str], SourceDay] = {}
        for when, p in self.fetched:
            group = groups.setdefault((p.source, when), SourceDay(p.source, when))
            group.add(p)
        return list(groups.values())

    def failure_lines(self) -> list[str]:
        """One short line per failing source and date: the source, the date, the HTTP status (or the reason)."""
        return [g.failure_line() for g in self.by_source_day() if g.failed]


_URL = re.compile(r"\S*https?://\S*")


@dataclass
class SourceDay:
    """The payloads one source gave for one date (or range) asked."""

    source: str
    when: str
    requests: int = 0
    failed: int = 0
    statuses: list[int] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def add(self, p: PayloadResult) -> None:
        self.requests += 1
        if p.status == "failed":
            self.failed += 1
            if p.http_status is not None and p.http_status != 200:
                self.statuses.append(p.http_status)
            else:
                self.reasons.append(_short_reason(p.error or "failed", p.source))

    def failure_line(self) -> str:
        why = ", ".join([f"HTTP {code}" for code in sorted(set(self.statuses))] + list(dict.fromkeys(self.reasons))[:1])
        return f"{self.source} {self.when}: {why} ({self.failed} of {self.requests} requests failed)"


def _short_reason(error: str, source: str) -> str:
    """An error message without its URLs or the source's own name, cut to one short clause."""
    text = _URL.sub("", error.removeprefix(f"{source}:")).replace(" GET  ->", "").strip(" ;:-")
    text = " ".join(text.split())
    return text if len(text) <= 90 else text[:87] + "..."


def today_eastern() -> dt.date:
    return dt.datetime.now(EASTERN).date()


def _label(when: dt.date | tuple[dt.date, dt.date]) -> str:
    if isinstance(when, dt.date):
        return str(when)
    first, last = when
    return str(first) if first == last else f"{first}..{last}"


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def _season_chunks(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """[start, end] cut where the season changes (leaguegamelog takes one season per request)."""
    chunks: list[tuple[dt.date, dt.date]] = []
    for day in _days(start, end):
        if chunks and season_year_of(chunks[-1][0]) == season_year_of(day):
            chunks[-1] = (chunks[-1][0], day)
        else:
            chunks.append((day, day))
    return chunks


def _games(con: duckdb.DuckDBPyConnection, day: dt.date) -> list[BoxGame]:
    """The in-scope games of `day` (schedule or team box scores), with their teams."""
    types = ", ".join(f"'{t}'" for t in IN_SCOPE_GAME_TYPES)
    rows = con.execute(
        f"SELECT game_id, home_team, away_team FROM raw.games WHERE game_date = ? AND game_type IN ({types}) "
        "UNION SELECT game_id, any_value(team) FILTER (WHERE is_home), any_value(team) FILTER (WHERE NOT is_home) "
        "FROM raw.team_boxscores WHERE game_date = ? GROUP BY game_id ORDER BY 1",
        [day, day],
    ).fetchall()
    return [BoxGame(gid, day, home, away) for gid, home, away in {r[0]: r for r in rows}.values()]


def ingest_live(
    con: duckdb.DuckDBPyConnection,
    start: dt.date,
    end: dt.date | None = None,
    settings: LiveSettings | None = None,
    *,
    client: HttpClient | None = None,
    today: dt.date | None = None,
    on_fetch: Callable[[str, str], None] | None = None,
    on_payload: Callable[[str, PayloadResult], None] | None = None,
) -> LiveSummary:
    """Fetch and load every live source for [start, end] (one day when `end` is None). `on_fetch(source, when)` is
    called before each request and `on_payload(when, result)` after it: progress for whoever watches."""
    end = end or start
    if end < start:
        raise ValueError(f"end date {end} is before start date {start}")
    settings = settings or LiveSettings.from_env()
    today = today or today_eastern()
    own_client = client is None
    client = client or HttpClient(settings, on_request=request_logger(con))
    summary = LiveSummary(start, end)

    def run(request, when: dt.date | tuple[dt.date, dt.date], **kw) -> PayloadResult | None:
        label = _label(when)
        if on_fetch:
            on_fetch(request.source, label)
        result = fetch_and_load(con, client, request, **kw)
        if result is not None:
            summary.fetched.append((label, result))
            if on_payload:
                on_payload(label, result)
        if result is not None and result.status == "failed" and client.run_expired:
            raise _RunOver
        return result

    try:
        try:
            _fetch_all(run, con, settings, summary, today)
        except _RunOver:
            summary.notes.append(
                f"stopped: the run deadline of {client.settings.run_deadline:g} s (NBAPROPS_RUN_DEADLINE) passed; "
                "run the same command again to fetch the rest (cached payloads are reused)"
            )
        if summary.rows_loaded("raw.player_boxscores"):
            resolve_players(con)
    finally:
        if own_client:
            client.close()
    return summary


def _fetch_all(run, con, settings: LiveSettings, summary: LiveSummary, today: dt.date) -> None:
    start, end = summary.start, summary.end
    run(nba_cdn.schedule_request(settings), (start, end))
    _results(run, settings, start, min(end, today - dt.timedelta(days=1)), today)
    for day in _days(start, min(end, today - dt.timedelta(days=1))):
        for game in _games(con, day):
            run(nba_cdn.playbyplay_request(settings, game.game_id, day), day)
            if game.home_team and game.away_team:
                players, teams = nba_boxscore.boxscore_requests(settings, game)
                if run(players, day).status != "failed":  # the team part is the same payload
                    run(teams, day)
    teams = team_names(con)
    for day in _days(start, end):
        _odds(run, settings, summary, day, teams, historical=day < today)
        _injuries(run, settings, summary, day, teams, today)


def _results(run, settings: LiveSettings, start: dt.date, end: dt.date, today: dt.date) -> None:
    """Player and team game logs of finished dates; the last two days are refetched (late games, corrections)."""
    for first, last in _season_chunks(start, end):
        refresh = last >= today - dt.timedelta(days=2)
        for season_type in nba_stats.season_types_for(first, last):
            for kind in ("T", "P"):
                run(nba_stats.gamelog_request(settings, kind, first, last, season_type, refresh=refresh), (first, last))


def _odds(run, settings, summary: LiveSummary, day: dt.date, teams, *, historical: bool) -> None:
    try:
        events = run(odds_api.events_request(settings, day, historical=historical), day)
    except odds_api.MissingApiKey as exc:
        summary.notes.append(f"{day}: prop lines skipped: {exc}")
        return
    for event in events.parsed if events else []:
        run(odds_api.event_odds_request(settings, event, teams, historical=historical), day)


def _injuries(run, settings, summary: LiveSummary, day: dt.date, teams, today: dt.date) -> None:
    """The latest report published on `day` (hourly names; walks back from the last relevant hour)."""
    if day > today:
        return
    last_hour = dt.datetime.now(EASTERN).hour if day == today else INJURY_REPORT_LAST_HOUR
    for hour in range(last_hour, -1, -1):
        if run(injury_report.report_request(settings, day, hour, teams), day, not_found_ok=True) is not None:
            return
    summary.notes.append(f"{day}: no injury report published up to {last_hour}:00 ET")
