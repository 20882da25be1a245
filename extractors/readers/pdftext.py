"""Reader for text extracted from a report PDF (wrapped lines, page furniture, URL lists).

The text may separate pages with form feeds; lines are wrapped at the layout width,
often with a blank line after each, headings are indented, and the targets of the
page's hyperlinks are listed as bare URLs at the end of each page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from common.errors import NotAReport
from extractors.model import Block, DroppedBlock
from extractors.normalize import join_wrapped_with, letter_counts, letter_runs, normalize_text
from extractors.readers.layout import (
    CHAPTER_HEADING,
    LETTERED_HEADING,
    NUMBERED_START,
    URL_LINE,
    ends_sentence,
    furniture_reason,
    looks_like_chapter_heading,
    looks_like_heading,
    page_from_footer,
)

_ROMAN = frozenset("IVXL")


@dataclass
class _Draft:
    kind: str
    lines: list[str]
    number: int | None = None
    level: int | None = None
    page: int | None = None
    links: list[str] = field(default_factory=list)
    indented: bool = False


@dataclass
class ReadResult:
    """Blocks read from a text, with the lines dropped as page furniture."""

    blocks: list[Block]
    dropped: list[DroppedBlock]


def read_pdf_text(text: str, *, name: str) -> list[Block]:
    """Read PDF-extracted report text into blocks (see `read_pdf_text_with_ledger`)."""
    return read_pdf_text_with_ledger(text, name=name).blocks


def read_pdf_text_with_ledger(text: str, *, name: str) -> ReadResult:
    """Read PDF-extracted text into blocks, keeping a ledger of dropped furniture lines."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    drafts: list[_Draft] = []
    dropped: list[DroppedBlock] = []
    page_links: list[tuple[int, str]] = []
    has_form_feeds = "\f" in text
    page: int | None = 1 if has_form_feeds else None
    current: _Draft | None = None
    last_number = 0
    blank_before = True
    page_start_index = 0
    for raw in raw_lines:
        while raw.startswith("\f"):
            _attach_links(drafts + ([current] if current else []), page_start_index, page_links)
            page_links = []
            page = (page or 0) + 1
            page_start_index = len(drafts)
            raw = raw[1:]
        line = normalize_text(raw)
        if not line:
            blank_before = True
            continue
        indented = raw[:1] in (" ", "\t", "\u00a0")
        first = line[0]
        if first == "h" and URL_LINE.match(line):
            page_links.append((len(drafts), line))
            continue
        if page_links:
            # A URL list closes a page, often in the middle of a paragraph.
            _attach_links(drafts + ([current] if current else []), page_start_index, page_links)
            page_links = []
            page_start_index = len(drafts)
            if not has_form_feeds:
                page = None
        reason = furniture_reason(line)
        if reason:
            printed = page_from_footer(line)
            if printed is not None and not has_form_feeds:
                page = printed
            dropped.append(DroppedBlock(text=line, reason=reason, page=page))
            blank_before = True
            continue
        current, last_number = _place_line(
            line,
            indented,
            current,
            drafts,
            page=page,
            last_number=last_number,
            blank_before=blank_before,
        )
        blank_before = False
    _close(current, drafts)
    _attach_links(drafts, page_start_index, page_links)
    is_word = _LazyVocabulary(raw_lines)
    blocks = [_finish(draft, is_word) for draft in drafts]
    if not blocks:
        raise NotAReport(name, "no text blocks found")
    return ReadResult(blocks=blocks, dropped=dropped)


def _place_line(
    line: str,
    indented: bool,
    current: _Draft | None,
    drafts: list[_Draft],
    *,
    page: int | None,
    last_number: int,
    blank_before: bool,
) -> tuple[_Draft, int]:
    """Put a body line into the open draft or open a new one (closing the old one into
    `drafts`); return the open draft and the last paragraph number."""
    first = line[0]
    # Each pattern starts with a digit or a roman numeral: test the first character first.
    numbered = NUMBERED_START.match(line) if first.isdecimal() else None
    chapter = CHAPTER_HEADING.match(line) if first in _ROMAN else None
    if numbered and _accepts_number(int(numbered.group(1)), last_number, current, blank_before):
        _close(current, drafts)
        last_number = int(numbered.group(1))
        return _Draft("numbered", [numbered.group(2)], number=last_number, page=page), last_number
    if chapter and looks_like_chapter_heading(line):
        _close(current, drafts)
        return _Draft("heading", [line], level=1, page=page), last_number
    if (
        current is not None
        and current.kind == "heading"
        and not blank_before
        and line[:1].islower()
    ):
        current.lines.append(line)
        return current, last_number
    if _starts_block(line, indented, current):
        _close(current, drafts)
        return _Draft("candidate", [line], page=page, indented=indented), last_number
    if current is None:
        return _Draft("candidate", [line], page=page, indented=indented), last_number
    current.lines.append(line)
    return current, last_number


def _close(current: _Draft | None, drafts: list[_Draft]) -> None:
    """Append the open draft, if any, to the drafts read so far."""
    if current is not None:
        drafts.append(current)


def _accepts_number(number: int, last: int, current: _Draft | None, blank_before: bool) -> bool:
    """A line starting `N. ` opens paragraph N only when N fits the running sequence.

    This keeps a wrapped line that happens to begin with a year (`2021. Le …`) inside
    its paragraph.
    """
    if number == last + 1:
        return True
    previous_text = " ".join(current.lines) if current else ""
    finished = current is None or current.kind == "heading" or ends_sentence(previous_text)
    return finished and blank_before and 0 < number <= last + 3 and number != last


def _starts_block(line: str, indented: bool, current: _Draft | None) -> bool:
    """An indented capitalised line after a finished block starts a new block."""
    if line[1:2] == "." and LETTERED_HEADING.match(line):
        return True
    if not indented or not line[:1].isupper():
        return False
    if current is None or current.kind == "heading":
        return True
    if (
        current.kind == "candidate"
        and len(current.lines) == 1
        and looks_like_heading(current.lines[0])
    ):
        return True
    return ends_sentence(" ".join(current.lines))


def _attach_links(drafts: list[_Draft], start: int, links: list[tuple[int, str]]) -> None:
    """Give each URL of a page to the block of that page that names its symbol."""
    page_drafts = drafts[start:]
    for _, url in links:
        target = _best_block(page_drafts, url) or (drafts[-1] if drafts else None)
        if target is not None and url not in target.links:
            target.links.append(url)


def _best_block(candidates: list[_Draft], url: str) -> _Draft | None:
    """The last block on the page whose text mentions the number of the linked symbol."""
    tail = url.rstrip("/").split("/")
    probes = []
    year = re.match(r"(\d+)\((\d{4})\)", tail[-1])
    if year:
        probes.append(f"{year.group(1)} ({year.group(2)})")
        probes.append(year.group(1))
    elif len(tail) >= 2:
        probes.append(f"{tail[-2]}/{tail[-1]}")
    for draft in reversed(candidates):
        text = " ".join(draft.lines)
        if any(probe in text for probe in probes):
            return draft
    return None


class _LazyVocabulary:
    """Whether a word occurs in the raw lines, counted on the first question only.

    Only a line ending in a hyphen asks, and many documents have none. Words are asked
    in letters only, which the counts of letter runs answer as `vocabulary` would.
    """

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines
        self._counts: Counter[str] | None = None

    def __call__(self, word: str) -> int:
        if self._counts is None:
            self._counts = letter_counts([letter_runs("\n".join(self._lines))])
        return self._counts[word]


def _finish(draft: _Draft, is_word: Callable[[str], int]) -> Block:
    text = ""
    for line in draft.lines:
        text = join_wrapped_with(text, line, is_word)
    kind = draft.kind
    level = draft.level
    if kind == "candidate":
        if looks_like_heading(text):
            kind, level = "heading", 2
        else:
            kind = "text"
    return Block(
        kind=kind,  # type: ignore[arg-type]
        text=text,
        number=draft.number,
        level=level,
        page=draft.page,
        links=tuple(draft.links),
    )
