"""Scaling benchmark: ingest and backfill a synthetic corpus N times the real one. Prints JSON.

    uv run python bench/scale.py --factor 3 [--archive ../shared/data/nba] [--keep DIR]

The corpus is the real one replayed N times, each replay three seasons later (`bench/replay.py`), written to a
temporary folder in the archive's layout (untimed, in a child process so its memory is not the benchmark's). Then,
timed: `ingest_archive` into a fresh warehouse, and the full backfill of every game date through `Backfill` (the
planner and runner `nbaprops backfill` uses), with the CLI's default batching. Reports rows per raw table, seconds
per phase and per table, and peak RSS: the benchmark process's (ingest and backfill) and the generator's.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

from replay import replay_corpus

from nbaprops.context import RunContext
from nbaprops.pipeline.backfill import Backfill
from nbaprops.pipeline.planner import BackfillRequest
from nbaprops.raw.ingest import ingest_archive
from nbaprops.settings import get_settings
from nbaprops.warehouse import connect

BATCH_DAYS = 400  # the CLI's default


def _mb(usage: resource.struct_rusage) -> float:
    return round(usage.ru_maxrss / 1024, 1)


def generate(archive: Path, out: Path, factor: int) -> dict:
    """Write the synthetic corpus in a child process; what it wrote, and its peak RSS."""
    started = time.perf_counter()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        written = pool.apply(replay_corpus, (archive, out, factor))
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "files": len(written),
        "records": sum(f.records for f in written),
        "unparsable_records_skipped": sum(f.skipped for f in written),
        "bytes": sum(f.path.stat().st_size for f in written),
        "peak_rss_mb": _mb(resource.getrusage(resource.RUSAGE_CHILDREN)),
    }


def raw_rows(con) -> dict[str, int]:
    tables = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' AND table_type = 'BASE TABLE' "
        "ORDER BY 1"
    ).fetchall()
    return {f"raw.{t}": con.execute(f"SELECT count(*) FROM raw.{t}").fetchone()[0] for (t,) in tables}


def backfill(path: Path) -> dict:
    """Every declared table over every game date, as `nbaprops backfill` with no options runs it."""
    with RunContext(get_settings(), connect(path)) as run:
        pipeline = Backfill(run)
        dates = run.calendar.game_dates
        started = time.perf_counter()
        plan = pipeline.plan(BackfillRequest(dates[0], dates[-1]))
        planned = time.perf_counter()
        summary = pipeline.execute(plan, command="bench scale", batch_days=BATCH_DAYS)
        total = time.perf_counter() - started
        phases: dict[str, float] = {}
        for t in summary.tables:
            phase = pipeline.transforms[t.table].phase
            phases[phase] = round(phases.get(phase, 0.0) + t.seconds, 2)
    return {
        "range": [str(dates[0]), str(dates[-1])],
        "partitions": plan.partitions,
        "failed_partitions": summary.failed,
        "status": summary.status,
        "plan_seconds": round(planned - started, 2),
        "phase_seconds": phases,
        "seconds": round(total, 2),
        "tables": {t.table: {"seconds": t.seconds, "partitions": t.done, "rows": t.rows} for t in summary.tables},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factor", type=int, required=True, help="replays of the real corpus (1..25)")
    parser.add_argument("--archive", type=Path, default=get_settings().archive)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep the corpus and warehouse")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.keep) as tmp:
        corpus, db = Path(tmp) / "nba", Path(tmp) / "scale.duckdb"
        generated = generate(args.archive, corpus, args.factor)
        con = connect(db)
        started = time.perf_counter()
        ingest = ingest_archive(con, corpus)
        ingest_seconds = time.perf_counter() - started
        rows = raw_rows(con)
        con.close()
        built = backfill(db)
        warehouse_mb = round(db.stat().st_size / 2**20, 1)
    result = {
        "benchmark": "scale",
        "factor": args.factor,
        "generate": generated,
        "ingest": {
            "seconds": round(ingest_seconds, 2),
            "files": len(ingest.files),
            "failed_files": len(ingest.failed),
            "rows_rejected": sum(f.rows_rejected for f in ingest.files),
            "identity_resolved_share": round(ingest.identity.resolved_share, 4) if ingest.identity else None,
        },
        "rows": rows,
        "backfill": built,
        "phase_seconds": {"ingest": round(ingest_seconds, 2), **built["phase_seconds"]},
        "total_seconds": round(ingest_seconds + built["seconds"], 2),
        "warehouse_mb": warehouse_mb,
        "peak_rss_mb": _mb(resource.getrusage(resource.RUSAGE_SELF)),
    }
    json.dump(result, sys.stdout, indent=2)
    print()
    if ingest.failed or built["failed_partitions"]:
        sys.exit(f"incomplete run: {len(ingest.failed)} file(s) failed, {built['failed_partitions']} partition(s)")


if __name__ == "__main__":
    main()
