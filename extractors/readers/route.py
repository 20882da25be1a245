"""The report readers by form: the one sniffer (`extractors.readers.sniff`) picks, this table reads.

Each form's row names its reader and its second reading for the text-preservation gate (the
document's text by other means), so a new form is its recognition in `sniff.py`, a reader
module and one row here. Each reader is imported when its form is read: a command reading
one PDF loads no text, Markdown, DOCX or HTML reader (python-docx, lxml, BeautifulSoup and
soupsieve alone were a third of `coopwatch parse`'s start-up on a PDF).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from common.errors import CorruptDocument, EmptyDocument, NotText
from extractors.fetch.local_file import read_local_file
from extractors.model import Block, DroppedBlock
from extractors.readers.sniff import UTF16_CAUSE, describe_form, detect_form, is_utf16_text
from extractors.readers.text import decode_text

if TYPE_CHECKING:
    from extractors.readers.page_parts import FootnoteText


class ReadDocument(NamedTuple):
    """What a reader made of a report's bytes: blocks, the furniture it dropped with a reason
    each, warnings about what it could not decide, and the form it read."""

    blocks: list[Block]
    dropped: list[DroppedBlock]
    warnings: tuple[str, ...]
    form: str
    footnotes: tuple[FootnoteText, ...] = ()


def read_file(path: Path) -> tuple[list[Block], list[DroppedBlock]]:
    """Read any supported report file into blocks plus the furniture dropped on the way."""
    read = read_document(read_local_bytes(path), name=str(path))
    return read.blocks, read.dropped


def read_local_bytes(path: Path) -> bytes:
    """A local file's bytes, or a typed error naming it (missing, a folder, unreadable, over
    the size limit)."""
    return read_local_file(path, name=str(path))


def read_bytes(data: bytes, *, name: str) -> tuple[list[Block], list[DroppedBlock]]:
    """Read report bytes (PDF, DOCX, HTML, Markdown-like or PDF-extracted text)."""
    read = read_document(data, name=name)
    return read.blocks, read.dropped


def read_document(data: bytes, *, name: str) -> ReadDocument:
    """Read report bytes with the reader of their form; a form no report reader reads is a
    typed error naming the document and what its content is."""
    form = detect_form(data, name)
    reader = REPORT_READERS.get(form)
    if reader is None:
        if form == "empty":
            raise EmptyDocument(name, "the file is empty")
        if form == "binary" and is_utf16_text(data):
            raise NotText(name, UTF16_CAUSE)
        if form == "binary":
            raise NotText(name, "binary data that is not a PDF, DOCX or text document")
        raise CorruptDocument(name, f"no report reader for {describe_form(form)}")
    read = reader.read(data, name)
    blocks, dropped, warnings = read[:3]
    footnotes = read[3] if len(read) > 3 else ()
    return ReadDocument(list(blocks), list(dropped), tuple(warnings), form, tuple(footnotes))


_Read = tuple  # (blocks, dropped, warnings[, footnotes])


def _read_pdf(data: bytes, name: str) -> _Read:
    from extractors.readers.pdf import read_pdf_bytes

    read = read_pdf_bytes(data, name=name)
    return read.blocks, read.dropped, read.warnings, read.footnotes


def _read_docx(data: bytes, name: str) -> _Read:
    from extractors.readers.docx import read_docx_bytes

    return read_docx_bytes(data, name=name), [], ()


def _read_html(data: bytes, name: str) -> _Read:
    from extractors.readers.html import read_html

    return read_html(decode_text(data, name), name=name), [], ()


def _read_markdown(data: bytes, name: str) -> _Read:
    from extractors.readers.markdown import read_markdown

    return read_markdown(decode_text(data, name), name=name), [], ()


def _read_pdftext(data: bytes, name: str) -> _Read:
    from extractors.readers.pdftext import read_pdf_text_with_ledger

    result = read_pdf_text_with_ledger(decode_text(data, name), name=name)
    return result.blocks, result.dropped, ()


def _pypdf_pages(data: bytes, name: str) -> Iterator[str]:
    from extractors.readers.pypdf_pages import pypdf_pages

    yield from pypdf_pages(data, name)


def _docx_xml_pages(data: bytes, name: str) -> Iterator[str]:
    from extractors.readers.docx import docx_xml_text

    yield docx_xml_text(data, name)


def _html_text_pages(data: bytes, name: str) -> Iterator[str]:
    from extractors.readers.html import html_plain_text

    yield html_plain_text(data, name)


_MARKDOWN_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")


def raw_text_pages(data: bytes, name: str) -> Iterator[str]:
    """The decoded text as it stands, Markdown link targets left out: the second reading of
    a text form, and of any form without a reading of its own."""
    yield _MARKDOWN_LINK_TARGET.sub("]", data.decode("utf-8-sig", errors="replace"))


class FormReader(NamedTuple):
    """One form's reader, and its text by other means for the gate (page by page where the
    form has pages) with the name of that method."""

    read: Callable[[bytes, str], _Read]
    second_reading: Callable[[bytes, str], Iterator[str]] = raw_text_pages
    method: str = "raw-text"


REPORT_READERS: dict[str, FormReader] = {
    "pdf": FormReader(_read_pdf, _pypdf_pages, "pypdf"),
    "docx": FormReader(_read_docx, _docx_xml_pages, "docx-xml"),
    "html": FormReader(_read_html, _html_text_pages, "html-text"),
    "markdown": FormReader(_read_markdown),
    "pdftext": FormReader(_read_pdftext),
}


def second_reading(data: bytes, name: str) -> tuple[Iterator[str], str]:
    """(texts, method): the document's text by other means than its reader, for the gate."""
    reader = REPORT_READERS.get(detect_form(data, name))
    if reader is None:
        return raw_text_pages(data, name), "raw-text"
    return reader.second_reading(data, name), reader.method
