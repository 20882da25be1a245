"""Choose the reader for a file from its content, not its name."""

from __future__ import annotations

import re
from pathlib import Path

from extractors.localfile import read_local_file
from extractors.model import Block, DroppedBlock
from extractors.readers.markdown import read_markdown
from extractors.readers.pdftext import read_pdf_text_with_ledger

_MARKDOWN_SIGNS = re.compile(r"\*\*|\]\(#?\)|\]\(#\)|\\\(")


def read_file(path: Path) -> tuple[list[Block], list[DroppedBlock]]:
    """Read any supported report file into blocks plus the furniture dropped on the way."""
    name = str(path)
    return read_bytes(read_local_file(path, name=name), name=name)


def read_bytes(data: bytes, *, name: str) -> tuple[list[Block], list[DroppedBlock]]:
    """Read report bytes (PDF, DOCX, HTML, Markdown-like or PDF-extracted text)."""
    from extractors.report import decode_text

    kind = _sniff(data)
    if kind == "pdf":
        from extractors.readers.pdf import read_pdf_bytes

        return _with_ledger(read_pdf_bytes(data, name=name))
    if kind == "docx":
        from extractors.readers.docx import read_docx

        return _with_ledger(read_docx(data, name=name))
    text = decode_text(data, name)
    if kind == "html" or re.match(r"\s*(<!doctype html|<html)", text[:500], re.IGNORECASE):
        from extractors.readers.html import read_html

        return _with_ledger(read_html(text, name=name))
    if _MARKDOWN_SIGNS.search(text[:50000]):
        return read_markdown(text, name=name), []
    result = read_pdf_text_with_ledger(text, name=name)
    return result.blocks, result.dropped


def _with_ledger(result: object) -> tuple[list[Block], list[DroppedBlock]]:
    if isinstance(result, tuple):
        return list(result[0]), list(result[1])
    return list(result), []  # type: ignore[arg-type]


def _sniff(data: bytes) -> str:
    head = data[:8].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    return "text"
