"""Pages the reader cannot tell apart: a scanned page among text pages, lines with no type.

A scanned page has no text to read: the read goes on with the other pages and warns naming
the document and the page. Lines whose size PDFium cannot give are read as body text, with
a warning naming the document and the page, and none of them dropped.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from extractors.readers.page_parts import split_pages
from extractors.readers.pdf import read_pdf_with_ledger, untyped_pages_warning
from extractors.readers.pdf_blocks import build_blocks
from extractors.readers.pdf_lines import PageLines, Run, StyledLine


def _report_with_a_scanned_page(path: Path) -> None:
    """Page 1 a report's text, page 2 only a picture of a page (as a scanner gives)."""
    canvas = Canvas(str(path))
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawString(72, 760, "I. Introduction")
    canvas.setFont("Helvetica", 10)
    canvas.drawString(72, 735, "1. The first paragraph of the report says what it is about.")
    canvas.drawString(72, 715, "2. The second paragraph goes on about cooperation.")
    canvas.showPage()
    picture = Image.new("L", (200, 280), color=235)
    canvas.drawImage(ImageReader(picture), 36, 36, width=520, height=760)
    canvas.showPage()
    canvas.save()


def test_a_scanned_page_among_text_pages_is_named_in_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "partly-scanned.pdf"
    _report_with_a_scanned_page(path)

    read = read_pdf_with_ledger(path)

    assert [block.number for block in read.blocks if block.kind == "numbered"] == [1, 2]
    assert read.warnings == (
        "partly-scanned.pdf: page(s) 2: an image with no text layer (a scan?); not read",
    )


def _line(text: str, baseline: float, page: int, size: float) -> StyledLine:
    run = Run(text, 72.0, 72.0 + 5.0 * len(text), size, False)
    return StyledLine(runs=(run,), baseline=baseline, page=page)


def _page(number: int, size: float, texts: list[str]) -> PageLines:
    lines = tuple(_line(text, 760.0 - 14.0 * row, number, size) for row, text in enumerate(texts))
    return PageLines(number=number, width=595.0, height=842.0, rotation=0, lines=lines)


def test_lines_without_type_are_read_as_body_text_with_a_warning() -> None:
    typed = _page(1, 10.0, ["I. Introduction", "1. The report opens here.", "more of it."])
    untyped = _page(2, 0.0, ["2. A paragraph whose type PDFium cannot give.", "Its end."])

    parts = split_pages([typed, untyped])
    blocks = build_blocks(parts.body, parts.body_size, parts.body_left, parts.body_right)

    assert parts.untyped_pages == (2,)
    assert untyped_pages_warning("odd.pdf", parts.untyped_pages) == (
        "odd.pdf: page(s) 2: no type information; read as body text",
    )
    body_text = " ".join(block.text for block in blocks)
    assert "A paragraph whose type PDFium cannot give." in body_text
    assert "Its end." in body_text
    assert parts.dropped == ()


def test_a_page_with_text_is_never_taken_for_a_scan(tmp_path: Path) -> None:
    canvas = Canvas(str(tmp_path / "text.pdf"))
    canvas.setFont("Helvetica", 10)
    canvas.drawString(72, 735, "1. A paragraph beside a picture.")
    buffer = io.BytesIO()
    Image.new("L", (20, 20), color=0).save(buffer, format="PNG")
    canvas.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 72, 600, width=40, height=40)
    canvas.showPage()
    canvas.save()

    assert read_pdf_with_ledger(tmp_path / "text.pdf").warnings == ()
