"""A PDF's pages as PDFium gives them: each page's styled lines (`pdf_lines`) and its link
annotations with the words under them. Reports (`pdf`, which then tells each page's parts
apart) and resolutions (`resolution_pdf`) both read their pages here, so reading a
resolution loads nothing of the report side."""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from functools import partial

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from common.errors import CorruptDocument, EncryptedDocument
from extractors.readers.page_halves import read_in_halves
from extractors.readers.pdf_lines import PageLines, styled_lines


@dataclass(frozen=True)
class PdfLink:
    """A link annotation: the page it is on (1-based), its target and the words it covers."""

    page: int
    uri: str
    anchor: str


def styled_pages(
    data: bytes, name: str, *, fork: bool | None = None
) -> tuple[list[PageLines], list[PdfLink]]:
    """Every page's styled lines and link annotations (the caller holds `PDFIUM_LOCK`); a
    long document's second half is read by a forked copy where that is safe (`page_halves`;
    `fork` True or False decides instead, as tests do)."""
    document = open_pdf(data, name)
    try:
        read = partial(_styled_range, document)
        found = read_in_halves(len(document), read, fork=fork)
    finally:
        document.close()
    return [page for page, _ in found], [link for _, links in found for link in links]


def _styled_range(
    document: pdfium.PdfDocument, numbers: range
) -> list[tuple[PageLines, list[PdfLink]]]:
    """The styled lines and links of the pages at `numbers` (0-based), in order."""
    found: list[tuple[PageLines, list[PdfLink]]] = []
    for index in numbers:
        page = document[index]
        textpage = page.get_textpage()
        try:
            found.append(
                (
                    styled_lines(page, textpage, index + 1),
                    _page_links(document, page, textpage, index + 1),
                )
            )
        finally:
            textpage.close()
            page.close()
    return found


def open_pdf(data: bytes, name: str) -> pdfium.PdfDocument:
    """PDFium's document for `data`; an encrypted, malformed or empty PDF is a typed error
    naming `name`."""
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
