"""What a person reads about a live run: one short line per failing source and date, and `status` aggregating the
live ingest log per source and day instead of one row per URL."""

import datetime as dt
import io

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from nbaprops.raw.live import PayloadResult
from nbaprops.raw.live_ingest import LiveSummary, _short_reason
from nbaprops.reports.status import print_status
from nbaprops.warehouse import connect

DAY = dt.date(2025, 3, 15)
PBP = "https://cdn.test/static/json/liveData/playbyplay/playbyplay_{}.json"


def _failed(source: str, url: str, status: int | None, error: str | None = None) -> PayloadResult:
    message = error or f"{source}: GET {url} failed after 3 attempts: HTTP {status}; try again later"
    return PayloadResult(url, source, "raw.shots", "failed", error=message, http_status=status)


def test_every_failing_source_and_date_gets_one_short_line_without_urls():
    summary = LiveSummary(DAY, DAY + dt.timedelta(days=1))
    for game in ("0022400976", "0022400977", "0022400978"):
        summary.fetched.append((str(DAY), _failed("nba_cdn_playbyplay", PBP.format(game), 500)))
    summary.fetched.append(
        (str(DAY), PayloadResult(PBP.format("1"), "nba_cdn_playbyplay", "raw.shots", "loaded", 9, 9))
    )
    summary.fetched.append((str(DAY), _failed("nba_cdn_playbyplay", PBP.format("2"), 502)))
    summary.fetched.append(
        (str(DAY), _failed("nba_injury_report", "https://injury.test/x.pdf", None,
                           "nba_injury_report: GET https://injury.test/x.pdf -> ReadTimeout: timed out; check the URL"))
    )  # fmt: skip
    day2 = str(DAY + dt.timedelta(days=1))
    summary.fetched.append((day2, _failed("nba_cdn_playbyplay", PBP.format("3"), 500)))
    summary.fetched.append((day2, PayloadResult("https://odds.test/e", "odds_api_events", None, "loaded")))

    assert summary.failure_lines() == [
        f"nba_cdn_playbyplay {DAY}: HTTP 500, HTTP 502 (4 of 5 requests failed)",
        f"nba_injury_report {DAY}: ReadTimeout: timed out; check the URL (1 of 1 requests failed)",
        f"nba_cdn_playbyplay {day2}: HTTP 500 (1 of 1 requests failed)",
    ]
    assert len(summary.failed) == 6 and len(summary.payloads) == 8  # the per-payload view is unchanged


@given(st.text(max_size=300), st.sampled_from(["http://", "https://"]), st.text(max_size=40))
def test_a_short_reason_never_holds_a_url_and_stays_short(text, scheme, host):
    reason = _short_reason(f"src: GET {scheme}{host.replace(' ', '')}x?q=1 -> {text}", "src")
    assert "http://" not in reason and "https://" not in reason
    assert len(reason) <= 90 and "\n" not in reason


def _log(con, ingest_id: int, file: str, source: str, status: str, rows: int, day: dt.date) -> None:
    at = dt.datetime.combine(day, dt.time(12))
    con.execute(
        "INSERT INTO ops.ingest_log VALUES (?, ?, NULL, ?, 'raw.shots', ?, ?, 0, ?, NULL, ?, ?)",
        [ingest_id, file, source, rows, rows, status, at, at],
    )


def test_status_shows_the_live_log_per_source_and_day_not_per_url(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    _log(con, 1, "shots/nba_shots_2024-25.csv.gz", "nba_shots", "loaded", 100, DAY)
    for i, (status, rows) in enumerate([("loaded", 40), ("unchanged", 0), ("failed", 0)], start=2):
        _log(con, i, PBP.format(i), "nba_cdn_playbyplay", status, rows, DAY)
    _log(con, 9, PBP.format(9), "nba_cdn_playbyplay", "loaded", 7, DAY + dt.timedelta(days=1))
    out = io.StringIO()
    print_status(Console(file=out, width=200, color_system=None), con)
    con.close()
    text = out.getvalue()
    live = [line for line in text.splitlines() if "nba_cdn_playbyplay" in line]
    assert len(live) == 2, text  # one row per source and day, not one per URL
    cells = [[c.strip() for c in line.split("│") if c.strip()] for line in live]
    assert cells == [[str(DAY + dt.timedelta(days=1)), "nba_cdn_playbyplay", "1", "1", "0", "7"],
                     [str(DAY), "nba_cdn_playbyplay", "3", "2", "1", "40"]]  # fmt: skip
    assert "playbyplay_2.json" not in text and "nba_shots_2024-25.csv.gz" in text  # archive files stay per file
