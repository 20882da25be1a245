"""Tell which form a document is in from its bytes, so the right reader gets it.

Servers mislabel documents (an HTML login or error page saved as `.pdf`), so the route for
`coopwatch parse FILE` is chosen from the content; the file name only breaks ties between
the two plain-text forms and says what the caller expected.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Literal

from extractors.errors import CorruptDocument, EmptyDocument, NotText

DocumentForm = Literal["pdf", "docx", "html", "markdown", "pdftext", "binary", "empty"]

_HEAD = 4096
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
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
_DESCRIPTIONS: dict[str, str] = {
    "pdf": "a PDF",
    "docx": "a Word (DOCX) document",
    "html": "an HTML page",
    "markdown": "Markdown-like text",
    "pdftext": "text extracted from a PDF",
    "binary": "binary data",
    "empty": "empty",
}
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
        return "docx" if _is_docx(data) else "binary"
    text = _decode_text(data)
    if text is None:
        return "binary"
    if _HTML_START.match(head.lstrip(b"\xef\xbb\xbf")) or len(_HTML_TAGS.findall(head)) >= 3:
        return "html"
    return _text_form(text, name)


def describe_form(form: str) -> str:
    """A few words naming a form, for error messages (`an HTML page`)."""
    return _DESCRIPTIONS.get(form, form)


def check_form(data: bytes, *, name: str) -> DocumentForm:
    """The form of a readable document, or a typed error naming the file and what is wrong.

    A file whose suffix promises one form (`.pdf`, `.docx`, `.html`) must contain it.
    """
    form = detect_form(data, name)
    if form == "empty":
        raise EmptyDocument(name, "the file is empty")
    if form == "binary":
        raise NotText(name, "binary data that is not a PDF, DOCX or text document")
    expected = _EXPECTED_BY_SUFFIX.get(Path(name).suffix.lower())
    if expected and form not in expected:
        wanted = describe_form(expected[0])
        raise CorruptDocument(name, f"named as {wanted} but the content is {describe_form(form)}")
    return form


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
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
