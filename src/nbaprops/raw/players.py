"""Identity: the `raw.players` registry that links NBA person ids, Basketball-Reference ids and name variants.

Built from the sources themselves, strongest evidence first: (1) a Basketball-Reference player-game and an NBA.com
player-game of the same team and game with the same points, rebounds, assists, steals and minutes (to the minute)
vote for a link, and each bbref id takes the NBA id with a majority of its votes; (2) bbref ids left over match by
normalized name within the same team and season; (3) the alias table in `player_aliases.csv` settles the rest.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

import duckdb

from nbaprops.names import player_lookup
from nbaprops.raw.replace import transaction


@dataclass(frozen=True)
class IdentityReport:
    played_rows: int
    resolved_rows: int
    unresolved: list[tuple[str, str, str, int]]  # (bbref_player_id, name, season, played games)

    @property
    def resolved_share(self) -> float:
        return self.resolved_rows / self.played_rows if self.played_rows else 1.0


def load_aliases() -> list[tuple[str, int]]:
    """(player_lookup of the alias name, NBA person id) pairs from the alias table shipped with the package."""
    text = resources.files("nbaprops.raw").joinpath("player_aliases.csv").read_text(encoding="utf-8")
    return [(player_lookup(r["name"]), int(r["player_id"])) for r in csv.DictReader(text.splitlines())]


def resolve_players(con: duckdb.DuckDBPyConnection) -> IdentityReport:
    """Rebuild `raw.players` and `raw.player_names`, fill `player_id` on Basketball-Reference box rows, then rebuild
    `raw.active_lists`, which is keyed by those ids."""
    con.execute("CREATE OR REPLACE TEMP TABLE alias_names (player_lookup VARCHAR, player_id BIGINT)")
    aliases = load_aliases()
    if aliases:
        con.executemany("INSERT INTO alias_names VALUES (?, ?)", aliases)
    sql_dir = resources.files("nbaprops.raw").joinpath("sql")
    with transaction(con):
        for script in ("players.sql", "active_lists.sql"):
            con.execute(sql_dir.joinpath(script).read_text(encoding="utf-8"))
        report = identity_report(con)
        # Committed with the rebuild: the persisted proof of which file versions identity reflects.
        con.execute(
            "INSERT INTO ops.identity_rebuilds (covers_ingest_id, played_rows, resolved_rows) "
            "SELECT coalesce(max(ingest_id), 0), ?, ? FROM ops.ingest_log",
            [report.played_rows, report.resolved_rows],
        )
    return report


def identity_stale(con: duckdb.DuckDBPyConnection) -> int:
    """How many archive files were applied after the last identity rebuild (0: identity is current); more than 0
    after a run means it stopped between a file's commit and the rebuild."""
    return con.execute(
        "SELECT count(DISTINCT file) FROM ops.ingest_log WHERE status IN ('loaded', 'partial') "
        "AND file NOT LIKE 'http%' AND ingest_id > "
        "(SELECT coalesce(max(covers_ingest_id), 0) FROM ops.identity_rebuilds)"
    ).fetchone()[0]


def identity_report(con: duckdb.DuckDBPyConnection) -> IdentityReport:
    played, resolved = con.execute(
        "SELECT count(*), count(player_id) FROM raw.player_boxscores WHERE source = 'bbref_box' AND dnp_reason IS NULL"
    ).fetchone()
    unresolved = con.execute(
        "SELECT bbref_player_id, any_value(player_name), season, count(*) FROM raw.player_boxscores "
        "WHERE source = 'bbref_box' AND dnp_reason IS NULL AND player_id IS NULL "
        "GROUP BY bbref_player_id, season ORDER BY 4 DESC, 1"
    ).fetchall()
    return IdentityReport(played, resolved, unresolved)
