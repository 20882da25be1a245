"""What the pages to browse without SQL show (notify/browse_pages.py): per organization its
section in every edition, its trend, areas, partners and mandates; per cooperation area its
trend, organizations and paragraphs. Read from the analyst views, in plain dataclasses."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import duckdb

from warehouse.report_queries import editions_in


@dataclass(frozen=True)
class Paragraph:
    """One paragraph as a page quotes it: edition, number, section, text, folded text."""

    symbol: str
    number: int
    section_id: str | None
    section_name_en: str | None
    text: str
    search_text: str


@dataclass(frozen=True)
class Counted:
    """Something counted per edition (an area, a partner): id, English name, counts."""

    item_id: str
    name_en: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Aligned:
    """One line of a section aligned across two editions."""

    status: str
    old_number: int | None
    new_number: int | None


@dataclass(frozen=True)
class Mandate:
    """A loaded cooperation resolution naming the organization, and what answered it."""

    resolution_symbol: str
    adopted: str | None
    cites_edition: str | None
    next_edition: str | None
    next_edition_section_paragraphs: int | None


@dataclass
class OrganizationPage:
    """Everything one organization's page shows."""

    organization_id: str
    name_en: str
    name_fr: str
    paragraphs: dict[str, list[Paragraph]] = field(default_factory=dict)
    section_counts: dict[str, int] = field(default_factory=dict)
    shares: dict[str, float] = field(default_factory=dict)
    mentions: dict[str, int] = field(default_factory=dict)
    areas: list[Counted] = field(default_factory=list)
    partners: list[Counted] = field(default_factory=list)
    aligned_pair: tuple[str, str] | None = None
    aligned: list[Aligned] = field(default_factory=list)
    mandates: list[Mandate] = field(default_factory=list)


@dataclass
class AreaPage:
    """Everything one cooperation area's page shows."""

    area_id: str
    name_en: str
    name_fr: str
    counts: dict[str, int] = field(default_factory=dict)
    shares: dict[str, float] = field(default_factory=dict)
    organizations: list[Counted] = field(default_factory=list)
    paragraphs: dict[str, list[Paragraph]] = field(default_factory=dict)


@dataclass(frozen=True)
class BrowseData:
    """The editions (oldest first, with years), the pages, and whether mandates are known."""

    editions: tuple[str, ...]
    years: dict[str, int | None]
    organizations: list[OrganizationPage]
    areas: list[AreaPage]
    mandate_coverage: str


def _paragraphs(con: duckdb.DuckDBPyConnection, language: str) -> list[tuple]:
    return con.execute(
        """
        SELECT symbol, paragraph_number, organization_id, organization_name_en, text,
               search_text, section_organization_ids, named_organization_ids, area_ids
        FROM paragraph_details WHERE language = ? ORDER BY year, symbol, paragraph_number
        """,
        [language],
    ).fetchall()


def browse_data(con: duckdb.DuckDBPyConnection, language: str = "fr") -> BrowseData:
    """Read every organization and area page of the editions loaded in `language`."""
    editions = editions_in(con, language)
    symbols = tuple(str(symbol) for symbol, _ in editions)
    rows = _paragraphs(con, language)
    coverage = con.execute(
        "SELECT coalesce(max(coverage) FILTER (WHERE coverage = 'checked'), max(coverage), "
        "'unknown: no edition loaded') FROM mandate_check"
    ).fetchone()
    return BrowseData(
        editions=symbols,
        years={str(symbol): year for symbol, year in editions},
        organizations=_organization_pages(con, language, rows),
        areas=_area_pages(con, language, rows),
        mandate_coverage=str(coverage[0]) if coverage else "unknown: no edition loaded",
    )


def _paragraph(row: tuple) -> Paragraph:
    symbol, number, section_id, section_name, text, search_text = row[:6]
    return Paragraph(str(symbol), int(number), section_id, section_name, text, search_text)


def _organization_pages(
    con: duckdb.DuckDBPyConnection, language: str, rows: list[tuple]
) -> list[OrganizationPage]:
    pages: dict[str, OrganizationPage] = {}
    for organization_id, name_en, name_fr, symbol, count, share, mentions in con.execute(
        """
        SELECT organization_id, coalesce(name_en, organization_id),
               coalesce(name_fr, organization_id), symbol, paragraph_count,
               share_of_paragraphs, mention_paragraph_count
        FROM organizations_by_edition WHERE language = ? ORDER BY organization_id, year
        """,
        [language],
    ).fetchall():
        page = pages.setdefault(
            organization_id, OrganizationPage(organization_id, name_en, name_fr)
        )
        page.section_counts[symbol] = int(count)
        page.shares[symbol] = float(share)
        page.mentions[symbol] = int(mentions)
    areas: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        for organization_id in row[6]:
            if organization_id in pages:
                pages[organization_id].paragraphs.setdefault(row[0], []).append(_paragraph(row))
                for area_id in row[8]:
                    areas[organization_id][(area_id, row[0])] += 1
    area_names = dict(
        con.execute("SELECT area_id, coalesce(name_en, area_id) FROM areas").fetchall()
    )
    for organization_id, page in pages.items():
        page.areas = _counted(areas[organization_id], area_names)
    partners: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
    entity_names: dict[str, str] = {}
    for organization_id, entity, name, symbol, count in con.execute(
        """
        SELECT organization_id, un_entity_id, coalesce(un_entity_name_en, un_entity_id),
               symbol, paragraph_count
        FROM partnerships_by_edition WHERE language = ?
        """,
        [language],
    ).fetchall():
        partners[organization_id][(entity, symbol)] = int(count)
        entity_names[entity] = name
    for organization_id, page in pages.items():
        page.partners = _counted(partners[organization_id], entity_names)
    _add_alignment(con, language, pages)
    _add_mandates(con, pages)
    return sorted(pages.values(), key=lambda page: page.name_en.lower())


def _counted(counts: dict[tuple[str, str], int], names: dict[str, str]) -> list[Counted]:
    """Per item its counts per edition, the most counted first."""
    per_item: dict[str, dict[str, int]] = defaultdict(dict)
    for (item, symbol), count in counts.items():
        per_item[item][symbol] = count
    return sorted(
        (Counted(item, names.get(item, item), values) for item, values in per_item.items()),
        key=lambda counted: (-sum(counted.counts.values()), counted.item_id),
    )


def _add_alignment(
    con: duckdb.DuckDBPyConnection, language: str, pages: dict[str, OrganizationPage]
) -> None:
    """The newest pair of consecutive editions, aligned, on each organization's page."""
    for organization_id, old, new, aligned in con.execute(
        """
        SELECT organization_id, old_symbol, new_symbol,
               [{'status': p.status, 'old_number': p.old_number, 'new_number': p.new_number}
                FOR p IN paragraphs]
        FROM organization_sections_aligned a
        WHERE language = ? AND new_symbol = (
            SELECT max_by(new_symbol, new_year) FROM organization_sections_aligned
            WHERE language = a.language)
        """,
        [language],
    ).fetchall():
        if organization_id in pages:
            pages[organization_id].aligned_pair = (old, new)
            pages[organization_id].aligned = [
                Aligned(item["status"], item["old_number"], item["new_number"]) for item in aligned
            ]


def _add_mandates(con: duckdb.DuckDBPyConnection, pages: dict[str, OrganizationPage]) -> None:
    for organization_id, resolution, adopted, cites, answered, paragraphs in con.execute(
        """
        SELECT organization_id, resolution_symbol, adopted::VARCHAR, cites_edition,
               next_edition, next_edition_section_paragraphs
        FROM mandates WHERE organization_id IS NOT NULL ORDER BY adopted, resolution_symbol
        """
    ).fetchall():
        if organization_id in pages:
            pages[organization_id].mandates.append(
                Mandate(resolution, adopted, cites, answered, paragraphs)
            )


def _area_pages(con: duckdb.DuckDBPyConnection, language: str, rows: list[tuple]) -> list[AreaPage]:
    pages = {
        area_id: AreaPage(area_id, name_en, name_fr)
        for area_id, name_en, name_fr in con.execute(
            "SELECT area_id, coalesce(name_en, area_id), coalesce(name_fr, area_id) FROM areas"
        ).fetchall()
    }
    for area_id, symbol, count, share in con.execute(
        "SELECT area_id, symbol, paragraph_count, share_of_paragraphs FROM areas_by_edition "
        "WHERE language = ?",
        [language],
    ).fetchall():
        if area_id in pages:
            pages[area_id].counts[symbol] = int(count)
            pages[area_id].shares[symbol] = float(share)
    organizations: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    names: dict[str, str] = {}
    for row in rows:
        for area_id in row[8]:
            if area_id in pages:
                pages[area_id].paragraphs.setdefault(row[0], []).append(_paragraph(row))
                if row[2] is not None:
                    organizations[area_id][(row[2], row[0])] += 1
                    names[row[2]] = row[3] or row[2]
    for area_id, page in pages.items():
        page.organizations = _counted(organizations[area_id], names)
    return sorted((page for page in pages.values() if page.counts), key=lambda p: p.name_en)
