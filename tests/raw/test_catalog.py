"""The raw-table catalog and the migrations describe the same tables."""

from __future__ import annotations

from nbaprops.pipeline.registry import discover
from nbaprops.raw.catalog import CATALOG
from nbaprops.raw.families import FAMILIES
from nbaprops.validation.tables import RAW_SPECS


def _columns(con, name: str) -> set[str]:
    schema, table = name.split(".")
    return {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
            [schema, table],
        ).fetchall()
    }


def test_every_raw_table_of_the_migrations_is_in_the_catalog_and_back(warehouse):
    created = {
        f"raw.{r[0]}"
        for r in warehouse.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'"
        ).fetchall()
    }
    created.discard("raw.quarantine")  # the loaders' reject pile, not a source table
    assert created == set(CATALOG)


def test_declared_columns_exist(warehouse):
    for table in CATALOG.values():
        columns = _columns(warehouse, table.name)
        declared = {*table.keys, table.date_column, table.source_column} - {None}
        assert declared <= columns, f"{table.name}: {sorted(declared - columns)} not in the migrated table"
        if table.known == "before_tipoff":
            assert {"snapshot_time_utc", "commence_time_utc"} <= columns


def test_loaders_validation_and_the_dag_read_the_catalog():
    assert {f.table for f in FAMILIES} <= set(CATALOG)
    for name, transform in discover().items():
        assert all(t in CATALOG or t.split(".")[0] != "raw" for t in transform.inputs), name
    assert set(RAW_SPECS) == {t.name for t in CATALOG.values() if t.validated}
    assert "raw.active_lists" in RAW_SPECS  # once missed by a hand-kept list, so its keys were never validated
