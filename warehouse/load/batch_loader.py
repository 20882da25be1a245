"""Load a run's new editions together: one transaction and one INSERT per table for all.

A DuckDB statement costs about a millisecond here whatever it carries, so loading documents
one by one spends most of its time on a dozen statements per document; a backfill of 200
documents loads in the time of a few. Only documents not loaded yet (in their language) take
this path: a reissue or a new parser version needs the per-document comparison that
`warehouse.load.loader.load_report` makes before it writes through the same `write_reports`.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from warehouse.db.columns import Transaction
from warehouse.load.report_rows import (
    LoadedDocuments,
    NewReport,
    check_paragraph_numbers,
    write_reports,
)


def load_new_reports(
    con: duckdb.DuckDBPyConnection, documents: Sequence[NewReport], *, run_id: str
) -> None:
    """Store editions none of which is loaded yet in its language, all in one transaction.

    Raises ValueError naming the document when one is already loaded or comes twice (those
    go through `load_report`), and UnloadableDocument when a report repeats a paragraph
    number; nothing is written then.
    """
    if not documents:
        return
    loaded = LoadedDocuments.read(con)
    seen: set[tuple[str, str]] = set()
    for document in documents:
        key = (document.report.symbol, document.report.language)
        if key in loaded.states or key in seen:
            raise ValueError(f"{key[0]} ({key[1]}) is already loaded: use load_report")
        seen.add(key)
        check_paragraph_numbers(document.report)
    with Transaction(con):
        write_reports(con, documents, loaded, run_id)
