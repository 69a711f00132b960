"""Benchmark training and the walk-forward backtest on a built warehouse. Prints JSON.

    uv run nbaprops build                       # once: ingest and backfill ./nbaprops.duckdb
    uv run python bench/backtest.py             # full: one training + the 2024-25 regular season, monthly
    uv run python bench/backtest.py --reduced   # CI: one month

Measures (1) one `nbaprops train`-style fit on every played row before the season's last day, (2) a walk-forward
backtest with monthly retraining, with its accuracy table (the numbers in docs/model.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
import time
from pathlib import Path

from nbaprops.models.backtest import run_backtest
from nbaprops.models.config import ModelConfig
from nbaprops.models.frame import training_frame
from nbaprops.models.gbm import fit_gbm
from nbaprops.settings import get_settings
from nbaprops.warehouse import connect

SEASON = (dt.date(2024, 10, 22), dt.date(2025, 4, 13))  # 2024-25 regular season (play-in starts 2025-04-15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=get_settings().db, help="a built warehouse")
    parser.add_argument("--reduced", action="store_true", help="one month instead of a season (CI)")
    parser.add_argument("--retrain", choices=("monthly", "weekly"), default="monthly")
    parser.add_argument("--availability", choices=("live", "oracle"), default="live", help="see docs/model.md")
    args = parser.parse_args()
    start, end = (dt.date(2024, 12, 1), dt.date(2024, 12, 31)) if args.reduced else SEASON
    con = connect(args.db, read_only=True)
    cfg = ModelConfig()

    started = time.perf_counter()
    frame = training_frame(con, end + dt.timedelta(days=1))
    loaded = time.perf_counter()
    fit_gbm(frame, end + dt.timedelta(days=1), cfg.gbm)
    trained = time.perf_counter()
    report = run_backtest(con, start, end, retrain=args.retrain, cfg=cfg, availability=args.availability)
    finished = time.perf_counter()
    con.close()
    result = {
        "benchmark": "backtest",
        "range": [str(start), str(end)],
        "retrain": args.retrain,
        "availability": args.availability,
        "train": {
            "rows": len(frame),
            "load_seconds": round(loaded - started, 2),
            "fit_seconds": round(trained - loaded, 2),
        },
        "walk_forward": {
            "models": len(report.periods),
            "seconds": round(finished - trained, 2),
            **report.timings,
        },
        "counts": report.counts,
        "accuracy": report.to_dict()["accuracy"],
        "gbm_params": cfg.gbm.model_dump(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
