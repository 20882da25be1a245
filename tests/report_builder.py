"""Build small enriched `Report`s in tests, numbered like a real edition.

Paragraphs are numbered from 1 in order (introduction paragraphs first, then each
section's), so a test states only what it compares: headings, texts and what they name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from extractors.model import AreaTag, Chapter, Paragraph, Report, Section


@dataclass(frozen=True)
class P:
    """A paragraph to build: its text and what the enricher would have found in it."""

    text: str
    organizations: tuple[str, ...] = ()
    un_entities: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()


@dataclass(frozen=True)
class S:
    """An organization section to build; `organization=None` makes it unregistered."""

    heading: str
    organization: str | None
    paragraphs: Sequence[P] = ()
    organizations: tuple[str, ...] = field(default=())


def words(count: int, seed: str = "mot") -> str:
    """A paragraph text of exactly `count` words, distinct per seed."""
    return " ".join(f"{seed}{i}" for i in range(count)) + "."


def build_report(
    symbol: str,
    sections: Sequence[S],
    *,
    intro: Sequence[P] = (),
    closing: Sequence[P] = (),
    skip_numbers: Sequence[int] = (),
    citations: Sequence[str] = (),
) -> Report:
    """A report with an introduction chapter, one chapter of `sections`, a closing chapter.

    `skip_numbers` leaves those paragraph numbers out (to imitate a lost paragraph).
    """
    paragraphs: list[Paragraph] = []
    number = 0

    def add(spec: P, section_index: int | None, chapter: str) -> None:
        nonlocal number
        number += 1
        while number in skip_numbers:
            number += 1
        paragraphs.append(
            Paragraph(
                number=number,
                text=spec.text,
                section_index=section_index,
                chapter=chapter,
                organizations=spec.organizations,
                un_entities=spec.un_entities,
                areas=tuple(AreaTag(id=a, phrase=a, offset=0) for a in spec.areas),
                citations=spec.citations,
            )
        )

    for spec in intro:
        add(spec, None, "I")
    built_sections: list[Section] = []
    for index, section in enumerate(sections):
        first = len(paragraphs)
        for spec in section.paragraphs:
            add(spec, index, "II")
        mine = paragraphs[first:]
        organizations = section.organizations or (
            (section.organization,) if section.organization else ()
        )
        built_sections.append(
            Section(
                chapter="II",
                heading=section.heading,
                first_paragraph=mine[0].number if mine else None,
                last_paragraph=mine[-1].number if mine else None,
                paragraph_count=len(mine),
                word_count=sum(p.word_count for p in mine),
                organization=section.organization,
                organizations=organizations,
                unregistered=section.organization is None and not section.organizations,
            )
        )
    for spec in closing:
        add(spec, None, "III")
    cited = set(citations) | {c for p in paragraphs for c in p.citations}
    return Report(
        symbols=(symbol,),
        language="fr",
        date=None,
        title="Coopération entre l'Organisation des Nations Unies et les organisations",
        previous_report=(),
        chapters=(
            Chapter("I", "Introduction"),
            Chapter("II", "Coopération"),
            Chapter("III", "Observations"),
        ),
        sections=tuple(built_sections),
        paragraphs=tuple(paragraphs),
        parser_version="test",
        citations=tuple(sorted(cited)),
    )
