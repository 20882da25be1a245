"""Reader for report PDFs as the UN serves them, built on pypdfium2 (Apache-2.0/BSD-3).

PDFium gives each page's characters with their type (`pdf_lines`); the parts of every page
are told apart by type and place (`page_parts`: furniture, footnotes, captions, body), the
body lines make the blocks (`pdf_blocks`), and the targets of link annotations are kept on
the paragraphs they cover.
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from common.errors import CorruptDocument, EmptyDocument, EncryptedDocument, NoTextLayer
from extractors.model import Block, DroppedBlock
from extractors.readers.page_parts import FootnoteText, split_pages
from extractors.readers.pdf_blocks import build_blocks
from extractors.readers.pdf_lines import PageLines, styled_lines
from extractors.readers.pdfium_lock import PDFIUM_LOCK
from extractors.readers.sniff import describe_form, detect_form

_EOF_WINDOW = 2048
_NOT_IN_KEY = re.compile(r"[\s\-\u00ad\u2010\u2011'\u2019]")


@dataclass(frozen=True)
class PdfLink:
    """A link annotation: the page it is on (1-based), its target and the words it covers."""

    page: int
    uri: str
    anchor: str


class PdfRead(NamedTuple):
    """Blocks read from a PDF with the ledger of what was dropped (headers, footers,
    footnotes, captions), warnings about what the reader could not decide, and the
    footnotes printed at the page feet."""

    blocks: list[Block]
    dropped: list[DroppedBlock]
    warnings: tuple[str, ...] = ()
    footnotes: tuple[FootnoteText, ...] = ()


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
        pages, links = styled_pages(data, name)
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


def styled_pages(data: bytes, name: str) -> tuple[list[PageLines], list[PdfLink]]:
    """Every page's styled lines and link annotations (the caller holds `PDFIUM_LOCK`)."""
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


def _page_links(
    document: pdfium.PdfDocument, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, number: int
) -> list[PdfLink]:
    """The URI link annotations of a page, with the text under each."""
    found: list[PdfLink] = []
    position = ctypes.c_int(0)
    link = pdfium_c.FPDF_LINK()
    buffer: ctypes.Array[ctypes.c_ushort] | None = None
    while pdfium_c.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
        action = pdfium_c.FPDFLink_GetAction(link)
        if not action or pdfium_c.FPDFAction_GetType(action) != pdfium_c.PDFACTION_URI:
            continue
        size = pdfium_c.FPDFAction_GetURIPath(document.raw, action, None, 0)
        if size <= 1:
            continue
        uri_buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDFAction_GetURIPath(document.raw, action, uri_buffer, size)
        uri = uri_buffer.value.decode("utf-8", "replace").strip()
        rect = pdfium_c.FS_RECTF()
        anchor = ""
        if pdfium_c.FPDFLink_GetAnnotRect(link, ctypes.byref(rect)):
            if buffer is None:
                # Room for the whole page's text with a line break before every character,
                # each a surrogate pair: PDFium is asked once per link, not twice.
                buffer = (ctypes.c_ushort * (4 * textpage.count_chars() + 1))()
            anchor = _text_under(textpage, rect, buffer)
        found.append(PdfLink(page=number, uri=uri, anchor=" ".join(anchor.split())))
    return found


# Characters PDFium would count once but write as two UTF-16 values (or a lone half).
_SURROGATE = re.compile("[\ud800-\udfff\U00010000-\U0010ffff]")


def _text_under(
    textpage: pdfium.PdfTextPage, rect: pdfium_c.FS_RECTF, buffer: ctypes.Array[ctypes.c_ushort]
) -> str:
    """The words under a link rectangle.

    Only its middle band is read, a point in from each side: link rectangles span the full
    line height and touch the neighbouring words and lines. Read into `buffer` in one call;
    text beyond the basic plane is read as pypdfium2's `get_text_bounded` reads it.
    """
    left, right = sorted((rect.left, rect.right))
    bottom, top = sorted((rect.bottom, rect.top))
    middle, quarter = (top + bottom) / 2, (top - bottom) / 4
    band = (left + 1, middle + quarter, right - 1, middle - quarter)
    written = pdfium_c.FPDFText_GetBoundedText(textpage, *band, buffer, len(buffer))
    if written <= 1:
        return ""
    if written < len(buffer) and buffer[written - 1] == 0:
        text = ctypes.string_at(buffer, 2 * (written - 1)).decode("utf-16-le", "surrogatepass")
        if not _SURROGATE.search(text):
            return text
    left, top, right, bottom = band
    return textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top)


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
