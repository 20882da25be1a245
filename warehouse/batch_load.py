"""Load a run's new editions together: one transaction and one INSERT per table for all.

A DuckDB statement costs about a millisecond here whatever it carries, so loading documents
one by one spends most of its time on a dozen statements per document; a backfill of 200
documents loads in the time of a few. Only documents not loaded yet (in their language) take
this path: a reissue or a new parser version needs the per-document comparison that
`warehouse.load.load_report` makes. The rows written are exactly those `load_report` writes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from extractors.model import Report
from warehouse.load import (
    Column,
    LoadedDocuments,
    Transaction,
    check_paragraph_numbers,
    derived_columns,
    edition_session,
    edition_year,
    insert_columns,
    iso_date,
)


@dataclass(frozen=True)
class NewReport:
    """A parsed, enriched edition to load, with the bytes' hash and where they came from."""

    report: Report
    sha256: str
    source_url: str | None = None
    source_path: str | None = None


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
    index = _index_with(loaded.symbol_index, [d.report for d in documents])
    with Transaction(con):
        insert_columns(con, "documents", _document_columns(documents, run_id))
        _replace_editions(con, [d.report for d in documents], loaded, run_id)
        for table, columns in _derived_tables(documents, index, run_id).items():
            insert_columns(con, table, columns)
        insert_columns(con, "parses", _parse_columns(documents, run_id))
        _resolve_citations_to(con, [d.report for d in documents])


def _index_with(index: dict[str, str], reports: Sequence[Report]) -> dict[str, str]:
    """The symbol index once `reports` are loaded: each symbol to the smallest document
    symbol carrying it, as `LoadedDocuments` builds it."""
    merged = dict(index)
    for report in reports:
        for carried in (report.symbol, *report.symbols):
            if carried not in merged or report.symbol < merged[carried]:
                merged[carried] = report.symbol
    return merged


def _document_columns(documents: Sequence[NewReport], run_id: str) -> dict[str, Column]:
    reports = [d.report for d in documents]
    return {
        "symbol": Column("VARCHAR", [r.symbol for r in reports]),
        "language": Column("VARCHAR", [r.language for r in reports]),
        "kind": Column("VARCHAR", ["report"] * len(reports)),
        "symbols": Column("VARCHAR[]", [list(r.symbols) for r in reports]),
        "title": Column("VARCHAR", [r.title for r in reports]),
        "date": Column("DATE", [iso_date(r.symbol, r.date) for r in reports]),
        "previous_symbols": Column("VARCHAR[]", [list(r.previous_report) for r in reports]),
        "sha256": Column("VARCHAR", [d.sha256 for d in documents]),
        "source_url": Column("VARCHAR", [d.source_url for d in documents]),
        "source_path": Column("VARCHAR", [d.source_path for d in documents]),
        "parser_version": Column("VARCHAR", [r.parser_version for r in reports]),
        "run_id": Column("VARCHAR", [run_id] * len(reports)),
    }


def _replace_editions(
    con: duckdb.DuckDBPyConnection,
    reports: Sequence[Report],
    loaded: LoadedDocuments,
    run_id: str,
) -> None:
    """One `editions` row per symbol, from the last report carrying it (as loading them one
    after the other would leave it), replacing the row of an edition loaded in another
    language."""
    last = list({report.symbol: report for report in reports}.values())
    replaced = [report.symbol for report in last if loaded.has_symbol(report.symbol)]
    if replaced:
        con.execute(
            "DELETE FROM editions WHERE symbol IN (SELECT unnest($1::VARCHAR[]))", [replaced]
        )
    insert_columns(
        con,
        "editions",
        {
            "symbol": Column("VARCHAR", [r.symbol for r in last]),
            "symbols": Column("VARCHAR[]", [list(r.symbols) for r in last]),
            "year": Column("INTEGER", [edition_year(r.symbols, r.date) for r in last]),
            "session": Column("INTEGER", [edition_session(r.symbols) for r in last]),
            "date": Column("DATE", [iso_date(r.symbol, r.date) for r in last]),
            "previous_symbol": Column(
                "VARCHAR", [r.previous_report[0] if r.previous_report else None for r in last]
            ),
            "run_id": Column("VARCHAR", [run_id] * len(last)),
        },
    )


def _derived_tables(
    documents: Sequence[NewReport], index: dict[str, str], run_id: str
) -> dict[str, dict[str, Column]]:
    """Each derived table's rows for all documents, stamped row by row with their document."""
    types: dict[str, dict[str, str]] = {}
    values: dict[str, dict[str, list[Any]]] = {}
    for document in documents:
        report = document.report
        for table, columns in derived_columns(report, index).items():
            count = len(next(iter(columns.values())).values)
            stamp = {
                "symbol": Column("VARCHAR", [report.symbol] * count),
                "language": Column("VARCHAR", [report.language] * count),
                "parser_version": Column("VARCHAR", [report.parser_version] * count),
                "run_id": Column("VARCHAR", [run_id] * count),
            }
            for name, column in (stamp | columns).items():
                types.setdefault(table, {})[name] = column.sql_type
                values.setdefault(table, {}).setdefault(name, []).extend(column.values)
    return {
        table: {name: Column(types[table][name], rows) for name, rows in columns.items()}
        for table, columns in values.items()
    }


def _parse_columns(documents: Sequence[NewReport], run_id: str) -> dict[str, Column]:
    """The `parses` row of each document, as `load_report` records it (gate not yet run)."""
    rows: list[dict[str, Any]] = []
    for document in documents:
        report = document.report
        dropped = [{"text": d.text, "reason": d.reason, "page": d.page} for d in report.dropped]
        reasons = dict(sorted(Counter(d.reason for d in report.dropped).items()))
        rows.append(
            {
                "symbol": report.symbol,
                "language": report.language,
                "sha256": document.sha256,
                "parser_version": report.parser_version,
                "blocks_in": report.blocks_in,
                "placed": report.blocks_in - len(dropped),
                "dropped_count": len(dropped),
                "dropped": json.dumps(dropped, ensure_ascii=False),
                "dropped_reasons": json.dumps(reasons, ensure_ascii=False),
                "warnings": list(report.warnings),
                "run_id": run_id,
            }
        )
    types = {
        "blocks_in": "INTEGER",
        "placed": "INTEGER",
        "dropped_count": "INTEGER",
        "dropped": "JSON",
        "dropped_reasons": "JSON",
        "warnings": "VARCHAR[]",
    }
    return {
        name: Column(types.get(name, "VARCHAR"), [row[name] for row in rows]) for name in rows[0]
    }


def _resolve_citations_to(con: duckdb.DuckDBPyConnection, reports: Sequence[Report]) -> None:
    """Point citations already loaded at the new documents carrying the symbols they cite,
    when no smaller document symbol carries it (the order-independent rule of `load_report`)."""
    targets = _index_with({}, reports)
    con.execute(
        "UPDATE citations SET resolved_symbol = target.symbol "
        "FROM (SELECT unnest($1::VARCHAR[]) AS cited, unnest($2::VARCHAR[]) AS symbol) target "
        "WHERE citations.cited_symbol = target.cited "
        "AND (citations.resolved_symbol IS NULL OR citations.resolved_symbol > target.symbol)",
        [list(targets), list(targets.values())],
    )
