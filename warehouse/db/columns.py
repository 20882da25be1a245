"""Column-wise inserts and transactions: how every table of the warehouse is written.

Rows go in as an Arrow table that DuckDB scans in place, one `INSERT … SELECT` per table,
never one round trip per row. Arrow is DuckDB's fast path from Python: the same lists bound
as `unnest($n)` parameters cost twice as much on the bundled editions, and registering the
table as a view adds a catalog change per insert (bench/bench_load.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import duckdb
import pyarrow as pa

_ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "JSON": pa.string(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
    "VARCHAR[]": pa.list_(pa.string()),
    "INTEGER[]": pa.list_(pa.int32()),
}


class Column(NamedTuple):
    """A column to insert: its SQL type and its values, one per row."""

    sql_type: str
    values: Sequence[Any]


def _arrow_table(table: str, columns: dict[str, Column]) -> pa.Table:
    """The columns as an Arrow table, each in the Arrow type of its SQL type.

    Raises ValueError naming the table when a column's type has no Arrow counterpart here,
    a value does not fit its column's type, or the columns differ in length.
    """
    arrays = {}
    for name, column in columns.items():
        arrow_type = _ARROW_TYPES.get(column.sql_type)
        if arrow_type is None:
            raise ValueError(f"{table}.{name}: no Arrow type for SQL type {column.sql_type}")
        try:
            arrays[name] = pa.array(list(column.values), type=arrow_type)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
            raise ValueError(f"{table}.{name} ({column.sql_type}): {error}") from error
    lengths = {len(array) for array in arrays.values()}
    if len(lengths) > 1:
        raise ValueError(f"{table}: columns of different lengths {sorted(lengths)}")
    return pa.table(arrays)


def insert_columns(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: dict[str, Column],
    constants: dict[str, Any] | None = None,
) -> int:
    """Insert rows given column-wise in one statement; constants repeat on every row.

    All columns must have the same length. Returns the number of rows inserted (nothing is
    sent when there are none). DuckDB finds `arrow_rows` among this function's locals (a
    replacement scan), which costs nothing in the catalog, unlike `register`.
    """
    arrow_rows = _arrow_table(table, columns)
    if arrow_rows.num_rows == 0:
        return 0
    constants = constants or {}
    names = [*constants, *columns]
    selects = [f"${position}" for position in range(1, len(constants) + 1)]
    selects += [f'arrow_rows."{name}"' for name in columns]
    con.execute(
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(selects)} FROM arrow_rows",
        list(constants.values()),
    )
    return arrow_rows.num_rows


class Transaction:
    """BEGIN … COMMIT on a connection, ROLLBACK when the block raises."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        self.con.execute("BEGIN TRANSACTION")
        return self.con

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.con.execute("ROLLBACK" if exc_type else "COMMIT")
