"""The import structure of the package: dependencies point one way, the driver stays in store/.

Every module of ``service/integraph`` is parsed (not imported) and its imports of Integraph
modules collected, including those inside functions, so a cycle cannot hide in a late import.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "service" / "integraph"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            # `from integraph.lint import rules` imports the module integraph.lint.rules
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {m for m in _imports(path) if m in modules and m != name}
    return graph


def _package_of(module: str) -> str:
    """The unit of layering: ``integraph.lint.engine`` -> ``lint``; ``integraph.config`` ->
    ``config``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walker_sees_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_between_packages() -> None:
    packages: dict[str, set[str]] = defaultdict(set)
    for module, targets in _graph().items():
        for target in targets:
            if _package_of(target) != _package_of(module):
                packages[_package_of(module)].add(_package_of(target))
    assert _cycles(packages) == []


def test_no_import_cycle_between_modules() -> None:
    graph = _graph()
    # A package's __init__ re-exporting its modules is not a dependency of those modules.
    for module in graph:
        graph[module] = {t for t in graph[module] if not module.startswith(t + ".")}
    assert _cycles(graph) == []


@pytest.mark.parametrize("layer", ["model", "compat", "graph"])
def test_lower_layers_do_not_reach_up(layer: str) -> None:
    allowed = {
        "model": {"model"},
        "compat": {"compat", "model", "errors", "limits", "bounded_yaml"},
    }
    allowed["graph"] = {"graph", "model"}
    for module, targets in _graph().items():
        if _package_of(module) != layer:
            continue
        reached = {_package_of(t) for t in targets} - allowed[layer]
        assert not reached, f"{module} imports {sorted(reached)}"


def test_only_the_store_imports_the_neo4j_driver() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        module = _module_name(path)
        if _package_of(module) == "store":
            continue
        if any(m == "neo4j" or m.startswith("neo4j.") for m in _imports(path)):
            offenders.append(module)
    assert offenders == []
