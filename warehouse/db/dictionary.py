"""The data dictionary, read from the warehouse itself (COMMENT ON), so it cannot drift.

`coopwatch schema` prints it; `make docs` writes it to docs/warehouse.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

import duckdb

from warehouse.db.schema import schema_version


@dataclass(frozen=True)
class ColumnDoc:
    """One column of a table or view, with its type and the comments on it and its object."""

    object_name: str
    object_type: str
    object_comment: str | None
    column_name: str
    data_type: str
    is_nullable: bool
    comment: str | None


def data_dictionary(con: duckdb.DuckDBPyConnection) -> list[ColumnDoc]:
    """Every column of every table, then every view, in name and column order."""
    rows = con.execute(
        "WITH objects AS ("
        "  SELECT table_name AS name, 'table' AS type, comment FROM duckdb_tables() "
        "  WHERE schema_name = 'main' AND NOT internal AND NOT temporary "
        "  UNION ALL "
        "  SELECT view_name, 'view', comment FROM duckdb_views() "
        "  WHERE schema_name = 'main' AND NOT internal AND NOT temporary) "
        "SELECT o.name, o.type, o.comment, c.column_name, c.data_type, c.is_nullable, c.comment "
        "FROM objects o JOIN duckdb_columns() c "
        "  ON c.schema_name = 'main' AND c.table_name = o.name "
        "ORDER BY o.type, o.name, c.column_index"
    ).fetchall()
    return [ColumnDoc(*row) for row in rows]


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def dictionary_markdown(con: duckdb.DuckDBPyConnection) -> str:
    """The data dictionary as Markdown: one section per table and view, one row per column."""
    lines = [
        "# CoopWatch warehouse: data dictionary",
        "",
        "Generated from the comments stored in the DuckDB file (`coopwatch schema --markdown`);",
        f"schema version {schema_version(con)}. Do not edit by hand.",
        "",
    ]
    for (name, kind), columns in groupby(
        data_dictionary(con), key=lambda doc: (doc.object_name, doc.object_type)
    ):
        docs = list(columns)
        lines += [
            f"## {kind} `{name}`",
            "",
            _cell(docs[0].object_comment),
            "",
            "| column | type | description |",
            "|---|---|---|",
        ]
        lines += [
            f"| `{d.column_name}` | {_cell(d.data_type)} | {_cell(d.comment)} |" for d in docs
        ]
        lines.append("")
    return "\n".join(lines)
