"""Every product function fits on a screen: at most 60 lines from its `def` to its last line,
docstring included (issue 29: a longer one is split into named helpers where it does
several things)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 60
NOT_PRODUCT = {"tests", "bench", ".venv", "build", "data", "reports", "outbox"}


def product_files(root: Path = ROOT) -> list[Path]:
    """The product's .py files, relative to the root (tests, benchmarks and the venv aside)."""
    return sorted(
        path.relative_to(root)
        for path in root.rglob("*.py")
        if not (set(path.relative_to(root).parts[:-1]) & NOT_PRODUCT)
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )


def long_functions(source: str, name: str) -> list[str]:
    """`file:line name (N lines)` for each function in `source` longer than MAX_LINES."""
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_LINES:
                found.append(f"{name}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_the_walk_finds_the_product_and_leaves_tests_out() -> None:
    files = set(product_files())
    assert Path("flows/nightly.py") in files
    assert Path("warehouse/diff/diff_text.py") in files
    assert not any(path.parts[0] in {"tests", "bench"} for path in files)


def test_a_long_function_is_named_and_a_short_one_is_not() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(59))
    # `short` is 60 lines (its def and 59), `long` 61 (its def, a docstring and 59).
    source = f'def short():\n{body}\n\n\ndef long():\n    """Doc."""\n{body}\n'
    assert long_functions(source, "toy.py") == ["toy.py:63 long (61 lines)"]


def test_no_product_function_is_over_60_lines() -> None:
    too_long = [
        line
        for path in product_files()
        for line in long_functions((ROOT / path).read_text(encoding="utf-8"), str(path))
    ]
    assert not too_long, "functions over 60 lines, split them:\n" + "\n".join(too_long)
