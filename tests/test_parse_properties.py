"""Property tests: re-wrapping or re-paginating an edition never changes its parsed structure.

Two layers. The PDF-extracted text of the 2022 edition is written again from its blocks at
any line width, with or without blank lines between lines and trailing spaces, cut into
pages anywhere (form feeds, or the corpus's URL lists and running headers); and the edition
is rendered into UN-like PDFs with any line width, font size and spacing. Each must parse
to the same chapters, sections, paragraph numbers and paragraph texts.
"""

from __future__ import annotations

import functools
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extractors.model import Block
from extractors.readers.pdf import read_pdf_with_ledger
from extractors.readers.pdftext import read_pdf_text_with_ledger
from tests.conftest import EDITION_2022
from tests.pdf_render import RenderOptions, render_pdf
from tests.report_structure import structure

SOURCE_BLOCKS = (
    read_pdf_text_with_ledger(EDITION_2022.read_text(encoding="utf-8"), name="source").blocks
    if EDITION_2022.exists()
    else []
)
# The PDF property renders a window of 24 blocks of the edition, renumbered from 1, so that
# each example costs a fraction of a second.
PDF_WINDOW = 24


def window(start: int) -> list[Block]:
    """Blocks `start`… of the edition with their paragraphs renumbered from 1."""
    blocks = SOURCE_BLOCKS[start : start + PDF_WINDOW]
    numbers = iter(range(1, len(blocks) + 1))
    return [replace(b, number=next(numbers)) if b.kind == "numbered" else b for b in blocks]


def paragraphs_follow_a_chapter(blocks: list[Block]) -> bool:
    """True when no numbered paragraph comes before the first chapter heading."""
    for block in blocks:
        if block.kind == "heading" and block.level == 1:
            return True
        if block.kind == "numbered":
            return False
    return True


def chapter_windows() -> list[int]:
    """The window starts whose paragraphs all follow a chapter heading. Numbered paragraphs
    before any chapter heading are front matter to the text path but body to the PDF
    reader, which reads a real report's opening paragraphs (issue 27); the two readings
    agree on these windows."""
    last = max(len(SOURCE_BLOCKS) - PDF_WINDOW, 0)
    return [s for s in range(last + 1) if paragraphs_follow_a_chapter(window(s))] or [0]


@functools.cache
def source_structure() -> dict:
    return structure(SOURCE_BLOCKS, "source")


def extracted_lines(block: Block, width: int) -> list[str]:
    """A block as a PDF text extraction shows it: wrapped, headings and indents as spaces."""
    text = f"{block.number}. {block.text}" if block.kind == "numbered" else block.text
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    if block.kind == "heading":
        lines[0] = (" " if block.level == 1 else "  ") + lines[0]
    elif block.kind == "text":
        lines[0] = " " + lines[0]
    return lines


@st.composite
def layouts(draw: st.DrawFn) -> dict:
    return {
        "width": draw(st.integers(min_value=45, max_value=140)),
        "page_lines": draw(st.integers(min_value=12, max_value=90)),
        "first_page_lines": draw(st.integers(min_value=1, max_value=90)),
        "blank_between_lines": draw(st.booleans()),
        "trailing_space": draw(st.booleans()),
        "form_feeds": draw(st.booleans()),
        "header_first": draw(st.booleans()),
    }


def write_extracted_text(blocks: list[Block], layout: dict) -> str:
    """The edition as PDF-extracted text laid out as `layout` says."""
    body: list[tuple[str, tuple[str, ...]]] = []
    for block in blocks:
        if body:
            body.append(("", ()))
        lines = extracted_lines(block, layout["width"])
        body += [(line, block.links if i == 0 else ()) for i, line in enumerate(lines)]
    pages: list[list[tuple[str, tuple[str, ...]]]] = [body[: layout["first_page_lines"]]]
    rest = body[layout["first_page_lines"] :]
    while rest:
        pages.append(rest[: layout["page_lines"]])
        rest = rest[layout["page_lines"] :]
    out: list[str] = []
    end = " " if layout["trailing_space"] else ""
    for number, page in enumerate(pages, start=1):
        furniture = ["A/77/277", "S/2022/606", f"22-12374 {number}/{len(pages)}"]
        if layout["form_feeds"] and number > 1:
            out.append("\f")
        if layout["header_first"] and number > 1:
            out += [line + end for line in furniture]
        for line, _ in page:
            out.append(line + end)
            if layout["blank_between_lines"]:
                out.append("")
        if not layout["form_feeds"]:
            out += [url for _, links in page for url in links]
        if not layout["header_first"] and number > 1:
            out += [line + end for line in furniture]
    return "\n".join(out).replace("\n\f\n", "\n\f")


needs_corpus = pytest.mark.skipif(not SOURCE_BLOCKS, reason="corpus/A-77-277_fr.pdf.txt missing")


@needs_corpus
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layout=layouts())
def test_rewrapped_and_repaginated_text_parses_the_same(layout: dict) -> None:
    text = write_extracted_text(SOURCE_BLOCKS, layout)

    read = read_pdf_text_with_ledger(text, name="rewrapped.pdf.txt")

    assert structure(read.blocks, "rewrapped.pdf.txt", dropped=read.dropped) == source_structure()


@needs_corpus
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.sampled_from(chapter_windows()),
    line_width_mm=st.floats(min_value=90, max_value=180),
    font_size=st.sampled_from([8.0, 9.0, 10.0, 11.0, 12.0]),
    blank_lines=st.booleans(),
    headers_on_every_page=st.booleans(),
)
# A chapter heading cut by a page break after its first line (found by this test in CI).
@example(
    start=3, line_width_mm=90.0, font_size=12.0, blank_lines=False, headers_on_every_page=False
)
def test_pdf_in_any_layout_parses_the_same(
    tmp_path_factory: pytest.TempPathFactory,
    start: int,
    line_width_mm: float,
    font_size: float,
    blank_lines: bool,
    headers_on_every_page: bool,
) -> None:
    options = RenderOptions(
        line_width_mm=line_width_mm,
        font_size=font_size,
        blank_lines=blank_lines,
        headers_on_every_page=headers_on_every_page,
    )
    blocks = window(start)
    path: Path = tmp_path_factory.mktemp("layout") / "A-77-277_fr.pdf"
    rendered = render_pdf(blocks, path, options)

    read = read_pdf_with_ledger(rendered.path)

    assert structure(read.blocks, path.name, dropped=read.dropped) == structure(blocks, "source")
    assert [b.page for b in read.blocks] == list(rendered.block_pages)
