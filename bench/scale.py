"""Scaling benchmark: ingest and backfill a synthetic corpus N times the real one. Prints JSON.

    uv run python bench/scale.py --factor 3 [--archive ../shared/data/nba] [--workdir DIR]

The corpus is the real one replayed N times, each replay three seasons later (`bench/replay.py`), written to a
temporary folder in the archive's layout (untimed, in a child process so its memory is not the benchmark's). Then,
timed: `ingest_archive` into a fresh warehouse, and the full backfill of every game date through `Backfill` (the
planner and runner `nbaprops backfill` uses), with the CLI's default batching. Reports rows per raw table, seconds
per phase and per table (wall), CPU seconds of ingest and backfill (all threads of the process: the measure that
holds when other work shares the cores), and peak RSS: the benchmark process's (ingest, backfill) and the generator's.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml
from replay import replay_corpus, replayed_thresholds

from nbaprops.context import RunContext
from nbaprops.pipeline.backfill import Backfill
from nbaprops.pipeline.planner import BackfillRequest
from nbaprops.raw.ingest import ingest_archive
from nbaprops.raw.loader import FileResult
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


class FamilyClock:
    """`on_file` hook of `ingest_archive`: wall seconds per file family (a file's time ends when it is reported)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def __call__(self, result: FileResult) -> None:
        now = time.perf_counter()
        self.seconds[result.family] = round(self.seconds.get(result.family, 0.0) + now - self.last, 2)
        self.last = now


def raw_rows(con) -> dict[str, int]:
    tables = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' AND table_type = 'BASE TABLE' "
        "ORDER BY 1"
    ).fetchall()
    return {f"raw.{t}": con.execute(f"SELECT count(*) FROM raw.{t}").fetchone()[0] for (t,) in tables}


def backfill(path: Path, thresholds: Path) -> dict:
    """Every declared table over every game date, as `nbaprops backfill --thresholds FILE` with no other option runs
    it (the file gives the replayed seasons the known gaps of the real ones)."""
    settings = get_settings().model_copy(update={"thresholds": thresholds})
    with RunContext(settings, connect(path)) as run:
        pipeline = Backfill(run)
        dates = run.calendar.game_dates
        started, cpu = time.perf_counter(), time.process_time()
        plan = pipeline.plan(BackfillRequest(dates[0], dates[-1]))
        planned = time.perf_counter()
        summary = pipeline.execute(plan, command="bench scale", batch_days=BATCH_DAYS)
        total, cpu = time.perf_counter() - started, time.process_time() - cpu
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
        "cpu_seconds": round(cpu, 2),
        "tables": {t.table: {"seconds": t.seconds, "partitions": t.done, "rows": t.rows} for t in summary.tables},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factor", type=int, required=True, help="replays of the real corpus (1..25)")
    parser.add_argument("--archive", type=Path, default=get_settings().archive)
    parser.add_argument("--workdir", type=Path, help="make the temporary folder here (default: the system's)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        corpus, db = Path(tmp) / "nba", Path(tmp) / "scale.duckdb"
        generated = generate(args.archive, corpus, args.factor)
        con = connect(db)
        started, cpu = time.perf_counter(), time.process_time()
        clock = FamilyClock()
        ingest = ingest_archive(con, corpus, on_file=clock)
        ingest_seconds, ingest_cpu = time.perf_counter() - started, time.process_time() - cpu
        rows = raw_rows(con)
        con.close()
        thresholds = Path(tmp) / "thresholds.yaml"
        thresholds.write_text(yaml.safe_dump(replayed_thresholds(args.factor)), encoding="utf-8")
        built = backfill(db, thresholds)
        warehouse_mb = round(db.stat().st_size / 2**20, 1)
    result = {
        "benchmark": "scale",
        "factor": args.factor,
        "generate": generated,
        "ingest": {
            "seconds": round(ingest_seconds, 2),
            "cpu_seconds": round(ingest_cpu, 2),
            "family_seconds": clock.seconds,
            "identity_seconds": round(started + ingest_seconds - clock.last, 2),  # after the last file: identity
            "files": len(ingest.files),
            "failed_files": len(ingest.failed),
            "rows_rejected": sum(f.rows_rejected for f in ingest.files),
            "identity_resolved_share": round(ingest.identity.resolved_share, 4) if ingest.identity else None,
        },
        "rows": rows,
        "backfill": built,
        "phase_seconds": {"ingest": round(ingest_seconds, 2), **built["phase_seconds"]},
        "total_seconds": round(ingest_seconds + built["seconds"], 2),
        "total_cpu_seconds": round(ingest_cpu + built["cpu_seconds"], 2),
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        "warehouse_mb": warehouse_mb,
        "peak_rss_mb": _mb(resource.getrusage(resource.RUSAGE_SELF)),
    }
    json.dump(result, sys.stdout, indent=2)
    print()
    if ingest.failed or built["failed_partitions"]:
        sys.exit(f"incomplete run: {len(ingest.failed)} file(s) failed, {built['failed_partitions']} partition(s)")


if __name__ == "__main__":
    main()
