"""Every COOPWATCH_* variable is in one list and read in one module: no other product module
touches the process environment or looks a COOPWATCH_* key up itself, the code uses every
listed variable and names no other, and the README's settings table and `coopwatch run
--help` show exactly that list."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from typer.testing import CliRunner

from common.settings import VARIABLES, variables_table
from flows.cli import app

PROJECT = Path(__file__).resolve().parent.parent
PACKAGES = ("common", "extractors", "flows", "notify", "pipeline", "warehouse")
NAME = re.compile(r"COOPWATCH_[A-Z0-9_]*[A-Z0-9]")
SETTINGS_MODULE = PROJECT / "common" / "settings.py"
# Prefect reads its own settings from the environment, so its set-up may write PREFECT_*
# defaults there; it still reads no COOPWATCH_* variable.
PREFECT_SETUP = PROJECT / "flows" / "prefect_setup.py"
ENVIRONMENT_ATTRIBUTES = frozenset({"environ", "environb", "getenv", "getenvb", "putenv"})
LOOKUPS = frozenset({"get", "pop", "setdefault", "getenv"})


def product_files() -> list[Path]:
    """Every source file of the product packages."""
    return sorted(path for package in PACKAGES for path in (PROJECT / package).rglob("*.py"))


def _coopwatch_constants(tree: ast.Module) -> set[str]:
    """Module-level names bound to a COOPWATCH_* string (`BREAKER_VARIABLE = "COOPWATCH_…"`)."""
    return {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        and NAME.fullmatch(node.value.value)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }


def environment_reads(path: Path, *, may_set_environ: bool = False) -> list[str]:
    """Where a source file touches the process environment (os.environ, os.getenv, …) or
    looks a COOPWATCH_* key up in any mapping itself (`.get(…)`, `[…]`, `in`), as
    'file:line: what'; `may_set_environ` lets the Prefect set-up use os.environ."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = _coopwatch_constants(tree)

    def is_key(node: ast.AST) -> bool:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return bool(NAME.fullmatch(node.value))
        return isinstance(node, ast.Name) and node.id in constants

    found = []
    for node in ast.walk(tree):
        what = None
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ENVIRONMENT_ATTRIBUTES
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
            and not may_set_environ
        ):
            what = f"os.{node.attr}"
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            names = [alias.name for alias in node.names if alias.name in ENVIRONMENT_ATTRIBUTES]
            what = f"from os import {', '.join(names)}" if names else None
        elif isinstance(node, ast.Call) and node.args and is_key(node.args[0]):
            function = getattr(node.func, "attr", getattr(node.func, "id", None))
            what = f"{function}() of a COOPWATCH_* key" if function in LOOKUPS else None
        elif isinstance(node, ast.Subscript) and is_key(node.slice):
            what = "[…] of a COOPWATCH_* key"
        elif (
            isinstance(node, ast.Compare)
            and is_key(node.left)
            and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops)
        ):
            what = "`in` test of a COOPWATCH_* key"
        if what:
            found.append((node.lineno, node.col_offset, f"{path.name}:{node.lineno}: {what}"))
    return [where for *_, where in sorted(found)]


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the docstring nodes of a module, its classes and functions."""
    owners = [tree] + [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    return {
        id(owner.body[0].value)
        for owner in owners
        if owner.body
        and isinstance(owner.body[0], ast.Expr)
        and isinstance(owner.body[0].value, ast.Constant)
    }


def names_used(path: Path) -> set[str]:
    """The COOPWATCH_* names a source file's code uses as a whole string constant (what a
    reader is called with), leaving out docstrings and the VARIABLES list itself."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _docstrings(tree)
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == "VARIABLES" for t in targets):
            skipped.update(id(inner) for inner in ast.walk(node))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and NAME.fullmatch(node.value)
        and id(node) not in skipped
    }


def _names_mentioned() -> set[str]:
    """Every COOPWATCH_* name the product code spells out anywhere, comments and messages
    included (prefixes like COOPWATCH_HTTP_ in a docstring are left out: they name a
    family, not a variable)."""
    found = set()
    for path in product_files():
        text = path.read_text(encoding="utf-8")
        found.update(m.group(0) for m in NAME.finditer(text) if text[m.end()] != "_")
    return found


LISTED = {variable.name for variable in VARIABLES}


def test_only_the_settings_module_reads_the_environment() -> None:
    reads = [
        read
        for path in product_files()
        if path != SETTINGS_MODULE
        for read in environment_reads(path, may_set_environ=path == PREFECT_SETUP)
    ]
    assert reads == []


def test_a_planted_read_is_found(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(
        "import os\n"
        "from os import getenv\n"
        'RATE_VARIABLE = "COOPWATCH_HTTP_RATE"\n'
        "def rate(environ):\n"
        "    return environ.get(RATE_VARIABLE)\n"
        "def late():\n"
        '    return os.environ["COOPWATCH_DB"], os.getenv("COOPWATCH_DATA")\n'
        "def given(settings):\n"
        '    return "COOPWATCH_DB" in settings and settings["COOPWATCH_DB"]\n'
        "def bare():\n"
        '    return getenv("COOPWATCH_OUTBOX"), {"COOPWATCH_CALENDAR": 1}.pop("COOPWATCH_CALENDAR")\n',
        encoding="utf-8",
    )
    key_lookups = [
        "planted.py:2: from os import getenv",
        "planted.py:5: get() of a COOPWATCH_* key",
        "planted.py:7: […] of a COOPWATCH_* key",
        "planted.py:7: getenv() of a COOPWATCH_* key",
        "planted.py:9: `in` test of a COOPWATCH_* key",
        "planted.py:9: […] of a COOPWATCH_* key",
        "planted.py:11: getenv() of a COOPWATCH_* key",
        "planted.py:11: pop() of a COOPWATCH_* key",
    ]
    assert environment_reads(planted, may_set_environ=True) == key_lookups
    assert sorted(environment_reads(planted)) == sorted(
        [*key_lookups, "planted.py:7: os.environ", "planted.py:7: os.getenv"]
    )


def test_a_module_calling_the_readers_reads_nothing_itself(tmp_path: Path) -> None:
    clean = tmp_path / "clean.py"
    clean.write_text(
        "import os\n"
        "from common.settings import read_text\n"
        'KEY_VARIABLE = "COOPWATCH_LIBRARY_KEY"\n'
        "def key(environ=None):\n"
        "    return read_text(KEY_VARIABLE, environ=environ), os.sep\n",
        encoding="utf-8",
    )
    assert environment_reads(clean) == []
    assert names_used(clean) == {"COOPWATCH_LIBRARY_KEY"}


def test_the_code_uses_every_listed_variable_and_names_no_other() -> None:
    assert len(LISTED) == len(VARIABLES)
    used = set().union(*(names_used(path) for path in product_files()))
    assert used == LISTED
    assert _names_mentioned() - LISTED == set()


def test_an_unlisted_name_is_caught(tmp_path: Path) -> None:
    planted = tmp_path / "unlisted.py"
    planted.write_text(
        '"""Reads $COOPWATCH_NOT_LISTED_IN_DOCS."""\n'
        "from common.settings import read_text\n"
        'print(read_text("COOPWATCH_SMTP_HOSTNAME"))\n',
        encoding="utf-8",
    )
    assert names_used(planted) - LISTED == {"COOPWATCH_SMTP_HOSTNAME"}


def test_readme_settings_table_is_the_list() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    assert variables_table() in section
    assert set(NAME.findall(section)) == LISTED


def test_run_help_lists_every_variable() -> None:
    result = CliRunner().invoke(app, ["run", "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    printed = set(NAME.findall(result.output))
    assert printed >= LISTED
