"""A report's parts after the body (annexes, enclosures, maps) and where its footnotes are called.

The reader places blocks in regions; here the blocks of each part become a `Part` with its own
paragraph numbering, and each footnote printed at a page foot is tied to the paragraph (of the
body or of a part) or the heading whose text carries its marker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from extractors.model import Block, Footnote, Part, PartParagraph

_NUMBERED_HEADING = re.compile(r"^(?:[IVXLC]+\.|[A-Z]\.|\d{1,2}\.)\s")


class _Printed(Protocol):
    number: str
    text: str
    page: int


def build_parts(blocks: Sequence[Block]) -> tuple[Part, ...]:
    """The parts in order; a part opens at its title block (a level-1 heading)."""
    parts: list[dict] = []
    for block in blocks:
        if not parts or block.part != parts[-1]["title"] or _opens_part(block, parts[-1]):
            parts.append(
                {"title": block.part, "heading": None, "page": block.page, "paragraphs": [],
                 "headings": [], "texts": [], "opened": False}
            )  # fmt: skip
        part = parts[-1]
        if not part["opened"]:
            part["opened"] = True
            continue
        text = " ".join(block.text.split())
        if block.kind == "heading":
            if (
                part["heading"] is None
                and not part["paragraphs"]
                and not part["headings"]
                and (not _NUMBERED_HEADING.match(text))
            ):
                part["heading"] = text
            else:
                part["headings"].append(text)
        elif block.kind == "numbered" and block.number is not None:
            part["paragraphs"].append([block.number, text, block.page])
        elif part["paragraphs"]:
            part["paragraphs"][-1][1] += " " + text
        else:
            part["texts"].append(text)
    return tuple(
        Part(
            title=part["title"] or "",
            heading=part["heading"],
            first_page=part["page"],
            paragraphs=tuple(PartParagraph(n, t, p) for n, t, p in part["paragraphs"]),
            headings=tuple(part["headings"]),
            texts=tuple(part["texts"]),
        )
        for part in parts
    )


def _opens_part(block: Block, part: dict) -> bool:
    return (
        block.kind == "heading"
        and block.level == 1
        and block.text == block.part
        and bool(part["paragraphs"] or part["heading"] or part["headings"])
    )


def place_footnotes(blocks: Sequence[Block], printed: Sequence[_Printed]) -> tuple[Footnote, ...]:
    """Every printed footnote with the paragraph or heading that calls it (None when no
    marker was found for it), in the order printed."""
    callers: dict[str, list[tuple[int | None, str | None, str | None]]] = {}
    paragraph: int | None = None
    part: str | None = None
    for block in blocks:
        if block.part != part:
            part, paragraph = block.part, None
        if block.region == "front":
            paragraph = None
        heading = None
        if block.kind == "numbered":
            paragraph = block.number
        elif block.kind == "heading":
            paragraph = None
            heading = " ".join(block.text.split())
        for marker in block.footnotes:
            caller = (paragraph if heading is None else None, part, heading)
            if block.region == "front":
                caller = (None, None, None)
            callers.setdefault(marker, []).append(caller)
    notes: list[Footnote] = []
    for note in printed:
        found = callers.get(note.number)
        paragraph_number, note_part, heading = found.pop(0) if found else (None, None, None)
        notes.append(
            Footnote(
                number=note.number,
                text=note.text,
                page=note.page,
                paragraph=paragraph_number,
                part=note_part,
                heading=heading,
            )
        )
    return tuple(notes)
