"""Reader for Word (DOCX) versions of a report, as the ODS also serves them, with python-docx.

Headings come from paragraph styles (`Heading N`, `Titre N`, the UN templates' `HCh_G` and
`H1_G`…) and roman numbering; numbered paragraphs from text starting `N.` or from Word
list numbering (`w:numPr`, on the paragraph or its style), counted as Word counts them;
link targets from the hyperlink relationships.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
from defusedxml import ElementTree
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from common.errors import CorruptDocument, EmptyDocument, EncryptedDocument, NotAReport
from extractors.fetch.local_file import read_local_file
from extractors.model import Block
from extractors.normalize import normalize_text
from extractors.readers.layout import CHAPTER_HEADING, NUMBERED_START
from extractors.readers.zip_limits import check_archive

_WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Style names that mark headings, as data: (pattern, depth). A depth of None reads the
# depth from the digit in the name; the UN templates put `HCh_G` (chapter) above `H1_G`.
_HEADING_STYLES: tuple[tuple[re.Pattern[str], int | None], ...] = (
    (re.compile(r"^(?:heading|titre|título|titolo|überschrift)\s*(\d)$", re.IGNORECASE), None),
    (re.compile(r"^HCh(?:_G)?$"), 1),
    (re.compile(r"^H1(?:_G)?$"), 2),
    (re.compile(r"^H2\d*(?:_G)?$"), 3),
    (re.compile(r"^H[3-9]\d*(?:_G)?$"), 4),
    (re.compile(r"^(?:title|titre du document)$", re.IGNORECASE), 0),
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


@dataclass
class _Counters:
    """Word list counters: one stack of level counters per list instance (numId)."""

    values: dict[str, list[int]] = field(default_factory=dict)

    def next(self, num_id: str, level: int, start: int) -> int:
        stack = self.values.setdefault(num_id, [])
        while len(stack) <= level:
            stack.append(0)
        del stack[level + 1 :]
        stack[level] = stack[level] + 1 if stack[level] else start
        return stack[level]


def read_docx(source: Path | str | bytes, *, name: str | None = None) -> list[Block]:
    """Read a DOCX report (a file path, or its bytes) into blocks."""
    if isinstance(source, bytes):
        return read_docx_bytes(source, name=name or "Word document")
    path = Path(source)
    return read_docx_bytes(read_local_file(path, name=name or path.name), name=name or path.name)


def read_docx_bytes(data: bytes, *, name: str) -> list[Block]:
    """Read DOCX bytes into blocks; typed errors name the document and the cause."""
    document = _open(data, name)
    paragraphs = [p for p in document.paragraphs if normalize_text(p.text)]
    depths = [_heading_depth(p) for p in paragraphs]
    chapter_depth = next(
        (
            depth
            for p, depth in zip(paragraphs, depths, strict=True)
            if depth and CHAPTER_HEADING.match(normalize_text(p.text))
        ),
        None,
    )
    numbering = _Numbering(document)
    blocks = [
        _block(p, depth, chapter_depth, numbering)
        for p, depth in zip(paragraphs, depths, strict=True)
    ]
    if not blocks:
        raise NotAReport(name, "the Word document has no text")
    return blocks


def _open(data: bytes, name: str) -> Document:
    if not data.strip():
        raise EmptyDocument(name, "the file is empty")
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_STREAM in data:
            raise EncryptedDocument(name, "the Word document is encrypted with a password")
        raise CorruptDocument(name, "a legacy Word (.doc) file, not DOCX")
    check_archive(data, name)
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as error:
        raise CorruptDocument(name, f"not a readable DOCX ({error})") from error


def _block(
    paragraph: Paragraph, depth: int | None, chapter_depth: int | None, numbering: _Numbering
) -> Block:
    text = normalize_text(paragraph.text)
    links = tuple(dict.fromkeys(h.url for h in paragraph.hyperlinks if h.address))
    if depth is not None:
        level = 1 if CHAPTER_HEADING.match(text) or depth == chapter_depth else 2
        return Block("heading", text, level=level, links=links)
    match = NUMBERED_START.match(text)
    listed = numbering.number_of(paragraph)
    if match:
        return Block("numbered", match.group(2), number=int(match.group(1)), links=links)
    if listed is not None:
        return Block("numbered", text, number=listed, links=links)
    return Block("text", text, links=links)


def _heading_depth(paragraph: Paragraph) -> int | None:
    """The heading depth its style gives a paragraph (0 for a title), or None for body text."""
    style = paragraph.style
    while style is not None:
        for pattern, depth in _HEADING_STYLES:
            match = pattern.match(style.name or "")
            if match:
                return depth if depth is not None else int(match.group(1))
        style = style.base_style
    return None


class _Numbering:
    """Resolves Word list numbering (numPr on the paragraph or its styles) to numbers."""

    def __init__(self, document: Document) -> None:
        self._counters = _Counters()
        self._levels: dict[tuple[str, int], tuple[int, str]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
        for num in root.findall(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            ref = num.find(qn("w:abstractNumId"))
            definition = abstract.get(ref.get(qn("w:val"))) if ref is not None else None
            if definition is None:
                continue
            for lvl in definition.findall(qn("w:lvl")):
                level = int(lvl.get(qn("w:ilvl"), "0"))
                start = _val(lvl.find(qn("w:start")), "1")
                fmt = _val(lvl.find(qn("w:numFmt")), "decimal")
                self._levels[(num_id, level)] = (int(start), fmt)
            for override in num.findall(qn("w:lvlOverride")):
                level = int(override.get(qn("w:ilvl"), "0"))
                start_override = override.find(qn("w:startOverride"))
                if start_override is not None and (num_id, level) in self._levels:
                    fmt = self._levels[(num_id, level)][1]
                    self._levels[(num_id, level)] = (int(_val(start_override, "1")), fmt)

    def number_of(self, paragraph: Paragraph) -> int | None:
        """The paragraph's number when it is a top-level item of a decimal list, else None."""
        found = _num_pr(paragraph)
        if found is None:
            return None
        num_id, level = found
        if num_id == "0" or (num_id, level) not in self._levels:
            return None
        start, fmt = self._levels[(num_id, level)]
        number = self._counters.next(num_id, level, start)
        return number if level == 0 and fmt == "decimal" else None


def _num_pr(paragraph: Paragraph) -> tuple[str, int] | None:
    """(numId, ilvl) from the paragraph's properties, else from its style chain."""
    candidates = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    for ppr in candidates:
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is None:
            continue
        num_id = num_pr.find(qn("w:numId"))
        if num_id is None:
            continue
        return num_id.get(qn("w:val")), int(_val(num_pr.find(qn("w:ilvl")), "0"))
    return None


def _val(element: object, default: str) -> str:
    if element is None:
        return default
    return element.get(qn("w:val"), default)  # type: ignore[attr-defined]


def docx_xml_text(data: bytes, name: str) -> str:
    """The text of every paragraph of `word/document.xml`, read as plain XML without
    python-docx: the gate's second reading of a DOCX."""
    check_archive(data, name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError) as error:
        raise CorruptDocument(name, f"not a readable DOCX ({error})") from None
    root = ElementTree.fromstring(xml)
    paragraphs = (
        "".join(node.text or "" for node in paragraph.iter(f"{_WORD_NS}t"))
        for paragraph in root.iter(f"{_WORD_NS}p")
    )
    return "\n".join(paragraphs)
