"""Pages to browse without SQL, written beside the report index: one per organization
(reports/organizations/ID.html: its section in every edition side by side, its trend as a
chart and a table, its areas, partners and mandating resolutions) and one per cooperation
area (reports/areas/ID.html), each with a search box that filters the page in the browser.
English labels; quoted paragraphs stay in the edition's language."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from markupsafe import Markup, escape

from common.atomic_write import write_atomically
from notify.digest import environment
from notify.report_paths import AREAS_DIR, ORGANIZATIONS_DIR, BrowseTargets, browse_href
from warehouse.browse_queries import (
    AreaPage,
    BrowseData,
    Counted,
    OrganizationPage,
    Paragraph,
    browse_data,
)

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "«": '"', "»": '"'})


@dataclass(frozen=True)
class BrowseLink:
    """A page written, as the index lists it: its label, where it is, what finds it."""

    label: str
    href: str
    search_text: str


@dataclass(frozen=True)
class BrowseFiles:
    """The pages written: organizations and areas, as the index links them."""

    organizations: tuple[BrowseLink, ...]
    areas: tuple[BrowseLink, ...]


def page_name(item_id: str) -> str:
    """The file name of an organization's or area's page (ids kept to safe characters)."""
    return browse_href(ORGANIZATIONS_DIR, item_id).rpartition("/")[2]


def fold(text: str) -> str:
    """Lower case, accents stripped, typographic quotes straight, spaces single: as the
    warehouse folds search_text, for names the index filters on."""
    decomposed = unicodedata.normalize("NFD", text.translate(_QUOTES).lower())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.replace("œ", "oe").replace("æ", "ae").split())


def browse_targets(con: duckdb.DuckDBPyConnection, language: str = "fr") -> BrowseTargets:
    """The organizations and areas that get a page (as write_browse_pages writes them), so a
    digest links only to pages that exist."""
    data = browse_data(con, language)
    return BrowseTargets(
        frozenset(page.organization_id for page in data.organizations),
        frozenset(page.area_id for page in data.areas),
    )


def trend_svg(points: list[tuple[str, float | None]], *, percent: bool, label: str) -> Markup:
    """A small line chart of one series across editions, inline SVG (nothing fetched)."""
    width, height, left, bottom, top = 520, 210, 48, 36, 26
    known = [value for _, value in points if value is not None]
    peak = max(known, default=0) or 1
    step = (width - left - 20) / max(len(points) - 1, 1)
    coordinates = [
        (left + index * step, top + (height - top - bottom) * (1 - value / peak), value, name)
        for index, (name, value) in enumerate(points)
        if value is not None
    ]
    shown = (lambda v: f"{v:.1%}") if percent else (lambda v: f"{v:g}")
    parts = [
        f'<svg class="cw-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}; the table below gives the numbers">',
        f'<line class="cw-axis" x1="{left}" y1="{height - bottom}" x2="{width - 10}" '
        f'y2="{height - bottom}"/>',
        f'<line class="cw-axis" x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}"/>',
        f'<text x="4" y="{top + 4}">{escape(shown(peak))}</text>',
        f'<text x="4" y="{height - bottom}">{escape(shown(0))}</text>',
    ]
    if len(coordinates) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in coordinates)
        parts.append(f'<polyline class="cw-line" points="{path}"/>')
    for x, y, value, _ in coordinates:
        parts.append(f'<circle class="cw-point" cx="{x:.1f}" cy="{y:.1f}" r="4"/>')
        parts.append(f'<text x="{x - 8:.1f}" y="{y - 8:.1f}">{escape(shown(value))}</text>')
    for index, (name, _) in enumerate(points):
        parts.append(
            f'<text x="{left + index * step - 24:.1f}" y="{height - 12}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _share(value: float | None) -> str | None:
    return f"{value:.1%}" if value is not None else None


def _anchor(symbol: str, number: int) -> str:
    return f"p-{_UNSAFE.sub('-', symbol)}-{number}"


def _quoted(paragraph: Paragraph, organization_pages: set[str]) -> dict[str, Any]:
    section = paragraph.section_id
    return {
        "number": paragraph.number,
        "text": paragraph.text,
        "search_text": paragraph.search_text,
        "anchor": _anchor(paragraph.symbol, paragraph.number),
        "section_name": paragraph.section_name_en or section,
        "section_href": (
            f"../{ORGANIZATIONS_DIR}/{page_name(section)}"
            if section and section in organization_pages
            else None
        ),
    }


def _columns(
    data: BrowseData, paragraphs: dict[str, list[Paragraph]], organization_pages: set[str]
) -> list[dict[str, Any]]:
    return [
        {
            "symbol": symbol,
            "year": data.years.get(symbol),
            "paragraphs": [_quoted(p, organization_pages) for p in paragraphs.get(symbol, [])],
        }
        for symbol in data.editions
    ]


def _counted_rows(items: list[Counted], editions: tuple[str, ...], href: Any) -> list[dict]:
    return [
        {
            "name": item.name_en,
            "href": href(item.item_id),
            "search_text": fold(f"{item.item_id} {item.name_en}"),
            "cells": [item.counts.get(symbol) for symbol in editions],
        }
        for item in items
    ]


def organization_context(
    page: OrganizationPage, data: BrowseData, area_pages: set[str], organization_pages: set[str]
) -> dict[str, Any]:
    """What organization.html.j2 renders for one organization."""
    trend = [
        {
            "symbol": symbol,
            "year": data.years.get(symbol),
            "paragraphs": page.section_counts.get(symbol),
            "share": _share(page.shares.get(symbol)),
            "mentions": page.mentions.get(symbol),
        }
        for symbol in data.editions
    ]
    old, new = page.aligned_pair or ("", "")
    return {
        "page": page,
        "language": "fr",
        "editions": list(data.editions),
        "trend": trend,
        "chart": trend_svg(
            [(symbol, page.section_counts.get(symbol)) for symbol in data.editions],
            percent=False,
            label=f"Paragraphs in the section of {page.name_en}, edition by edition",
        ),
        "sections": _columns(data, page.paragraphs, organization_pages),
        "aligned_pair": page.aligned_pair,
        "aligned": [
            {
                "status": line.status,
                "old_number": line.old_number,
                "new_number": line.new_number,
                "old_href": f"#{_anchor(old, line.old_number)}" if line.old_number else None,
                "new_href": f"#{_anchor(new, line.new_number)}" if line.new_number else None,
            }
            for line in page.aligned
        ],
        "areas": _counted_rows(
            [area for area in page.areas if area.item_id in area_pages],
            data.editions,
            lambda area_id: f"../{AREAS_DIR}/{page_name(area_id)}",
        ),
        "partners": _counted_rows(page.partners, data.editions, lambda _: None),
        "mandates": page.mandates,
        "mandates_unknown": (
            data.mandate_coverage.removeprefix("unknown: ")
            if data.mandate_coverage.startswith("unknown")
            else ""
        ),
    }


def area_context(page: AreaPage, data: BrowseData, organization_pages: set[str]) -> dict[str, Any]:
    """What area.html.j2 renders for one cooperation area."""
    return {
        "page": page,
        "language": "fr",
        "editions": list(data.editions),
        "trend": [
            {
                "symbol": symbol,
                "year": data.years.get(symbol),
                "paragraphs": page.counts.get(symbol),
                "share": _share(page.shares.get(symbol)),
            }
            for symbol in data.editions
        ],
        "chart": trend_svg(
            [(symbol, page.shares.get(symbol)) for symbol in data.editions],
            percent=True,
            label=f"Share of each edition's paragraphs tagged {page.name_en}",
        ),
        "organizations": _counted_rows(
            [item for item in page.organizations if item.item_id in organization_pages],
            data.editions,
            lambda organization_id: f"../{ORGANIZATIONS_DIR}/{page_name(organization_id)}",
        ),
        "sections": _columns(data, page.paragraphs, organization_pages),
    }


def write_browse_pages(
    con: duckdb.DuckDBPyConnection, reports_dir: Path, *, language: str = "fr"
) -> BrowseFiles:
    """Write every organization and area page of the editions loaded in `language` under
    reports_dir; pages of organizations or areas no longer loaded are removed."""
    data = browse_data(con, language)
    env = environment()
    organization_pages = {page.organization_id for page in data.organizations}
    area_pages = {page.area_id for page in data.areas}
    organizations, areas = [], []
    folder = Path(reports_dir) / ORGANIZATIONS_DIR
    written = set()
    for page in data.organizations:
        context = organization_context(page, data, area_pages, organization_pages)
        context["language"] = language
        name = page_name(page.organization_id)
        write_atomically(folder / name, env.get_template("organization.html.j2").render(context))
        written.add(folder / name)
        organizations.append(
            BrowseLink(
                f"{page.name_en} ({page.organization_id})",
                f"{ORGANIZATIONS_DIR}/{name}",
                fold(f"{page.organization_id} {page.name_en} {page.name_fr}"),
            )
        )
    _remove_others(folder, written)
    folder, written = Path(reports_dir) / AREAS_DIR, set()
    for area in data.areas:
        context = area_context(area, data, organization_pages)
        context["language"] = language
        name = page_name(area.area_id)
        write_atomically(folder / name, env.get_template("area.html.j2").render(context))
        written.add(folder / name)
        areas.append(
            BrowseLink(
                area.name_en,
                f"{AREAS_DIR}/{name}",
                fold(f"{area.area_id} {area.name_en} {area.name_fr}"),
            )
        )
    _remove_others(folder, written)
    return BrowseFiles(tuple(organizations), tuple(areas))


def _remove_others(folder: Path, written: set[Path]) -> None:
    for path in folder.glob("*.html"):
        if path not in written:
            path.unlink()
