"""The PDF reader on a UN-like PDF of the 2022 edition rendered inside the test, and on bad PDFs.

The PDF path must give the same chapters, sections, paragraph numbers and paragraph texts
as the PDF-extracted-text path it was rendered from, with every link annotation kept and
every running header and footer line accounted for in the ledger.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from common.errors import (
    CorruptDocument,
    DocumentError,
    EmptyDocument,
    EncryptedDocument,
    NoTextLayer,
)
from extractors.model import Block
from extractors.normalize import normalize_text
from extractors.readers.pdf import PdfLink, attach_links, read_pdf, read_pdf_with_ledger
from extractors.readers.pdftext import read_pdf_text
from extractors.report.report_parser import parse_blocks
from tests.conftest import EDITION_2022
from tests.pdf_render import RenderedPdf, RenderOptions, render_pdf
from tests.report_structure import structure

VARIANTS = {
    "un-layout": RenderOptions(),
    "rewrapped": RenderOptions(line_width_mm=120, blank_lines=False, headers_on_every_page=True),
    "wide-small": RenderOptions(line_width_mm=170, font_size=9),
}


@pytest.fixture(scope="module")
def source_blocks() -> list[Block]:
    return read_pdf_text(EDITION_2022.read_text(encoding="utf-8"), name=EDITION_2022.name)


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def rendered(request, source_blocks, tmp_path_factory) -> RenderedPdf:
    path = tmp_path_factory.mktemp("pdf") / f"A-77-277_fr_{request.param}.pdf"
    return render_pdf(source_blocks, path, VARIANTS[request.param])


def test_pdf_gives_same_structure_as_text(rendered: RenderedPdf, source_blocks) -> None:
    read = read_pdf_with_ledger(rendered.path)

    from_pdf = structure(read.blocks, rendered.path.name, dropped=read.dropped)
    from_text = structure(source_blocks, EDITION_2022.name)

    assert from_pdf == from_text
    assert len(from_pdf["paragraphs"]) == 128
    assert [b.kind for b in read.blocks] == [b.kind for b in source_blocks]
    assert [normalize_text(b.text) for b in read.blocks] == [
        normalize_text(b.text) for b in source_blocks
    ]


def test_pdf_blocks_carry_the_page_they_start_on(rendered: RenderedPdf) -> None:
    blocks = read_pdf(rendered.path)

    assert [b.page for b in blocks] == list(rendered.block_pages)
    assert rendered.block_pages[-1] >= rendered.page_count - 1


def test_pdf_keeps_every_link_annotation_on_its_paragraph(rendered: RenderedPdf) -> None:
    blocks = read_pdf(rendered.path)

    placed = {(link.block_index, link.url) for link in rendered.placed_links}
    found = {(index, url) for index, block in enumerate(blocks) for url in block.links}
    assert len(placed) == 12
    assert found == placed


def test_pdf_running_header_and_footer_are_dropped_and_accounted(
    rendered: RenderedPdf, source_blocks
) -> None:
    read = read_pdf_with_ledger(rendered.path)

    pages_with_header = rendered.page_count - (
        0 if rendered.path.name.endswith("rewrapped.pdf") else 1
    )
    headers = [d for d in read.dropped if d.reason.startswith("running header")]
    footers = [d for d in read.dropped if d.reason.startswith("footer")]
    assert len(headers) == 2 * pages_with_header
    assert {d.text for d in headers} == {"A/77/277", "S/2022/606"}
    assert len(footers) == rendered.page_count
    assert "22-12374 4/" + str(rendered.page_count) in {d.text for d in footers}
    assert not any("22-12374" in b.text for b in read.blocks)
    report = parse_blocks(read.blocks, name=rendered.path.name, dropped=read.dropped)
    assert report.symbols == ("A/77/277", "S/2022/606")


def test_attach_links_skips_stray_fragments_and_follows_page_breaks() -> None:
    blocks = [
        Block("numbered", "Rappelant la résolution 2202 (2015) du Conseil", number=1, page=1),
        Block("numbered", "Le Conseil a adopté la résolution 75/1 en", number=2, page=1),
        Block("numbered", "Autre texte sans symbole.", number=3, page=2),
    ]
    links = (
        PdfLink(page=1, uri="https://undocs.org/fr/S/RES/2202(2015)", anchor="p tion 2202 (2015)"),
        PdfLink(page=2, uri="https://undocs.org/fr/A/RES/75/1", anchor="75/1"),
        PdfLink(page=2, uri="https://undocs.org/fr/A/RES/99/9", anchor="99/9"),
    )

    attached = attach_links(blocks, links)

    assert attached[0].links == ("https://undocs.org/fr/S/RES/2202(2015)",)
    assert attached[1].links == (
        "https://undocs.org/fr/A/RES/75/1",
        "https://undocs.org/fr/A/RES/99/9",
    )
    assert attached[2].links == ()


def _shapes_only_pdf(path: Path) -> None:
    canvas = Canvas(str(path))
    canvas.rect(100, 100, 300, 400, fill=1)
    canvas.circle(300, 600, 50, fill=1)
    canvas.showPage()
    canvas.save()


def _small_report_pdf(path: Path, options: RenderOptions) -> RenderedPdf:
    blocks = [
        Block("heading", "I. Introduction", level=1),
        Block("numbered", "1. Le présent rapport porte sur la coopération.", number=1),
    ]
    return render_pdf(blocks, path, options)


def test_pdf_without_text_layer_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    _shapes_only_pdf(path)

    with pytest.raises(NoTextLayer, match="scan.pdf: the PDF has no text layer"):
        read_pdf(path)


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    path = _small_report_pdf(tmp_path / "locked.pdf", RenderOptions(user_password="secret")).path

    with pytest.raises(EncryptedDocument, match="locked.pdf: the PDF is encrypted"):
        read_pdf(path)


def test_pdf_with_permissions_only_is_read(tmp_path: Path) -> None:
    path = _small_report_pdf(tmp_path / "owner-only.pdf", RenderOptions(user_password="")).path

    blocks = read_pdf(path)

    assert [(b.kind, b.number) for b in blocks] == [("heading", None), ("numbered", 1)]


@pytest.mark.parametrize(
    ("cut", "cause"),
    [
        (0.5, "truncated PDF"),
        (-8, "truncated PDF"),
    ],
)
def test_truncated_pdf_is_refused(tmp_path: Path, cut: float, cause: str) -> None:
    whole = _small_report_pdf(tmp_path / "whole.pdf", RenderOptions()).path.read_bytes()
    end = int(len(whole) * cut) if cut > 0 else len(whole) + int(cut)
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[:end])

    with pytest.raises(CorruptDocument, match=f"cut.pdf: {cause}"):
        read_pdf(path)


@pytest.mark.parametrize(
    ("content", "error", "cause"),
    [
        (b"", EmptyDocument, "the file is empty"),
        (b"  \n\n ", EmptyDocument, "the file is empty"),
        (
            b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>Login</body></html>",
            CorruptDocument,
            "not a PDF: the content is an HTML page",
        ),
        (bytes(range(256)) * 40, CorruptDocument, "not a PDF: the content is binary data"),
        (b"%PDF-1.7\n\x00\x01garbage objects\n%%EOF\n", CorruptDocument, "malformed PDF"),
    ],
    ids=["empty", "blank", "html", "binary", "garbage-inside"],
)
def test_bad_pdf_input_is_a_clear_typed_error(
    tmp_path: Path, content: bytes, error: type[DocumentError], cause: str
) -> None:
    path = tmp_path / "A-77-277_fr.pdf"
    path.write_bytes(content)

    with pytest.raises(error, match=f"^A-77-277_fr.pdf: {cause}") as raised:
        read_pdf(path)
    assert raised.value.document == "A-77-277_fr.pdf"
