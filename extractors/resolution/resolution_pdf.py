"""Read a resolution PDF into body lines and footnote lines by what each line is on the page.

A resolution's pages carry furniture (the running header with its symbol, job numbers such as
`25-10739 (E)` or the Geneva `GE.25-05432`, page numbers `2/3` or a bare `2`, a barcode) and,
at their foot, footnotes in small type, called by raised small digits in the body. The PDF page
reader (`extractors.readers.pdf_lines`) gives each line's type and place, so these are told
apart by type and place, whatever the language; the body lines come back top-down with the
footnote markers dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from common.errors import NoTextLayer
from extractors.masthead import read_masthead
from extractors.readers.pdf_lines import StyledLine
from extractors.readers.pdf_pages import styled_pages
from extractors.readers.pdfium_lock import PDFIUM_LOCK
from extractors.symbols import clean_symbol_text

# Job numbers (New York `25-10739 (E) 180825`, Geneva `GE.25-05432 (E)`), with or without the
# page number before or after, and the barcode of the job number.
_JOB_LINE = re.compile(
    r"^(?:\d{1,3}/\d{1,3}\s+)?(?:GE\.)?\d{2}-\d{5}\*?(?:\s*\([A-Z]\))?(?:\s+\d{6}){0,2}"
    r"(?:\s+\d{1,3}/\d{1,3})?$|^\*\d{6,8}\*$"
)
_PAGE_NUMBER = re.compile(r"^\d{1,3}(?:/\d{1,3})?$")
_FOOTNOTE_RULE = re.compile(r"^_{5,}$")
# Running headers and footers sit in the outer bands of a page.
_TOP_BAND = 0.88
_BOTTOM_BAND = 0.08
# Type smaller than the body's by this much (points) is a footnote's.
_SMALLER = 0.5


@dataclass(frozen=True)
class _Line:
    text: str
    page: int
    left: float
    baseline: float
    size: float
    height: float


@dataclass(frozen=True)
class ResolutionPdfText:
    """A resolution PDF's body lines (top-down, furniture and markers dropped) and the lines
    of its footnotes."""

    lines: tuple[str, ...]
    notes: tuple[str, ...]


def read_resolution_pdf(data: bytes, name: str) -> ResolutionPdfText:
    """Body and footnote lines of a resolution PDF; a typed error naming `name` when the
    PDF cannot be opened or has no text."""
    with PDFIUM_LOCK:
        pages = _read_pages(data, name)
    lines = [line for page in pages for line in page]
    if not lines:
        raise NoTextLayer(name, "the PDF has no extractable text")
    body_size = _body_size(lines)
    first_page = "\n".join(line.text for line in pages[0]) if pages else ""
    symbols = [clean_symbol_text(symbol) for symbol in read_masthead(first_page).symbols]
    body: list[str] = []
    notes: list[str] = []
    for page in pages:
        kept = [line for line in page if not _is_furniture(line, symbols)]
        last_body = max(
            (index for index, line in enumerate(kept) if line.size >= body_size - _SMALLER),
            default=-1,
        )
        in_notes = False
        for index, line in enumerate(kept):
            if _FOOTNOTE_RULE.match(line.text):
                in_notes = True
                continue
            if in_notes or (index > last_body and line.size < body_size - _SMALLER):
                notes.append(line.text)
            else:
                body.append(line.text)
    if not body:
        raise NoTextLayer(name, "the PDF has only page furniture and footnotes, no body text")
    return ResolutionPdfText(tuple(body), tuple(notes))


def _read_pages(data: bytes, name: str) -> list[list[_Line]]:
    """Each page's printed lines, top-down, as the PDF page reader builds them (the caller
    holds PDFIUM_LOCK), footnote markers dropped."""
    pages, _ = styled_pages(data, name)
    return [
        [
            _Line(text, page.number, line.left, line.baseline, line.size, page.height)
            for line in page.lines
            if (text := _clean(_without_markers(line)))
        ]
        for page in pages
    ]


def _without_markers(line: StyledLine) -> str:
    """The line's text without footnote markers: raised small runs of digits only (a symbol
    set smaller on the masthead line has slashes, and stays)."""
    return "".join(run.text for run in line.runs if not (run.raised and run.text.strip().isdigit()))


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[\s\u00a0\u2007\u202f\u2009]+", " ", text).strip()


def _body_size(lines: list[_Line]) -> float:
    """The type size most of the document's characters are set in."""
    counts: Counter[float] = Counter()
    for line in lines:
        counts[line.size] += len(line.text)
    return counts.most_common(1)[0][0]


def _is_furniture(line: _Line, symbols: list[str]) -> bool:
    """A job number or barcode anywhere; a page number, or the document's own symbol on a
    page after the first, in the top or bottom band."""
    if _JOB_LINE.match(line.text):
        return True
    share = line.baseline / line.height if line.height else 0.5
    if _BOTTOM_BAND < share < _TOP_BAND:
        return False
    if _PAGE_NUMBER.match(line.text):
        return True
    cleaned = clean_symbol_text(line.text)
    return line.page > 1 and any(symbol in cleaned for symbol in symbols)
