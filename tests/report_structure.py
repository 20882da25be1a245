"""The comparable structure of a parse, shared by the tests that compare input forms."""

from __future__ import annotations

from typing import Any

from extractors.model import Block
from extractors.normalize import normalize_text
from extractors.report.report_parser import parse_blocks

TITLE_FR = (
    "Coopération entre l'Organisation des Nations Unies et les organisations régionales ou autres"
)


def structure(blocks: list[Block], name: str, *, with_links: bool = False, **kwargs: Any) -> dict:
    """Chapters, sections and normalized paragraphs (with their links if asked) of a parse."""
    report = parse_blocks(blocks, name=name, **kwargs)
    return {
        "chapters": [(c.number, c.title) for c in report.chapters],
        "sections": [
            (s.chapter, s.heading, s.first_paragraph, s.last_paragraph, s.paragraph_count)
            for s in report.sections
        ],
        "paragraphs": [
            (p.number, p.section_index, normalize_text(p.text)) + ((p.links,) if with_links else ())
            for p in report.paragraphs
        ],
    }
