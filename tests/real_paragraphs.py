"""Numbered paragraphs of a real UN PDF by a plain per-page text extraction, for scoring the
matchers against labels without depending on the report parser.

Each page's characters are kept when set in the body's size and weight (10 point, not bold),
which leaves out running headers, footers, footnotes, tables and headings; the text is then
split on the paragraph numbers the caller gives, in order, at line starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.normalize import normalize_text

REAL_PDFS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real_pdfs"

_BODY_MIN_SIZE = 9.5
_BODY_MAX_SIZE = 11.0
_BOLD = 600
HEADING = "\x00heading"


def real_pdf_path(symbol: str) -> Path:
    """Where the English PDF of `symbol` sits in ../shared/corpus/real_pdfs."""
    return REAL_PDFS / f"{symbol.replace('/', '_')}.en.pdf"


def body_text(path: Path) -> str:
    """The body text of every page, lines normalized, one line per printed line."""
    document = pdfium.PdfDocument(path)
    try:
        pages = [_page_body(page) for page in document]
    finally:
        document.close()
    lines = (normalize_text(line) for page in pages for line in page.splitlines())
    return "\n".join(line for line in lines if line)


def _page_body(page: pdfium.PdfPage) -> str:
    """The page's body lines; a heading line (bold, body size or larger) becomes HEADING."""
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    lines: list[str] = []
    kept: list[str] = []
    is_heading = False
    for index, char in enumerate(text + "\n"):
        if char == "\n":
            line = "".join(kept).strip()
            if is_heading and not line:
                lines.append(HEADING)
            elif line:
                lines.append(line)
            kept, is_heading = [], False
            continue
        size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index) if index < len(text) else 0
        if size < 2.0:  # a character PDFium generated (a space or line break) keeps the layout
            kept.append(char)
            continue
        weight = pdfium_c.FPDFText_GetFontWeight(textpage.raw, index)
        if size >= _BODY_MIN_SIZE and weight >= _BOLD:
            is_heading = True
        elif _BODY_MIN_SIZE <= size <= _BODY_MAX_SIZE:
            kept.append(char)
    return "\n".join(lines)


def numbered_paragraphs(path: Path, numbers: Iterable[int]) -> dict[int, str]:
    """The text of each numbered paragraph, from its number to the next heading or paragraph
    number, lines joined with spaces; a number not found is left out."""
    text = body_text(path)
    starts: list[tuple[int, int, int]] = []
    position = 0
    for number in sorted(numbers):
        match = re.compile(rf"(?m)^{number}\.\s").search(text, position)
        if match is None:
            continue
        starts.append((number, match.start(), match.end()))
        position = match.end()
    found: dict[int, str] = {}
    for place, (number, _start, body_start) in enumerate(starts):
        end = starts[place + 1][1] if place + 1 < len(starts) else len(text)
        heading = text.find(HEADING, body_start, end)
        end = heading if heading >= 0 else end
        found[number] = " ".join(text[body_start:end].split())
    return found
