"""No import cycle among CoopWatch's modules, counting every import a module makes.

Function-local and type-checking imports count too: a cycle held apart at run time by an
import inside a function is still a knot between two modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
PACKAGES = ("common", "extractors", "flows", "notify", "pipeline", "warehouse")


def module_files() -> dict[str, Path]:
    """Module name -> source file for every module of the product packages."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((PROJECT / package).rglob("*.py")):
            parts = path.relative_to(PROJECT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _owner(name: str, modules: dict[str, Path]) -> str | None:
    """The product module `name` refers to (a module, or a name inside one), if any."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The product modules one source file imports, wherever in the file the import is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(owner for name in names if (owner := _owner(name, modules)))
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the product modules it imports (itself left out)."""
    modules = module_files()
    return {name: imports_of(path, modules) - {name} for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path that ends where it starts, or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                return stack[stack.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)):
            return cycle
    return None


def test_import_graph_has_no_cycle() -> None:
    graph = import_graph()
    assert (
        "flows.nightly" in graph
        and "warehouse.load.store_derived" in graph["warehouse.load.run_loader"]
    )
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"b"}, "b": {"b2"}, "b2": {"b"}}, ["b", "b2", "b"]),
    ],
)
def test_find_cycle_on_small_graphs(graph: dict[str, set[str]], expected: list[str] | None) -> None:
    assert find_cycle(graph) == expected


def test_function_local_import_counts(tmp_path: Path) -> None:
    source = tmp_path / "late.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from warehouse.runs.run_account import RunSummary\n"
        "def f():\n    from warehouse.load.store_derived import store_derived\n",
        encoding="utf-8",
    )
    assert imports_of(source, module_files()) == {
        "warehouse.runs.run_account",
        "warehouse.load.store_derived",
    }


def test_lower_layers_never_import_flows() -> None:
    graph = import_graph()
    upward = {
        module: sorted(target for target in targets if target.split(".")[0] == "flows")
        for module, targets in graph.items()
        if module.split(".")[0] in ("extractors", "warehouse", "notify")
    }
    assert {module: targets for module, targets in upward.items() if targets} == {}


# Each layer and the layers it may import: data flows common -> extractors -> warehouse ->
# notify -> pipeline -> flows, and nothing reaches back up.
ALLOWED_LAYERS = {
    "common": {"common"},
    "extractors": {"common", "extractors"},
    "warehouse": {"common", "extractors", "warehouse"},
    "notify": {"common", "extractors", "warehouse", "notify"},
    "pipeline": {"common", "extractors", "warehouse", "notify", "pipeline"},
    "flows": {"common", "extractors", "warehouse", "notify", "pipeline", "flows"},
}


def test_each_layer_imports_only_the_layers_below_it() -> None:
    graph = import_graph()
    upward = {
        module: sorted(
            t for t in targets if t.split(".")[0] not in ALLOWED_LAYERS[module.split(".")[0]]
        )
        for module, targets in graph.items()
    }
    assert {module: targets for module, targets in upward.items() if targets} == {}
