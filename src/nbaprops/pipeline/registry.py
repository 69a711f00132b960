"""The processor registry: every declared transform, and the DAG derived from their declared inputs."""

from __future__ import annotations

import importlib
import pkgutil
from graphlib import CycleError, TopologicalSorter

from nbaprops.pipeline.transform import PACKAGES, PHASES, Transform
from nbaprops.raw.catalog import RAW_TABLES


class RegistryError(RuntimeError):
    """The declarations are inconsistent (a cycle, an input nobody produces, a duplicate output)."""


def discover() -> dict[str, Transform]:
    """Import every module of the phase packages and collect their `TRANSFORM` declarations."""
    found: dict[str, Transform] = {}
    for phase in PHASES:
        package = importlib.import_module(f"nbaprops.{PACKAGES[phase]}")
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            transform = getattr(module, "TRANSFORM", None)
            if transform is None or transform.phase != phase:
                continue
            if transform.name in found:
                raise RegistryError(f"{transform.name} is declared twice")
            found[transform.name] = transform
    return found


def topological_order(transforms: dict[str, Transform]) -> list[str]:
    """Output tables in an order where every input comes before its readers; errors name the bad declaration."""
    graph: dict[str, set[str]] = {}
    for name, t in transforms.items():
        deps = set()
        for table in t.inputs:
            if table in transforms:
                deps.add(table)
            elif table not in RAW_TABLES:
                raise RegistryError(f"{name} reads {table}, which no transform produces and is not a raw table")
        graph[name] = deps
    try:
        return list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise RegistryError(f"the declared inputs form a cycle: {' -> '.join(exc.args[1])}") from None


def downstream(transforms: dict[str, Transform], name: str) -> set[str]:
    """Every table that reads `name`, directly or not."""
    out: set[str] = set()
    frontier = [name]
    while frontier:
        current = frontier.pop()
        for other, t in transforms.items():
            if current in t.inputs and other not in out:
                out.add(other)
                frontier.append(other)
    return out
