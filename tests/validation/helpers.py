"""Shared helpers for validation and report tests: writable copies of the session warehouses, the CLI runner, and
a guard that skips phase-3/4 tests until their transforms are declared."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nbaprops.cli import app
from nbaprops.pipeline.registry import discover

runner = CliRunner()
PHASE3 = ("analytics.player_game_summary", "analytics.team_offense_game_summary", "analytics.team_defense_game_summary")
PHASE4_SAMPLE = "precompute.team_defense_zone_analysis"
BUILT_FROM = "2024-10-01"  # the built warehouse covers 2024-25 (full sources) and 2025-26 (slim game logs)


def copy_db(source: Path, folder: Path, name: str = "copy.duckdb") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(source, target)
    return target


def cli(db: Path, *args: str):
    return runner.invoke(app, ["--db", str(db), *args], env={"COLUMNS": "200"})


def require_declared(*tables: str) -> None:
    missing = sorted(set(tables) - discover().keys())
    if missing:
        pytest.skip(f"not declared yet: {', '.join(missing)}")


def with_inputs(tables: set[str]) -> set[str]:
    """`tables` and every declared table they read, directly or not."""
    transforms = discover()
    out, frontier = set(), list(tables)
    while frontier:
        name = frontier.pop()
        if name in out or name not in transforms:
            continue
        out.add(name)
        frontier.extend(transforms[name].inputs)
    return out
