"""One edition as plain, comparable data: the units a diff compares, each with its evidence.

Every unit maps to the sorted paragraph numbers that show it, so two snapshots can be
compared with deepdiff and every difference carries its own evidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import Any

from extractors.model import Paragraph, Report, Section

HEADING_PREFIX = "heading:"
_DASHES = re.compile(r"\s*[\u002d\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]\s*")
_APOSTROPHES = re.compile(r"\s*['\u2018\u2019\u02bc\u0060\u00b4\u2032]\s*")
_SPACES = re.compile(r"\s+")


def normalize_heading(text: str) -> str:
    """A heading reduced to what matters for identity: NFKC, one dash, one apostrophe, casefold.

    `économique-GUAM` and `économique – GUAM` (or `l’Europe` and `l'Europe`) give the same
    key, so punctuation alone never makes a rename or a vanished-plus-appeared pair.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _DASHES.sub("-", text)
    text = _APOSTROPHES.sub("'", text)
    text = _SPACES.sub(" ", text).strip(" .:;,")
    return text.casefold()


def section_key(section: Section) -> str:
    """The identity of a section across editions: the organization it is about, else its
    normalized heading (so an unregistered section is compared, never dropped).

    A section about several organizations (2018's joint chapter on the OPCW and the CTBTO
    Preparatory Commission) is one section, known by its heading and counted once; each of
    its organizations is linked to it (`organizations` in the snapshot entry).
    """
    owners = _section_organizations(section)
    if len(owners) == 1:
        return owners[0]
    return HEADING_PREFIX + normalize_heading(section.heading)


def _section_organizations(section: Section) -> tuple[str, ...]:
    owners = (section.organization, *section.organizations) if section.organization else ()
    return tuple(dict.fromkeys(owners or section.organizations))


def snapshot(report: Report) -> dict[str, Any]:
    """The edition as plain dicts and sorted lists of paragraph numbers, ready for DeepDiff.

    Keys: `edition`, `sections` (key -> organization (None for a joint or unregistered
    section), organizations (those it covers), name, paragraphs, words), `mentions`
    (organization -> paragraphs whose text names it), `named` (mentions plus the paragraphs
    of the organization's own section), `areas`, `organization_areas` (section key ->
    area -> paragraphs), `partnerships` ("ORG|ENTITY" -> paragraphs), `citations`.
    """
    by_section: dict[int, list[Paragraph]] = defaultdict(list)
    for paragraph in report.paragraphs:
        if paragraph.section_index is not None:
            by_section[paragraph.section_index].append(paragraph)

    sections, organization_areas, section_owners = _section_entries(report, by_section)
    mentions, areas_overall, partnerships, citations = _paragraph_indexes(report, section_owners)
    named = _named(mentions, section_owners, by_section)

    return {
        "edition": report.symbol,
        "sections": sections,
        "mentions": _sorted_values(mentions),
        "named": _sorted_values(named),
        "areas": _sorted_values(areas_overall),
        "organization_areas": {k: _sorted_values(v) for k, v in organization_areas.items()},
        "partnerships": _sorted_values(partnerships),
        "citations": _sorted_values(citations),
    }


def _section_entries(
    report: Report, by_section: dict[int, list[Paragraph]]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, set[int]]], dict[int, tuple[str, ...]]]:
    """The snapshot's section entries by key, each section's areas, and each section's owners."""
    sections: dict[str, dict[str, Any]] = {}
    organization_areas: dict[str, dict[str, set[int]]] = {}
    section_owners: dict[int, tuple[str, ...]] = {}
    for index, section in enumerate(report.sections):
        paragraphs = by_section.get(index, [])
        section_owners[index] = owners = _section_organizations(section)
        key = section_key(section)
        entry = sections.setdefault(
            key,
            {
                "organization": key if len(owners) == 1 else None,
                "organizations": list(owners),
                "name": section.heading,
                "paragraphs": [],
            },
        )
        entry["paragraphs"].extend(p.number for p in paragraphs)
        areas = organization_areas.setdefault(key, defaultdict(set))
        for paragraph in paragraphs:
            for tag in paragraph.areas:
                areas[tag.id].add(paragraph.number)

    words = {p.number: p.word_count for p in report.paragraphs}
    for entry in sections.values():
        entry["paragraphs"] = sorted(set(entry["paragraphs"]))
        entry["words"] = sum(words[n] for n in entry["paragraphs"])
    return sections, organization_areas, section_owners


def _paragraph_indexes(
    report: Report, section_owners: dict[int, tuple[str, ...]]
) -> tuple[dict[str, set[int]], dict[str, set[int]], dict[str, set[int]], dict[str, set[int]]]:
    """Paragraph numbers by organization mentioned, by area, by partnership and by citation."""
    mentions: dict[str, set[int]] = defaultdict(set)
    areas_overall: dict[str, set[int]] = defaultdict(set)
    partnerships: dict[str, set[int]] = defaultdict(set)
    citations: dict[str, set[int]] = {symbol: set() for symbol in report.citations}
    for paragraph in report.paragraphs:
        for organization in paragraph.organizations:
            mentions[organization].add(paragraph.number)
        for tag in paragraph.areas:
            areas_overall[tag.id].add(paragraph.number)
        owners = set(paragraph.organizations)
        if paragraph.section_index is not None:
            owners.update(section_owners.get(paragraph.section_index, ()))
        for organization in owners:
            for entity in paragraph.un_entities:
                partnerships[f"{organization}|{entity}"].add(paragraph.number)
        for symbol in paragraph.citations:
            citations.setdefault(symbol, set()).add(paragraph.number)
    return mentions, areas_overall, partnerships, citations


def _named(
    mentions: dict[str, set[int]],
    section_owners: dict[int, tuple[str, ...]],
    by_section: dict[int, list[Paragraph]],
) -> dict[str, set[int]]:
    """Mentions plus the paragraphs of each organization's own section."""
    named: dict[str, set[int]] = {k: set(v) for k, v in mentions.items()}
    for index, owners in section_owners.items():
        for organization in owners:
            named.setdefault(organization, set()).update(
                p.number for p in by_section.get(index, [])
            )
    return named


def _sorted_values(mapping: dict[str, set[int]]) -> dict[str, list[int]]:
    return {key: sorted(numbers) for key, numbers in sorted(mapping.items())}
