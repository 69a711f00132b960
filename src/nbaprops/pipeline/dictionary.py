"""Apply the data dictionary: every declared table's description and its columns' (from the raw catalog and the
transform declarations, shared columns from the glossary) become DuckDB comments.

The writer documents its table on every batch (a recreated table loses its comments); a backfill documents every
table once at its start, so raw tables and a warehouse built before a description changed are brought up to date.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

from nbaprops.features.columns import FEATURE_STORE, feature_store_columns
from nbaprops.pipeline.transform import Transform
from nbaprops.raw.catalog import CATALOG, QUARANTINE
from nbaprops.warehouse.dictionary import comment_on


def column_descriptions(transform: Transform) -> Mapping[str, str]:
    """A transform's own column descriptions (the feature store's come from its feature declarations)."""
    return feature_store_columns() if transform.name == FEATURE_STORE else transform.columns


def document_transform(con: duckdb.DuckDBPyConnection, transform: Transform) -> None:
    """Comment `transform`'s output table and its columns."""
    comment_on(con, transform.name, transform.description, column_descriptions(transform))


def document(con: duckdb.DuckDBPyConnection, transforms: Mapping[str, Transform]) -> None:
    """Comment every raw table and every derived table that exists, in one transaction (one commit, not one per
    comment)."""
    existing = {
        f"{s}.{t}": kind
        for s, t, kind in con.execute(
            "SELECT schema_name, table_name, 'table' FROM duckdb_tables() "
            "UNION ALL SELECT schema_name, view_name, 'view' FROM duckdb_views() WHERE NOT internal"
        ).fetchall()
    }
    con.execute("BEGIN TRANSACTION")
    try:
        for raw in (*CATALOG.values(), QUARANTINE):
            if raw.name in existing:
                comment_on(con, raw.name, raw.description, raw.columns, view=existing[raw.name] == "view")
        for name, transform in transforms.items():
            if name in existing:
                document_transform(con, transform)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
