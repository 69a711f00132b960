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
from nbaprops.warehouse.dictionary import CatalogComments, comment_on


def column_descriptions(transform: Transform) -> Mapping[str, str]:
    """A transform's own column descriptions (the feature store's come from its feature declarations)."""
    return feature_store_columns() if transform.name == FEATURE_STORE else transform.columns


def document_transform(
    con: duckdb.DuckDBPyConnection, transform: Transform, current: CatalogComments | None = None
) -> None:
    """Comment `transform`'s output table and its columns (`current`: the comments in place, when already read)."""
    comment_on(con, transform.name, transform.description, column_descriptions(transform), current=current)


def document(con: duckdb.DuckDBPyConnection, transforms: Mapping[str, Transform]) -> None:
    """Comment every raw table and every derived table that exists, in one transaction (one commit, not one per
    comment)."""
    current = CatalogComments.read(con)
    con.execute("BEGIN TRANSACTION")
    try:
        for raw in (*CATALOG.values(), QUARANTINE):
            if raw.name in current.tables:
                comment_on(con, raw.name, raw.description, raw.columns, current=current)
        for name, transform in transforms.items():
            if name in current.tables:
                document_transform(con, transform, current)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
