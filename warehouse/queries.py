"""Read-only questions the CLI asks of the warehouse: diffs, the data dictionary, exports."""

from __future__ import annotations

from pathlib import Path

from common.errors import CoopWatchError, UnknownEdition
from warehouse.db.dictionary import data_dictionary, dictionary_markdown
from warehouse.db.schema import apply_schema, connect
from warehouse.diff.change_events import EditionDiff
from warehouse.diff.edition_diff import diff_editions
from warehouse.export import export_parquet
from warehouse.load.read_back import list_editions, read_report


def _open(db_path: Path):

    if not Path(db_path).exists():
        raise CoopWatchError(f"{db_path}: no warehouse here yet (run `coopwatch run` first)")
    return connect(db_path, read_only=True)


def diff_loaded_editions(db_path: Path, old: str, new: str, *, language: str = "fr") -> EditionDiff:
    """Diff two editions as loaded in the warehouse (any pair, in either order)."""
    con = _open(db_path)
    try:
        known = {edition.symbol for edition in list_editions(con, language)}
        for symbol in (old, new):
            if symbol not in known:
                listed = ", ".join(sorted(known)) or "none"
                raise UnknownEdition(
                    f"{symbol}: not loaded in {db_path} (loaded editions: {listed})"
                )
        return diff_editions(read_report(con, old, language), read_report(con, new, language))
    finally:
        con.close()


def data_dictionary_text(db_path: Path | None, *, markdown: bool) -> str:
    """The data dictionary from the database's comments (a fresh in-memory schema if no file)."""
    import duckdb

    if db_path is not None:
        con = _open(db_path)
    else:
        con = duckdb.connect(":memory:")
        apply_schema(con)
    try:
        if markdown:
            return dictionary_markdown(con)
        return "\n".join(
            f"{doc.object_name}.{doc.column_name}  {doc.data_type}  {doc.comment or ''}"
            for doc in data_dictionary(con)
        )
    finally:
        con.close()


def export_warehouse(db_path: Path, directory: Path) -> list[Path]:
    """Write every table and view as Parquet into `directory`."""
    con = _open(db_path)
    try:
        return export_parquet(con, directory)
    finally:
        con.close()
