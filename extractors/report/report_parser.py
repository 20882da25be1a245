"""The report parser: blocks from any reader -> one `Report` with chapters, sections, paragraphs.

Pure: no network, no database. Readers differ per input form; the structure of an
edition (front matter, roman chapters, organization sub-headings, numbered
paragraphs) is recovered here once for all of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from common.errors import NotAReport
from extractors.masthead import find_date
from extractors.model import Block, Chapter, DroppedBlock, Paragraph, Report, Section
from extractors.normalize import (
    join_wrapped,
    letter_counts,
    letter_runs,
    normalize_text,
    repair_split_words,
)
from extractors.readers.layout import CHAPTER_HEADING
from extractors.readers.route import read_document, read_local_bytes
from extractors.readers.text import decode_text as decode_text  # moved; kept for callers
from extractors.report.parser_version import parser_version
from extractors.report.parts import build_parts, place_footnotes
from extractors.report.series import is_organization_chapter, is_series_title
from extractors.symbols import is_symbol, split_joint_symbol

if TYPE_CHECKING:
    from collections import Counter

    from extractors.readers.route import ReadDocument

# The code's version with a hash of the reference and series data (parser_version.py).
PARSER_VERSION = parser_version()

_SYMBOL = r"[AS]/(?:\d+|RES)/[0-9A-Z()/.]+(?:\s*[-–]\s*S/\d{4}/\d+)?"
_PREVIOUS = re.compile(
    r"(?:précédent rapport|previous report)[^()]{0,200}\((" + _SYMBOL + r")\)", re.IGNORECASE
)
# Hint words, counted among the maximal runs of word characters (as `\bword\b` finds them).
_FRENCH_HINTS = frozenset(("les", "des", "et", "une", "dans", "avec", "coopération"))
_ENGLISH_HINTS = frozenset(("the", "and", "with", "which", "cooperation"))
_WORD_CHARACTERS = re.compile(r"\w+")


@dataclass
class _SectionDraft:
    chapter: str | None
    heading: str
    numbers: list[int] = field(default_factory=list)
    words: int = 0


def parse_report_file(path: Path, symbol: str | None = None, language: str | None = None) -> Report:
    """Parse a report file in any supported form, naming the file in every error."""
    path = Path(path)
    return parse_report_bytes(
        read_local_bytes(path), name=str(path), symbol=symbol, language=language
    )


def parse_report_bytes(
    data: bytes, *, name: str, symbol: str | None = None, language: str | None = None
) -> Report:
    """Parse report bytes in any supported form; `name` is used in errors."""
    return parse_read(read_document(data, name=name), name=name, symbol=symbol, language=language)


def parse_read(
    read: ReadDocument, *, name: str, symbol: str | None = None, language: str | None = None
) -> Report:
    """Recover the structure of what a reader read, with its ledger and warnings."""
    report = parse_blocks(
        read.blocks,
        name=name,
        symbol=symbol,
        language=language,
        dropped=read.dropped,
        reader_warnings=read.warnings,
    )
    if not read.footnotes:
        return report
    return replace(report, footnotes=place_footnotes(read.blocks, read.footnotes))


def parse_blocks(
    blocks: Sequence[Block],
    *,
    name: str,
    symbol: str | None = None,
    language: str | None = None,
    dropped: Sequence[DroppedBlock] = (),
    reader_warnings: Sequence[str] = (),
) -> Report:
    """Recover the report's structure from reader blocks; raise `NotAReport` if there is none.

    `reader_warnings` are the reader's own (furniture it could not tell apart), kept first.
    """
    if not any(b.kind == "numbered" for b in blocks):
        raise NotAReport(name, "no numbered paragraphs found")
    # Only runs of letters are ever looked up, so their counts stand for the vocabulary;
    # each text is cut into runs once, for the counts and for the repair below.
    runs = [letter_runs(b.text) for b in blocks]
    vocab = letter_counts(runs)
    front, part_blocks, body, body_runs = _regions(blocks, runs)
    ledger = list(dropped) + [DroppedBlock(b.text, "front matter", b.page) for b in front]
    chapters, sections, paragraphs, headings = _walk_body(body, body_runs, vocab, ledger)
    built_paragraphs = _build_paragraphs(paragraphs, sections)

    all_text = "\n".join(b.text for b in blocks)
    front_text = "\n".join(b.text for b in front) or all_text
    return Report(
        symbols=_symbols(symbol, dropped, front_text),
        language=language or _detect_language(all_text),
        date=_date(front_text),
        title=next(
            (normalize_text(b.text) for b in front if is_series_title(normalize_text(b.text))),
            None,
        ),
        previous_report=_previous_report(all_text),
        chapters=tuple(chapters),
        sections=tuple(_finish_section(s) for s in sections),
        paragraphs=built_paragraphs,
        parser_version=PARSER_VERSION,
        warnings=tuple(reader_warnings)
        + tuple(_numbering_warnings(name, [p.number for p in built_paragraphs])),
        blocks_in=len(blocks) + len(dropped),
        dropped=tuple(ledger),
        headings=tuple(headings),
        parts=build_parts(part_blocks),
    )


def _regions(
    blocks: Sequence[Block], runs: list[list[str]]
) -> tuple[list[Block], list[Block], list[Block], list[list[str]]]:
    """Front matter, part blocks, body blocks and the body's letter runs of a report's blocks."""
    part_blocks: list[Block] = []
    if any(b.region is not None for b in blocks):
        # The reader told the regions apart: front matter, body and parts as it placed them.
        front = [b for b in blocks if b.region == "front"]
        part_blocks = [b for b in blocks if b.region == "part"]
        body = [b for b in blocks if b.region == "body"]
        body_runs = [r for b, r in zip(blocks, runs, strict=True) if b.region == "body"]
    else:
        first_chapter = next(
            (i for i, b in enumerate(blocks) if b.kind == "heading" and b.level == 1), None
        )
        front = list(blocks[:first_chapter]) if first_chapter is not None else []
        body = list(blocks[first_chapter:]) if first_chapter is not None else list(blocks)
        body_runs = runs[first_chapter:] if first_chapter is not None else runs
    return front, part_blocks, body, body_runs


def _walk_body(
    body: list[Block], body_runs: list[list[str]], vocab: Counter[str], ledger: list[DroppedBlock]
) -> tuple[list[Chapter], list[_SectionDraft], list[dict], list[str]]:
    """Chapters, section drafts, paragraph drafts and region headings of the body blocks.

    Unnumbered text before the first paragraph goes to `ledger`.
    """
    chapters: list[Chapter] = []
    sections: list[_SectionDraft] = []
    paragraphs: list[dict] = []
    chapter: str | None = None
    section_index: int | None = None
    chapter_has_subsections = False
    headings: list[str] = []
    for block, block_runs in zip(body, body_runs, strict=True):
        text = repair_split_words(block.text, vocab, runs=block_runs)
        if block.kind == "heading" and block.region is not None:
            headings.append(" ".join(text.split()))
        if block.kind == "heading" and block.level == 1:
            chapter, section_index = _open_chapter(text, chapters, sections)
            chapter_has_subsections = False
        elif block.kind == "heading":
            if not chapter_has_subsections and section_index is not None:
                # An organization chapter with its own sub-headings is not a section itself.
                sections.pop()
            sections.append(_SectionDraft(chapter=chapter, heading=text))
            section_index = len(sections) - 1
            chapter_has_subsections = True
        elif block.kind == "numbered":
            paragraphs.append(
                {
                    "number": block.number,
                    "text": text,
                    "section_index": section_index,
                    "chapter": chapter,
                    "page": block.page,
                    "links": list(block.links),
                }
            )
        elif paragraphs:
            # A paragraph cut by a page break continues as an unnumbered block.
            previous = paragraphs[-1]
            previous["text"] = join_wrapped(previous["text"], text, vocab)
            previous["links"].extend(link for link in block.links if link not in previous["links"])
        else:
            ledger.append(
                DroppedBlock(text[:200], "unnumbered text before the first paragraph", block.page)
            )
    return chapters, sections, paragraphs, headings


def _open_chapter(
    text: str, chapters: list[Chapter], sections: list[_SectionDraft]
) -> tuple[str, int | None]:
    """Append the chapter a level-1 heading opens; return its number and its section, if any."""
    match = CHAPTER_HEADING.match(text)
    number = match.group(1) if match else str(len(chapters) + 1)
    title = match.group(2).strip() if match else text
    chapters.append(Chapter(number=number, title=title))
    # A chapter devoted to named organizations (the series' data says which titles)
    # has no sub-headings; its title is the section heading.
    if is_organization_chapter(title):
        sections.append(_SectionDraft(chapter=number, heading=title))
        return number, len(sections) - 1
    return number, None


def _build_paragraphs(
    paragraphs: list[dict], sections: list[_SectionDraft]
) -> tuple[Paragraph, ...]:
    """The finished paragraphs, each counted into its section's numbers and words."""
    built_paragraphs = tuple(
        Paragraph(
            number=p["number"],
            text=p["text"],
            section_index=p["section_index"],
            chapter=p["chapter"],
            page=p["page"],
            links=tuple(p["links"]),
        )
        for p in paragraphs
    )
    for paragraph in built_paragraphs:
        if paragraph.section_index is not None:
            draft = sections[paragraph.section_index]
            draft.numbers.append(paragraph.number)
            draft.words += _word_count(paragraph.text)
    return built_paragraphs


def _finish_section(draft: _SectionDraft) -> Section:
    return Section(
        chapter=draft.chapter,
        heading=draft.heading,
        first_paragraph=draft.numbers[0] if draft.numbers else None,
        last_paragraph=draft.numbers[-1] if draft.numbers else None,
        paragraph_count=len(draft.numbers),
        word_count=draft.words,
    )


def _symbols(
    symbol: str | None, dropped: Sequence[DroppedBlock], front_text: str
) -> tuple[str, ...]:
    """Symbols from the caller (the masthead's, when the caller gave none), else from the
    running header."""
    if symbol:
        if is_symbol(symbol):
            return split_joint_symbol(symbol)
        return tuple(
            part.strip() for part in re.split(r"\s*[-–—]\s*(?=[AS]/)", normalize_text(symbol))
        )
    found: list[str] = []
    for block in dropped:
        text = block.text.rstrip(" *")
        if block.reason.startswith("running header") and is_symbol(text) and text not in found:
            found.append(text)
    return tuple(found)


def _date(text: str) -> str | None:
    """The issue date printed on the cover (a short line such as `17 août 2018`)."""
    return next(
        (found for line in text.split("\n") if len(line) <= 80 and (found := find_date(line))),
        None,
    )


def _previous_report(text: str) -> tuple[str, ...]:
    match = _PREVIOUS.search(normalize_text(text))
    if not match:
        return ()
    return tuple(part.strip() for part in re.split(r"\s*[-–]\s*(?=S/)", match.group(1)))


def _word_count(text: str) -> int:
    """`Paragraph.word_count` (`len(text.split())`), without the split for plain texts.

    A printable text has no whitespace but the space; with single spaces inside only,
    its words are one more than its spaces.
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text.count(" ") + 1 if text else 0
    return len(text.split())


def detect_language(text: str) -> str:
    """'fr' or 'en', whichever language's function words `text` has more of."""
    return _detect_language(text)


def _detect_language(text: str) -> str:
    sample = _WORD_CHARACTERS.findall(text[:20000].lower())
    french = sum(map(_FRENCH_HINTS.__contains__, sample))
    english = sum(map(_ENGLISH_HINTS.__contains__, sample))
    return "fr" if french >= english else "en"


def _numbering_warnings(name: str, numbers: list[int]) -> list[str]:
    """Say where paragraph numbers skip or repeat; a gap may mean a lost paragraph."""
    warnings = []
    if numbers and numbers[0] != 1:
        warnings.append(f"{name}: paragraph numbering starts at {numbers[0]}, not 1")
    for before, after in pairwise(numbers):
        if after == before:
            warnings.append(f"{name}: paragraph {after} appears twice")
        elif after != before + 1:
            warnings.append(f"{name}: paragraph numbers skip from {before} to {after}")
    return warnings
