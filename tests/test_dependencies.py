"""Declared dependencies are exactly what the code imports: every third-party import of src/ is declared in
pyproject.toml, and every declared dependency is imported (or is listed below with why it stays)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "nbaprops"
# Declared but imported only by another dependency at run time: name -> why it is declared
ENGINE_EXTRAS = {"pyspark": "spark"}  # imported only inside the optional engine's module, declared as an extra
RUNTIME_ONLY = {"scikit-learn": "lightgbm's LGBMRegressor (the sklearn API our models use) imports it"}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement(spec: str) -> str:
    return _normal(re.match(r"[A-Za-z0-9_.\-]+", spec).group(0))


def _imports() -> tuple[set[str], set[str]]:
    """(top-level modules imported by src/, modules loaded through api._extra for the optional extras)."""
    imported, optional = set(), set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
            elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_extra":
                optional.add(node.args[0].value)
    return imported, optional


def _distributions(modules: set[str]) -> set[str]:
    owners = packages_distributions()
    third_party = {m for m in modules if m not in sys.stdlib_module_names and m not in ("nbaprops", "__future__")}
    unknown = {m for m in third_party if m not in owners}
    assert not unknown, f"imported but installed by no distribution: {sorted(unknown)}"
    return {_normal(owners[m][0]) for m in third_party}


def _declared() -> tuple[set[str], dict[str, set[str]]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = {name: {_requirement(s) for s in specs} for name, specs in project["optional-dependencies"].items()}
    return {_requirement(s) for s in project["dependencies"]}, extras


def test_every_import_is_declared_and_every_dependency_imported():
    imported, _ = _imports()
    required, _ = _declared()
    used = _distributions(imported)
    assert used - required == set(ENGINE_EXTRAS), "imported but not declared in [project] dependencies"
    assert required - used == set(RUNTIME_ONLY), "declared but imported by nothing (and not in RUNTIME_ONLY)"
    assert {"numpy", "pyarrow", "duckdb"} <= used  # the scan saw the code: these are imported in many modules


def test_optional_extras_are_what_the_api_converts_through():
    imported, optional = _imports()
    _, extras = _declared()
    assert optional == {"pandas", "polars"}
    engines = {extra: {module} for module, extra in ENGINE_EXTRAS.items()}
    assert extras == {name: {_normal(name)} for name in optional} | engines
    assert not optional & imported, "an optional extra is imported unconditionally"
