"""Column-wise inserts and transactions: how every table of the warehouse is written.

Rows go in column by column, one `INSERT … SELECT unnest($n)` per table, never one round
trip per row: a DuckDB statement costs about a millisecond here whatever it carries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import duckdb


class Column(NamedTuple):
    """A column to insert: its SQL type and its values, one per row."""

    sql_type: str
    values: Sequence[Any]


def insert_columns(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: dict[str, Column],
    constants: dict[str, Any] | None = None,
) -> int:
    """Insert rows given column-wise in one statement; constants repeat on every row.

    DuckDB zips the unnested lists, so all columns must have the same length. Returns the
    number of rows inserted (nothing is sent when there are none).
    """
    constants = constants or {}
    lengths = {len(column.values) for column in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"{table}: columns of different lengths {sorted(lengths)}")
    count = lengths.pop() if lengths else 0
    if count == 0:
        return 0
    names: list[str] = []
    selects: list[str] = []
    parameters: list[Any] = []
    for name, value in constants.items():
        parameters.append(value)
        names.append(name)
        selects.append(f"${len(parameters)}")
    for name, column in columns.items():
        names.append(name)
        if count == 1:
            # One row (a document, an edition): scalars convert faster than one-item lists.
            parameters.append(column.values[0])
            selects.append(f"${len(parameters)}::{column.sql_type}")
        else:
            parameters.append(list(column.values))
            selects.append(f"unnest(${len(parameters)}::{column.sql_type}[])")
    con.execute(
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(selects)}",
        parameters,
    )
    return count


class Transaction:
    """BEGIN … COMMIT on a connection, ROLLBACK when the block raises."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        self.con.execute("BEGIN TRANSACTION")
        return self.con

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.con.execute("ROLLBACK" if exc_type else "COMMIT")
