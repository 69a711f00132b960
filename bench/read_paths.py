"""Benchmark the read paths on a built warehouse: `status`, `validate`, `report` and an offline `daily`. Prints JSON.

    uv run python bench/read_paths.py --db built.duckdb   # a built warehouse (copied; the file is never written)
    uv run python bench/read_paths.py                     # builds one from the archive first (minutes, untimed)

Each command runs as its own process, as a user runs it, `--runs` times after one untimed warm-up; the JSON gives
every wall time, the median, the target of issue #18 and whether the median meets it. The processes keep their
bytecode in a temporary folder (an installed package has its .pyc files; PYTHONDONTWRITEBYTECODE would otherwise
time the compiling of every module on every run). `daily` runs on a fresh copy each time (it writes), with every
live source pointed at a port on 127.0.0.1 that refuses connections, one attempt per request and no delay between
requests (there is no host to spare): what remains is the pipeline's own work, the date's backfill and predictions.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nbaprops.calendar import SeasonCalendar
from nbaprops.context import RunContext
from nbaprops.pipeline.backfill import Backfill
from nbaprops.raw.ingest import ingest_archive
from nbaprops.settings import get_settings
from nbaprops.warehouse import connect

TARGETS = {"status": 1.0, "validate": 5.0, "report": 5.0, "daily": 10.0}  # seconds, issue #18 item 2


def build(path: Path, archive: Path) -> None:
    """Ingest the archive and backfill every declared table: the warehouse the read paths read."""
    con = connect(path)
    ingest_archive(con, archive)
    con.close()
    with RunContext(get_settings(), connect(path)) as run:
        backfill = Backfill(run)
        backfill.run_range(backfill.everything(), command="bench read paths")


def refused_url() -> str:
    """A URL on 127.0.0.1 whose port nothing listens on: every request fails at once, no network touched."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def offline_env(tmp: Path) -> dict[str, str]:
    url = refused_url()
    env = {f"NBAPROPS_{name}_URL": url for name in ("NBA_CDN", "NBA_STATS", "ODDS_API", "INJURY_REPORT")}
    return {
        **env,
        "NBAPROPS_HTTP_ATTEMPTS": "1",
        "NBAPROPS_HTTP_MIN_INTERVAL": "0",
        "NBAPROPS_CACHE_DIR": str(tmp / "cache"),
        "ODDS_API_KEY": "",
    }


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, exit code) of `nbaprops ARGS` as a process of its own. The CPU time is the
    figure to compare on a shared machine: other processes stretch the wall time, not it."""
    cpu, started = _cpu(), time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "nbaprops.cli", *args], env=env, capture_output=True, check=False)
    return time.perf_counter() - started, _cpu() - cpu, done.returncode


def measure(name: str, args: list[str], env: dict[str, str], runs: int, fresh_db=None) -> dict:
    """`runs` timed runs after a warm-up; `fresh_db()` (when given) makes the warehouse each run reads anew."""
    walls, cpus, codes = [], [], []
    for attempt in range(runs + 1):
        db = fresh_db() if fresh_db else None
        wall, cpu, code = timed(["--quiet", *(["--db", str(db)] if db else []), *args], env)
        if attempt:  # the first is the warm-up
            walls.append(round(wall, 2))
            cpus.append(round(cpu, 2))
            codes.append(code)
    median = statistics.median(walls)
    return {
        "args": args,
        "seconds": walls,
        "median_seconds": median,
        "cpu_seconds": cpus,
        "median_cpu_seconds": statistics.median(cpus),
        "target_seconds": TARGETS[name],
        "met": median < TARGETS[name],
        "exit_codes": codes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="a built warehouse (default: build one from --archive)")
    parser.add_argument("--archive", type=Path, default=get_settings().archive)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command (after one warm-up)")
    parser.add_argument("--only", help="comma-separated subset of status,validate,report,daily")
    args = parser.parse_args()
    chosen = args.only.split(",") if args.only else list(TARGETS)
    unknown = sorted(set(chosen) - set(TARGETS))
    if unknown:
        parser.error(f"unknown command(s) {', '.join(unknown)}; known: {', '.join(TARGETS)}")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        base = tmp / "built.duckdb"
        if args.db is None:
            build(base, args.archive)
        else:
            shutil.copy(args.db, base)
        con = connect(base)  # applies pending migrations once, as the first command after an upgrade would
        last_date = SeasonCalendar.load(con).game_dates[-1]
        con.close()
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPYCACHEPREFIX=str(tmp / "pycache"), NBAPROPS_DB=str(base))
        copies = itertools.count()

        def fresh_db() -> Path:
            copy = tmp / f"daily_{next(copies)}.duckdb"
            shutil.copy(base, copy)
            return copy

        commands = {
            "status": (["status"], env, None),
            "validate": (["validate"], env, None),
            "report": (["report", "--out", str(tmp / "report")], env, None),
            "daily": (["daily", "--date", str(last_date)], {**env, **offline_env(tmp)}, fresh_db),
        }
        results = {name: measure(name, *commands[name][:2], args.runs, commands[name][2]) for name in chosen}
    print(
        json.dumps(
            {
                "db": str(args.db) if args.db else f"built from {args.archive}",
                "runs": args.runs,
                "commands": results,
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
