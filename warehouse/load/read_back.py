"""Read documents, editions and diffs back out of the warehouse as the shared dataclasses.

`read_report` rebuilds exactly the Report that was loaded, so the diff, the email and the
CLI can work from the warehouse alone, without re-parsing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import duckdb

from common.errors import UnknownEdition
from extractors.model import AreaTag, Chapter, DroppedBlock, Footnote, Paragraph, Report, Section
from warehouse.diff.change_events import ChangeEvent, EditionDiff, Redline


@dataclass(frozen=True)
class EditionRow:
    """One edition of the series as stored: its symbols, year and the edition before it."""

    symbol: str
    symbols: tuple[str, ...]
    year: int | None
    previous: str | None


def _rows(con: duckdb.DuckDBPyConnection, sql: str, parameters: list[Any]) -> list[tuple]:
    return con.execute(sql, parameters).fetchall()


def document_state(
    con: duckdb.DuckDBPyConnection, symbol: str, language: str
) -> tuple[str, str] | None:
    """(sha256, parser_version) of the document loaded for (symbol, language), or None."""
    rows = _rows(
        con,
        "SELECT sha256, parser_version FROM documents WHERE symbol = ? AND language = ?",
        [symbol, language],
    )
    return (str(rows[0][0]), str(rows[0][1])) if rows else None


def list_editions(con: duckdb.DuckDBPyConnection, language: str = "fr") -> list[EditionRow]:
    """Editions loaded in `language`, oldest first (by year, then symbol)."""
    rows = _rows(
        con,
        "SELECT e.symbol, e.symbols, e.year, e.previous_symbol FROM editions e "
        "JOIN documents d ON d.symbol = e.symbol AND d.language = ? AND d.kind = 'report' "
        "ORDER BY e.year NULLS LAST, e.symbol",
        [language],
    )
    return [EditionRow(row[0], tuple(row[1]), row[2], row[3]) for row in rows]


def loaded_languages(con: duckdb.DuckDBPyConnection, symbols: tuple[str, ...] = ()) -> list[str]:
    """Languages in which reports are loaded (every one of `symbols`, when given), sorted."""
    if not symbols:
        rows = _rows(con, "SELECT DISTINCT language FROM documents WHERE kind = 'report'", [])
        return sorted(row[0] for row in rows)
    rows = _rows(
        con,
        "SELECT language FROM documents WHERE kind = 'report' AND list_contains(?, symbol) "
        "GROUP BY language HAVING count(DISTINCT symbol) = ?",
        [list(symbols), len(set(symbols))],
    )
    return sorted(row[0] for row in rows)


def _by_paragraph(rows: list[tuple]) -> dict[int, list[tuple]]:
    grouped: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row[1:])
    return grouped


def _paragraphs(con: duckdb.DuckDBPyConnection, key: list[str]) -> tuple[Paragraph, ...]:
    where = "WHERE symbol = ? AND language = ?"
    organizations = _by_paragraph(
        _rows(
            con,
            "SELECT paragraph_number, organization_id FROM paragraph_organizations "
            f"{where} ORDER BY paragraph_number, position",
            key,
        )
    )
    entities = _by_paragraph(
        _rows(
            con,
            "SELECT paragraph_number, un_entity_id FROM paragraph_un_entities "
            f"{where} ORDER BY paragraph_number, position",
            key,
        )
    )
    areas = _by_paragraph(
        _rows(
            con,
            "SELECT paragraph_number, area_id, phrase, phrase_offset FROM paragraph_areas "
            f"{where} ORDER BY paragraph_number, position",
            key,
        )
    )
    citations = _by_paragraph(
        _rows(
            con,
            "SELECT paragraph_number, cited_symbol FROM citations "
            f"{where} AND paragraph_number IS NOT NULL ORDER BY paragraph_number, position",
            key,
        )
    )
    rows = _rows(
        con,
        "SELECT paragraph_number, text, section_index, chapter, page, links FROM paragraphs "
        f"{where} ORDER BY paragraph_index",
        key,
    )
    return tuple(
        Paragraph(
            number=number,
            text=text,
            section_index=section_index,
            chapter=chapter,
            page=page,
            links=tuple(links),
            organizations=tuple(row[0] for row in organizations.get(number, ())),
            un_entities=tuple(row[0] for row in entities.get(number, ())),
            areas=tuple(AreaTag(*row) for row in areas.get(number, ())),
            citations=tuple(row[0] for row in citations.get(number, ())),
        )
        for number, text, section_index, chapter, page, links in rows
    )


def _sections(con: duckdb.DuckDBPyConnection, key: list[str]) -> tuple[Section, ...]:
    rows = _rows(
        con,
        "SELECT chapter, heading, first_paragraph, last_paragraph, paragraph_count, word_count, "
        "organization_id, organization_ids, is_unregistered FROM sections "
        "WHERE symbol = ? AND language = ? ORDER BY section_index",
        key,
    )
    return tuple(
        Section(
            chapter=row[0],
            heading=row[1],
            first_paragraph=row[2],
            last_paragraph=row[3],
            paragraph_count=row[4],
            word_count=row[5],
            organization=row[6],
            organizations=tuple(row[7]),
            unregistered=row[8],
        )
        for row in rows
    )


def read_report(con: duckdb.DuckDBPyConnection, symbol: str, language: str = "fr") -> Report:
    """The enriched Report loaded for (symbol, language), rebuilt from the tables."""
    key = [symbol, language]
    documents = _rows(
        con,
        "SELECT d.symbols, d.date, d.title, d.previous_symbols, d.parser_version, "
        "p.blocks_in, p.dropped, p.warnings FROM documents d "
        "LEFT JOIN parses p ON p.symbol = d.symbol AND p.language = d.language "
        "AND p.sha256 = d.sha256 AND p.parser_version = d.parser_version "
        "WHERE d.symbol = ? AND d.language = ? AND d.kind = 'report'",
        key,
    )
    if not documents:
        raise UnknownEdition(f"{symbol} ({language}) is not loaded in the warehouse")
    symbols, issued, title, previous, parser_version, blocks_in, dropped, warnings = documents[0]
    chapters = _rows(
        con,
        "SELECT number, title FROM chapters WHERE symbol = ? AND language = ? "
        "ORDER BY chapter_index",
        key,
    )
    citations = _rows(
        con,
        "SELECT cited_symbol FROM citations WHERE symbol = ? AND language = ? "
        "AND paragraph_number IS NULL ORDER BY position",
        key,
    )
    footnotes = _rows(
        con,
        "SELECT marker, text, page, paragraph_number, part, heading, cited_symbols "
        "FROM footnotes WHERE symbol = ? AND language = ? ORDER BY footnote_index",
        key,
    )
    return Report(
        symbols=tuple(symbols),
        language=language,
        date=issued.isoformat() if issued else None,
        title=title,
        previous_report=tuple(previous),
        chapters=tuple(Chapter(number, chapter_title) for number, chapter_title in chapters),
        sections=_sections(con, key),
        paragraphs=_paragraphs(con, key),
        parser_version=parser_version,
        citations=tuple(row[0] for row in citations),
        warnings=tuple(warnings or ()),
        blocks_in=blocks_in or 0,
        dropped=tuple(
            DroppedBlock(d["text"], d["reason"], d["page"]) for d in json.loads(dropped or "[]")
        ),
        footnotes=tuple(
            Footnote(marker, text, page, paragraph, part, heading, tuple(cited))
            for marker, text, page, paragraph, part, heading, cited in footnotes
        ),
    )


def read_diff(con: duckdb.DuckDBPyConnection, old: str, new: str) -> EditionDiff | None:
    """The diff stored for the pair (old, new), events in their stored order, or None."""
    diffs = _rows(
        con,
        "SELECT is_uncertain, uncertain_reasons FROM edition_diffs "
        "WHERE old_symbol = ? AND new_symbol = ?",
        [old, new],
    )
    if not diffs:
        return None
    events = _rows(
        con,
        "SELECT kind, subject, change, old_count, new_count, old_words, new_words, "
        "evidence_old, evidence_new, name, old_name, detail, is_uncertain, is_reissue, "
        "area_level, score, is_material, old_share, new_share, old_word_share, new_word_share, "
        "phrases_old, phrases_new, organization_ids "
        "FROM change_events WHERE old_symbol = ? AND new_symbol = ? ORDER BY event_index",
        [old, new],
    )
    redlines = _rows(
        con,
        "SELECT organization_id, added, removed, moved FROM redlines "
        "WHERE old_symbol = ? AND new_symbol = ? ORDER BY redline_index",
        [old, new],
    )
    return EditionDiff(
        old=old,
        new=new,
        events=tuple(
            ChangeEvent(
                *row[:7],
                evidence_old=tuple(row[7]),
                evidence_new=tuple(row[8]),
                name=row[9],
                old_name=row[10],
                detail=row[11],
                uncertain=row[12],
                reissue=row[13],
                level=row[14],
                score=row[15],
                material=row[16],
                old_share=row[17],
                new_share=row[18],
                old_word_share=row[19],
                new_word_share=row[20],
                phrases_old=tuple(row[21] or ()),
                phrases_new=tuple(row[22] or ()),
                organizations=tuple(row[23] or ()),
            )
            for row in events
        ),
        uncertain=diffs[0][0],
        uncertain_reasons=tuple(diffs[0][1]),
        redlines=tuple(
            Redline(organization, tuple(added), tuple(removed), tuple(moved))
            for organization, added, removed, moved in redlines
        ),
    )
