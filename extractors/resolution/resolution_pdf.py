"""Read a resolution PDF into body lines and footnote lines by what each line is on the page.

A resolution's pages carry furniture (the running header with its symbol, job numbers such as
`25-10739 (E)` or the Geneva `GE.25-05432`, page numbers `2/3` or a bare `2`, a barcode) and,
at their foot, footnotes in small type, called by raised small digits in the body. PDFium gives
each character's size and origin, so these are told apart by type and place, whatever the
language; the body lines come back top-down with the footnote markers dropped.
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from common.errors import CorruptDocument, NoTextLayer
from extractors.masthead import read_masthead
from extractors.readers.pdfium_lock import PDFIUM_LOCK
from extractors.symbols import clean_symbol_text

_LINE = re.compile(r"\S(?:[^\r\n]*\S)?")
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
# Fragments of one printed line (PDFium splits a line at a wide gap) share their baseline.
_SAME_BASELINE = 2.0
# A footnote marker is a digit this much smaller than its line's type, raised above it.
_MARKER_SHARE = 0.8
# Every how many characters a line's type size is sampled.
_SAMPLE_STEP = 3
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
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise CorruptDocument(name, f"unreadable PDF ({error})") from error
    pages: list[list[_Line]] = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                pages.append(_page_lines(textpage, index + 1, page.get_height()))
            finally:
                textpage.close()
                page.close()
    finally:
        pdf.close()
    return pages


@cache
def _char_functions() -> tuple[Any, Any, Any]:
    """PDFium's per-character entry points without ctypes' per-argument conversion, which
    costs more than PDFium's own work here (callers pass the declared C types)."""
    import pypdfium2.raw as pdfium_c

    def fast(function: Any, restype: Any) -> Any:
        unchecked = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
        unchecked.restype = restype
        return unchecked

    return (
        fast(pdfium_c.FPDFText_GetCharIndexFromTextIndex, ctypes.c_int),
        fast(pdfium_c.FPDFText_GetFontSize, ctypes.c_double),
        fast(pdfium_c.FPDFText_GetCharOrigin, ctypes.c_int),
    )


def _page_lines(textpage: Any, page: int, height: float) -> list[_Line]:
    """The page's printed lines, top-down, fragments of one line joined left to right."""
    char_index, font_size, char_origin = _char_functions()
    raw = textpage.raw
    text = textpage.get_text_range()
    x, y = ctypes.c_double(), ctypes.c_double()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)

    def origin(char: int) -> tuple[float, float]:
        if char >= 0 and char_origin(raw, char, x_ref, y_ref):
            return x.value, y.value
        return float("nan"), float("nan")

    # PDFium's text has one unit per character unless a character lies outside the BMP.
    direct = all(ord(char) <= 0xFFFF for char in text)
    fragments: list[_Line] = []
    for match in _LINE.finditer(text):
        start, chars = match.start(), match.group()

        def index(position: int, start: int = start) -> int:
            return start + position if direct else char_index(raw, start + position)

        # The line's type size from a sample of its characters; every digit's own size,
        # since only a digit can be a footnote marker.
        sampled = Counter(
            font_size(raw, index(position))
            for position in range(0, len(chars), _SAMPLE_STEP)
            if not chars[position].isspace()
        )
        size = sampled.most_common(1)[0][0] if sampled else 0.0
        main = next(
            (p for p in range(0, len(chars), _SAMPLE_STEP) if font_size(raw, index(p)) >= size), 0
        )
        baseline = origin(index(main))[1]
        small = [
            char.isdigit()
            and 0 < font_size(raw, index(position)) < size * _MARKER_SHARE
            and origin(index(position))[1] > baseline
            for position, char in enumerate(chars)
        ]
        line = _clean("".join(_without_markers(chars, small)) if any(small) else chars)
        if line:
            fragments.append(_Line(line, page, origin(index(0))[0], baseline, size, height))
    return _join_fragments(fragments)


def _without_markers(chars: str, small: list[bool]) -> list[str]:
    """The characters without footnote markers: runs of small raised type that are digits
    only (a symbol set smaller on the masthead line has letters and slashes, and stays)."""
    kept: list[str] = []
    index = 0
    while index < len(chars):
        end = index
        while end < len(chars) and small[end]:
            end += 1
        if end > index and "".join(chars[index:end]).strip().isdigit():
            index = end
            continue
        kept.extend(chars[index : max(end, index + 1)])
        index = max(end, index + 1)
    return kept


def _join_fragments(fragments: list[_Line]) -> list[_Line]:
    ordered = sorted(fragments, key=lambda line: -line.baseline)
    joined: list[_Line] = []
    for line in ordered:
        previous = joined[-1] if joined else None
        if previous and abs(previous.baseline - line.baseline) < _SAME_BASELINE:
            left, right = sorted((previous, line), key=lambda item: item.left)
            joined[-1] = _Line(
                f"{left.text} {right.text}",
                line.page,
                left.left,
                previous.baseline,
                max(previous.size, line.size),
                line.height,
            )
        else:
            joined.append(line)
    return joined


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
