"""The recipes of docs/queries.md: each question's ```sql block and the answer table printed
under it, and the one way a query's rows are printed in that table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

QUERIES_DOC = Path(__file__).resolve().parent.parent / "docs" / "queries.md"
_RECIPE = re.compile(r"^## (?P<title>.+?)\n(?P<body>.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)
_SQL = re.compile(r"```sql\n(?P<sql>.*?)```", re.DOTALL)


@dataclass(frozen=True)
class Recipe:
    """One question of docs/queries.md: its title, its SQL and its printed answer rows."""

    title: str
    sql: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def cells(line: str) -> tuple[str, ...]:
    """The cells of one table line, trimmed, as the page shows them."""
    return tuple(cell.strip().replace("\\|", "|") for cell in line.strip().strip("|").split(" | "))


def recipes(path: Path = QUERIES_DOC) -> list[Recipe]:
    """Every recipe (a `## ` section with an sql block), in the order of the page."""
    found = []
    for match in _RECIPE.finditer(path.read_text(encoding="utf-8")):
        sql = _SQL.search(match["body"])
        if sql is None:
            continue
        after = match["body"][sql.end() :]
        table = [line for line in after.splitlines() if line.startswith("|")]
        header = cells(table[0]) if table else ()
        rows = tuple(cells(line) for line in table[2:])
        found.append(Recipe(match["title"].strip(), sql["sql"].strip(), header, rows))
    return found


def shown(value: Any) -> str:
    """A value as the answer tables print it: NULL, [a, b] for a list, 0.1234, text as is."""
    if value is None:
        return "NULL"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(shown(item) for item in value) + "]"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


def table(header: list[str], rows: list[tuple[Any, ...]]) -> str:
    """The markdown answer table of a query's result."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        lines.append("| " + " | ".join(shown(v).replace("|", "\\|") for v in row) + " |")
    return "\n".join(lines)
