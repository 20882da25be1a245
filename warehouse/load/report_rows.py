"""Turn parsed reports into warehouse rows and write them: documents, editions, the derived
tables, the parse ledger, and citations resolved to the documents that carry the cited symbol.

One writer for every path: `load_report` (one document, replacing what it had) and
`load_new_reports` (a run's new documents together) both end in `write_reports`, which
sends one column-wise INSERT per table for all the documents it is given.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from common.errors import UnloadableDocument
from extractors.model import Paragraph, Report
from extractors.report.editions import series_of
from warehouse.db.columns import Column, insert_columns

_GA_SYMBOL = re.compile(r"A/(\d+)/")
_SC_SYMBOL = re.compile(r"S/(\d{4})/")
_FIRST_SESSION_YEAR = 1945  # session N of the General Assembly opens in September of 1945 + N


def iso_date(document: str, text: str | None) -> date | None:
    """A date column's value from an ISO date text, refused with the document named."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise UnloadableDocument(document, f"date {text!r} is not an ISO date") from error


def edition_year(symbols: Sequence[str], date_text: str | None) -> int | None:
    """The year of an edition: from its date, else its Security Council symbol, else its session."""
    if date_text and date_text[:4].isdigit():
        return int(date_text[:4])
    for symbol in symbols:
        match = _SC_SYMBOL.match(symbol)
        if match:
            return int(match.group(1))
    session = edition_session(symbols)
    return session + _FIRST_SESSION_YEAR if session is not None else None


def edition_session(symbols: Sequence[str]) -> int | None:
    """The General Assembly session in the edition's symbol (73 for A/73/328), if any."""
    for symbol in symbols:
        match = _GA_SYMBOL.match(symbol)
        if match:
            return int(match.group(1))
    return None


# --- reference data ----------------------------------------------------------------------


def check_paragraph_numbers(report: Report) -> None:
    """Refuse a report whose paragraph numbers repeat: rows are keyed by them."""
    numbers = Counter(paragraph.number for paragraph in report.paragraphs)
    repeated = sorted(number for number, count in numbers.items() if count > 1)
    if repeated:
        shown = ", ".join(map(str, repeated[:REPEATS_SHOWN]))
        more = f" and {len(repeated) - REPEATS_SHOWN} more" if len(repeated) > REPEATS_SHOWN else ""
        raise UnloadableDocument(
            f"{report.symbol} ({report.language})",
            f"{len(repeated)} paragraph number(s) repeated: {shown}{more}",
        )


# A document pasted twice repeats every number: the message names a few, not 968.
REPEATS_SHOWN = 8


@dataclass(frozen=True)
class LoadedDocuments:
    """What the warehouse holds, read in one query: each document's state and its symbols."""

    states: dict[tuple[str, str], tuple[str, str]]
    symbol_index: dict[str, str]

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> LoadedDocuments:
        """The loaded documents' states and symbol index, read once."""
        states: dict[tuple[str, str], tuple[str, str]] = {}
        index: dict[str, str] = {}
        rows = con.execute(
            "SELECT symbol, language, symbols, sha256, parser_version FROM documents"
        ).fetchall()
        for symbol, language, symbols, sha256, parser_version in rows:
            states[(symbol, language)] = (sha256, parser_version)
            for carried in (symbol, *symbols):
                # A symbol carried by two documents resolves to the smaller, whatever the order.
                if carried not in index or symbol < index[carried]:
                    index[carried] = symbol
        return cls(states, index)

    def has_symbol(self, symbol: str) -> bool:
        """True when a document with this symbol is loaded in any language."""
        return any(key[0] == symbol for key in self.states)


def derived_columns(report: Report, symbol_index: dict[str, str]) -> dict[str, dict[str, Column]]:
    """Every derived row of `report`, column-wise per table (without the document stamp):
    chapters, sections, paragraphs, what each paragraph names, footnotes, and citations
    resolved to the loaded document that carries the cited symbol."""
    return (
        _outline_columns(report)
        | _named_columns(report.paragraphs)
        | {
            "footnotes": _footnote_columns(report),
            "citations": citation_columns(_cited(report), symbol_index),
            "unresolved_citations": unresolved_citation_columns(report),
        }
    )


def _outline_columns(report: Report) -> dict[str, dict[str, Column]]:
    """The rows of `chapters`, `sections` and `paragraphs`, column-wise."""
    chapters, sections, paragraphs = report.chapters, report.sections, report.paragraphs
    return {
        "chapters": {
            "chapter_index": Column("INTEGER", range(len(chapters))),
            "number": Column("VARCHAR", [c.number for c in chapters]),
            "title": Column("VARCHAR", [c.title for c in chapters]),
        },
        "sections": {
            "section_index": Column("INTEGER", range(len(sections))),
            "chapter": Column("VARCHAR", [s.chapter for s in sections]),
            "heading": Column("VARCHAR", [s.heading for s in sections]),
            "first_paragraph": Column("INTEGER", [s.first_paragraph for s in sections]),
            "last_paragraph": Column("INTEGER", [s.last_paragraph for s in sections]),
            "paragraph_count": Column("INTEGER", [s.paragraph_count for s in sections]),
            "word_count": Column("INTEGER", [s.word_count for s in sections]),
            "organization_id": Column("VARCHAR", [s.organization for s in sections]),
            "organization_ids": Column("VARCHAR[]", [list(s.organizations) for s in sections]),
            "is_unregistered": Column("BOOLEAN", [s.unregistered for s in sections]),
        },
        "paragraphs": {
            "paragraph_number": Column("INTEGER", [p.number for p in paragraphs]),
            "paragraph_index": Column("INTEGER", range(len(paragraphs))),
            "text": Column("VARCHAR", [p.text for p in paragraphs]),
            "word_count": Column("INTEGER", [p.word_count for p in paragraphs]),
            "page": Column("INTEGER", [p.page for p in paragraphs]),
            "section_index": Column("INTEGER", [p.section_index for p in paragraphs]),
            "chapter": Column("VARCHAR", [p.chapter for p in paragraphs]),
            "links": Column("VARCHAR[]", [list(p.links) for p in paragraphs]),
        },
    }


def _named_columns(paragraphs: Sequence[Paragraph]) -> dict[str, dict[str, Column]]:
    """What each paragraph names: organizations, UN entities and areas, column-wise."""
    columns: dict[str, dict[str, Column]] = {}
    for table, id_column, attribute in (
        ("paragraph_organizations", "organization_id", "organizations"),
        ("paragraph_un_entities", "un_entity_id", "un_entities"),
    ):
        rows = [
            (p.number, position, value)
            for p in paragraphs
            for position, value in enumerate(getattr(p, attribute))
        ]
        columns[table] = {
            "paragraph_number": Column("INTEGER", [r[0] for r in rows]),
            "position": Column("INTEGER", [r[1] for r in rows]),
            id_column: Column("VARCHAR", [r[2] for r in rows]),
        }
    tags = [(p.number, position, tag) for p in paragraphs for position, tag in enumerate(p.areas)]
    columns["paragraph_areas"] = {
        "paragraph_number": Column("INTEGER", [t[0] for t in tags]),
        "position": Column("INTEGER", [t[1] for t in tags]),
        "area_id": Column("VARCHAR", [t[2].id for t in tags]),
        "phrase": Column("VARCHAR", [t[2].phrase for t in tags]),
        "phrase_offset": Column("INTEGER", [t[2].offset for t in tags]),
    }
    return columns


def _cited(report: Report) -> list[tuple[int | None, int, str]]:
    """(paragraph number, position, symbol) of each citation: the paragraphs' in order, then
    the document's own (paragraph None)."""
    cited: list[tuple[int | None, int, str]] = [
        (p.number, position, symbol)
        for p in report.paragraphs
        for position, symbol in enumerate(p.citations)
    ]
    cited += [(None, position, symbol) for position, symbol in enumerate(report.citations)]
    return cited


def _footnote_columns(report: Report) -> dict[str, Column]:
    """The rows of `footnotes`, column-wise."""
    notes = report.footnotes
    return {
        "footnote_index": Column("INTEGER", range(len(notes))),
        "marker": Column("VARCHAR", [n.number for n in notes]),
        "text": Column("VARCHAR", [n.text for n in notes]),
        "page": Column("INTEGER", [n.page for n in notes]),
        "paragraph_number": Column("INTEGER", [n.paragraph for n in notes]),
        "part": Column("VARCHAR", [n.part for n in notes]),
        "heading": Column("VARCHAR", [n.heading for n in notes]),
        "cited_symbols": Column("VARCHAR[]", [list(n.citations) for n in notes]),
    }


def unresolved_citation_columns(report: Report) -> dict[str, Column]:
    """The symbol-shaped texts the grammar does not know, per paragraph, then those of the
    document as a whole that no paragraph holds (summary, cover)."""
    rows: list[tuple[int | None, int, str]] = [
        (p.number, position, text)
        for p in report.paragraphs
        for position, text in enumerate(p.unknown_citations)
    ]
    in_paragraphs = {row[2] for row in rows}
    rest = [text for text in report.unknown_citations if text not in in_paragraphs]
    rows += [(None, position, text) for position, text in enumerate(rest)]
    return {
        "paragraph_number": Column("INTEGER", [r[0] for r in rows]),
        "position": Column("INTEGER", [r[1] for r in rows]),
        "cited_text": Column("VARCHAR", [r[2] for r in rows]),
    }


def citation_columns(
    cited: Sequence[tuple[int | None, int, str]], symbol_index: dict[str, str]
) -> dict[str, Column]:
    """Citations column-wise, each resolved to the loaded document carrying the cited symbol."""
    return {
        "paragraph_number": Column("INTEGER", [c[0] for c in cited]),
        "position": Column("INTEGER", [c[1] for c in cited]),
        "cited_symbol": Column("VARCHAR", [c[2] for c in cited]),
        "resolved_symbol": Column("VARCHAR", [symbol_index.get(c[2]) for c in cited]),
    }


@dataclass(frozen=True)
class NewReport:
    """A parsed, enriched edition to load, with the bytes' hash and where they came from."""

    report: Report
    sha256: str
    source_url: str | None = None
    source_path: str | None = None


def write_reports(
    con: duckdb.DuckDBPyConnection,
    documents: Sequence[NewReport],
    loaded: LoadedDocuments,
    run_id: str,
) -> None:
    """Insert every row of `documents`, none of which is in the warehouse any more, one
    statement per table; the caller holds the transaction and has checked the reports.
    `loaded` is what the warehouse held before (for the editions to replace and the
    symbols citations resolve to)."""
    reports = [document.report for document in documents]
    insert_columns(con, "documents", _document_columns(documents, run_id))
    _replace_editions(con, reports, loaded, run_id)
    index = _index_with(loaded.symbol_index, reports)
    for table, columns in _derived_tables(documents, index, run_id).items():
        insert_columns(con, table, columns)
    insert_columns(con, "parses", _parse_columns(documents, run_id))
    resolve_citations_to(con, _index_with({}, reports))


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
            "series": Column("VARCHAR", [series_of(r.symbol) for r in last]),
        },
    )
    _name_missing_series(con)


def _name_missing_series(con: duckdb.DuckDBPyConnection) -> None:
    """Name the series of editions loaded before the editions table had one (a file from an
    older CoopWatch), as series.yaml says, so every edition says its series after a load."""
    missing = [
        symbol
        for (symbol,) in con.execute("SELECT symbol FROM editions WHERE series IS NULL").fetchall()
    ]
    if missing:
        con.execute(
            "UPDATE editions SET series = named.series FROM (SELECT unnest($1::VARCHAR[]) AS "
            "symbol, unnest($2::VARCHAR[]) AS series) AS named WHERE editions.symbol = named.symbol",
            [missing, [series_of(symbol) for symbol in missing]],
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


def dropped_blocks_json(report: Report) -> tuple[str, str]:
    """The blocks a parse dropped (text, reason, page) and the count per reason, as the JSON
    the `parses` ledger stores."""
    dropped = [{"text": d.text, "reason": d.reason, "page": d.page} for d in report.dropped]
    reasons = dict(sorted(Counter(d.reason for d in report.dropped).items()))
    return json.dumps(dropped, ensure_ascii=False), json.dumps(reasons, ensure_ascii=False)


def _parse_columns(documents: Sequence[NewReport], run_id: str) -> dict[str, Column]:
    """The `parses` row of each document: its ledger, the gate not yet run."""
    rows: list[dict[str, Any]] = []
    for document in documents:
        report = document.report
        dropped, reasons = dropped_blocks_json(report)
        rows.append(
            {
                "symbol": report.symbol,
                "language": report.language,
                "sha256": document.sha256,
                "parser_version": report.parser_version,
                "blocks_in": report.blocks_in,
                "placed": report.blocks_in - len(report.dropped),
                "dropped_count": len(report.dropped),
                "dropped": dropped,
                "dropped_reasons": reasons,
                "warnings": list(report.warnings),
                "run_id": run_id,
                "unresolved_citation_count": len(report.unknown_citations),
            }
        )
    types = {
        "blocks_in": "INTEGER",
        "placed": "INTEGER",
        "dropped_count": "INTEGER",
        "dropped": "JSON",
        "dropped_reasons": "JSON",
        "warnings": "VARCHAR[]",
        "unresolved_citation_count": "INTEGER",
    }
    return {
        name: Column(types.get(name, "VARCHAR"), [row[name] for row in rows]) for name in rows[0]
    }


def resolve_citations_to(con: duckdb.DuckDBPyConnection, targets: dict[str, str]) -> None:
    """Point the citations of `targets`' cited symbols at the document symbol each maps to,
    unless a smaller document symbol already carries it: with citations resolved on insert,
    this makes resolution independent of the order documents are loaded in."""
    con.execute(
        "UPDATE citations SET resolved_symbol = target.symbol "
        "FROM (SELECT unnest($1::VARCHAR[]) AS cited, unnest($2::VARCHAR[]) AS symbol) target "
        "WHERE citations.cited_symbol = target.cited "
        "AND (citations.resolved_symbol IS NULL OR citations.resolved_symbol > target.symbol)",
        [list(targets), list(targets.values())],
    )
