"""Benchmark the backfill on the real corpus. Prints JSON.

    uv run python bench/backfill.py            # full: 2023-24 through 2025-26, batched and per-date
    uv run python bench/backfill.py --reduced  # CI: the first two months of 2024-25, same three measurements

Measures (1) a full rebuild of every declared phase 3/4 table from raw, with the default batching; (2) the same
with --batch-days 1, the per-date style of the reference system; (3) an incremental run of one date after (1).
Peak RSS is the process's maximum resident memory. The reduced range's features read every earlier season
(`lookback="history"`), so the analytics of the seasons before it are built first, untimed: without them the gates
(rightly) fail the feature partitions and the timings would be of a partial run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from nbaprops.calendar import SeasonCalendar
from nbaprops.context import RunContext
from nbaprops.pipeline.backfill import Backfill
from nbaprops.pipeline.partitions import ReprocessMode
from nbaprops.pipeline.planner import BackfillRequest
from nbaprops.raw.ingest import ingest_archive
from nbaprops.settings import get_settings
from nbaprops.warehouse import connect


def rebuild(path: Path, request: BackfillRequest, batch_days: int) -> dict:
    with RunContext(get_settings(), connect(path)) as run:
        backfill = Backfill(run)
        started = time.perf_counter()
        plan = backfill.plan(request)
        planned = time.perf_counter()
        summary = backfill.execute(plan, command="bench", batch_days=batch_days)
        total = time.perf_counter() - started
    return {
        "batch_days": batch_days,
        "partitions": plan.partitions,
        "status": summary.status,
        "plan_seconds": round(planned - started, 2),
        "seconds": round(total, 2),
        "tables": {t.table: {"seconds": t.seconds, "partitions": t.done, "rows": t.rows} for t in summary.tables},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--archive", type=Path, default=get_settings().archive)
    parser.add_argument("--reduced", action="store_true", help="two months instead of three seasons (CI)")
    args = parser.parse_args()
    start, end = (dt.date(2024, 10, 1), dt.date(2024, 11, 30)) if args.reduced else (
        dt.date(2023, 10, 1), dt.date(2026, 6, 30)
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        raw_db = Path(tmp) / "corpus.duckdb"
        con = connect(raw_db)
        ingest_archive(con, args.archive)
        first = SeasonCalendar.load(con).game_dates[0]
        con.close()
        history = None
        if first < start:  # what the range reads from earlier seasons, untimed
            history = rebuild(raw_db, BackfillRequest(first, start - dt.timedelta(days=1), phases=("analytics",)), 400)
        batched_db, per_date_db = Path(tmp) / "batched.duckdb", Path(tmp) / "per_date.duckdb"
        shutil.copy(raw_db, batched_db)
        shutil.copy(raw_db, per_date_db)
        full = rebuild(batched_db, BackfillRequest(start, end), batch_days=400)
        per_date = rebuild(per_date_db, BackfillRequest(start, end), batch_days=1)

        con = connect(batched_db)
        last = SeasonCalendar.load(con).dates_between(start, end, played_only=True)[-1]
        con.execute("UPDATE raw.team_boxscores SET pts = pts WHERE game_date = ?", [last])  # a re-ingested date
        con.close()
        incremental = rebuild(batched_db, BackfillRequest(last, last, mode=ReprocessMode.ALL), batch_days=400)
    result = {
        "benchmark": "backfill",
        "range": [str(start), str(end)],
        "history_prebuilt": None if history is None else {"range": [str(first), str(start)], **history},
        "full_rebuild": full,
        "per_date_rebuild": per_date,
        "incremental_one_date": {"date": str(last), **incremental},
        "speedup_batched_vs_per_date": round(per_date["seconds"] / full["seconds"], 1) if full["seconds"] else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
