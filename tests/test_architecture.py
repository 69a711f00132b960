"""The layers of the package, written once, and held to the code: every import (module-level or inside a function)
goes to the same layer or one below, and no modules import each other in a circle.

Layers, bottom to top. A module belongs to the layer of the longest prefix that names it.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "nbaprops"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("settings",),  # one settings object
    ("calendar", "names", "warehouse", "context"),  # seasons; name keys; the DuckDB file, macros, ledger; a run
    ("sources",),  # phase 1: archive readers and live clients
    ("raw",),  # phase 2: the raw-table catalog, loaders, identity
    ("pipeline.transform", "pipeline.failures", "pipeline.partitions", "pipeline.settings"),  # what a transform is
    ("analytics", "precompute", "features"),  # phases 3-4: declarations beside their SQL
    ("pipeline.registry", "pipeline.fingerprints"),  # the DAG of the declarations
    ("validation",),  # checks as data; gates call them
    ("pipeline",),  # the engine: planner, gates, writer, runner
    ("models",),  # phase 5: systems, training, predictions and grades as transforms, the backtest
    ("audit", "pipeline.daily"),  # what drives the engine: the point-in-time audit, the daily run
    ("reports",),  # what people read
    ("cli", "api", "__init__"),  # the command line, the Python API and the package's face
)


def layer_of(module: str) -> int:
    """Index in LAYERS of `module` (dotted, without the `nbaprops.` prefix)."""
    best, level = "", None
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
                best, level = prefix, index
    assert level is not None, f"nbaprops.{module} is in no layer: add it to LAYERS"
    return level


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


def imports() -> dict[str, set[str]]:
    """module -> the nbaprops modules it imports, anywhere in its body."""
    found: dict[str, set[str]] = {}
    modules = {_module_name(p) for p in PACKAGE.rglob("*.py")}
    for path in PACKAGE.rglob("*.py"):
        name = _module_name(path)
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nbaprops"):
                base = node.module.removeprefix("nbaprops").lstrip(".")
                for alias in node.names:
                    child = f"{base}.{alias.name}".lstrip(".")
                    targets.add(child if child in modules else base or "__init__")
            elif isinstance(node, ast.Import):
                targets |= {a.name.removeprefix("nbaprops.") for a in node.names if a.name.startswith("nbaprops.")}
        found[name] = targets - {name}
    return found


def test_every_module_has_a_layer():
    for module in imports():
        layer_of(module)


def test_no_import_goes_up_a_layer():
    upward = [
        f"nbaprops.{m} (layer {layer_of(m)}) imports nbaprops.{t} (layer {layer_of(t)})"
        for m, targets in imports().items()
        for t in targets
        if layer_of(t) > layer_of(m)
    ]
    assert not upward, "\n".join(sorted(upward))


def test_no_import_cycle():
    graph = {m: {t for t in targets if not m.startswith(t + ".")} for m, targets in imports().items()}
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise AssertionError(f"import cycle: {' -> '.join(exc.args[1])}") from None
