"""Every COOPWATCH_* variable is in one list: the code reads no other, the README's settings
table and `coopwatch run --help` show exactly that list."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from extractors.settings import VARIABLES, variables_table
from flows.cli import app

PROJECT = Path(__file__).resolve().parent.parent
PACKAGES = ("extractors", "flows", "notify", "warehouse")
NAME = re.compile(r"COOPWATCH_[A-Z0-9_]*[A-Z0-9]")


def _names_in_code() -> set[str]:
    """Every COOPWATCH_* name the product code spells out (prefixes like COOPWATCH_HTTP_
    in a docstring are left out: they name a family, not a variable)."""
    found = set()
    for package in PACKAGES:
        for path in (PROJECT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            found.update(m.group(0) for m in NAME.finditer(text) if text[m.end()] != "_")
    return found


def test_the_code_reads_only_listed_variables() -> None:
    listed = {variable.name for variable in VARIABLES}
    assert len(listed) == len(VARIABLES)
    assert _names_in_code() - listed == set()
    assert listed - _names_in_code() == set()


def test_readme_settings_table_is_the_list() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    assert variables_table() in section
    assert set(NAME.findall(section)) == {variable.name for variable in VARIABLES}


def test_run_help_lists_every_variable() -> None:
    result = CliRunner().invoke(app, ["run", "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    printed = set(NAME.findall(result.output))
    assert {variable.name for variable in VARIABLES} <= printed
