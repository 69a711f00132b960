"""Load one archive file into its raw table: read, check, map, and replace that file's rows in one transaction.

Each file is the unit of replacement: its rows carry `source_file`, so a changed file replaces exactly the rows it
provided and an unchanged one (same sha256 as its last good ingest) is skipped. Rejected records go to
`raw.quarantine` with their line and reason; every attempt is recorded in `ops.ingest_log`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from nbaprops.raw.catalog import PRECEDENCE
from nbaprops.raw.families import FileFamily
from nbaprops.raw.replace import (
    DEFAULT_TOLERANCE,
    LedgerRow,
    Problem,
    ShrinkTolerance,
    disagreement_sql,
    last_good_sha,
    log_ingest,
    next_ingest_id,
    replace_rows,
    shrink_refusal,
    transaction,
)
from nbaprops.sources.archive import CsvContent, UnreadableFile, read_csv_file, sha256_of


@dataclass
class FileResult:
    """What happened to one file; `problems` holds (line, reason) for every rejected record."""

    file: str
    family: str
    status: str  # loaded | partial | failed | unchanged
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_elsewhere: int = 0  # identical rows another file already provided (overlapping files), not loaded again
    error: str | None = None
    problems: list[tuple[int | None, str]] = field(default_factory=list)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# No column of the corpus holds a number this large (ids included); beyond it an integer column would overflow.
NUMERIC_LIMIT = 2**31


def _problem_expressions(family: FileFamily) -> list[str]:
    """SQL expressions that each yield a reason string for a bad staged record, or NULL."""
    exprs = []
    for col in family.not_null:
        exprs.append(f"CASE WHEN {_ident(col)} IS NULL THEN 'column {col} is empty' END")
    for col in family.numeric:
        c, quoted = _ident(col), f"{_literal(chr(39))} || {_ident(col)} || {_literal(chr(39))}"
        exprs.append(
            f"CASE WHEN {c} IS NULL THEN NULL "
            f"WHEN TRY_CAST({c} AS DOUBLE) IS NULL THEN 'column {col}: ' || {quoted} || ' is not a number' "
            f"WHEN NOT isfinite(TRY_CAST({c} AS DOUBLE)) "
            f"THEN 'column {col}: ' || {quoted} || ' is not a finite number' "
            f"WHEN abs(TRY_CAST({c} AS DOUBLE)) >= {NUMERIC_LIMIT} "
            f"THEN 'column {col}: ' || {quoted} || ' is out of range' END"
        )
    for col, fmt in family.dates:
        c = _ident(col)
        exprs.append(
            f"CASE WHEN {c} IS NOT NULL AND TRY_STRPTIME({c}, {_literal(fmt)}) IS NULL "
            f"THEN 'column {col}: ' || {_literal(chr(39))} || {c} || {_literal(chr(39))} "
            f"|| ' is not a date ({fmt})' END"
        )
    for col in family.tricodes:
        c = _ident(col)
        exprs.append(
            f"CASE WHEN {c} IS NOT NULL AND {c} NOT IN (SELECT team FROM raw.teams) "
            f"THEN 'unknown team code ' || {c} || ' in column {col}' END"
        )
    if not family.key:
        return exprs
    key = ", ".join(_ident(k) for k in family.key)
    exprs.append(
        f"CASE WHEN row_number() OVER (PARTITION BY {key} ORDER BY _line) > 1 "
        f"THEN 'duplicate record: same {', '.join(family.key)} as line ' "
        f"|| min(_line) OVER (PARTITION BY {key}) END"
    )
    return exprs


def _stage_table(content: CsvContent, family: FileFamily) -> pa.Table:
    index = {name.lower(): i for i, name in enumerate(content.header)}
    columns: dict[str, list] = {"_line": content.lines}
    for col in family.columns():
        pos = index.get(col.lower())
        if pos is None:
            columns[col] = [None] * len(content.records)
        else:
            columns[col] = [(v.strip() or None) if v is not None else None for v in (r[pos] for r in content.records)]
    return pa.table({k: pa.array(v, type=pa.int64() if k == "_line" else pa.string()) for k, v in columns.items()})


def _record_json(content: CsvContent, line_to_index: dict[int, int], line: int) -> str:
    i = line_to_index.get(line)
    if i is None:
        return ""
    return json.dumps(dict(zip(content.header, content.records[i], strict=False)))


def _ledger(ingest_id: int, sha: str | None, family: FileFamily, result: FileResult, started) -> LedgerRow:
    return LedgerRow(
        ingest_id, result.file, sha, family.name, family.table, result.rows_read, result.rows_loaded,
        result.rows_rejected, result.status, result.error, started,
    )  # fmt: skip


def _fail(con, ingest_id: int, sha: str | None, family: FileFamily, result: FileResult, started, error: str):
    result.status, result.error = "failed", error
    log_ingest(con, _ledger(ingest_id, sha, family, result, started))
    return result


def load_file(
    con: duckdb.DuckDBPyConnection,
    family: FileFamily,
    path: Path,
    rel: str,
    *,
    force: bool = False,
    accept_shrink: bool = False,
    tolerance: ShrinkTolerance = DEFAULT_TOLERANCE,
) -> FileResult:
    """Load `path` (named `rel` in the ledger) into `family.table`. A version that would shrink the rows the file
    provided (beyond `tolerance`), or that was only partly read, is refused unless `accept_shrink`."""
    started = dt.datetime.now()
    result = FileResult(rel, family.name, "failed")
    if not path.is_file():
        what = "a broken symbolic link" if path.is_symlink() else "not a regular file"
        return _fail(con, next_ingest_id(con), None, family, result, started, f"{what}: {path}")
    sha = None
    try:
        sha = sha256_of(path)
        if not force and last_good_sha(con, rel) == sha:
            return FileResult(rel, family.name, "unchanged")
        content = read_csv_file(path)
    except (UnreadableFile, OSError) as exc:
        return _fail(con, next_ingest_id(con), sha, family, result, started, f"cannot read the file: {exc}")
    ingest_id = next_ingest_id(con)
    result.rows_read = len(content.records) + len(content.problems)
    header = {h.lower() for h in content.header}
    missing = [c for c in family.required if c.lower() not in header]
    if missing:
        return _fail(con, ingest_id, sha, family, result, started, f"missing required column(s): {', '.join(missing)}")
    try:
        columns, quarantine, result.rows_elsewhere = _check_and_map(con, family, content, rel)
    except duckdb.Error as exc:
        # A record no declared check anticipated: the file fails by name; nothing is written.
        reason = str(exc).splitlines()[0]
        return _fail(con, ingest_id, sha, family, result, started, f"cannot map the records: {reason}")
    result.rows_rejected = len({q[0] for q in quarantine})
    result.problems = [(line, reason) for line, reason, _ in quarantine]
    good = "SELECT * FROM mapped WHERE source_line NOT IN (SELECT source_line FROM mapped WHERE _problem IS NOT NULL)"

    before, after = con.execute(
        f"SELECT (SELECT count(DISTINCT source_line) FROM {family.table} WHERE source_file = ?), "
        f"(SELECT count(DISTINCT source_line) FROM ({good}))",
        [rel],
    ).fetchone()
    refusal = shrink_refusal(rel, family.table, before, after, partial_read=content.file_problem, tolerance=tolerance)
    if refusal and not accept_shrink:
        return _fail(con, ingest_id, sha, family, result, started, refusal)
    notes = [
        content.file_problem,
        f"shrink accepted (--accept-shrink): {before:,} -> {after:,} rows" if refusal else None,
    ]
    with transaction(con):
        # A record that produced several rows (home and road) loads only when all of them are good.
        replace_rows(
            con, table=family.table, file=rel, columns=columns, select_sql=good, problems=quarantine,
            ingest_id=ingest_id,
        )  # fmt: skip
        _fill_live_rows(con, family, columns)
        result.rows_loaded = con.execute(
            f"SELECT count(DISTINCT source_line) FROM {family.table} WHERE source_file = ?", [rel]
        ).fetchone()[0]
        result.status = "partial" if (quarantine or content.file_problem) else "loaded"
        result.error = "; ".join(n for n in notes if n) or None
        log_ingest(con, _ledger(ingest_id, sha, family, result, started))
    return result


def _fill_live_rows(con: duckdb.DuckDBPyConnection, family: FileFamily, columns: list[str]) -> None:
    """Inside the load's transaction: a live row this file agrees with takes this file's values where it has NULL
    (the merge of the source precedence, as `raw.live` does when the live payload comes second)."""
    target_key = [k for k in family.target_key if k not in ("source_file", "source_line")]
    if not target_key:
        return
    join = " AND ".join(f"t.{_ident(k)} = f.{_ident(k)}" for k in target_key)
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {family.table})").fetchall())
    data = [c for c in columns if c not in ("source_file", "source_line")]
    sets = ", ".join(f"{_ident(c)} = coalesce(t.{_ident(c)}, CAST(f.{_ident(c)} AS {types[c]}))" for c in data)
    con.execute(f"UPDATE {family.table} t SET {sets} FROM fills_live f WHERE {join} AND t.source_file LIKE 'http%'")


def _check_game_date_season(con: duckdb.DuckDBPyConnection, family: FileFamily, rel: str, has_game_id: bool) -> None:
    """A game date must fall in the season its game id names (a schedule file may list next season's preseason), or
    without a game id in the file's seasons: a game dated 2099 is a bad record, not a game."""
    seasons = sorted(family.seasons_of(Path(rel).name))
    expected = f"[{', '.join(map(str, seasons))}]" if seasons else "NULL"
    if has_game_id:
        season_of_id = "2000 + TRY_CAST(substr(game_id, 4, 2) AS INTEGER)"
        expected = (
            f"CASE WHEN length(game_id) = 10 AND {season_of_id} IS NOT NULL THEN [{season_of_id}] ELSE {expected} END"
        )
    con.execute(
        f"UPDATE mapped SET _problem = 'game_date ' || game_date || ' is outside season(s) ' || "
        f"array_to_string(list_transform({expected}, y -> season_label(y)), ', ') "
        f"WHERE _problem IS NULL AND NOT list_contains({expected}, season_year_of(game_date))"
    )


def _check_and_map(
    con: duckdb.DuckDBPyConnection, family: FileFamily, content: CsvContent, rel: str
) -> tuple[list[str], list[Problem], int]:
    """Stage the records, apply the declared checks, map them into `mapped` (with `_problem` per row), and skip rows
    another file already provides. Returns the target table's columns, every rejected record and how many records
    were skipped as already provided elsewhere."""
    line_to_index = {line: i for i, line in enumerate(content.lines)}
    quarantine: list[Problem] = list(content.problems)

    con.register("stage_arrow", _stage_table(content, family))
    try:
        problems = ", ".join(_problem_expressions(family))
        con.execute(
            "CREATE OR REPLACE TEMP TABLE stage_checked AS "
            f"SELECT *, nullif(concat_ws('; ', {problems}), '') AS _problem FROM stage_arrow"
        )
    finally:
        con.unregister("stage_arrow")
    for line, reason in con.execute(
        "SELECT _line, _problem FROM stage_checked WHERE _problem IS NOT NULL ORDER BY _line"
    ).fetchall():
        quarantine.append((line, reason, _record_json(content, line_to_index, line)))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stage AS SELECT * EXCLUDE (_problem) FROM stage_checked WHERE _problem IS NULL"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE mapped AS {family.sql}", {"source_file": rel})

    columns = [r[0] for r in con.execute(f"DESCRIBE {family.table}").fetchall()]
    if "game_date" in columns:
        _check_game_date_season(con, family, rel, "game_id" in columns)
    target_key = [k for k in family.target_key if k not in ("source_file", "source_line")]
    elsewhere = 0
    if target_key:
        # A row another file already provided: identical content is skipped, different content is a conflict
        # naming the columns; against a live row the source precedence (raw.catalog.PRECEDENCE) applies.
        join = " AND ".join(f"t.{_ident(k)} = m.{_ident(k)}" for k in target_key)
        data_cols = [c for c in columns if c not in ("source_file", "source_line")]
        same = (
            f"row({', '.join('t.' + _ident(c) for c in data_cols)}) IS NOT DISTINCT FROM "
            f"row({', '.join('m.' + _ident(c) for c in data_cols)})"
        )
        live = "t.source_file LIKE 'http%'"
        overruled = disagreement_sql(data_cols, "m", "t")
        con.execute("ALTER TABLE mapped ADD COLUMN _elsewhere BOOLEAN DEFAULT false")
        con.execute(
            f"UPDATE mapped m SET _elsewhere = {same} OR ({live} AND {overruled} = ''), _problem = CASE "
            f"WHEN {same} THEN NULL "
            f"WHEN {live} AND {overruled} = '' THEN NULL "
            f"WHEN {live} THEN 'overruled by the live payload ' || t.source_file || ' line ' || t.source_line || "
            f"' (source precedence: {' > '.join(PRECEDENCE)}): ' || {overruled} "
            "ELSE 'conflicts with ' || t.source_file || ' line ' || t.source_line || ': ' || "
            f"{disagreement_sql(data_cols, 't', 'm', nulls=True)} END "
            f"FROM {family.table} t WHERE {join} AND t.source_file <> m.source_file AND m._problem IS NULL"
        )
        # What this file has and a live row of the same key lacks fills the live row (`_fill_live_rows`).
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE fills_live AS SELECT m.* FROM mapped m JOIN {family.table} t "
            f"ON {join} WHERE {live} AND m._elsewhere"
        )
        elsewhere = con.execute("SELECT count(DISTINCT source_line) FROM mapped WHERE _elsewhere").fetchone()[0]
        con.execute("DELETE FROM mapped WHERE _elsewhere")
    for line, reason in con.execute(
        "SELECT source_line, string_agg(DISTINCT _problem, '; ') FROM mapped WHERE _problem IS NOT NULL "
        "GROUP BY 1 ORDER BY 1"
    ).fetchall():
        quarantine.append((line, reason, _record_json(content, line_to_index, line)))
    quarantine.sort(key=lambda q: q[0] or 0)
    return columns, quarantine, elsewhere
