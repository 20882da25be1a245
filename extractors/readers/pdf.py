"""Reader for report PDFs as the UN serves them, built on pypdfium2 (Apache-2.0/BSD-3).

PDFium gives the text of each page; this module drops the running header and footer, marks
paragraph starts and headings from the layout (indent, bold, vertical gaps) the way the
PDF-extracted text of the corpus shows them, keeps the targets of link annotations, and
hands the text to `read_pdf_text`, so both PDF paths share one set of layout rules.
"""

from __future__ import annotations

import ctypes
import re
import statistics
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from common.errors import CorruptDocument, EmptyDocument, EncryptedDocument, NoTextLayer
from extractors.model import Block, DroppedBlock
from extractors.readers.furniture import BandLine, find_furniture
from extractors.readers.page_parts import FootnoteText, split_pages
from extractors.readers.pdf_blocks import build_blocks
from extractors.readers.pdf_lines import PageLines, styled_lines
from extractors.readers.pdfium_lock import PDFIUM_LOCK
from extractors.readers.sniff import describe_form, detect_form

# Running headers and footers sit in the outer bands of the page; a furniture-like line in
# the body is kept as text.
_FURNITURE_BAND = 0.15
_BOLD_WEIGHT = 600
_EOF_WINDOW = 2048
_INDENT_TOLERANCE = 3.0
_PARAGRAPH_GAP = 1.5
_LINE = re.compile(r"\S(?:[^\r\n]*\S)?")
_NOT_IN_KEY = re.compile(r"[\s\-\u00ad\u2010\u2011'\u2019]")


@dataclass(frozen=True)
class PdfLink:
    """A link annotation: the page it is on (1-based), its target and the words it covers."""

    page: int
    uri: str
    anchor: str


@dataclass(frozen=True)
class PdfPages:
    """The text PDFium found: one laid-out text per page, furniture dropped, links kept."""

    pages: tuple[str, ...]
    links: tuple[PdfLink, ...]
    dropped: tuple[DroppedBlock, ...]
    unclear_furniture_pages: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        """All pages, separated by form feeds as `read_pdf_text` expects."""
        return "\f".join(self.pages)


class PdfRead(NamedTuple):
    """Blocks read from a PDF with the ledger of what was dropped (headers, footers,
    footnotes, captions), warnings about what the reader could not decide, and the
    footnotes printed at the page feet."""

    blocks: list[Block]
    dropped: list[DroppedBlock]
    warnings: tuple[str, ...] = ()
    footnotes: tuple[FootnoteText, ...] = ()


class _Line(NamedTuple):
    text: str
    left: float
    right: float
    baseline: float
    bold: bool


# Builds a _Line from a tuple without the Python-level __new__ of a NamedTuple.
_new_line = partial(tuple.__new__, _Line)


class _PageLines(NamedTuple):
    lines: list[_Line]
    height: float


class _Previous(NamedTuple):
    line: _Line
    started: bool


def read_pdf(source: Path | str | bytes, *, name: str | None = None) -> list[Block]:
    """Read a report PDF (a file path, or its bytes) into blocks with their links."""
    return read_pdf_with_ledger(source, name=name).blocks


def read_pdf_with_ledger(source: Path | str | bytes, *, name: str | None = None) -> PdfRead:
    """Read a report PDF (path or bytes) into blocks, keeping the dropped header/footer lines."""
    if isinstance(source, bytes):
        return read_pdf_bytes(source, name=name or "PDF document")
    path = Path(source)
    return read_pdf_bytes(path.read_bytes(), name=name or path.name)


def read_pdf_bytes(data: bytes, *, name: str) -> PdfRead:
    """Read report PDF bytes (e.g. from the raw store) into blocks and a drop ledger.

    Each page is told apart into its parts by type and place (`page_parts`): furniture,
    footnotes, captions and figure text go to the ledger (footnotes kept), the body lines
    make the blocks (`pdf_blocks`).
    """
    _check_envelope(data, name)
    with PDFIUM_LOCK:
        pages, links = _styled_pages(data, name)
    parts = split_pages(pages)
    if not any(line.text for line in parts.body):
        if not parts.dropped:
            raise NoTextLayer(name, "the PDF has no text layer (a scan?); run OCR first")
        raise NoTextLayer(name, "the PDF has only page headers and footers, no body text")
    blocks = build_blocks(parts.body, parts.body_size, parts.body_left, parts.body_right)
    if not blocks:
        raise NoTextLayer(name, "the PDF has no text layer (a scan?); run OCR first")
    return PdfRead(
        blocks=attach_links(blocks, tuple(links)),
        dropped=list(parts.dropped),
        warnings=unclear_furniture_warning(name, parts.unclear_furniture_pages)
        + untyped_pages_warning(name, parts.untyped_pages)
        + scanned_pages_warning(name, tuple(page.number for page in pages if page.image_only)),
        footnotes=parts.footnotes,
    )


def untyped_pages_warning(name: str, pages: tuple[int, ...]) -> tuple[str, ...]:
    """A warning naming the pages that carry no type information, read as body text."""
    if not pages:
        return ()
    listed = ", ".join(str(page) for page in pages)
    return (f"{name}: page(s) {listed}: no type information; read as body text",)


def scanned_pages_warning(name: str, pages: tuple[int, ...]) -> tuple[str, ...]:
    """A warning naming the pages that are only an image (a scan among text pages)."""
    if not pages:
        return ()
    listed = ", ".join(str(page) for page in pages)
    return (f"{name}: page(s) {listed}: an image with no text layer (a scan?); not read",)


def _styled_pages(data: bytes, name: str) -> tuple[list[PageLines], list[PdfLink]]:
    document = _open(data, name)
    pages: list[PageLines] = []
    links: list[PdfLink] = []
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                pages.append(styled_lines(page, textpage, index + 1))
                links += _page_links(document, page, textpage, index + 1)
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()
    return pages, links


def unclear_furniture_warning(name: str, pages: tuple[int, ...]) -> tuple[str, ...]:
    """A warning naming the pages whose margin lines look like furniture but do not repeat."""
    if not pages:
        return ()
    listed = ", ".join(str(page) for page in pages)
    return (
        f"{name}: page(s) {listed}: lines in the page margins look like headers or footers "
        "but do not repeat from page to page; kept as text",
    )


def extract_pdf_pages(data: bytes, *, name: str) -> PdfPages:
    """Extract the laid-out text and link annotations of every page of a PDF.

    Raises EmptyDocument, CorruptDocument (not a PDF, truncated, malformed),
    EncryptedDocument or NoTextLayer, each naming the document.
    """
    _check_envelope(data, name)
    with PDFIUM_LOCK:
        return _extract_pages_locked(data, name)


def _extract_pages_locked(data: bytes, name: str) -> PdfPages:
    document = _open(data, name)
    try:
        pages: list[_PageLines] = []
        links: list[PdfLink] = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                pages.append(_PageLines(_page_lines(textpage), page.get_height()))
                links += _page_links(document, page, textpage, index + 1)
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()
    found = find_furniture(_band_lines(pages), len(pages))
    texts: list[str] = []
    dropped: list[DroppedBlock] = []
    previous: _Previous | None = None
    for number, page_lines in enumerate(pages, start=1):
        body: list[_Line] = []
        for index, line in enumerate(page_lines.lines):
            reason = found.reason(number, index)
            if reason is None:
                body.append(line)
            else:
                dropped.append(DroppedBlock(text=line.text, reason=reason, page=number))
        text, previous = _lay_out(body, previous)
        texts.append(text)
    if not any(line.strip() for text in texts for line in text.splitlines()):
        if not dropped:
            raise NoTextLayer(name, "the PDF has no text layer (a scan?); run OCR first")
        raise NoTextLayer(name, "the PDF has only page headers and footers, no body text")
    return PdfPages(
        pages=tuple(texts),
        links=tuple(links),
        dropped=tuple(dropped),
        unclear_furniture_pages=found.unclear_pages,
    )


def _band_lines(pages: list[_PageLines]) -> list[BandLine]:
    """The lines of each page that sit in its top or bottom band, where furniture goes."""
    found: list[BandLine] = []
    for number, page in enumerate(pages, start=1):
        top, bottom = page.height * (1 - _FURNITURE_BAND), page.height * _FURNITURE_BAND
        for index, line in enumerate(page.lines):
            if line.baseline > top:
                found.append(BandLine(number, index, "top", line.text))
            elif line.baseline < bottom:
                found.append(BandLine(number, index, "bottom", line.text))
    return found


def attach_links(blocks: list[Block], links: tuple[PdfLink, ...]) -> list[Block]:
    """Give each link to the block of its page whose text contains the link's words.

    A block that starts on an earlier page and runs onto the link's page counts as on it.
    A link whose words cannot be found goes to the first block of its page, so no target
    is ever lost.
    """
    extra: dict[int, list[str]] = {}
    keys: dict[int, str] = {}

    def key(index: int) -> str:
        # Only the blocks on a linked page are ever compared: reduce those alone.
        if index not in keys:
            keys[index] = _match_key(blocks[index].text)
        return keys[index]

    on_page = _blocks_by_page(blocks)
    for link in links:
        candidates = on_page(link.page)
        if not candidates:
            continue
        target = next(
            (i for anchor in _anchor_keys(link.anchor) for i in candidates if anchor in key(i)),
            candidates[0],
        )
        extra.setdefault(target, []).append(link.uri)
    return [
        replace(block, links=tuple(dict.fromkeys(block.links + tuple(extra[i]))))
        if i in extra
        else block
        for i, block in enumerate(blocks)
    ]


def _check_envelope(data: bytes, name: str) -> None:
    """Reject what is not a whole PDF before PDFium tries (it silently repairs truncations)."""
    if not data.strip():
        raise EmptyDocument(name, "the file is empty")
    if b"%PDF-" not in data[:1024]:
        form = detect_form(data)
        raise CorruptDocument(name, f"not a PDF: the content is {describe_form(form)}")
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise CorruptDocument(name, "truncated PDF: no %%EOF marker at the end of the file")


def _open(data: bytes, name: str) -> pdfium.PdfDocument:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if error.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise EncryptedDocument(name, "the PDF is encrypted with a password") from error
        raise CorruptDocument(name, f"malformed PDF ({error})") from error
    if len(document) == 0:
        document.close()
        raise CorruptDocument(name, "the PDF has no pages")
    return document


def _page_lines(textpage: pdfium.PdfTextPage) -> list[_Line]:
    """The page's text lines with the position of their first and last characters."""
    text = textpage.get_text_range()
    raw_page = textpage.raw
    char_index, char_box, char_origin, font_weight = _CHAR_FUNCTIONS
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    x, y = ctypes.c_double(), ctypes.c_double()
    left_ref, right_ref, bottom_ref, top_ref = map(ctypes.byref, (left, right, bottom, top))
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    lines: list[_Line] = []
    new_line = _new_line
    # One match per line that is not blank: its text without the surrounding whitespace
    # (str.strip and the pattern's \s agree), from its first character to its last.
    for match in _LINE.finditer(text):
        stripped = match.group()
        first, last = match.start(), match.end() - 1
        first_char = char_index(raw_page, first)
        last_char = char_index(raw_page, last)
        if not char_box(raw_page, first_char, left_ref, right_ref, bottom_ref, top_ref):
            raise pdfium.PdfiumError("Failed to get charbox.")
        line_left, line_bottom = left.value, bottom.value
        if not char_box(raw_page, last_char, left_ref, right_ref, bottom_ref, top_ref):
            raise pdfium.PdfiumError("Failed to get charbox.")
        # The baseline is the first character's origin, else the bottom of its box.
        baseline = y.value if char_origin(raw_page, first_char, x_ref, y_ref) else line_bottom
        weight = font_weight(raw_page, first_char)
        bold = weight >= _BOLD_WEIGHT if weight > 0 else _bold_font_name(textpage, first_char)
        lines.append(new_line((stripped, line_left, right.value, baseline, bold)))
    return lines


def _unchecked(function: ctypes._CFuncPtr) -> ctypes._CFuncPtr:
    """The same PDFium entry point without per-argument ctypes conversion.

    Converting the arguments costs more than PDFium's work for these per-character
    calls; callers pass exactly the declared C types (handle, int, pointers to double)
    and every one of these functions returns a C int.
    """
    return type(function)(ctypes.cast(function, ctypes.c_void_p).value)


# Called several times for every line of every page.
_CHAR_FUNCTIONS = tuple(
    _unchecked(function)
    for function in (
        pdfium_c.FPDFText_GetCharIndexFromTextIndex,
        pdfium_c.FPDFText_GetCharBox,
        pdfium_c.FPDFText_GetCharOrigin,
        pdfium_c.FPDFText_GetFontWeight,
    )
)


def _bold_font_name(textpage: pdfium.PdfTextPage, char: int) -> bool:
    """Bold from the font name of a character, for fonts that state no weight."""
    size = pdfium_c.FPDFText_GetFontInfo(textpage.raw, char, None, 0, None)
    if size <= 0:
        return False
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFText_GetFontInfo(textpage.raw, char, buffer, size, None)
    font = buffer.value.decode("utf-8", "replace").lower()
    return "bold" in font or "black" in font or "heavy" in font


def _lay_out(lines: list[_Line], previous: _Previous | None) -> tuple[str, _Previous | None]:
    """Write a page's body lines the way PDF-extracted text shows layout.

    A line that starts a paragraph gets a blank line before it and a leading space, as
    headings and indented paragraphs show in the corpus; continuation lines (justified,
    hanging indent, across a page break) stay flush left. `previous` carries the last line
    of the page before, so a paragraph running over a page break stays whole.
    """
    if not lines:
        return "", previous
    body_right = max(line.right for line in lines)
    spacing = _typical_spacing(lines)
    out: list[str] = []
    before, started = (None, False) if previous is None else (previous.line, previous.started)
    same_page = False
    for line in lines:
        starts = _starts_paragraph(line, before, started, body_right, spacing, same_page)
        if starts:
            if out:
                out.append("")
            out.append(" " + line.text)
        else:
            out.append(line.text)
        before, started, same_page = line, starts, True
    return "\n".join(out) + "\n", _Previous(line=before, started=started)


def _starts_paragraph(
    line: _Line,
    before: _Line | None,
    before_started: bool,
    body_right: float,
    spacing: float,
    same_page: bool,
) -> bool:
    """A new paragraph: after a vertical gap, on a change between bold and regular, when
    indented from the line before if that line ended short or was not a first line, or
    when outdented from a line that was not a first line.

    Whether the line before opened its paragraph tells the two layouts apart: the second
    line of a hanging-indent paragraph is indented from its number line, and the second
    line of a first-line-indent paragraph is outdented from it; neither starts anything.
    """
    if before is None:
        return True
    if line.bold != before.bold:
        return True
    if same_page and before.baseline - line.baseline > spacing * _PARAGRAPH_GAP:
        return True
    ended_short = before.right < body_right - 4 * _INDENT_TOLERANCE
    if line.left > before.left + _INDENT_TOLERANCE:
        return ended_short or not before_started
    if line.left < before.left - _INDENT_TOLERANCE:
        return not before_started
    return False


def _typical_spacing(lines: list[_Line]) -> float:
    gaps = [
        a.baseline - b.baseline
        for a, b in zip(lines, lines[1:], strict=False)
        if a.baseline > b.baseline
    ]
    return statistics.median(gaps) if gaps else 0.0


def _page_links(
    document: pdfium.PdfDocument, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, number: int
) -> list[PdfLink]:
    """The URI link annotations of a page, with the text under each."""
    found: list[PdfLink] = []
    position = ctypes.c_int(0)
    link = pdfium_c.FPDF_LINK()
    while pdfium_c.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
        action = pdfium_c.FPDFLink_GetAction(link)
        if not action or pdfium_c.FPDFAction_GetType(action) != pdfium_c.PDFACTION_URI:
            continue
        size = pdfium_c.FPDFAction_GetURIPath(document.raw, action, None, 0)
        if size <= 1:
            continue
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDFAction_GetURIPath(document.raw, action, buffer, size)
        uri = buffer.value.decode("utf-8", "replace").strip()
        rect = pdfium_c.FS_RECTF()
        anchor = ""
        if pdfium_c.FPDFLink_GetAnnotRect(link, ctypes.byref(rect)):
            anchor = _text_under(textpage, rect)
        found.append(PdfLink(page=number, uri=uri, anchor=" ".join(anchor.split())))
    return found


def _text_under(textpage: pdfium.PdfTextPage, rect: pdfium_c.FS_RECTF) -> str:
    """The words under a link rectangle.

    Only its middle band is read, a point in from each side: link rectangles span the full
    line height and touch the neighbouring words and lines.
    """
    left, right = sorted((rect.left, rect.right))
    bottom, top = sorted((rect.bottom, rect.top))
    middle, quarter = (top + bottom) / 2, (top - bottom) / 4
    return textpage.get_text_bounded(
        left=left + 1, bottom=middle - quarter, right=right - 1, top=middle + quarter
    )


def _blocks_by_page(blocks: list[Block]) -> Callable[[int], list[int]]:
    """For a page, the indexes of its blocks: the one running onto it, then those starting
    there; the blocks are indexed once, not scanned for every link."""
    starting: dict[int, list[int]] = {}
    for index, block in enumerate(blocks):
        if block.page is not None:
            starting.setdefault(block.page, []).append(index)
    pages = sorted(starting)

    def on_page(page: int) -> list[int]:
        earlier = [p for p in pages if p < page]
        running = [starting[earlier[-1]][-1]] if earlier else []
        return running + starting.get(page, [])

    return on_page


def _anchor_keys(anchor: str) -> list[str]:
    """Keys to look for, whole anchor first, then without a partial word at either edge.

    Some producers misplace link rectangles on justified lines by part of a word.
    """
    tokens = anchor.split()
    variants = [tokens, tokens[1:], tokens[:-1], tokens[1:-1]]
    keys = [_match_key(" ".join(variant)) for variant in variants if variant]
    return [key for key in dict.fromkeys(keys) if key]


def _match_key(text: str) -> str:
    """Text reduced for containment tests: no spaces, hyphens or apostrophe variants."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _NOT_IN_KEY.sub("", text)
