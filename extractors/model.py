"""The plain data every stage passes on: blocks from readers, the parsed report.

Frozen dataclasses so a parse result can be hashed, cached and compared; `to_dict`
gives the JSON shape that `coopwatch parse --json` prints.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal

BlockKind = Literal["heading", "numbered", "text"]
# Where a reader that knows the document's structure placed a block: before the body
# (covering note, title, summary), in the body, or in a part (annex, enclosure, map).
Region = Literal["front", "body", "part"]


@dataclass(frozen=True)
class Block:
    """One unit a reader produced: a heading, a numbered paragraph or other text.

    `number` is the printed paragraph number of a numbered block; `level` is 1 for a
    chapter heading (I., II., …) and 2 for a sub-heading; `links` keeps link targets
    found inside the block (URLs or bare symbols). A reader that tells the document's
    regions apart sets `region` and, in a part, `part` (its printed title such as
    `Annex II`); `footnotes` are the footnote markers printed in the block, in order.
    """

    kind: BlockKind
    text: str
    number: int | None = None
    level: int | None = None
    page: int | None = None
    links: tuple[str, ...] = ()
    region: Region | None = None
    part: str | None = None
    footnotes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DroppedBlock:
    """A block the parser deliberately left out, with the reason (header, footer, cover…)."""

    text: str
    reason: str
    page: int | None = None


@dataclass(frozen=True)
class Footnote:
    """A footnote as printed at a page foot: its marker (`12`, `*`), text and page, where it
    is called from (a body paragraph, a part's paragraph, or a heading) and what it cites."""

    number: str
    text: str
    page: int | None
    paragraph: int | None = None
    part: str | None = None
    heading: str | None = None
    citations: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartParagraph:
    """A numbered paragraph of a part (annex, enclosure), numbered within the part."""

    number: int
    text: str
    page: int | None


@dataclass(frozen=True)
class Part:
    """An annex, enclosure or map set after the body, with its own numbering."""

    title: str
    heading: str | None
    first_page: int | None
    paragraphs: tuple[PartParagraph, ...] = ()
    headings: tuple[str, ...] = ()
    # Text of the part outside numbered paragraphs (tables, lists, curricula vitae).
    texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class AreaTag:
    """A cooperation area found in a paragraph, with the phrase and offset that explain it."""

    id: str
    phrase: str
    offset: int


@dataclass(frozen=True)
class Chapter:
    """A roman-numbered chapter of a report."""

    number: str
    title: str


@dataclass(frozen=True)
class Section:
    """An organization section: a sub-heading and the numbered paragraphs under it."""

    chapter: str | None
    heading: str
    first_paragraph: int | None
    last_paragraph: int | None
    paragraph_count: int
    word_count: int
    organization: str | None = None
    organizations: tuple[str, ...] = ()
    unregistered: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A numbered paragraph, with the section it belongs to and what it names."""

    number: int
    text: str
    section_index: int | None
    chapter: str | None = None
    page: int | None = None
    links: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    un_entities: tuple[str, ...] = ()
    areas: tuple[AreaTag, ...] = ()
    citations: tuple[str, ...] = ()
    unknown_citations: tuple[str, ...] = ()

    @property
    def word_count(self) -> int:
        """Whitespace-separated words in the paragraph's text."""
        return len(self.text.split())


@dataclass(frozen=True)
class Report:
    """One edition of the report, parsed: identity, chapters, sections, paragraphs."""

    symbols: tuple[str, ...]
    language: str
    date: str | None
    title: str | None
    previous_report: tuple[str, ...]
    chapters: tuple[Chapter, ...]
    sections: tuple[Section, ...]
    paragraphs: tuple[Paragraph, ...]
    parser_version: str
    citations: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    blocks_in: int = 0
    dropped: tuple[DroppedBlock, ...] = field(default=())
    unknown_citations: tuple[str, ...] = ()
    # Body headings in print order, from a reader that tells the document's regions
    # apart (PDF); the parts after the body; the footnotes printed at the page feet.
    headings: tuple[str, ...] = ()
    parts: tuple[Part, ...] = ()
    footnotes: tuple[Footnote, ...] = ()

    @property
    def symbol(self) -> str:
        """The first (General Assembly) symbol, which names the edition."""
        return self.symbols[0]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape printed by `coopwatch parse --json`."""
        data = plain_dict(self)
        data["kind"] = "report"
        for name in (
            "symbols",
            "previous_report",
            "citations",
            "warnings",
            "unknown_citations",
            "headings",
        ):
            data[name] = list(data[name])
        return data


def plain_dict(record: object) -> dict[str, Any]:
    """A dataclass record as nested dicts, lists kept lists and tuples tuples, as
    `dataclasses.asdict` gives it, without copying the strings and numbers inside (asdict
    deep-copies every leaf: a third of printing a long report's parse)."""
    return {field.name: _plain(getattr(record, field.name)) for field in fields(record)}  # type: ignore[arg-type]


def _plain(value: object) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if is_dataclass(value) and not isinstance(value, type):
        return plain_dict(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, tuple):
        items = [_plain(item) for item in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items()}
    return copy.deepcopy(value)
