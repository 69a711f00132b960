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

from nbaprops.raw.families import FileFamily
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


def _problem_expressions(family: FileFamily) -> list[str]:
    """SQL expressions that each yield a reason string for a bad staged record, or NULL."""
    exprs = []
    for col in family.not_null:
        exprs.append(f"CASE WHEN {_ident(col)} IS NULL THEN 'column {col} is empty' END")
    for col in family.numeric:
        c = _ident(col)
        exprs.append(
            f"CASE WHEN {c} IS NOT NULL AND TRY_CAST({c} AS DOUBLE) IS NULL "
            f"THEN 'column {col}: ' || {_literal(chr(39))} || {c} || {_literal(chr(39))} || ' is not a number' END"
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


def next_ingest_id(con: duckdb.DuckDBPyConnection) -> int:
    """max + 1, not a sequence: DuckDB may hand out a sequence value again after a crash; one writer makes it safe."""
    return con.execute("SELECT coalesce(max(ingest_id), 0) + 1 FROM ops.ingest_log").fetchone()[0]


def _last_good_sha(con: duckdb.DuckDBPyConnection, rel: str) -> str | None:
    row = con.execute(
        "SELECT sha256 FROM ops.ingest_log WHERE file = ? AND status IN ('loaded', 'partial') "
        "ORDER BY ingest_id DESC LIMIT 1",
        [rel],
    ).fetchone()
    return row[0] if row else None


def _log(
    con, ingest_id: int, rel: str, sha: str | None, family: FileFamily, result: FileResult, started: dt.datetime
) -> None:
    con.execute(
        "INSERT INTO ops.ingest_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            ingest_id,
            rel,
            sha,
            family.name,
            family.table,
            result.rows_read,
            result.rows_loaded,
            result.rows_rejected,
            result.status,
            result.error,
            started,
            dt.datetime.now(),
        ],
    )


def load_file(
    con: duckdb.DuckDBPyConnection, family: FileFamily, path: Path, rel: str, *, force: bool = False
) -> FileResult:
    """Load `path` (named `rel` in the ledger) into `family.table`."""
    started = dt.datetime.now()
    sha = sha256_of(path)
    if not force and _last_good_sha(con, rel) == sha:
        return FileResult(rel, family.name, "unchanged")
    ingest_id = next_ingest_id(con)
    result = FileResult(rel, family.name, "failed")

    try:
        content = read_csv_file(path)
    except (UnreadableFile, OSError) as exc:
        result.error = f"cannot read the file: {exc}"
        _log(con, ingest_id, rel, sha, family, result, started)
        return result
    header = {h.lower() for h in content.header}
    missing = [c for c in family.required if c.lower() not in header]
    if missing:
        result.error = f"missing required column(s): {', '.join(missing)}"
        result.rows_read = len(content.records) + len(content.problems)
        _log(con, ingest_id, rel, sha, family, result, started)
        return result

    result.rows_read = len(content.records) + len(content.problems)
    line_to_index = {line: i for i, line in enumerate(content.lines)}
    quarantine: list[tuple[int | None, str, str]] = list(content.problems)

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
    target_key = [k for k in family.target_key if k not in ("source_file", "source_line")]
    if target_key:
        # A row another file already provided: identical content is skipped, different content is a conflict.
        join = " AND ".join(f"t.{_ident(k)} = m.{_ident(k)}" for k in target_key)
        data_cols = [c for c in columns if c not in ("source_file", "source_line")]
        same = (
            f"row({', '.join('t.' + _ident(c) for c in data_cols)}) IS NOT DISTINCT FROM "
            f"row({', '.join('m.' + _ident(c) for c in data_cols)})"
        )
        con.execute("ALTER TABLE mapped ADD COLUMN _elsewhere BOOLEAN DEFAULT false")
        con.execute(
            f"UPDATE mapped m SET _elsewhere = {same}, _problem = CASE WHEN {same} THEN NULL ELSE "
            "'conflicts with ' || t.source_file || ' line ' || t.source_line END "
            f"FROM {family.table} t WHERE {join} AND t.source_file <> m.source_file AND m._problem IS NULL"
        )
        result.rows_elsewhere = con.execute(
            "SELECT count(DISTINCT source_line) FROM mapped WHERE _elsewhere"
        ).fetchone()[0]
        con.execute("DELETE FROM mapped WHERE _elsewhere")
    for line, reason in con.execute(
        "SELECT source_line, string_agg(DISTINCT _problem, '; ') FROM mapped WHERE _problem IS NOT NULL "
        "GROUP BY 1 ORDER BY 1"
    ).fetchall():
        quarantine.append((line, reason, _record_json(content, line_to_index, line)))

    quarantine.sort(key=lambda q: q[0] or 0)
    rejected_lines = {q[0] for q in quarantine}
    result.rows_rejected = len(rejected_lines)
    result.problems = [(line, reason) for line, reason, _ in quarantine]
    col_list = ", ".join(_ident(c) for c in columns)

    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"DELETE FROM {family.table} WHERE source_file = ?", [rel])
        con.execute("DELETE FROM raw.quarantine WHERE file = ?", [rel])
        # A record that produced several rows (home and road) loads only when all of them are good.
        con.execute(
            f"INSERT INTO {family.table} ({col_list}) SELECT {col_list} FROM mapped "
            "WHERE source_line NOT IN (SELECT source_line FROM mapped WHERE _problem IS NOT NULL)"
        )
        result.rows_loaded = con.execute(
            f"SELECT count(DISTINCT source_line) FROM {family.table} WHERE source_file = ?", [rel]
        ).fetchone()[0]
        if quarantine:
            con.executemany(
                "INSERT INTO raw.quarantine (ingest_id, file, line, reason, record) VALUES (?, ?, ?, ?, ?)",
                [(ingest_id, rel, line, reason, record) for line, reason, record in quarantine],
            )
        result.status = "partial" if (quarantine or content.file_problem) else "loaded"
        result.error = content.file_problem
        _log(con, ingest_id, rel, sha, family, result, started)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return result
