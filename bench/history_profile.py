"""What grows with history: rebuild the last season of an N-times corpus and profile it. Prints JSON.

    uv run python bench/history_profile.py --factor 3 [--workdir DIR]

`bench/scale.py` measures the whole: N times the data in T(N). This isolates the part of T(N) that is not
proportional to the data: the synthetic corpus (`bench/replay.py`) is built, ingested and backfilled (untimed), then
its last season (the same 165 game dates of the same replayed 2025-26 at every factor) is recomputed in full
(reprocess mode all) under cProfile. The season's own work is the same at every factor; what differs is the history
before it (3N - 1 seasons). Reports seconds per table and the cumulative seconds of the runner's parts (the SQL
write, gates, fingerprints, ledger, planning): a part whose time grows with N reads history on every batch.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

import yaml
from replay import replayed_thresholds

from nbaprops.calendar import season_year_of
from nbaprops.context import RunContext
from nbaprops.pipeline.backfill import Backfill
from nbaprops.pipeline.partitions import ReprocessMode
from nbaprops.pipeline.planner import BackfillRequest
from nbaprops.raw.ingest import ingest_archive
from nbaprops.settings import get_settings
from nbaprops.warehouse import connect
from scale import backfill, generate

BATCH_DAYS = 400  # the CLI's default
# the runner's parts, by function name (module path, function)
PARTS = {
    "sql write (transform SELECT, delete + insert)": ("pipeline/writer.py", "write_batch"),
    "python transforms (predictions)": ("models/player_prop_predictions.py", "compute"),
    "gates": ("pipeline/gates.py", "check_inputs"),
    "input fingerprints": ("pipeline/fingerprints.py", "input_fingerprints"),
    "data fingerprints": ("warehouse/ledger.py", "data_fingerprints"),
    "ledger records": ("warehouse/ledger.py", "record_done"),
    "planning": ("pipeline/planner.py", "build_plan"),
}


def cumulative(stats: pstats.Stats, path: str, function: str) -> float:
    return round(
        sum(
            row[3] for (file, _, name), row in stats.stats.items() if file.endswith(path) and name == function
        ),  # row[3]: cumulative time
        2,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factor", type=int, required=True, help="replays of the real corpus")
    parser.add_argument("--archive", type=Path, default=get_settings().archive)
    parser.add_argument("--workdir", type=Path, help="make the temporary folder here (default: the system's)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        corpus, db, thresholds = Path(tmp) / "nba", Path(tmp) / "w.duckdb", Path(tmp) / "thresholds.yaml"
        generate(args.archive, corpus, args.factor)
        con = connect(db)
        ingest_archive(con, corpus)
        con.close()
        thresholds.write_text(yaml.safe_dump(replayed_thresholds(args.factor)), encoding="utf-8")
        built = backfill(db, thresholds)  # as bench/scale.py: every table over every date
        settings = get_settings().model_copy(update={"thresholds": thresholds})
        with RunContext(settings, connect(db)) as run:
            pipeline = Backfill(run)
            dates = run.calendar.game_dates
            last = season_year_of(dates[-1])
            season = [d for d in dates if season_year_of(d) == last]
            profile = cProfile.Profile()
            started = time.perf_counter()
            profile.enable()
            summary = pipeline.run_range(
                BackfillRequest(season[0], season[-1], mode=ReprocessMode.ALL),
                command="bench history profile",
                batch_days=BATCH_DAYS,
            )
            profile.disable()
            seconds = time.perf_counter() - started
    stats = pstats.Stats(profile)
    result = {
        "benchmark": "history_profile",
        "factor": args.factor,
        "seasons_before": len({season_year_of(d) for d in dates}) - 1,
        "season": [str(season[0]), str(season[-1])],
        "dates": len(season),
        "build_status": built["status"],
        "status": summary.status,
        "seconds": round(seconds, 2),
        "tables": {t.table: t.seconds for t in summary.tables},
        "parts": {part: cumulative(stats, *where) for part, where in PARTS.items()},
    }
    json.dump(result, sys.stdout, indent=2)
    print()
    if built["status"] != "success" or summary.status != "success":
        sys.exit("incomplete run: see the JSON")


if __name__ == "__main__":
    main()
