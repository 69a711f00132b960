"""The transpile path's rewrites hold their meaning: each engine-neutral step (macro expansion, the ASOF rewrite,
named windows inlined, FILTER in windows as CASE) is run back on DuckDB against the original SQL, on generated
data. The Spark form itself is proven by test_spark_equivalence.py."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
import sqlglot
from hypothesis import given, settings
from hypothesis import strategies as st

from nbaprops.pipeline.spark_sql import (
    TranspileError,
    bind,
    exact_decimal_averages,
    expand_macros,
    inline_named_windows,
    rewrite_asof_joins,
    to_spark,
    unwindow_filters,
)
from nbaprops.warehouse import connect


def _duckdb(tree) -> str:
    return tree.sql(dialect="duckdb")


def _rows(con, sql: str) -> list:
    return sorted(con.execute(sql).fetchall(), key=repr)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = connect(tmp_path_factory.mktemp("sql") / "w.duckdb")  # macros are created on every connection
    yield c
    c.close()


minutes = st.one_of(
    st.none(),
    st.sampled_from(["", "-", " 12:30 ", "7:05", "3:75", "PT12M30.00S", "PT", "PT61S", "31", "2.5", "abc"]),
    st.from_regex(r"[0-9]{1,2}:[0-9]{2}", fullmatch=True),
)


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.tuples(minutes, st.dates(dt.date(2019, 1, 1), dt.date(2026, 12, 31))), max_size=12))
def test_expanded_macros_give_what_the_macros_give(con, values):
    con.execute("CREATE OR REPLACE TEMP TABLE v (m VARCHAR, d DATE)")
    if values:
        con.executemany("INSERT INTO v VALUES (?, ?)", values)
    sql = (
        "SELECT m, d, parse_minutes(m) AS p, minutes_error(m) AS e, season_label(season_year_of(d)) AS s, "
        "game_code(d, 'BOS', 'NYK') AS g, team_minutes_of(parse_minutes(m) * 20) AS t FROM v"
    )
    expanded = _duckdb(expand_macros(sqlglot.parse_one(sql, read="duckdb")))
    assert "parse_minutes" not in expanded and "season_year_of" not in expanded
    assert _rows(con, expanded) == _rows(con, sql)


def test_table_macros_expand_to_subqueries(con):
    sql = bind("SELECT * FROM team_totals($s, $e) t", {"s": dt.date(2024, 1, 1), "e": dt.date(2024, 1, 31)})
    expanded = _duckdb(expand_macros(sqlglot.parse_one(sql, read="duckdb")))
    assert "team_totals" not in expanded and "raw.team_boxscores" in expanded
    assert con.execute(f"DESCRIBE {expanded}").fetchall() == con.execute(f"DESCRIBE {sql}").fetchall()


partners = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 30), st.integers(-(2**63), 2**63 - 1)),
    max_size=25,
    unique_by=lambda r: r[:2],
)
lefts = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 32)), max_size=15)


@settings(max_examples=60, deadline=None)
@given(left=lefts, right=partners, op=st.sampled_from(["<", "<="]), side=st.sampled_from(["", "LEFT "]))
def test_the_asof_rewrite_finds_the_partner_asof_finds(left, right, op, side):
    con = duckdb.connect()
    con.execute("CREATE TABLE l (k INTEGER, d INTEGER)")
    con.execute("CREATE TABLE r (k INTEGER, d INTEGER, v BIGINT)")
    if left:
        con.executemany("INSERT INTO l VALUES (?, ?)", left)
    if right:
        con.executemany("INSERT INTO r VALUES (?, ?, ?)", right)
    sql = f"SELECT l.k, l.d, p.d AS pd, p.v FROM l ASOF {side}JOIN r p ON p.k = l.k AND p.d {op} l.d"
    tree = sqlglot.parse_one(sql, read="duckdb")
    rewrite_asof_joins(tree)
    assert "ASOF JOIN" not in _duckdb(tree).upper()
    assert _rows(con, _duckdb(tree)) == _rows(con, sql)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 20), st.booleans(), st.integers(-5, 5)), max_size=20))
def test_named_windows_and_window_filters_keep_their_meaning(rows):
    con = duckdb.connect()
    con.execute("CREATE TABLE t (g INTEGER, o INTEGER, f BOOLEAN, x INTEGER)")
    if rows:
        con.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
    sql = (
        "SELECT g, o, f, x, count(*) FILTER (WHERE f) OVER w AS c, sum(x) FILTER (WHERE f) OVER w AS s, "
        "avg(x) OVER (w ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS a FROM t "
        "WINDOW w AS (PARTITION BY g ORDER BY o, x, f)"
    )
    tree = sqlglot.parse_one(sql, read="duckdb")
    for select in list(tree.find_all(sqlglot.exp.Select)):
        inline_named_windows(select)
    unwindow_filters(tree)
    rewritten = _duckdb(tree)
    assert "WINDOW" not in rewritten.upper() and "FILTER" not in rewritten.upper()
    assert _rows(con, rewritten) == _rows(con, sql)


def test_spark_sql_has_no_duckdb_only_syntax_left():
    sql = bind(
        "SELECT game_date - lag(game_date) OVER (ORDER BY game_date) AS rest, len(l) AS n, list_position($p, b) AS i "
        "FROM raw.games QUALIFY row_number() OVER (PARTITION BY game_id ORDER BY game_date) = 1",
        {"p": ["a", "b"]},
    )
    out = to_spark(sql, {}, date_columns=frozenset({"game_date"}), list_columns=frozenset({"l"}))
    assert "DATEDIFF(game_date, LAG(game_date)" in out
    assert "SIZE(l)" in out and "ARRAY_POSITION(ARRAY('a', 'b'), b)" in out
    assert "QUALIFY" not in out and "raw__games" in out


def test_unbound_parameters_and_unknown_shapes_are_named():
    with pytest.raises(TranspileError, match=r"\['end_date'\]"):
        bind("SELECT $start_date, $end_date", {"start_date": dt.date(2024, 1, 1)})
    with pytest.raises(TranspileError, match="only 'partner date before'"):
        to_spark("SELECT * FROM a ASOF JOIN b ON b.k = a.k AND b.d > a.d", {}, date_columns=frozenset())


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 2), st.floats(0, 60, allow_nan=False)), max_size=30))
def test_decimal_averages_become_one_exact_division(rows):
    """DuckDB rounds avg(DECIMAL) once; the rewrite gives the same double (run here on DuckDB)."""
    con = duckdb.connect()
    con.execute("CREATE TABLE t (g INTEGER, m DOUBLE)")
    if rows:
        con.executemany("INSERT INTO t VALUES (?, ?)", rows)
    sql = (
        "SELECT g, avg(CAST(m AS DECIMAL(38, 12))) AS a, "
        "avg(CAST(m AS DECIMAL(38, 12))) FILTER (WHERE m < 30) AS f, "
        "avg(CAST(m AS DECIMAL(38, 12))) OVER (PARTITION BY g ORDER BY m ROWS 3 PRECEDING) AS w FROM t GROUP BY g, m"
    )
    tree = sqlglot.parse_one(sql, read="duckdb")
    exact_decimal_averages(tree)
    assert "AVG(" not in _duckdb(tree).upper()
    assert _rows(con, _duckdb(tree)) == _rows(con, sql)


@pytest.mark.realdata
def test_backfill_on_spark_needs_a_lake_folder(corpus_db, tmp_path):
    from typer.testing import CliRunner

    from nbaprops.cli import app

    args = ["--db", str(corpus_db), "backfill", "--engine", "spark", "--start-date", "2023-10-24"]
    missing = CliRunner().invoke(app, args)
    assert missing.exit_code == 2 and "--lake" in missing.output and "missing" in missing.output
    wrong = CliRunner().invoke(app, [*args, "--engine", "flink"])
    assert wrong.exit_code == 2 and "flink" in wrong.output
