"""The transform SQL, written once for DuckDB, as Spark SQL.

Three steps, all on the SQLGlot syntax tree:
1. bind: `$name` parameters become literals (the one substitution both engines can share: a date range, the
   bookmaker list, the bootstrap length from `pipeline/settings.run_parameters`);
2. expand: every call of a macro of `warehouse/macros.sql` (scalar or table) is replaced by its body with the
   arguments put in, recursively, so Spark needs no registered functions;
3. rewrite what SQLGlot's DuckDB -> Spark generator does not carry over by itself: ASOF joins (a join on the
   partner row's date and the next partner date, found with LEAD), aggregates with FILTER inside a window,
   `date - date` (days, by the column types of the warehouse), RANGE frames over dates in days, list length and
   position, full-match regexes, session variables, and schema-qualified table names (`raw.games` is the view
   `raw__games`). QUALIFY is rewritten by SQLGlot itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import sqlglot
from sqlglot import exp

from nbaprops.pipeline.transform import PARAM, macro_source

ASOF_NEXT = "asof_next_"  # the LEAD column an ASOF rewrite adds to the partner table


class TranspileError(ValueError):
    """The SQL uses something the DuckDB -> Spark path cannot express; the message names it."""


@dataclass(frozen=True)
class Macro:
    name: str
    params: tuple[str, ...]
    body: exp.Expression
    table: bool  # a table macro (used in FROM) rather than a scalar one


@cache
def macros() -> dict[str, Macro]:
    """The macros of warehouse/macros.sql, parsed once: `CREATE OR REPLACE TEMP MACRO name(params) AS [TABLE] body;`."""
    text = "\n".join(line for line in macro_source().splitlines() if not line.lstrip().startswith("--"))
    found: dict[str, Macro] = {}
    pattern = re.compile(r"CREATE OR REPLACE TEMP MACRO (\w+)\(([^)]*)\)\s+AS\s+(TABLE\b)?(.*)", re.S)
    for statement in filter(str.strip, text.split(";")):
        match = pattern.match(statement.strip())
        if not match:
            raise TranspileError(f"macros.sql: cannot read the macro statement {statement.strip()[:80]!r}")
        name, params, table, body = match.groups()
        found[name.lower()] = Macro(
            name.lower(), tuple(p.strip() for p in params.split(",") if p.strip()),
            sqlglot.parse_one(body, read="duckdb"), bool(table),
        )  # fmt: skip
    return found


def literal(value: object) -> str:
    """A parameter value as a DuckDB SQL literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    raise TranspileError(f"no SQL literal for a parameter of type {type(value).__name__}: {value!r}")


def bind(sql: str, parameters: Mapping[str, object]) -> str:
    """Put every `$name` of `sql` in as a literal; a parameter without a value is an error naming it."""
    missing = sorted(set(PARAM.findall(sql)) - parameters.keys())
    if missing:
        raise TranspileError(f"no value for SQL parameter(s) {missing}")
    return PARAM.sub(lambda m: literal(parameters[m.group(1)]), sql)


def _substitute(body: exp.Expression, macro: Macro, args: list[exp.Expression]) -> exp.Expression:
    if len(args) != len(macro.params):
        raise TranspileError(f"macro {macro.name} takes {len(macro.params)} arguments, got {len(args)}")
    values = dict(zip(macro.params, args, strict=True))

    def put(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name in values:
            return exp.paren(values[node.name].copy(), copy=False)
        return node

    return body.copy().transform(put)


def expand_macros(tree: exp.Expression) -> exp.Expression:
    """Replace macro calls by their bodies until none is left (macros call macros)."""
    known = macros()
    for _ in range(50):
        calls = [n for n in tree.find_all(exp.Anonymous) if n.name.lower() in known]
        if not calls:
            return tree
        call = calls[0]
        macro = known[call.name.lower()]
        body = _substitute(macro.body, macro, list(call.expressions))
        if macro.table:
            table = call.parent
            if not isinstance(table, exp.Table):
                raise TranspileError(f"table macro {macro.name} used outside FROM")
            alias = table.args.get("alias")
            table.replace(exp.Subquery(this=body, alias=alias.copy() if alias else exp.TableAlias(this=macro.name)))
        elif call is tree:
            tree = exp.paren(body, copy=False)
        else:
            call.replace(exp.paren(body, copy=False))
    raise TranspileError("macro expansion does not terminate (a macro calls itself?)")


def _conjuncts(condition: exp.Expression) -> list[exp.Expression]:
    return list(condition.flatten()) if isinstance(condition, exp.And) else [condition]


def _rewrite_asof(join: exp.Join) -> None:
    """`A ASOF [LEFT] JOIN B b ON b.k = a.k AND b.d < a.d` -> `[LEFT] JOIN (B with LEAD(d) per k) b ON ... AND
    (next IS NULL OR next >= a.d)`: the one partner row whose date is the latest before a.d (`<=` likewise)."""
    alias = join.alias_or_name
    keys, bound = [], None
    for c in _conjuncts(join.args["on"]):
        sides = (c.this, c.expression) if isinstance(c, exp.Binary) else ()
        mine = [isinstance(s, exp.Column) and s.table == alias for s in sides]
        if isinstance(c, exp.EQ) and any(mine):
            keys.append((c.this if mine[0] else c.expression).name)
        elif isinstance(c, exp.LT | exp.LTE | exp.GT | exp.GTE) and any(mine):
            if bound is not None:
                raise TranspileError(f"ASOF join {alias}: more than one inequality")
            strict = isinstance(c, exp.LT | exp.GT)
            # normalise to partner.d < other (or <=)
            partner, other = (c.this, c.expression) if mine[0] else (c.expression, c.this)
            if isinstance(c, exp.GT | exp.GTE) == mine[0]:
                raise TranspileError(f"ASOF join {alias}: only 'partner date before' (<, <=) is supported")
            bound = (partner.name, other, strict)
    if bound is None:
        raise TranspileError(f"ASOF join {alias}: no inequality on the partner's date")
    column, other, strict = bound
    next_column = f"{ASOF_NEXT}{column}"
    partition = ", ".join(keys)
    source = join.this.copy()
    source.set("alias", None)
    lead = f"LEAD({column}) OVER ({'PARTITION BY ' + partition + ' ' if keys else ''}ORDER BY {column})"
    subquery = sqlglot.parse_one(f"SELECT *, {lead} AS {next_column} FROM x", read="duckdb")
    subquery.find(exp.Table).replace(source)
    join.set("this", exp.Subquery(this=subquery, alias=exp.TableAlias(this=exp.to_identifier(alias))))
    next_ref = exp.column(next_column, table=alias)
    after = (
        exp.GTE(this=next_ref, expression=other.copy()) if strict else exp.GT(this=next_ref, expression=other.copy())
    )
    join.set("on", exp.and_(join.args["on"], exp.or_(exp.Is(this=next_ref.copy(), expression=exp.Null()), after)))
    join.set("method", None)
    if join.side != "LEFT":
        join.set("kind", "INNER")


def drop_duplicate_star_columns(tree: exp.Expression) -> None:
    """`SELECT t.k, g.* FROM t JOIN g ...` yields `k` twice, which DuckDB allows and Spark calls ambiguous: where `g`
    is a CTE with an explicit column list, its star becomes the columns not already selected (the join makes the
    dropped duplicates equal)."""
    ctes = {
        cte.alias_or_name: [e.alias_or_name for e in cte.this.expressions]
        for cte in tree.find_all(exp.CTE)
        if isinstance(cte.this, exp.Select) and not any(e.is_star for e in cte.this.expressions)
    }
    for select in tree.find_all(exp.Select):
        sources = {t.alias_or_name: t.name for t in select.find_all(exp.Table) if t.find_ancestor(exp.Select) is select}
        seen = {e.alias_or_name for e in select.expressions if not e.is_star}
        for projection in list(select.expressions):
            if not (isinstance(projection, exp.Column) and projection.is_star and projection.table):
                continue
            names = ctes.get(sources.get(projection.table, ""))
            if names is None or not seen & set(names):
                continue
            keep = [exp.column(n, table=projection.table) for n in names if n not in seen]
            index = select.expressions.index(projection)
            select.set("expressions", select.expressions[:index] + keep + select.expressions[index + 1 :])


def rewrite_asof_joins(tree: exp.Expression) -> None:
    for join in list(tree.find_all(exp.Join)):
        if join.args.get("method") == "ASOF":
            _rewrite_asof(join)


def unwindow_filters(tree: exp.Expression) -> None:
    for window in list(tree.find_all(exp.Window)):
        if isinstance(window.this, exp.Filter):
            _unwindow_filter(window)


def duckdb_decimal_casts(tree: exp.Expression) -> None:
    """DuckDB casts a number to DECIMAL(p, s) as round(x * 10^s) in DOUBLE; Spark rounds the exact binary value,
    which differs in the last decimal now and then (and the sums over it with it). `CAST(x AS DECIMAL(p, s))` becomes
    `CAST(CAST(ROUND(DOUBLE(x) * 10^s) AS DECIMAL(26, 0)) / 10^s AS DECIMAL(p, s))`, the division exact in DECIMAL."""
    for cast in list(tree.find_all(exp.Cast)):
        if not cast.to.is_type(exp.DataType.Type.DECIMAL) or len(cast.to.expressions) < 2 or cast.this.is_number:
            continue
        scale = int(cast.to.expressions[1].name)
        if scale == 0:
            continue
        power = exp.Literal.number(10**scale)
        scaled = exp.Anonymous(
            this="ROUND", expressions=[exp.Mul(this=exp.cast(cast.this.copy(), "DOUBLE"), expression=power)]
        )
        div = exp.Div(this=exp.cast(scaled, "DECIMAL(26, 0)"), expression=exp.cast(power.copy(), "DECIMAL(13, 0)"))
        div.meta["decimal"] = True  # not one of DuckDB's DOUBLE divisions
        cast.set("this", div)


def _over(agg: exp.Expression, window: exp.Window | None) -> exp.Expression:
    """`agg` over a copy of `window` (as is without one)."""
    if window is None:
        return agg
    copy = window.copy()
    copy.set("this", agg)
    return copy


def exact_decimal_averages(tree: exp.Expression) -> None:
    """DuckDB's avg of a DECIMAL(p, s) is the exact quotient sum / count rounded once to DOUBLE; Spark's rounds a
    DECIMAL quotient to a fixed scale first. `avg(x)` (also over a window) becomes
    `DOUBLE(sum(x) * 10^s) / DOUBLE(count(x) * 10^s)`: one IEEE division of two exact integers, so the same double
    whenever |sum| * 10^s < 2^53 (minutes and paces over a season are far below)."""
    for avg in list(tree.find_all(exp.Avg)):
        arg = avg.this.unnest()
        if not (isinstance(arg, exp.Cast) and arg.to.is_type(exp.DataType.Type.DECIMAL)):
            continue
        scale = int(arg.to.expressions[1].name) if len(arg.to.expressions) > 1 else 0
        filtered = avg.parent if isinstance(avg.parent, exp.Filter) else None  # avg(x) FILTER (WHERE ...)
        outer = filtered or avg
        window = outer.parent if isinstance(outer.parent, exp.Window) else None

        def aggregate(agg: exp.Expression, filtered=filtered, window=window) -> exp.Expression:
            if filtered is not None:
                agg = exp.Filter(this=agg, expression=filtered.expression.copy())
            return _over(agg, window)

        power = exp.Literal.number(10**scale)
        total = exp.cast(
            exp.cast(exp.Mul(this=aggregate(exp.Sum(this=avg.this.copy())), expression=power), "DECIMAL(38, 0)"),
            "DOUBLE",
        )
        count = exp.cast(exp.Mul(this=aggregate(exp.Count(this=avg.this.copy())), expression=power.copy()), "DOUBLE")
        (window or outer).replace(exp.paren(exp.Div(this=total, expression=count), copy=False))


def _is_date(node: exp.Expression, date_columns: frozenset[str]) -> bool:
    if isinstance(node, exp.Paren):
        return _is_date(node.this, date_columns)
    if isinstance(node, exp.Column):
        return node.name in date_columns
    if isinstance(node, exp.Cast):
        return node.to.is_type(exp.DataType.Type.DATE)
    if isinstance(node, exp.Window | exp.Lag | exp.Lead | exp.Max | exp.Min | exp.Filter):
        return _is_date(node.this, date_columns)
    return False


def _unwindow_filter(window: exp.Window) -> None:
    """Spark has no FILTER inside a window: `agg(x) FILTER (WHERE c) OVER w` -> `agg(CASE WHEN c THEN x END) OVER
    w` (`count(*)` counts `CASE WHEN c THEN 1 END`), the same for aggregates that skip NULLs."""
    filtered = window.this
    agg, condition = filtered.this, filtered.expression.this
    if not isinstance(agg, exp.Count | exp.Sum | exp.Avg | exp.Max | exp.Min):
        raise TranspileError(f"FILTER inside a window on {agg.key}: no Spark form")
    value = exp.Literal.number(1) if isinstance(agg.this, exp.Star) else agg.this
    agg = agg.copy()
    agg.set("this", exp.Case(ifs=[exp.If(this=condition.copy(), true=value.copy())]))
    window.set("this", agg)


def _days_frame(window: exp.Window) -> None:
    """RANGE frames of DuckDB's `INTERVAL n DAYS` over one DATE ordering -> integer bounds over UNIX_DATE."""
    spec = window.args.get("spec")
    order = window.args.get("order")
    if not spec or spec.args.get("kind") != "RANGE":
        return
    bounds = [spec.args.get(k) for k in ("start", "end")]
    if not any(isinstance(b, exp.Interval) for b in bounds):
        return
    if not order or len(order.expressions) != 1:
        raise TranspileError("an interval RANGE frame needs exactly one ORDER BY column")
    for key, bound in zip(("start", "end"), bounds, strict=True):
        if isinstance(bound, exp.Interval):
            if bound.unit is None or bound.unit.name.upper() not in ("DAY", "DAYS"):
                raise TranspileError(f"RANGE frame in {bound.unit}: only days are supported")
            spec.set(key, exp.Literal.number(int(bound.this.name)))
    ordered = order.expressions[0]
    ordered.set("this", exp.Anonymous(this="UNIX_DATE", expressions=[ordered.this.copy()]))


def inline_named_windows(select: exp.Select) -> None:
    """Spark cannot extend a named window (`OVER (w ROWS ...)`): put each WINDOW definition into its uses."""
    named = {w.alias_or_name: w for w in select.args.get("windows") or []}
    if not named:
        return
    for window in select.find_all(exp.Window):
        name = window.args.get("alias")
        if window.parent is select and window in (select.args.get("windows") or []):
            continue
        if name is None or name.name not in named or window.find_ancestor(exp.Select) is not select:
            continue
        definition = named[name.name]
        for key in ("partition_by", "order", "spec"):
            if not window.args.get(key) and definition.args.get(key):
                window.set(
                    key,
                    definition.args[key].copy() if key != "partition_by" else [e.copy() for e in definition.args[key]],
                )
        window.set("alias", None)
    select.set("windows", None)


def _any_value_filter(node: exp.Filter) -> exp.Expression:
    """`any_value(x) FILTER (WHERE c)` -> `FIRST(CASE WHEN c THEN x END, TRUE)` (Spark has no FILTER after
    IGNORE NULLS)."""
    agg = node.this.this if isinstance(node.this, exp.IgnoreNulls) else node.this
    value = exp.Case(ifs=[exp.If(this=node.expression.this.copy(), true=agg.this.copy())])
    return exp.Anonymous(this="FIRST", expressions=[value, exp.true()])


def to_spark(
    sql: str,
    parameters: Mapping[str, object],
    *,
    date_columns: frozenset[str],
    list_columns: frozenset[str] = frozenset(),
    variables: Mapping[str, object] | None = None,
) -> str:
    """Spark SQL for a DuckDB transform SELECT. `date_columns`/`list_columns`: the warehouse's DATE and LIST column
    names (their `-` and `len` mean days and list size); `variables`: values of DuckDB session variables."""
    tree = sqlglot.parse_one(bind(sql, parameters), read="duckdb")
    tree = expand_macros(tree)
    for select in list(tree.find_all(exp.Select)):
        inline_named_windows(select)
    drop_duplicate_star_columns(tree)
    exact_decimal_averages(tree)
    duckdb_decimal_casts(tree)
    rewrite_asof_joins(tree)
    unwindow_filters(tree)
    for window in list(tree.find_all(exp.Window)):
        _days_frame(window)

    def rewrite(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Filter) and isinstance(node.this.unnest(), exp.AnyValue | exp.IgnoreNulls):
            return _any_value_filter(node)
        if isinstance(node, exp.Sub) and _is_date(node.this, date_columns) and _is_date(node.expression, date_columns):
            return exp.Anonymous(this="DATEDIFF", expressions=[node.this, node.expression])
        if isinstance(node, exp.Length) and isinstance(node.this, exp.Column) and node.this.name in list_columns:
            return exp.Anonymous(this="SIZE", expressions=[node.this])
        if isinstance(node, exp.Anonymous) and node.name.lower() == "list_position":
            return exp.Anonymous(this="ARRAY_POSITION", expressions=node.expressions)
        if isinstance(node, exp.Anonymous) and node.name.lower() == "getvariable":
            name = node.expressions[0].name
            return sqlglot.parse_one(literal((variables or {}).get(name)), read="duckdb")
        if isinstance(node, exp.RegexpFullMatch):
            pattern = node.expression
            if not pattern.is_string:
                raise TranspileError("regexp_full_match with a computed pattern")
            return exp.RegexpLike(this=node.this, expression=exp.Literal.string(f"^(?:{pattern.name})$"))
        if isinstance(node, exp.Table) and node.args.get("db") and not node.args.get("catalog"):
            alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(node.name))
            return exp.Table(this=exp.to_identifier(view_name(f"{node.db}.{node.name}")), alias=alias)
        return node

    tree = tree.transform(rewrite)
    for div in [d for d in tree.find_all(exp.Div) if not d.meta.get("decimal")]:
        # DuckDB's `/` divides as DOUBLE whatever the operands (DECIMAL too); Spark would keep DECIMAL, whose
        # rounding differs in the last bits
        div.set("this", exp.cast(div.this, "DOUBLE", copy=False))
        div.set("expression", exp.cast(div.expression, "DOUBLE", copy=False))
    for node in tree.find_all(exp.Anonymous):
        if node.name.lower() in ("strip_accents", "list_filter", "getvariable"):
            raise TranspileError(f"{node.name}: no Spark form")
    return tree.sql(dialect="spark")


def view_name(table: str) -> str:
    """The Spark temp view that stands for a warehouse table (`raw.games` -> `raw__games`)."""
    return table.replace(".", "__")
