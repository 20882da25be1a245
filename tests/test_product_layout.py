"""How the product tree holds together: every product module is imported by at least one
test (so none goes untested by accident), and no module outside warehouse/ runs SQL."""

from __future__ import annotations

import ast
import re

from tests.test_imports import PROJECT, module_files

TESTS = PROJECT / "tests"
# Calls that run SQL, and string literals that are SQL statements.
SQL_CALLS = frozenset({"execute", "executemany", "sql", "query", "connect"})
SQL_TEXT = re.compile(
    r"^\s*(SELECT\b.*\bFROM|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE (OR REPLACE )?"
    r"(TABLE|VIEW|INDEX)|ALTER TABLE|DROP (TABLE|VIEW)|WITH \w+ AS|COPY \w+ TO)\b",
    re.DOTALL,
)


def imported_by_tests() -> set[str]:
    """Every module name the test files import, and `module.name` for each name imported."""
    names: set[str] = set()
    for path in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_every_product_module_is_imported_by_a_test() -> None:
    imported = imported_by_tests()
    untested = [
        name
        for name, path in module_files().items()
        if path.name != "__init__.py" and name not in imported
    ]
    assert untested == [], f"no test imports: {', '.join(untested)}"


def sql_places(text: str, label: str) -> list[str]:
    """Where source text runs SQL: calls named like a database's on a DuckDB value or a
    connection, and string literals that read as SQL statements; `label` names the file."""
    found = []
    for node in ast.walk(ast.parse(text)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_CALLS
            and _on_database(node.func.value)
        ):
            found.append(f"{label}:{node.lineno} .{node.func.attr}(")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and SQL_TEXT.match(node.value)
        ):
            found.append(f"{label}:{node.lineno} {node.value[:40]!r}")
    return found


def _on_database(value: ast.expr) -> bool:
    """Whether a call's receiver looks like DuckDB or a connection (`duckdb`, `con`, ...)."""
    name = value.id if isinstance(value, ast.Name) else getattr(value, "attr", "")
    return name in {"duckdb", "con", "connection", "conn", "cursor", "db"}


def test_no_sql_outside_warehouse() -> None:
    found = [
        place
        for name, path in module_files().items()
        if not name.startswith("warehouse")
        for place in sql_places(path.read_text(encoding="utf-8"), str(path.relative_to(PROJECT)))
    ]
    assert found == []


def test_the_sql_check_sees_a_query() -> None:
    text = 'def f(con):\n    return con.execute("SELECT state FROM alerts WHERE kind = ?")\n'
    assert sorted(sql_places(text, "notify/probe.py")) == [
        "notify/probe.py:2 'SELECT state FROM alerts WHERE kind = ?'",
        "notify/probe.py:2 .execute(",
    ]
    assert sql_places('NOTE = "Select the editions to fetch"\n', "notify/probe.py") == []
