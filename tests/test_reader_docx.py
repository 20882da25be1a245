"""The DOCX reader on Word versions of the 2022 edition built inside the test, and on bad files.

Each version is written with python-docx from the blocks of the PDF-extracted-text reader,
with real heading styles, hyperlink relationships and, in one variant, Word list numbering
instead of typed numbers; the DOCX path must give the same structure as the text path.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from common.errors import CorruptDocument, EmptyDocument, EncryptedDocument
from extractors.model import Block
from extractors.readers.docx import read_docx, read_docx_bytes
from extractors.readers.pdftext import read_pdf_text
from tests.conftest import EDITION_2022
from tests.pdf_render import link_spans
from tests.report_structure import TITLE_FR, structure


@pytest.fixture(scope="module")
def source_blocks() -> list[Block]:
    return read_pdf_text(EDITION_2022.read_text(encoding="utf-8"), name=EDITION_2022.name)


def add_text_with_links(paragraph: Paragraph, text: str, links: tuple[str, ...]) -> None:
    """Write `text` as runs, the cited symbols as real hyperlinks (relationship + w:hyperlink)."""
    cursor = 0
    for start, end, url in link_spans(text, links):
        paragraph.add_run(text[cursor:start])
        relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        hyperlink = OxmlElement("w:hyperlink")
        hyperlink.set(qn("r:id"), relationship)
        run = OxmlElement("w:r")
        text_element = OxmlElement("w:t")
        text_element.text = text[start:end]
        text_element.set(qn("xml:space"), "preserve")
        run.append(text_element)
        hyperlink.append(run)
        paragraph._p.append(hyperlink)
        cursor = end
    paragraph.add_run(text[cursor:])


def to_docx(blocks: list[Block], *, word_numbering: bool) -> bytes:
    """A Word version: Title, Heading 1 chapters, Heading 2 organizations, numbered paragraphs."""
    document = docx.Document()
    document.add_paragraph(TITLE_FR, style="Title")
    for block in blocks:
        if block.kind == "heading":
            paragraph = document.add_heading(level=1 if block.level == 1 else 2)
            add_text_with_links(paragraph, block.text, block.links)
        elif block.kind == "numbered" and word_numbering:
            paragraph = document.add_paragraph(style="List Number")
            add_text_with_links(paragraph, block.text, block.links)
        elif block.kind == "numbered":
            paragraph = document.add_paragraph(f"{block.number}.\t")
            add_text_with_links(paragraph, block.text, block.links)
        else:
            paragraph = document.add_paragraph()
            add_text_with_links(paragraph, block.text, block.links)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    document.add_paragraph("")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("word_numbering", [False, True], ids=["typed-numbers", "word-numbering"])
def test_docx_gives_same_structure_as_text(source_blocks, word_numbering: bool) -> None:
    data = to_docx(source_blocks, word_numbering=word_numbering)

    blocks = read_docx_bytes(data, name="A-77-277_fr.docx")

    from_docx = structure(blocks, "A-77-277_fr.docx", with_links=True)
    assert from_docx == structure(source_blocks, EDITION_2022.name, with_links=True)
    assert len(from_docx["paragraphs"]) == 128
    assert sum(len(p[3]) for p in from_docx["paragraphs"]) > 0


def _numbered(paragraph: Paragraph, num_id: int, level: int) -> None:
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), str(num_id))
    num_pr.append(ilvl)
    num_pr.append(num)
    paragraph._p.get_or_add_pPr().append(num_pr)


def test_docx_word_numbering_counts_levels_and_ignores_bullets(tmp_path: Path) -> None:
    document = docx.Document()
    list_number_id = document.styles["List Number"].element.pPr.numPr.numId.val
    bullet_id = document.styles["List Bullet"].element.pPr.numPr.numId.val
    document.add_heading("I. Introduction", level=2)
    _numbered(document.add_paragraph("Premier."), list_number_id, 0)
    _numbered(document.add_paragraph("un sous-point"), list_number_id, 1)
    _numbered(document.add_paragraph("Deuxième."), list_number_id, 0)
    _numbered(document.add_paragraph("une puce"), bullet_id, 0)
    document.add_paragraph("3.\tTroisième, tapé à la main.")
    path = tmp_path / "liste.docx"
    document.save(path)

    blocks = read_docx(path)

    assert [(b.kind, b.level, b.number, b.text) for b in blocks] == [
        ("heading", 1, None, "I. Introduction"),
        ("numbered", None, 1, "Premier."),
        ("text", None, None, "un sous-point"),
        ("numbered", None, 2, "Deuxième."),
        ("text", None, None, "une puce"),
        ("numbered", None, 3, "Troisième, tapé à la main."),
    ]


def test_docx_un_template_styles_are_headings() -> None:
    document = docx.Document()
    for style_name in ("HCh_G", "H1_G"):
        document.styles.add_style(style_name, docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("II. Coopération avec les organisations", style="HCh_G")
    document.add_paragraph("Union africaine", style="H1_G")
    document.add_paragraph("5.\tL'ONU a poursuivi sa collaboration.")
    buffer = io.BytesIO()
    document.save(buffer)

    blocks = read_docx_bytes(buffer.getvalue(), name="x.docx")

    assert [(b.kind, b.level, b.number) for b in blocks] == [
        ("heading", 1, None),
        ("heading", 2, None),
        ("numbered", None, 5),
    ]


@pytest.mark.parametrize(
    ("content", "error", "cause"),
    [
        (b"", EmptyDocument, "the file is empty"),
        (b"PK\x03\x04 not really a zip", CorruptDocument, "not a readable DOCX"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\x00" * 64
            + "EncryptionInfo".encode("utf-16-le"),
            EncryptedDocument,
            "the Word document is encrypted",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, CorruptDocument, "a legacy Word"),
    ],
    ids=["empty", "bad-zip", "encrypted", "legacy-doc"],
)
def test_bad_docx_is_a_clear_typed_error(
    tmp_path: Path, content: bytes, error: type, cause: str
) -> None:
    path = tmp_path / "A-77-277_fr.docx"
    path.write_bytes(content)

    with pytest.raises(error, match=f"^A-77-277_fr.docx: {cause}"):
        read_docx(path)
