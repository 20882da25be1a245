"""How many rows each table holds per edition, for the golden row counts a review compares.

A table with a `symbol` column is counted per symbol, one comparing two editions per pair
(`old -> new`), any other table as a whole (edition empty). The schema's own bookkeeping
is left out: it changes with every migration, not with what a run loads.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import NamedTuple

import duckdb

from warehouse.db.schema import connect

BOOKKEEPING = ("schema_migrations", "schema_state")
HEADER = ("table", "edition", "rows")


class RowCount(NamedTuple):
    """Rows of one table for one edition (or pair of editions, or the whole table)."""

    table: str
    edition: str
    rows: int


def row_counts(con: duckdb.DuckDBPyConnection) -> list[RowCount]:
    """Every base table's rows per edition, sorted by table then edition."""
    tables = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT internal ORDER BY table_name"
    ).fetchall()
    counts: list[RowCount] = []
    for (table,) in tables:
        if table in BOOKKEEPING:
            continue
        columns = {row[0] for row in con.execute(f'DESCRIBE "{table}"').fetchall()}
        if {"old_symbol", "new_symbol"} <= columns:
            edition = "coalesce(old_symbol, '') || ' -> ' || coalesce(new_symbol, '')"
        elif "symbol" in columns:
            edition = "coalesce(symbol, '')"
        else:
            edition = "''"
        rows = con.execute(
            f'SELECT {edition} AS edition, count(*) FROM "{table}" GROUP BY edition'
        ).fetchall()
        counts += [RowCount(table, str(name), int(n)) for name, n in rows]
    return sorted(counts)


def counts_csv(counts: list[RowCount]) -> str:
    """The counts as CSV text with a header row, as `tests/golden/row_counts.csv` keeps them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(counts)
    return out.getvalue()


def read_counts_csv(text: str) -> list[RowCount]:
    """Counts back from `counts_csv` text."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or tuple(rows[0]) != HEADER:
        raise ValueError(f"row counts: the header must be {','.join(HEADER)}")
    return [RowCount(table, edition, int(n)) for table, edition, n in rows[1:]]


def main(argv: list[str]) -> int:
    """`python -m warehouse.db.row_counts DB`: print the warehouse's row counts as CSV."""
    if len(argv) != 1:
        print("usage: python -m warehouse.db.row_counts DB", file=sys.stderr)
        return 2
    con = connect(Path(argv[0]), read_only=True)
    try:
        sys.stdout.write(counts_csv(row_counts(con)))
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
