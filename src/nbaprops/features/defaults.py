"""How often each feature fell back to its default: a model that mostly sees defaults learns defaults."""

from __future__ import annotations

import duckdb

from nbaprops.features.ml_feature_store import FEATURES


def default_rates(con: duckdb.DuckDBPyConnection, season: str | None = None) -> list[tuple[str, str, int, float]]:
    """(season, feature, rows, share defaulted) for every feature, per season (or one season)."""
    rows = con.execute(
        """
        WITH f AS (
            SELECT season, defaulted_features FROM features.ml_feature_store
            WHERE ? IS NULL OR season = ?
        ),
        totals AS (SELECT season, count(*) AS n FROM f GROUP BY 1),
        hits AS (
            SELECT season, feature, count(*) AS k
            FROM (SELECT season, unnest(defaulted_features) AS feature FROM f)
            GROUP BY ALL
        )
        SELECT t.season, x.feature, t.n, coalesce(h.k, 0) / t.n
        FROM totals t CROSS JOIN (SELECT unnest(?::VARCHAR[]) AS feature) x
        LEFT JOIN hits h ON h.season = t.season AND h.feature = x.feature
        ORDER BY t.season, 4 DESC, x.feature
        """,
        [season, season, list(FEATURES)],
    ).fetchall()
    return [(s, f, n, share) for s, f, n, share in rows]
