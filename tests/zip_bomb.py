"""A DOCX zip bomb for tests: a real Word package whose word/document.xml inflates to a
gigabyte (or any size) from about a thousandth of that, written without holding it whole."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx

WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GIGABYTE = 1024**3
_CHUNK = b" " * (1024 * 1024)


def write_docx_bomb(path: Path, inflated_bytes: int = GIGABYTE) -> Path:
    """Write a DOCX at `path` whose document.xml is `inflated_bytes` of XML, mostly blanks."""
    template = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("1. Un paragraphe.")
    document.save(template)
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{WORD_NS}"><w:body>'
    tail = "<w:p><w:r><w:t>1. Un paragraphe.</w:t></w:r></w:p></w:body></w:document>"
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for member in source.infolist():
            if member.filename != "word/document.xml":
                bomb.writestr(member, source.read(member))
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with bomb.open(info, "w", force_zip64=True) as xml:
            xml.write(head.encode())
            padding = inflated_bytes - len(head) - len(tail)
            for _ in range(padding // len(_CHUNK)):
                xml.write(_CHUNK)
            xml.write(b" " * (padding % len(_CHUNK)))
            xml.write(tail.encode())
    return path
