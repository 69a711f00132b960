"""Load one live payload: fetch (through the cache), parse, and replace that payload's rows in one transaction.

The unit of replacement is the request (`source_file` = its URL without secrets); snapshot requests (current odds)
add the content hash so every distinct payload keeps its rows. As for archive files (`raw.loader`): an unchanged
payload is skipped, bad records go to `raw.quarantine` with a reason, every attempt is a row of `ops.ingest_log`,
and a row another (archive) file already holds is skipped when identical and quarantined when not. A newer live
payload supersedes older live rows with the same key (schedule changes, stat corrections).

A payload the parser refuses (HTML, empty, cut, an unexpected shape) is quarantined whole and never cached, so the
next run asks the server again; rows that do not fit the table fail the payload, never the run.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from nbaprops.raw.catalog import PRECEDENCE
from nbaprops.raw.replace import disagreement_sql, fills_sql, next_ingest_id, replace_quarantine, replace_rows
from nbaprops.sources.http import Fetched, FetchError, HttpClient, InvalidPayload, NotFound, RequestRecord
from nbaprops.sources.payload import LiveRequest, ParseResult, PayloadError
from nbaprops.sources.text import repair_text

# Columns that identify a row across payloads; () = rows are only ever replaced by their own payload.
LIVE_KEYS: dict[str, tuple[str, ...]] = {
    "raw.schedule": ("game_id",),
    "raw.player_boxscores": ("game_id", "source", "source_player_id"),
    "raw.team_boxscores": ("game_id", "team", "source"),
    "raw.shots": ("game_id",),  # one payload holds all of a game's shots
    "raw.prop_lines": (),
    "raw.injuries": (),
}
RESOLVES_GAME_ID = ("raw.prop_lines", "raw.injuries")
LIVE_FILE = "source_file LIKE 'http%'"  # live rows are named by URL, archive rows by relative path


@dataclass
class PayloadResult:
    """What happened to one payload; `parsed` keeps the parser's rows for callers that steer on them."""

    file: str
    source: str
    table: str | None
    status: str  # loaded | partial | failed | unchanged
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_elsewhere: int = 0
    values_overruled: int = 0  # archive rows whose differing values this payload overruled (kept in raw.quarantine)
    error: str | None = None
    http_status: int | None = None  # of a failed fetch, when the server answered
    parsed: list[dict[str, Any]] = field(default_factory=list)


def request_logger(con: duckdb.DuckDBPyConnection):
    """An `HttpClient.on_request` callback that writes every attempt to ops.http_requests."""

    def record(r: RequestRecord) -> None:
        con.execute(
            "INSERT INTO ops.http_requests VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [r.requested_at, r.source, r.url, r.attempt, r.status, r.elapsed_ms, r.bytes, r.from_cache,
             r.quota_remaining, r.quota_used, r.error],
        )  # fmt: skip

    return record


def team_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every spelling of a team that a source uses -> tricode."""
    return dict(con.execute("SELECT name, team FROM raw.team_names").fetchall())


def _ledger(con, ingest_id: int, result: PayloadResult, sha: str | None, started: dt.datetime) -> None:
    con.execute(
        "INSERT INTO ops.ingest_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [ingest_id, result.file, sha, result.source, result.table, result.rows_read, result.rows_loaded,
         result.rows_rejected, result.status, result.error, started, dt.datetime.now()],
    )  # fmt: skip


def _file_name(request: LiveRequest, url: str, sha256: str) -> str:
    """The name a payload's rows carry: its URL, plus the part (a payload feeding several tables) and, for a
    snapshot request, the content hash."""
    file = f"{url}#{request.part}" if request.part else url
    return f"{file}#sha256={sha256[:16]}" if request.snapshot else file


def fetch_and_load(
    con: duckdb.DuckDBPyConnection, client: HttpClient, request: LiveRequest, *, not_found_ok: bool = False
) -> PayloadResult | None:
    """Fetch `request` (refetched when it or the client's settings say `refresh`) and load it; a failed fetch is
    recorded in the ledger. With `not_found_ok`, a 404 returns None unrecorded (probing for a report that may not
    be published)."""
    started = dt.datetime.now()
    try:
        fetched = client.get(
            request.source,
            request.url,
            request.params,
            secret_params=request.secret_params,
            headers=request.headers,
            refresh=request.refresh or client.settings.refresh,
            parse=request.checked_parse,
        )
    except InvalidPayload as exc:
        file = _file_name(request, exc.url, exc.sha256)
        result = PayloadResult(file, request.source, request.table, "failed", error=str(exc))
        _quarantine_payload(con, result, exc.reason, exc.content, exc.sha256, started)
        return result
    except FetchError as exc:
        if not_found_ok and isinstance(exc, NotFound):
            return None
        result = PayloadResult(exc.url, request.source, request.table, "failed", error=str(exc), http_status=exc.status)
        _ledger(con, next_ingest_id(con), result, None, started)
        return result
    return load_payload(con, request, fetched, started=started)


def _quarantine_payload(
    con, result: PayloadResult, reason: str, content: bytes, sha: str, started: dt.datetime
) -> None:
    """Record a whole payload as unusable: one quarantine row (its first 2,000 bytes) and a failed ledger row."""
    ingest_id = next_ingest_id(con)
    con.execute("BEGIN TRANSACTION")
    con.execute("DELETE FROM raw.quarantine WHERE file = ?", [result.file])
    con.execute(
        "INSERT INTO raw.quarantine (ingest_id, file, line, reason, record) VALUES (?, ?, NULL, ?, ?)",
        [ingest_id, result.file, reason, content[:2000].decode("utf-8", errors="replace")],
    )
    _ledger(con, ingest_id, result, sha, started)
    con.execute("COMMIT")


def load_payload(
    con: duckdb.DuckDBPyConnection, request: LiveRequest, fetched: Fetched, *, started: dt.datetime | None = None
) -> PayloadResult:
    """Parse `fetched` with the request's parser and replace its rows in `request.table`."""
    started = started or dt.datetime.now()
    file = _file_name(request, fetched.url, fetched.sha256)
    result = PayloadResult(file, request.source, request.table, "failed")
    last = con.execute(
        "SELECT sha256 FROM ops.ingest_log WHERE file = ? AND status IN ('loaded', 'partial') "
        "ORDER BY ingest_id DESC LIMIT 1",
        [file],
    ).fetchone()
    try:
        parsed = fetched.parsed if isinstance(fetched.parsed, ParseResult) else request.checked_parse(fetched.content)
    except PayloadError as exc:
        result.error = f"{request.source}: {fetched.url}: {exc} (payload kept at {fetched.cache_path})"
        _quarantine_payload(con, result, str(exc), fetched.content, fetched.sha256, started)
        return result
    result.parsed = parsed.rows
    result.rows_read = parsed.records
    if last and last[0] == fetched.sha256:
        result.status = "unchanged"
        return result
    ingest_id = next_ingest_id(con)
    if parsed.problems and not parsed.rows:
        # Every record is bad: a damaged payload, never a reason to drop the rows an earlier one gave.
        result.rows_rejected = len({p[0] for p in parsed.problems})
        result.error = (f"{request.source}: {fetched.url}: no usable record ({result.rows_rejected} rejected, see "
                        "raw.quarantine); earlier rows kept")  # fmt: skip
        con.execute("BEGIN TRANSACTION")
        replace_quarantine(con, file, parsed.problems, ingest_id)
        _ledger(con, ingest_id, result, fetched.sha256, started)
        con.execute("COMMIT")
        return result
    if request.table is None:
        result.rows_loaded, result.rows_rejected = len(parsed.rows), len({p[0] for p in parsed.problems})
        result.status = "partial" if parsed.problems else "loaded"
        con.execute("BEGIN TRANSACTION")
        replace_quarantine(con, file, parsed.problems, ingest_id)
        _ledger(con, ingest_id, result, fetched.sha256, started)
        con.execute("COMMIT")
        return result
    try:
        columns, problems = _check(con, request.table, file, parsed, result)
    except (pa.ArrowException, duckdb.Error) as exc:
        reason = f"rows do not fit {request.table} ({type(exc).__name__}: {' '.join(str(exc).split())[:300]})"
        result.error = f"{request.source}: {fetched.url}: {reason}"
        _quarantine_payload(con, result, reason, fetched.content, fetched.sha256, started)
        return result
    con.execute("BEGIN TRANSACTION")
    try:
        _replace(con, request.table, file, columns, problems, result, ingest_id)
        _ledger(con, ingest_id, result, fetched.sha256, started)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return result


def _repaired(value: Any) -> Any:
    """Strings pass through `repair_text`, as archive records do: one spelling of a name whichever path loads it."""
    return repair_text(value) if isinstance(value, str) else value


def _stage(con, table: str, file: str, rows: list[dict[str, Any]]) -> list[str]:
    """Stage `rows` typed as `table` in `live_stage` (plus _problem, _elsewhere); returns the table's columns."""
    columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    unknown = {k for row in rows for k in row} - set(columns)
    if unknown:
        raise ValueError(f"parser produced columns {sorted(unknown)} that {table} does not have")
    con.execute(f"CREATE OR REPLACE TEMP TABLE live_stage AS SELECT * FROM {table} LIMIT 0")
    con.execute("ALTER TABLE live_stage ADD COLUMN _problem VARCHAR")
    con.execute("ALTER TABLE live_stage ADD COLUMN _elsewhere BOOLEAN DEFAULT false")
    if rows:
        arrow = pa.Table.from_pylist(
            [{**{c: _repaired(row.get(c)) for c in columns}, "source_file": file} for row in rows]
        )
        con.register("live_arrow", arrow)
        try:
            con.execute("INSERT INTO live_stage BY NAME SELECT * FROM live_arrow")
        finally:
            con.unregister("live_arrow")
    return columns


def _check(
    con, table: str, file: str, parsed: ParseResult, result: PayloadResult
) -> tuple[list[str], list[tuple[int | None, str, str]]]:
    """Stage the rows and hold them to the archive rows of the same key under the source precedence
    (`raw.catalog.PRECEDENCE`): a row that agrees and adds nothing is skipped; otherwise it loads merged (the live
    value where it has one, the archive value where it has NULL) and replaces the archive row, and every archive
    value it overrules is quarantined with the column and both values. Returns the table's columns and every
    problem (the parser's and the overruled values)."""
    columns = _stage(con, table, file, parsed.rows)
    problems = list(parsed.problems)
    key = LIVE_KEYS[table]
    overruled = _against_archive(con, table, columns, key) if key else []
    by_line = {row["source_line"]: row for row in parsed.rows}
    problems += [
        (line, reason, json.dumps(by_line.get(line), default=str))
        for line, reason in con.execute(
            "SELECT source_line, _problem FROM live_stage WHERE _problem IS NOT NULL ORDER BY 1"
        ).fetchall()
    ]
    result.rows_rejected = len({p[0] for p in problems})
    result.rows_elsewhere = con.execute("SELECT count(*) FROM live_stage WHERE _elsewhere").fetchone()[0]
    result.values_overruled = len(overruled)
    return columns, problems + overruled


def _against_archive(con, table: str, columns: list[str], key: tuple[str, ...]) -> list[tuple[int | None, str, str]]:
    """Mark and merge the staged rows against the archive rows of their key; returns the overruled archive values."""
    join = " AND ".join(f"t.{k} = m.{k}" for k in key) + f" AND NOT t.{LIVE_FILE}"
    data = [c for c in columns if c not in ("source_file", "source_line")]
    if table == "raw.shots":
        # Shots have no row key: a game's attempts come from one source. The archive's attempts of the game stand
        # when it has as many as the payload (the same attempts); a different count is a conflict on the game.
        con.execute(
            "UPDATE live_stage m SET _elsewhere = a.n = l.n, _problem = CASE WHEN a.n <> l.n THEN 'game ' || "
            "m.game_id || ': the archive (' || a.file || ') has ' || a.n || ' field-goal attempts, this payload ' "
            "|| l.n END FROM (SELECT game_id, count(*) AS n, any_value(source_file) AS file FROM raw.shots "
            f"WHERE NOT {LIVE_FILE} GROUP BY 1) a, (SELECT game_id, count(*) AS n FROM live_stage GROUP BY 1) l "
            "WHERE a.game_id = m.game_id AND l.game_id = m.game_id"
        )
        return []
    for col in ("_over_file VARCHAR", "_over_line BIGINT", "_overruled VARCHAR"):
        con.execute(f"ALTER TABLE live_stage ADD COLUMN {col}")
    con.execute(
        f"UPDATE live_stage m SET _over_file = t.source_file, _over_line = t.source_line, "
        f"_overruled = nullif({disagreement_sql(data, 't', 'm')}, ''), "
        f"_elsewhere = {disagreement_sql(data, 't', 'm')} = '' AND NOT ({fills_sql(data, 'm', 't')}) "
        f"AND NOT ({fills_sql(data, 't', 'm')}) FROM {table} t WHERE {join}"
    )
    overruled = con.execute(
        f"SELECT m.source_line, m._overruled, m._over_file, m._over_line, to_json(t) FROM live_stage m "
        f"JOIN {table} t ON {join} AND t.source_file = m._over_file AND t.source_line = m._over_line "
        "WHERE m._overruled IS NOT NULL ORDER BY 1"
    ).fetchall()
    merged = ", ".join(f"{c} = coalesce(m.{c}, t.{c})" for c in data)
    con.execute(
        f"UPDATE live_stage m SET {merged} FROM {table} t WHERE {join} AND NOT m._elsewhere "
        "AND t.source_file = m._over_file AND t.source_line = m._over_line"
    )
    return [
        (line, f"archive value overruled by this live payload (source precedence: {' > '.join(PRECEDENCE)}): "
               f"{what} ({over_file} line {over_line} vs this payload)", str(record))
        for line, what, over_file, over_line, record in overruled
    ]  # fmt: skip


def _replace(
    con,
    table: str,
    file: str,
    columns: list[str],
    problems: list[tuple[int | None, str, str]],
    result: PayloadResult,
    ingest_id: int,
) -> None:
    """Inside the caller's transaction: replace the payload's rows, supersede older live rows, resolve ids."""
    key = LIVE_KEYS[table]
    if key:
        match = " AND ".join(f"m.{k} = t.{k}" for k in key)
        con.execute(
            f"DELETE FROM {table} t WHERE t.{LIVE_FILE} AND t.source_file <> ? AND EXISTS "
            f"(SELECT 1 FROM live_stage m WHERE {match} AND m._problem IS NULL AND NOT m._elsewhere)",
            [file],
        )
    if key and table != "raw.shots":
        # The merged live row replaces the archive row it was held to (its values are in the merged row or, when
        # overruled, in raw.quarantine).
        con.execute(
            f"DELETE FROM {table} t USING live_stage m WHERE NOT m._elsewhere AND m._problem IS NULL "
            "AND t.source_file = m._over_file AND t.source_line = m._over_line"
        )
    replace_rows(
        con, table=table, file=file, columns=columns, problems=problems, ingest_id=ingest_id,
        select_sql="SELECT * FROM live_stage WHERE _problem IS NULL AND NOT _elsewhere",
    )  # fmt: skip
    if table in RESOLVES_GAME_ID:
        con.execute(
            f"UPDATE {table} t SET game_id = g.game_id FROM raw.games g WHERE t.source_file = ? "
            "AND g.game_date = t.game_date AND g.home_team = t.home_team AND g.away_team = t.away_team",
            [file],
        )
    if table == "raw.injuries":
        con.execute(
            "UPDATE raw.injuries i SET player_id = n.player_id FROM (SELECT player_lookup, min(player_id) AS player_id "
            "FROM raw.player_names GROUP BY 1 HAVING count(DISTINCT player_id) = 1) n "
            "WHERE i.source_file = ? AND n.player_lookup = i.player_lookup",
            [file],
        )
    result.rows_loaded = con.execute(f"SELECT count(*) FROM {table} WHERE source_file = ?", [file]).fetchone()[0]
    result.status = "partial" if result.rows_rejected else "loaded"
