"""Export every table and view of the warehouse as Parquet, with DuckDB's own writer.

`coopwatch export --parquet DIR` gives analysts files any tool reads, one per table or view.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.db.schema import user_objects


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def export_parquet(con: duckdb.DuckDBPyConnection, directory: Path) -> list[Path]:
    """Write `<name>.parquet` into `directory` for every table and view; returns the paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, _kind in user_objects(con):
        path = directory / f"{name}.parquet"
        con.execute(f'COPY (SELECT * FROM "{name}") TO {_literal(str(path))} (FORMAT parquet)')
        written.append(path)
    return written
