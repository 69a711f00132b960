"""Names reach every derived table as written: no table of the built warehouse holds a mojibake sequence."""

MOJIBAKE = ("Ã", "Ä\x87", "â€", "\ufffd")


def _text_columns(con) -> list[tuple[str, str, str]]:
    return con.execute(
        "SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c "
        "JOIN information_schema.tables t USING (table_schema, table_name) "
        "WHERE c.data_type = 'VARCHAR' AND t.table_type = 'BASE TABLE' AND c.table_schema <> 'ops'"
    ).fetchall()


def test_no_text_value_of_any_table_holds_mojibake(built):
    columns = _text_columns(built)
    schemas = {s for s, _, _ in columns}
    assert {"raw", "analytics", "features"} <= schemas
    bad = {}
    for schema, table, col in columns:
        found = " OR ".join(f'contains("{col}", ?)' for _ in MOJIBAKE)
        if n := built.execute(f"SELECT count(*) FROM {schema}.{table} WHERE {found}", list(MOJIBAKE)).fetchone()[0]:
            bad[f"{schema}.{table}.{col}"] = n
    assert bad == {}


def test_jokic_is_spelled_as_written_in_every_table_that_names_players(built):
    named = [(s, t, c) for s, t, c in _text_columns(built) if c == "player_name" and s in ("analytics", "features")]
    assert named
    for schema, table, col in named:
        rows = built.execute(f"SELECT count(*) FROM {schema}.{table} WHERE {col} = 'Nikola Jokić'").fetchone()[0]
        assert rows > 0, f"{schema}.{table}"
