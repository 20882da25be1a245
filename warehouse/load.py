"""Write parsed documents, reference data, diffs and fetches into the warehouse.

Loads are idempotent (same content hash and parser version: nothing is written) and
incremental (a new hash or parser version re-derives that document's rows only). Rows go in
column-wise: one `INSERT … SELECT unnest($n)` per table, never one round trip per row.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, Protocol

import duckdb

from extractors.errors import UnloadableDocument
from extractors.model import Report
from warehouse.db import utc_now

DERIVED_TABLES = (
    "chapters",
    "sections",
    "paragraphs",
    "paragraph_organizations",
    "paragraph_un_entities",
    "paragraph_areas",
    "citations",
)
_GA_SYMBOL = re.compile(r"A/(\d+)/")
_SC_SYMBOL = re.compile(r"S/(\d{4})/")
_FIRST_SESSION_YEAR = 1945  # session N of the General Assembly opens in September of 1945 + N


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
        parameters.append(list(column.values))
        names.append(name)
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


def iso_date(document: str, text: str | None) -> date | None:
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


class _ReferenceData(Protocol):
    organizations: Sequence[Any]
    organization_aliases: Sequence[Any]
    un_entities: Sequence[Any]
    un_entity_aliases: Sequence[Any]
    areas: Sequence[Any]


def _aliases(aliases: Iterable[Any]) -> dict[str, Column]:
    rows = list(aliases)
    return {
        "alias": Column("VARCHAR", [a.alias for a in rows]),
        "language": Column("VARCHAR", [a.language for a in rows]),
        "is_acronym": Column("BOOLEAN", [bool(a.is_acronym) for a in rows]),
    }


def load_reference(con: duckdb.DuckDBPyConnection, reference: _ReferenceData) -> None:
    """Replace the reference tables with `reference` (extractors.reference_data), atomically.

    The reference data is a full snapshot, so replacing is the idempotent upsert: loading the
    same snapshot twice leaves the same rows.
    """
    orgs = list(reference.organizations)
    entities = list(reference.un_entities)
    areas = list(reference.areas)
    org_aliases = list(reference.organization_aliases)
    entity_aliases = list(reference.un_entity_aliases)
    triggers = [
        (area.id, language, position, phrase)
        for area in areas
        for language, phrases in (("fr", area.triggers_fr), ("en", area.triggers_en))
        for position, phrase in enumerate(phrases)
    ]
    with Transaction(con):
        for table in (
            "organizations",
            "organization_aliases",
            "un_entities",
            "un_entity_aliases",
            "areas",
            "area_triggers",
        ):
            con.execute(f"DELETE FROM {table}")
        insert_columns(
            con,
            "organizations",
            {
                "organization_id": Column("VARCHAR", [o.id for o in orgs]),
                "name_en": Column("VARCHAR", [o.name_en for o in orgs]),
                "name_fr": Column("VARCHAR", [o.name_fr for o in orgs]),
                "kind": Column("VARCHAR", [o.kind for o in orgs]),
                "region": Column("VARCHAR", [o.region for o in orgs]),
            },
        )
        insert_columns(
            con,
            "organization_aliases",
            {"organization_id": Column("VARCHAR", [a.owner_id for a in org_aliases])}
            | _aliases(org_aliases),
        )
        insert_columns(
            con,
            "un_entities",
            {
                "un_entity_id": Column("VARCHAR", [e.id for e in entities]),
                "name_en": Column("VARCHAR", [e.name_en for e in entities]),
                "name_fr": Column("VARCHAR", [e.name_fr for e in entities]),
            },
        )
        insert_columns(
            con,
            "un_entity_aliases",
            {"un_entity_id": Column("VARCHAR", [a.owner_id for a in entity_aliases])}
            | _aliases(entity_aliases),
        )
        insert_columns(
            con,
            "areas",
            {
                "area_id": Column("VARCHAR", [a.id for a in areas]),
                "name_en": Column("VARCHAR", [a.name_en for a in areas]),
                "name_fr": Column("VARCHAR", [a.name_fr for a in areas]),
            },
        )
        insert_columns(
            con,
            "area_triggers",
            {
                "area_id": Column("VARCHAR", [t[0] for t in triggers]),
                "language": Column("VARCHAR", [t[1] for t in triggers]),
                "position": Column("INTEGER", [t[2] for t in triggers]),
                "phrase": Column("VARCHAR", [t[3] for t in triggers]),
            },
        )


# --- documents ---------------------------------------------------------------------------


def check_paragraph_numbers(report: Report) -> None:
    numbers = Counter(paragraph.number for paragraph in report.paragraphs)
    repeated = sorted(number for number, count in numbers.items() if count > 1)
    if repeated:
        raise UnloadableDocument(
            f"{report.symbol} ({report.language})", f"paragraph numbers repeated: {repeated}"
        )


def _content_key(report: Report) -> tuple[list[int], list[str], list[str], list[str]]:
    """What a reader would call the content: paragraphs, section headings, chapter titles."""
    return (
        [p.number for p in report.paragraphs],
        [p.text for p in report.paragraphs],
        [s.heading for s in report.sections],
        [c.title for c in report.chapters],
    )


def _stored_content_key(
    con: duckdb.DuckDBPyConnection, symbol: str, language: str
) -> tuple[list[int], list[str], list[str], list[str]]:
    row = con.execute(
        "SELECT (SELECT list(paragraph_number ORDER BY paragraph_index) FROM paragraphs "
        "        WHERE symbol = $1 AND language = $2), "
        "       (SELECT list(text ORDER BY paragraph_index) FROM paragraphs "
        "        WHERE symbol = $1 AND language = $2), "
        "       (SELECT list(heading ORDER BY section_index) FROM sections "
        "        WHERE symbol = $1 AND language = $2), "
        "       (SELECT list(title ORDER BY chapter_index) FROM chapters "
        "        WHERE symbol = $1 AND language = $2)",
        [symbol, language],
    ).fetchall()[0]
    return tuple(list(value or []) for value in row)  # type: ignore[return-value]


def _delete_document_rows(con: duckdb.DuckDBPyConnection, symbol: str, language: str) -> None:
    for table in DERIVED_TABLES:
        con.execute(f"DELETE FROM {table} WHERE symbol = ? AND language = ?", [symbol, language])


def _upsert_document(
    con: duckdb.DuckDBPyConnection,
    *,
    symbol: str,
    language: str,
    kind: str,
    symbols: Sequence[str],
    title: str | None,
    document_date: date | None,
    previous_symbols: Sequence[str],
    sha256: str,
    source_url: str | None,
    source_path: str | None,
    parser_version: str,
    run_id: str,
    replace: bool,
) -> None:
    # DELETE + INSERT: several times cheaper in DuckDB than INSERT OR REPLACE on a key.
    if replace:
        con.execute("DELETE FROM documents WHERE symbol = ? AND language = ?", [symbol, language])
    con.execute(
        "INSERT INTO documents (symbol, language, kind, symbols, title, date, "
        "previous_symbols, sha256, source_url, source_path, parser_version, run_id) "
        "VALUES (?, ?, ?, ?::VARCHAR[], ?, ?, ?::VARCHAR[], ?, ?, ?, ?, ?)",
        [
            symbol,
            language,
            kind,
            list(symbols),
            title,
            document_date,
            list(previous_symbols),
            sha256,
            source_url,
            source_path,
            parser_version,
            run_id,
        ],
    )


@dataclass(frozen=True)
class LoadedDocuments:
    """What the warehouse holds, read in one query: each document's state and its symbols."""

    states: dict[tuple[str, str], tuple[str, str]]
    symbol_index: dict[str, str]
    carried: dict[str, set[str]]

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> LoadedDocuments:
        states: dict[tuple[str, str], tuple[str, str]] = {}
        index: dict[str, str] = {}
        carried_by: dict[str, set[str]] = {}
        rows = con.execute(
            "SELECT symbol, language, symbols, sha256, parser_version FROM documents"
        ).fetchall()
        for symbol, language, symbols, sha256, parser_version in rows:
            states[(symbol, language)] = (sha256, parser_version)
            carried_by.setdefault(symbol, set()).update(symbols)
            for carried in (symbol, *symbols):
                # A symbol carried by two documents resolves to the smaller, whatever the order.
                if carried not in index or symbol < index[carried]:
                    index[carried] = symbol
        return cls(states, index, carried_by)

    def symbols_of(self, symbol: str) -> set[str]:
        """Every symbol the documents loaded as `symbol` carry, in any language."""
        return self.carried.get(symbol, set())

    def has_symbol(self, symbol: str) -> bool:
        """True when a document with this symbol is loaded in any language."""
        return any(key[0] == symbol for key in self.states)


def _resolve_citations_of(
    con: duckdb.DuckDBPyConnection, symbol: str, symbols: Sequence[str]
) -> None:
    """Point the citations of other documents that cite `symbols` at the document `symbol`.

    With the citing document's own citations resolved on insert, this makes the resolution
    independent of the order in which documents are loaded.
    """
    con.execute(
        "UPDATE citations SET resolved_symbol = $1 "
        "WHERE cited_symbol IN (SELECT unnest($2::VARCHAR[])) "
        "AND (resolved_symbol IS NULL OR resolved_symbol > $1)",
        [symbol, list(dict.fromkeys((symbol, *symbols)))],
    )


def derived_columns(report: Report, symbol_index: dict[str, str]) -> dict[str, dict[str, Column]]:
    """Every derived row of `report`, column-wise per table (without the document stamp):
    chapters, sections, paragraphs, what each paragraph names, and citations resolved to the
    loaded document that carries the cited symbol."""
    chapters, sections, paragraphs = report.chapters, report.sections, report.paragraphs
    columns: dict[str, dict[str, Column]] = {
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
    cited: list[tuple[int | None, int, str]] = [
        (p.number, position, symbol)
        for p in paragraphs
        for position, symbol in enumerate(p.citations)
    ]
    cited += [(None, position, symbol) for position, symbol in enumerate(report.citations)]
    columns["citations"] = _citation_columns(cited, symbol_index)
    return columns


def _citation_columns(
    cited: Sequence[tuple[int | None, int, str]], symbol_index: dict[str, str]
) -> dict[str, Column]:
    """Citations column-wise, each resolved to the loaded document carrying the cited symbol."""
    return {
        "paragraph_number": Column("INTEGER", [c[0] for c in cited]),
        "position": Column("INTEGER", [c[1] for c in cited]),
        "cited_symbol": Column("VARCHAR", [c[2] for c in cited]),
        "resolved_symbol": Column("VARCHAR", [symbol_index.get(c[2]) for c in cited]),
    }


def _insert_derived(
    con: duckdb.DuckDBPyConnection,
    report: Report,
    stamp: dict[str, Any],
    symbol_index: dict[str, str],
) -> None:
    """The derived rows of one document, each table in one statement."""
    for table, columns in derived_columns(report, symbol_index).items():
        insert_columns(con, table, columns, stamp)


def _record_parse(
    con: duckdb.DuckDBPyConnection, report: Report, *, sha256: str, run_id: str, replace: bool
) -> None:
    dropped = [{"text": d.text, "reason": d.reason, "page": d.page} for d in report.dropped]
    reasons = dict(sorted(Counter(d.reason for d in report.dropped).items()))
    if replace:
        con.execute(
            "DELETE FROM parses WHERE symbol = ? AND language = ? AND sha256 = ? "
            "AND parser_version = ?",
            [report.symbol, report.language, sha256, report.parser_version],
        )
    con.execute(
        "INSERT INTO parses (symbol, language, sha256, parser_version, blocks_in, "
        "placed, dropped_count, dropped, dropped_reasons, warnings, gate_passed, run_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?::JSON, ?::JSON, ?::VARCHAR[], NULL, ?)",
        [
            report.symbol,
            report.language,
            sha256,
            report.parser_version,
            report.blocks_in,
            report.blocks_in - len(dropped),
            len(dropped),
            json.dumps(dropped, ensure_ascii=False),
            json.dumps(reasons, ensure_ascii=False),
            list(report.warnings),
            run_id,
        ],
    )


def _record_reissue(
    con: duckdb.DuckDBPyConnection,
    report: Report,
    *,
    old_sha256: str,
    new_sha256: str,
    run_id: str,
) -> None:
    changed = _stored_content_key(con, report.symbol, report.language) != _content_key(report)
    con.execute(
        "INSERT OR REPLACE INTO reissues VALUES (?, ?, ?, ?, ?, ?, ?)",
        [report.symbol, report.language, old_sha256, new_sha256, utc_now(), changed, run_id],
    )


def _upsert_edition(
    con: duckdb.DuckDBPyConnection, report: Report, run_id: str, replace: bool
) -> None:
    if replace:
        con.execute("DELETE FROM editions WHERE symbol = ?", [report.symbol])
    con.execute(
        "INSERT INTO editions (symbol, symbols, year, session, date, "
        "previous_symbol, run_id) VALUES (?, ?::VARCHAR[], ?, ?, ?, ?, ?)",
        [
            report.symbol,
            list(report.symbols),
            edition_year(report.symbols, report.date),
            edition_session(report.symbols),
            iso_date(report.symbol, report.date),
            report.previous_report[0] if report.previous_report else None,
            run_id,
        ],
    )


def load_report(
    con: duckdb.DuckDBPyConnection,
    report: Report,
    *,
    run_id: str,
    sha256: str,
    source_url: str | None,
    source_path: str | None = None,
) -> bool:
    """Store one parsed (and enriched) edition; True when rows were (re)written.

    Same (symbol, language, sha256, parser_version) as loaded: nothing changes, False. A new
    hash or parser version replaces the document's derived rows in one transaction; a new hash
    is also recorded as a reissue, with whether the content changed.
    """
    loaded = LoadedDocuments.read(con)
    state = loaded.states.get((report.symbol, report.language))
    if state == (sha256, report.parser_version):
        return False
    check_paragraph_numbers(report)
    stamp = {
        "symbol": report.symbol,
        "language": report.language,
        "parser_version": report.parser_version,
        "run_id": run_id,
    }
    with Transaction(con):
        if state is not None and state[0] != sha256:
            _record_reissue(con, report, old_sha256=state[0], new_sha256=sha256, run_id=run_id)
        if state is not None:
            _delete_document_rows(con, report.symbol, report.language)
        _upsert_document(
            con,
            symbol=report.symbol,
            language=report.language,
            kind="report",
            symbols=report.symbols,
            title=report.title,
            document_date=iso_date(report.symbol, report.date),
            previous_symbols=report.previous_report,
            sha256=sha256,
            source_url=source_url,
            source_path=source_path,
            parser_version=report.parser_version,
            run_id=run_id,
            replace=state is not None,
        )
        _upsert_edition(con, report, run_id, replace=loaded.has_symbol(report.symbol))
        _insert_derived(con, report, stamp, loaded.symbol_index)
        _record_parse(con, report, sha256=sha256, run_id=run_id, replace=state is not None)
        if state is None or loaded.symbols_of(report.symbol) != set(report.symbols):
            # Reloaded under the same symbols, citations of it already point at it.
            _resolve_citations_of(con, report.symbol, report.symbols)
    return True


def load_document(
    con: duckdb.DuckDBPyConnection,
    *,
    symbol: str,
    language: str,
    kind: str,
    sha256: str,
    parser_version: str,
    run_id: str,
    title: str | None = None,
    document_date: str | None = None,
    symbols: Sequence[str] = (),
    cites: Sequence[str] = (),
    source_url: str | None = None,
    source_path: str | None = None,
) -> bool:
    """Store a cited document (resolution, presidential statement, …) and what it cites.

    Same idempotency as `load_report`; its citations link it into `citation_graph`, and the
    reports citing it get it as their resolved document.
    """
    loaded = LoadedDocuments.read(con)
    state = loaded.states.get((symbol, language))
    if state == (sha256, parser_version):
        return False
    stamp = {
        "symbol": symbol,
        "language": language,
        "parser_version": parser_version,
        "run_id": run_id,
    }
    with Transaction(con):
        if state is not None:
            _delete_document_rows(con, symbol, language)
        _upsert_document(
            con,
            symbol=symbol,
            language=language,
            kind=kind,
            symbols=list(symbols) or [symbol],
            title=title,
            document_date=iso_date(symbol, document_date),
            previous_symbols=(),
            sha256=sha256,
            source_url=source_url,
            source_path=source_path,
            parser_version=parser_version,
            run_id=run_id,
            replace=state is not None,
        )
        insert_columns(
            con,
            "citations",
            _citation_columns(
                [(None, position, cited) for position, cited in enumerate(cites)],
                loaded.symbol_index,
            ),
            stamp,
        )
        _resolve_citations_of(con, symbol, list(symbols) or [symbol])
    return True


# --- diffs and fetches -------------------------------------------------------------------


def record_fetch(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    symbol: str | None,
    language: str | None,
    url: str,
    final_url: str | None,
    status: int | None,
    bytes: int | None,
    sha256: str | None,
    etag: str | None,
    last_modified: str | None,
    outcome: str,
    error: str | None,
) -> None:
    """Append one HTTP fetch, successful or not, to `fetches`."""
    con.execute(
        "INSERT INTO fetches (run_id, symbol, language, url, final_url, status, bytes, sha256, "
        "etag, last_modified, outcome, error, fetched_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            symbol,
            language,
            url,
            final_url,
            status,
            bytes,
            sha256,
            etag,
            last_modified,
            outcome,
            error,
            utc_now(),
        ],
    )
