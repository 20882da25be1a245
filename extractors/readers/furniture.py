"""Running headers and footers of a paged document, told apart by what they are.

A line in the top or bottom band of a page is furniture when it is made of furniture tokens
only (document symbols, job numbers with their `*` or `(F)` marks, page numbers `n` or
`n/N`, date codes, barcode text) and either repeats from page to page with only its digits
changing, or carries the job number or symbol such repeating lines print. Body text that
happens to sit in a band (a heading at the foot of a page, a paragraph's first lines) is
never made of those tokens alone, so it stays text, whole. What the rules cannot decide is
kept as text and reported, page by page.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Band = Literal["top", "bottom"]

_SYMBOL = r"[A-Z]{1,4}/[A-Za-z0-9./\-\u2013\u2014]*[A-Za-z0-9]\*?"
_NUMBER = r"\*?\d[\d/\-]*\*?"
_MARK = r"\([A-Z]{1,2}\)"
_WORD = r"(?i:page|of|sur|de)"
# The 1998 layout ends each page with `/...` (continued overleaf).
_CONTINUED = r"/\.\.\."
_TOKEN = re.compile(rf"(?:{_SYMBOL}|{_NUMBER}|{_MARK}|{_WORD}|{_CONTINUED})")
_SYMBOL_TOKEN = re.compile(_SYMBOL)
_JOB = re.compile(r"(?<![\d*])(\d{2})-(\d{5})(?!\d)")
_PAGE_OF = re.compile(r"(?<![\d-])\d{1,4}/\d{1,4}(?![\d/-])")
_BARCODE = re.compile(r"^\*(\d{7,})\*$")
_DIGITS = re.compile(r"\d+")
_MARKS = re.compile(rf"\*|{_MARK}")
_SPACES = re.compile(r"\s+")

# A line of words (not furniture tokens) counts as a running header only when it repeats in
# the same band on this share of the pages, and on three at least.
_TEXT_HEADER_SHARE = 0.5
_TEXT_HEADER_MIN_PAGES = 3


@dataclass(frozen=True)
class BandLine:
    """A line in a page's top or bottom band: its page (1-based), index on the page, text."""

    page: int
    index: int
    band: Band
    text: str


@dataclass(frozen=True)
class FurnitureFound:
    """Which band lines are furniture, with a reason each, and the pages left undecided."""

    reasons: dict[tuple[int, int], str]
    unclear_pages: tuple[int, ...]

    def reason(self, page: int, index: int) -> str | None:
        """Why the line `index` of `page` is furniture, or None when it is body text."""
        return self.reasons.get((page, index))


def is_furniture_shaped(text: str) -> bool:
    """True when every token of `text` is a symbol, a number, a mark or a page word."""
    tokens = text.split()
    return (
        bool(tokens)
        and all(_TOKEN.fullmatch(token) for token in tokens)
        and not all(re.fullmatch(_WORD, token) for token in tokens)
    )


def template(text: str) -> str:
    """The line with its digits, stars and marks taken out, to compare across pages."""
    return _SPACES.sub(" ", _DIGITS.sub("#", _MARKS.sub("", text))).strip()


def find_furniture(lines: Sequence[BandLine], page_count: int) -> FurnitureFound:
    """Decide which band lines of a document are running headers and footers."""
    shaped = [line for line in lines if is_furniture_shaped(line.text)]
    pages_by_key: dict[tuple[Band, str], set[int]] = defaultdict(set)
    for line in lines:
        pages_by_key[(line.band, template(line.text))].add(line.page)
    repeated = {key for key, pages in pages_by_key.items() if len(pages) >= 2}
    page_offset = _page_number_offset(shaped)
    known = _known_marks(line for line in shaped if (line.band, template(line.text)) in repeated)

    reasons: dict[tuple[int, int], str] = {}
    unclear: set[int] = set()
    for line in lines:
        key = (line.band, template(line.text))
        if not is_furniture_shaped(line.text):
            if _is_repeated_text(pages_by_key[key], page_count):
                reasons[(line.page, line.index)] = "running header (repeated text)"
            continue
        reason = _reason(line, key in repeated, page_offset, known)
        if reason is None:
            unclear.add(line.page)
        else:
            reasons[(line.page, line.index)] = reason
    return FurnitureFound(reasons=reasons, unclear_pages=tuple(sorted(unclear)))


def _reason(
    line: BandLine, repeats: bool, page_offset: int | None, known: frozenset[str]
) -> str | None:
    text = line.text
    tokens = text.split()
    if all(_SYMBOL_TOKEN.fullmatch(token) for token in tokens):
        return "running header (document symbol)"
    if _JOB.search(text):
        return "footer (job number and page)" if _PAGE_OF.search(text) else "footer (job number)"
    if len(tokens) == 1 and _BARCODE.match(text):
        return "footer (barcode)"
    if text.isdecimal():
        if page_offset is not None and int(text) - line.page == page_offset:
            return "footer (page number)"
        return None
    if repeats:
        return "footer (page number)" if _PAGE_OF.fullmatch(text) else "page furniture (repeated)"
    if _marks_of(text) & known:
        return "page furniture (document mark)"
    return None


def _known_marks(lines: object) -> frozenset[str]:
    """Job numbers (as bare digits) and symbols printed by the repeating furniture lines."""
    marks: set[str] = set()
    for line in lines:  # type: ignore[attr-defined]
        marks |= _marks_of(line.text)
    return frozenset(marks)


def _marks_of(text: str) -> set[str]:
    """The job numbers (digits only, as the barcode prints them) and symbols in a line."""
    marks = {first + rest for first, rest in _JOB.findall(text)}
    marks |= {match.group(1) for token in text.split() if (match := _BARCODE.match(token))}
    marks |= {token.rstrip("*") for token in text.split() if _SYMBOL_TOKEN.fullmatch(token)}
    return marks


def _page_number_offset(lines: Sequence[BandLine]) -> int | None:
    """The difference between printed bare page numbers and page indexes, when most agree."""
    offsets = Counter(
        int(line.text) - line.page
        for line in lines
        if line.text.isdecimal() and len(line.text) <= 4
    )
    if not offsets:
        return None
    offset, pages = offsets.most_common(1)[0]
    return offset if pages >= 2 else None


def _is_repeated_text(pages: set[int], page_count: int) -> bool:
    return len(pages) >= max(_TEXT_HEADER_MIN_PAGES, page_count * _TEXT_HEADER_SHARE)
