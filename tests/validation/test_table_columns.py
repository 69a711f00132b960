"""`table_columns` reads one table's columns from the catalog: in order, with types, for tables and views alike, and
nothing (not an error) for a table that does not exist yet."""

import duckdb

from nbaprops.validation.tables import table_columns


def test_columns_in_order_for_tables_and_views_and_none_for_a_missing_table():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA s")
    con.execute("CREATE TABLE s.t (b INTEGER, a VARCHAR, c DATE)")
    con.execute("CREATE VIEW s.v AS SELECT c, b FROM s.t")
    assert list(table_columns(con, "s.t").items()) == [("b", "INTEGER"), ("a", "VARCHAR"), ("c", "DATE")]
    assert table_columns(con, "s.v") == {"c": "DATE", "b": "INTEGER"}
    assert table_columns(con, "s.missing") == {}
    assert table_columns(con, "nowhere.t") == {}
