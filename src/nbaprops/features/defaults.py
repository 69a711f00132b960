"""How often each feature is missing (NULL: its sources had nothing), by season and by where the row's inputs came
from: a model that mostly sees missing values learns little, and a feature missing on live rows but present in
training means serving differs from training."""

from __future__ import annotations

import duckdb

from nbaprops.features.ml_feature_store import CONTEXT_COLUMNS, FEATURES

# The store's columns saying where a row's inputs came from; box_source names a live payload "<source> (live)".
SOURCE_COLUMNS = tuple(c for c in CONTEXT_COLUMNS if c.endswith("_source"))


def missing_rates(
    con: duckdb.DuckDBPyConnection, season: str | None = None, by: str | None = None
) -> list[tuple[str, str, str, int, float]]:
    """(season, source, feature, rows, share missing) for every feature, per season (or one season) and, with `by`
    (one of SOURCE_COLUMNS), per value of that source column (source is "all" without it)."""
    if by is not None and by not in SOURCE_COLUMNS:
        raise ValueError(f"unknown source column {by!r}; known: {', '.join(SOURCE_COLUMNS)}")
    group = f"coalesce({by}::VARCHAR, 'NULL')" if by else "'all'"
    rows = con.execute(
        f"""
        WITH f AS (
            SELECT season, {group} AS source, defaulted_features FROM features.ml_feature_store
            WHERE ? IS NULL OR season = ?
        ),
        totals AS (SELECT season, source, count(*) AS n FROM f GROUP BY ALL),
        hits AS (
            SELECT season, source, feature, count(*) AS k
            FROM (SELECT season, source, unnest(defaulted_features) AS feature FROM f)
            GROUP BY ALL
        )
        SELECT t.season, t.source, x.feature, t.n, coalesce(h.k, 0) / t.n
        FROM totals t CROSS JOIN (SELECT unnest(?::VARCHAR[]) AS feature) x
        LEFT JOIN hits h ON h.season = t.season AND h.source = t.source AND h.feature = x.feature
        ORDER BY t.season, t.source, 5 DESC, x.feature
        """,
        [season, season, list(FEATURES)],
    ).fetchall()
    return [(s, src, f, n, share) for s, src, f, n, share in rows]


def default_rates(con: duckdb.DuckDBPyConnection, season: str | None = None) -> list[tuple[str, str, int, float]]:
    """(season, feature, rows, share missing) for every feature, per season (or one season)."""
    return [(s, f, n, share) for s, _, f, n, share in missing_rates(con, season)]
