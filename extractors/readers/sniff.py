"""The one sniffer and the table of forms: which form a document is in, from its bytes.

Servers mislabel documents (an HTML login or error page saved as `.pdf`), so every reader
(reports, resolutions, the gate) and the fetcher's trust rules ask `detect_form`; the file
name only breaks ties between the two plain-text forms and says what the caller expected.
`FORMS` says, for each form, whether a reader reads it and which Content-Types agree with
it, so the fetcher never accepts a body no reader can read.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from common.errors import CorruptDocument, EmptyDocument, NotText

DocumentForm = Literal[
    "pdf",
    "docx",
    "akn",
    "html",
    "markdown",
    "pdftext",
    "doc",
    "wordperfect",
    "zip",
    "binary",
    "empty",
]

_HEAD = 4096
# An error page may open with anything, but names `<html` in its first bytes.
_HTML_ANYWHERE = 2048
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_AKN_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?akomaNtoso\b")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_TAGS = re.compile(rb"<(?:html|head|body|div|p|h[1-6]|table|meta|title)\b[^>]*>", re.I)
_MARKDOWN_SIGNS = (
    re.compile(r"^\*\*[^*\n]+\*\*\s*$", re.M),
    re.compile(r"\[[^\]\n]+\]\([^)\n]*\)"),
    re.compile(r"^#{1,6} ", re.M),
    re.compile(r"\\[()\[\]*_.]"),
)
_PDFTEXT_SIGNS = (
    re.compile(r"\f"),
    re.compile(r"^https?://\S+$", re.M),
    re.compile(r"^\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{1,3}/\d{1,3})?\s*$", re.M),
    re.compile(r"^\d{1,3}/\d{1,3}\s+\d{2}-\d{5}\s*$", re.M),
    re.compile(r"\S \n\s*\n\S", re.M),
)


@dataclass(frozen=True)
class FormInfo:
    """What CoopWatch does with one form: its name in messages, whether a reader reads it
    (as a report, as a resolution), and the Content-Types a server may send it with."""

    description: str
    reads_report: bool = False
    reads_resolution: bool = False
    media_types: frozenset[str] = frozenset()

    @property
    def readable(self) -> bool:
        """True when some reader reads this form."""
        return self.reads_report or self.reads_resolution


# Content-Types that say nothing about the body ('' is a missing header).
GENERIC_TYPES: frozenset[str] = frozenset(
    {"", "application/octet-stream", "binary/octet-stream", "application/force-download"}
)
FORMS: dict[str, FormInfo] = {
    "pdf": FormInfo("a PDF", True, True, GENERIC_TYPES | {"application/pdf", "application/x-pdf"}),
    "docx": FormInfo(
        "a Word (DOCX) document",
        True,
        True,
        GENERIC_TYPES
        | {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/zip",
        },
    ),
    "akn": FormInfo(
        "Akoma Ntoso XML",
        False,
        True,
        GENERIC_TYPES | {"application/xml", "text/xml", "application/akn+xml"},
    ),
    "html": FormInfo("an HTML page", True, False),
    "markdown": FormInfo("Markdown-like text", True, True),
    "pdftext": FormInfo("text extracted from a PDF", True, True),
    "doc": FormInfo("a Word 97-2003 (.doc) document, which no reader here reads"),
    "wordperfect": FormInfo("a WordPerfect document, which no reader here reads"),
    "zip": FormInfo("a ZIP archive that is not a DOCX"),
    "binary": FormInfo("binary data"),
    "empty": FormInfo("empty"),
}
FETCHABLE_FORMS: frozenset[str] = frozenset(
    form for form, info in FORMS.items() if info.readable and info.media_types
)
_EXPECTED_BY_SUFFIX: dict[str, tuple[str, ...]] = {
    ".pdf": ("pdf",),
    ".docx": ("docx",),
    ".html": ("html",),
    ".htm": ("html",),
}


def detect_form(data: bytes, name: str = "") -> DocumentForm:
    """The form of a document from its bytes; `name` only chooses between text forms."""
    if not data.strip():
        return "empty"
    head = data[:_HEAD]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_form(data)
    if head.startswith(_OLE_MAGIC):
        return "doc"
    if head.startswith(b"\xffWPC"):
        return "wordperfect"
    if _AKN_ROOT.search(head):
        return "akn"
    text = _decode_text(data)
    if text is None:
        return "binary"
    if (
        _HTML_START.match(head.lstrip(b"\xef\xbb\xbf"))
        or len(_HTML_TAGS.findall(head)) >= 3
        or b"<html" in head[:_HTML_ANYWHERE].lower()
    ):
        return "html"
    return _text_form(text, name)


def describe_form(form: str) -> str:
    """A few words naming a form, for error messages (`an HTML page`)."""
    info = FORMS.get(form)
    return info.description if info else form


def check_form(data: bytes, *, name: str) -> DocumentForm:
    """The form of a readable document, or a typed error naming the file and what is wrong.

    A file whose suffix promises one form (`.pdf`, `.docx`, `.html`) must contain it.
    """
    form = detect_form(data, name)
    if form == "empty":
        raise EmptyDocument(name, "the file is empty")
    if form in ("binary", "zip"):
        raise NotText(name, f"{describe_form(form)}, not a PDF, DOCX, XML or text document")
    if not FORMS[form].readable:
        raise CorruptDocument(name, f"the content is {describe_form(form)}")
    expected = _EXPECTED_BY_SUFFIX.get(Path(name).suffix.lower())
    if expected and form not in expected:
        wanted = describe_form(expected[0])
        raise CorruptDocument(name, f"named as {wanted} but the content is {describe_form(form)}")
    return form


def _zip_form(data: bytes) -> DocumentForm:
    """A DOCX when the archive holds word/document.xml, another ZIP, or no archive at all."""
    import zipfile  # only for what starts like an archive: a PDF's read never needs it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "docx" if "word/document.xml" in archive.namelist() else "zip"
    except zipfile.BadZipFile:
        return "binary"


UTF16_CAUSE = (
    "UTF-16 text, which CoopWatch does not read: save it as UTF-8 "
    "(`iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8.txt`)"
)


def is_utf16_text(data: bytes) -> bool:
    """True for UTF-16 text: a UTF-16 byte-order mark, or a head whose every other byte is
    NUL (Latin letters in UTF-16) and the bytes between are never NUL, decoding to printable
    text."""
    head = data[:_HEAD]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = head[: len(head) // 2 * 2]
    if len(head) < 32:
        return False
    for encoding, high in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
        low = head[0::2] if encoding == "utf-16-le" else head[1::2]
        if high.count(0) < 0.5 * len(high) or low.count(0):
            continue
        text = head.decode(encoding, errors="replace")
        if sum(c.isprintable() or c in "\n\r\t" for c in text) >= 0.98 * len(text):
            return True
    return False


def _decode_text(data: bytes) -> str | None:
    """Decode text as UTF-8 (else Windows-1252); None when the bytes are not text."""
    if b"\x00" in data[:_HEAD]:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return None
    sample = text[:_HEAD]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    return None if controls > len(sample) * 0.01 else text


def _text_form(text: str, name: str) -> DocumentForm:
    markdown = sum(len(sign.findall(text)) for sign in _MARKDOWN_SIGNS)
    pdftext = sum(len(sign.findall(text)) for sign in _PDFTEXT_SIGNS)
    if markdown == pdftext:
        return "markdown" if name.lower().endswith(".md") else "pdftext"
    return "markdown" if markdown > pdftext else "pdftext"


# How much of a text form stands for its first page when its masthead is read.
_FIRST_PAGE_CHARS = 6000
_FIRST_PAGE_PARAGRAPHS = 60


def first_page_text(data: bytes, form: str) -> str:
    """The text of a document's first page, where its masthead is: PDFium's text of page 1,
    a DOCX's first paragraphs, the head of a text form (the first texts of paragraph JSON);
    '' for a form only reports come in (HTML) or when the bytes give none (the reader then
    says what is wrong with them)."""
    if form == "pdf":
        return _pdf_first_page(data)
    if form == "docx":
        return _docx_first_paragraphs(data)
    if form in ("markdown", "pdftext"):
        if data.lstrip().startswith(b"["):
            return _json_paragraphs(data)
        text = data[: _FIRST_PAGE_CHARS * 4].decode("utf-8", errors="ignore")
        return text[:_FIRST_PAGE_CHARS].split("\f", 1)[0]
    return ""


def _json_paragraphs(data: bytes) -> str:
    """The first texts of a paragraph-JSON document (a list of {"text": ...}), one a line."""
    import json

    try:
        items = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return ""
    if not isinstance(items, list):
        return ""
    texts = [
        str(item.get("text") or "")
        for item in items[:_FIRST_PAGE_PARAGRAPHS]
        if isinstance(item, dict)
    ]
    return "\n".join(texts)


def _pdf_first_page(data: bytes) -> str:
    import pypdfium2 as pdfium

    from extractors.readers.pdfium_lock import PDFIUM_LOCK

    with PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            return ""
        try:
            if len(pdf) == 0:
                return ""
            page = pdf[0]
            textpage = page.get_textpage()
            try:
                return textpage.get_text_bounded()
            finally:
                textpage.close()
                page.close()
        finally:
            pdf.close()


def _docx_first_paragraphs(data: bytes) -> str:
    import docx

    from extractors.readers.zip_limits import check_archive

    try:
        # An archive past the limits is never opened here: the reader names it and the cause.
        check_archive(data, "")
        document = docx.Document(io.BytesIO(data))
    except Exception:  # the limits' error, or python-docx's several types on a bad archive
        return ""
    paragraphs = document.paragraphs[:_FIRST_PAGE_PARAGRAPHS]
    return "\n".join(paragraph.text for paragraph in paragraphs)
