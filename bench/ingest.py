"""Benchmark: ingest the whole archive corpus into a fresh warehouse. Prints JSON.

uv run python bench/ingest.py [--archive ../shared/data/nba]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from nbaprops.raw.ingest import ingest_archive
from nbaprops.settings import get_settings
from nbaprops.warehouse import connect


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--archive", type=Path, default=get_settings().archive)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "bench.duckdb")
        started = time.perf_counter()
        summary = ingest_archive(con, args.archive)
        seconds = time.perf_counter() - started
        rows = {
            f"raw.{t}": con.execute(f"SELECT count(*) FROM raw.{t}").fetchone()[0]
            for (t,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' "
                "AND table_type = 'BASE TABLE' ORDER BY 1"
            ).fetchall()
        }
        again = time.perf_counter()
        ingest_archive(con, args.archive)
        second = time.perf_counter() - again
    json.dump(
        {
            "benchmark": "ingest_archive",
            "files": len(summary.files),
            "failed_files": len(summary.failed),
            "rows_rejected": sum(f.rows_rejected for f in summary.files),
            "seconds": round(seconds, 2),
            "second_ingest_seconds": round(second, 2),
            "rows": rows,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        },
        sys.stdout,
        indent=2,
    )
    print()


if __name__ == "__main__":
    main()
