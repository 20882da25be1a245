"""Italic sub-headings on the real French editions: each edition's text form rendered into a
UN-like PDF whose organization sub-headings are set in italic body type at the column's edge
(as A/80/1 and S/2025/356 set theirs) parses to exactly the sections, paragraph numbers and
texts of the text form; the rule that reads them is language-neutral (type and place)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.model import Block
from extractors.readers.pdf import read_pdf_with_ledger
from extractors.readers.route import read_file
from tests.conftest import EDITION_2018, EDITION_2022
from tests.pdf_render import RenderOptions, render_pdf
from tests.report_structure import structure

EDITIONS = {
    "A-73-328": (EDITION_2018, ("A/73/328", "S/2018/592"), "18-13370"),
    "A-77-277": (EDITION_2022, ("A/77/277", "S/2022/606"), "22-12374"),
}


@pytest.mark.parametrize("edition", sorted(EDITIONS))
def test_italic_sub_headings_keep_the_french_editions_structure(
    edition: str, tmp_path: Path
) -> None:
    source, symbols, job = EDITIONS[edition]
    blocks, _ = read_file(source)
    options = RenderOptions(symbols=symbols, job_number=job, italic_sub_headings=True)
    rendered = render_pdf(blocks, tmp_path / f"{edition}.pdf", options)

    read = read_pdf_with_ledger(rendered.path)

    assert structure(read.blocks, "pdf", dropped=read.dropped) == structure(blocks, "text")
    sub_headings = [b.text for b in blocks if b.kind == "heading" and (b.level or 1) > 1]
    assert sub_headings, "the edition has sub-headings to set in italic"


def test_an_italic_sub_heading_between_two_paragraphs_is_a_heading(tmp_path: Path) -> None:
    blocks = [
        Block("heading", "I. Introduction", level=1),
        Block("numbered", "1. Le présent rapport porte sur la coopération régionale.", number=1),
        Block("heading", "Union africaine", level=2),
        Block("numbered", "2. La coopération avec l'Union africaine s'est poursuivie.", number=2),
    ]
    options = RenderOptions(italic_sub_headings=True)
    rendered = render_pdf(blocks, tmp_path / "short.pdf", options)

    read = read_pdf_with_ledger(rendered.path)

    headings = [block.text for block in read.blocks if block.kind == "heading"]
    assert headings == ["I. Introduction", "Union africaine"]
