"""Load one document at a time, the reference data and fetches into the warehouse.

Loads are idempotent (same content hash and parser version: nothing is written) and
incremental (a new hash or parser version replaces that document's rows only, a new hash is
recorded as a reissue). The rows themselves are written by `warehouse.load.report_rows`, the same
writer a run's batch of new documents goes through (`warehouse.load.batch_loader`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Protocol

import duckdb

from common.redaction import redact_secrets
from extractors.model import Report
from extractors.normalize import normal_name
from warehouse.db.columns import Column, Transaction, insert_columns
from warehouse.db.schema import utc_now
from warehouse.load.report_rows import (
    LoadedDocuments,
    NewReport,
    check_paragraph_numbers,
    citation_columns,
    iso_date,
    resolve_citations_to,
    write_reports,
)

DERIVED_TABLES = (
    "chapters",
    "sections",
    "paragraphs",
    "paragraph_organizations",
    "paragraph_un_entities",
    "paragraph_areas",
    "citations",
    "unresolved_citations",
    "footnotes",
)


class _ReferenceData(Protocol):
    organizations: Sequence[Any]
    organization_aliases: Sequence[Any]
    un_entities: Sequence[Any]
    un_entity_aliases: Sequence[Any]
    areas: Sequence[Any]


def _name(name: str | None) -> str | None:
    """A reference name as the warehouse keeps it: one straight apostrophe, single spaces."""
    return None if name is None else normal_name(name)


def _aliases(aliases: Iterable[Any]) -> dict[str, Column]:
    rows = list(aliases)
    return {
        "alias": Column("VARCHAR", [a.alias for a in rows]),
        "language": Column("VARCHAR", [a.language for a in rows]),
        "is_acronym": Column("BOOLEAN", [bool(a.is_acronym) for a in rows]),
    }


def load_reference(con: duckdb.DuckDBPyConnection, reference: _ReferenceData) -> None:
    """Replace the reference tables with `reference` (extractors.enrich.reference_data), atomically.

    The reference data is a full snapshot, so replacing is the idempotent upsert: loading the
    same snapshot twice leaves the same rows.
    """
    tables = (
        _organization_tables(reference) + _un_entity_tables(reference) + _area_tables(reference)
    )
    with Transaction(con):
        for table, _columns in tables:
            con.execute(f"DELETE FROM {table}")
        for table, columns in tables:
            insert_columns(con, table, columns)


def _organization_tables(reference: _ReferenceData) -> list[tuple[str, dict[str, Column]]]:
    """The rows of `organizations` and `organization_aliases`, as columns."""
    orgs = list(reference.organizations)
    org_aliases = list(reference.organization_aliases)
    return [
        (
            "organizations",
            {
                "organization_id": Column("VARCHAR", [o.id for o in orgs]),
                "name_en": Column("VARCHAR", [_name(o.name_en) for o in orgs]),
                "name_fr": Column("VARCHAR", [_name(o.name_fr) for o in orgs]),
                "kind": Column("VARCHAR", [o.kind for o in orgs]),
                "region": Column("VARCHAR", [o.region for o in orgs]),
            },
        ),
        (
            "organization_aliases",
            {"organization_id": Column("VARCHAR", [a.owner_id for a in org_aliases])}
            | _aliases(org_aliases),
        ),
    ]


def _un_entity_tables(reference: _ReferenceData) -> list[tuple[str, dict[str, Column]]]:
    """The rows of `un_entities` and `un_entity_aliases`, as columns."""
    entities = list(reference.un_entities)
    entity_aliases = list(reference.un_entity_aliases)
    return [
        (
            "un_entities",
            {
                "un_entity_id": Column("VARCHAR", [e.id for e in entities]),
                "name_en": Column("VARCHAR", [_name(e.name_en) for e in entities]),
                "name_fr": Column("VARCHAR", [_name(e.name_fr) for e in entities]),
            },
        ),
        (
            "un_entity_aliases",
            {"un_entity_id": Column("VARCHAR", [a.owner_id for a in entity_aliases])}
            | _aliases(entity_aliases),
        ),
    ]


def _area_tables(reference: _ReferenceData) -> list[tuple[str, dict[str, Column]]]:
    """The rows of `areas` and `area_triggers` (each area's phrases by language), as columns."""
    areas = list(reference.areas)
    triggers = [
        (area.id, language, position, phrase)
        for area in areas
        for language, phrases in (("fr", area.triggers_fr), ("en", area.triggers_en))
        for position, phrase in enumerate(phrases)
    ]
    return [
        (
            "areas",
            {
                "area_id": Column("VARCHAR", [a.id for a in areas]),
                "name_en": Column("VARCHAR", [_name(a.name_en) for a in areas]),
                "name_fr": Column("VARCHAR", [_name(a.name_fr) for a in areas]),
                "parent_area_id": Column("VARCHAR", [a.parent for a in areas]),
            },
        ),
        (
            "area_triggers",
            {
                "area_id": Column("VARCHAR", [t[0] for t in triggers]),
                "language": Column("VARCHAR", [t[1] for t in triggers]),
                "position": Column("INTEGER", [t[2] for t in triggers]),
                "phrase": Column("VARCHAR", [t[3] for t in triggers]),
            },
        ),
    ]


# --- documents ---------------------------------------------------------------------------


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


def _delete_document(con: duckdb.DuckDBPyConnection, report: Report, sha256: str) -> None:
    """A reloaded document's rows, and the ledger row its new parse replaces."""
    _delete_document_rows(con, report.symbol, report.language)
    con.execute(
        "DELETE FROM documents WHERE symbol = ? AND language = ?", [report.symbol, report.language]
    )
    con.execute(
        "DELETE FROM parses WHERE symbol = ? AND language = ? AND sha256 = ? "
        "AND parser_version = ?",
        [report.symbol, report.language, sha256, report.parser_version],
    )


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
    hash or parser version replaces the document's rows in one transaction; a new hash is
    also recorded as a reissue, with whether the content changed.
    """
    loaded = LoadedDocuments.read(con)
    state = loaded.states.get((report.symbol, report.language))
    if state == (sha256, report.parser_version):
        return False
    check_paragraph_numbers(report)
    with Transaction(con):
        if state is not None:
            if state[0] != sha256:
                _record_reissue(con, report, old_sha256=state[0], new_sha256=sha256, run_id=run_id)
            _delete_document(con, report, sha256)
        write_reports(con, [NewReport(report, sha256, source_url, source_path)], loaded, run_id)
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
    unresolved: Sequence[str] = (),
) -> bool:
    """Store a cited document (resolution, presidential statement, …) and what it cites.

    Same idempotency as `load_report`; its citations link it into `citation_graph`, and the
    reports citing it get it as their resolved document. `unresolved` are the symbol-shaped
    texts it cites that the grammar does not know (kept in `unresolved_citations`).
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
        _insert_document_citations(con, cites, unresolved, loaded.symbol_index, stamp)
        resolve_citations_to(con, {cited: symbol for cited in (symbol, *symbols)})
    return True


def _insert_document_citations(
    con: duckdb.DuckDBPyConnection,
    cites: Sequence[str],
    unresolved: Sequence[str],
    symbol_index: dict[str, str],
    stamp: dict[str, str],
) -> None:
    """Insert a cited document's citations and the symbol-shaped texts it cites unresolved."""
    insert_columns(
        con,
        "citations",
        citation_columns(
            [(None, position, cited) for position, cited in enumerate(cites)],
            symbol_index,
        ),
        stamp,
    )
    insert_columns(
        con,
        "unresolved_citations",
        {
            "paragraph_number": Column("INTEGER", [None] * len(unresolved)),
            "position": Column("INTEGER", range(len(unresolved))),
            "cited_text": Column("VARCHAR", list(unresolved)),
        },
        stamp,
    )


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
    """Append one HTTP fetch, successful or not, to `fetches`; what the server said (its
    addresses, validators and the error) with every secret setting taken out."""
    told = [redact_secrets(text) if text else text for text in (url, final_url, etag, error)]
    url, final_url, etag, error = told
    last_modified = redact_secrets(last_modified) if last_modified else last_modified
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
