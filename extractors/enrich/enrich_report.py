"""Enrich a parsed report with what it names: organizations, UN entities, areas, citations.

Pure (report in, new report out): section headings map to organization ids, each
paragraph gets its mentions, area tags and cited symbols, and the report gets the sorted
set of everything it cites. A section whose heading names no known organization is kept,
flagged `unregistered` and reported in the warnings, never merged into another.
"""

from __future__ import annotations

from dataclasses import replace

from common.errors import NotASymbol
from extractors.enrich.citations import (
    citations_in_links,
    citations_in_text,
    unknown_symbols_in_links,
    unknown_symbols_in_text,
)
from extractors.enrich.matchers import Matcher, matcher_for
from extractors.enrich.reference_data import ReferenceData, load_reference
from extractors.model import Paragraph, Report, Section
from extractors.symbols import split_joint_symbol


def enrich_report(report: Report, reference: ReferenceData | None = None) -> Report:
    """Return a copy of `report` with organizations, UN entities, areas and citations filled
    (footnotes' citations too: footnotes are where a UN report cites most symbols)."""
    matcher = matcher_for(reference or load_reference(), report.language)
    sections = tuple(_enrich_section(section, matcher) for section in report.sections)
    paragraphs = tuple(_enrich_paragraph(p, sections, matcher) for p in report.paragraphs)
    warnings = report.warnings + tuple(
        f"{report.symbols[0] if report.symbols else 'report'}: section {s.heading!r} "
        "names no organization in the reference data (kept as unregistered)"
        for s in sections
        if s.unregistered
    )
    footnotes = tuple(
        replace(note, citations=citations_in_text(note.text)) for note in report.footnotes
    )
    cited = {symbol for p in paragraphs for symbol in p.citations}
    cited.update(symbol for note in footnotes for symbol in note.citations)
    cited.update(_previous_report_symbols(report))
    cited.update(_front_matter_citations(report))
    unknown = [symbol for p in paragraphs for symbol in p.unknown_citations]
    unknown.extend(_front_matter_unknown(report))
    return replace(
        report,
        sections=sections,
        paragraphs=paragraphs,
        citations=tuple(sorted(cited)),
        warnings=warnings,
        unknown_citations=tuple(dict.fromkeys(unknown)),
        footnotes=footnotes,
    )


def _enrich_section(section: Section, matcher: Matcher) -> Section:
    ids = matcher.heading_organizations(section.heading)
    return replace(
        section,
        organization=ids[0] if ids else None,
        organizations=ids,
        unregistered=not ids,
    )


def _enrich_paragraph(
    paragraph: Paragraph, sections: tuple[Section, ...], matcher: Matcher
) -> Paragraph:
    section_ids: tuple[str, ...] = ()
    if paragraph.section_index is not None and 0 <= paragraph.section_index < len(sections):
        section_ids = sections[paragraph.section_index].organizations
    mentions = matcher.mentions(paragraph.text, section_ids)
    citations = set(citations_in_text(paragraph.text))
    citations.update(citations_in_links(paragraph.links, paragraph.text))
    return replace(
        paragraph,
        organizations=tuple(
            sorted({m.owner_id for m in mentions if m.owner_kind == "organization"})
        ),
        un_entities=tuple(sorted({m.owner_id for m in mentions if m.owner_kind == "un_entity"})),
        areas=matcher.areas(paragraph.text, mentions),
        citations=tuple(sorted(citations)),
        unknown_citations=tuple(
            dict.fromkeys(
                unknown_symbols_in_text(paragraph.text) + unknown_symbols_in_links(paragraph.links)
            )
        ),
    )


def _front_matter_citations(report: Report) -> set[str]:
    """Mandates cited in the summary and cover (resolution 58/316, S/PRST/2013/12, ...)."""
    cited: set[str] = set()
    for block in report.dropped:
        if block.reason == "front matter":
            cited.update(citations_in_text(block.text))
    return cited


def _front_matter_unknown(report: Report) -> list[str]:
    """Symbol-shaped texts of the summary and cover the grammar does not know."""
    return [
        symbol
        for block in report.dropped
        if block.reason == "front matter"
        for symbol in unknown_symbols_in_text(block.text)
    ]


def _previous_report_symbols(report: Report) -> tuple[str, ...]:
    """The previous edition is cited by every edition (in its summary, which is front matter)."""
    symbols: list[str] = []
    for symbol in report.previous_report:
        try:
            symbols.extend(split_joint_symbol(symbol))
        except NotASymbol:
            continue
    return tuple(symbols)
