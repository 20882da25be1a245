"""The text-preservation gate and the ledger check, on the real editions and on a PDF, a DOCX
and an HTML version of the 2022 edition made here from its blocks."""

from __future__ import annotations

import html
import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from conftest import EDITION_2018, EDITION_2022, SYMBOL_2022
from hypothesis import given
from hypothesis import strategies as st
from pdf_render import render_pdf

import extractors.readers.markdown as markdown
import extractors.readers.pdf as pdf_reader
import extractors.readers.pdftext as pdftext
from common.errors import CorruptDocument
from extractors.gate import (
    _matching_blocks,
    _unmatched_regions,
    check_ledger,
    content_words,
    missing_runs,
    run_gate,
)
from extractors.model import Block, DroppedBlock
from extractors.readers.pdftext import ReadResult, read_pdf_text
from extractors.report.report_parser import parse_report_bytes

LOST_PARAGRAPH = 50


@pytest.fixture(scope="module")
def blocks_2022() -> list[Block]:
    return read_pdf_text(EDITION_2022.read_text(encoding="utf-8"), name=EDITION_2022.name)


def without_paragraph(blocks: list[Block], number: int) -> list[Block]:
    """The blocks with numbered paragraph `number` silently lost, as a faulty reader would."""
    kept = [b for b in blocks if not (b.kind == "numbered" and b.number == number)]
    assert len(kept) == len(blocks) - 1
    return kept


def paragraph_text(blocks: list[Block], number: int) -> str:
    return next(b.text for b in blocks if b.kind == "numbered" and b.number == number)


@pytest.mark.parametrize("path", [EDITION_2018, EDITION_2022], ids=["2018-md", "2022-pdf-text"])
def test_gate_passes_on_real_editions(path: Path) -> None:
    data = path.read_bytes()
    report = parse_report_bytes(data, name=path.name)
    result = run_gate(report, data, name=path.name)
    assert result.reasons == ()
    assert result.passed and result.method == "raw-text"
    assert result.coverage >= 0.999
    assert result.longest_gap <= 1
    assert result.independent_words > 5000
    assert result.ledger is not None and result.ledger.balanced


def test_gate_fails_when_the_text_reader_loses_a_block(monkeypatch, blocks_2022) -> None:
    original = pdftext.read_pdf_text_with_ledger

    def losing_reader(text: str, *, name: str) -> ReadResult:
        result = original(text, name=name)
        return replace(result, blocks=without_paragraph(list(result.blocks), LOST_PARAGRAPH))

    monkeypatch.setattr(pdftext, "read_pdf_text_with_ledger", losing_reader)
    data = EDITION_2022.read_bytes()
    report = parse_report_bytes(data, name=EDITION_2022.name, symbol=SYMBOL_2022)
    assert LOST_PARAGRAPH not in [p.number for p in report.paragraphs]
    # The ledger balances (the reader lost the block before counting): only the text shows it.
    assert check_ledger(report).balanced
    result = run_gate(report, data, name=EDITION_2022.name)
    assert not result.passed
    assert result.longest_gap > 20
    assert any("consecutive content words" in reason for reason in result.reasons)
    lost = set(content_words(paragraph_text(blocks_2022, LOST_PARAGRAPH)))
    assert set(result.missing_words) <= lost
    runs = missing_runs(report, data, name=EDITION_2022.name)
    assert len(runs) == 1 and set(runs[0].split()) <= lost


def test_gate_fails_when_the_markdown_reader_loses_a_block(monkeypatch) -> None:
    original = markdown.read_markdown
    monkeypatch.setattr(
        markdown,
        "read_markdown",
        lambda text, *, name: without_paragraph(original(text, name=name), 95),
    )
    data = EDITION_2018.read_bytes()
    report = parse_report_bytes(data, name=EDITION_2018.name)
    result = run_gate(report, data, name=EDITION_2018.name)
    assert not result.passed
    assert {"bureau", "affaires", "collabore", "désarmement"} <= set(result.missing_words)


def test_threshold_is_configurable() -> None:
    data = EDITION_2022.read_bytes()
    report = parse_report_bytes(data, name=EDITION_2022.name)
    # Two words split by the PDF extraction (`f ormat`) are the only ones not found.
    strict = run_gate(report, data, name=EDITION_2022.name, threshold=1.0)
    assert not strict.passed and strict.coverage < 1.0
    assert strict.reasons == (
        f"{EDITION_2022.name}: {strict.coverage:.1%} of the {strict.independent_words} content "
        "words of the raw-text extraction are in the parse, below the 100% required",
    )
    assert run_gate(report, data, name=EDITION_2022.name, threshold=0.9).passed


@pytest.fixture(scope="module")
def pdf_2022(tmp_path_factory, blocks_2022) -> bytes:
    path = tmp_path_factory.mktemp("pdf") / "A-77-277_fr.pdf"
    render_pdf(blocks_2022[:60], path)
    return path.read_bytes()


def test_pdf_gate_uses_pypdf_and_passes(pdf_2022) -> None:
    report = parse_report_bytes(pdf_2022, name="A-77-277_fr.pdf")
    result = run_gate(report, pdf_2022, name="A-77-277_fr.pdf")
    assert result.method == "pypdf"
    assert result.passed, result.reasons
    # The running header and footer of every page are in the ledger, not lost.
    assert result.ledger is not None and result.ledger.dropped > 2


def test_pdf_gate_fails_when_the_pdf_reader_loses_a_block(monkeypatch, pdf_2022) -> None:
    original = pdf_reader.build_blocks

    def losing_reader(*args: object) -> list[Block]:
        return without_paragraph(original(*args), 20)

    monkeypatch.setattr(pdf_reader, "build_blocks", losing_reader)
    report = parse_report_bytes(pdf_2022, name="A-77-277_fr.pdf")
    result = run_gate(report, pdf_2022, name="A-77-277_fr.pdf")
    assert not result.passed and result.method == "pypdf"
    assert result.longest_gap > 20


def to_docx(blocks: list[Block]) -> bytes:
    document = docx.Document()
    for block in blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=1 if block.level == 1 else 2)
        elif block.kind == "numbered":
            document.add_paragraph(f"{block.number}.\t{block.text}")
        else:
            document.add_paragraph(block.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_html(blocks: list[Block]) -> bytes:
    body = []
    for block in blocks:
        text = html.escape(block.text)
        if block.kind == "heading":
            body.append(
                f"<h{2 if block.level == 1 else 3}>{text}</h{2 if block.level == 1 else 3}>"
            )
        elif block.kind == "numbered":
            body.append(f"<p>{block.number}.&#160;{text}</p>")
        else:
            body.append(f"<p>{text}</p>")
    page = (
        "<!DOCTYPE html><html><head><title>x</title><script>var a = 'mot caché';</script>"
        "</head><body>" + "\n".join(body) + "</body></html>"
    )
    return page.encode("utf-8")


@pytest.mark.parametrize(
    ("build", "method", "name"),
    [(to_docx, "docx-xml", "A-77-277_fr.docx"), (to_html, "html-text", "A-77-277_fr.html")],
    ids=["docx", "html"],
)
def test_docx_and_html_gates_compare_with_their_own_text(
    blocks_2022, build, method: str, name: str
) -> None:
    data = build(blocks_2022)
    report = parse_report_bytes(data, name=name)
    result = run_gate(report, data, name=name)
    assert result.method == method
    assert result.passed, result.reasons
    lost = replace(
        report, paragraphs=tuple(p for p in report.paragraphs if p.number != LOST_PARAGRAPH)
    )
    assert not run_gate(lost, data, name=name).passed


def test_ledger_check_names_what_does_not_add_up(report_2022) -> None:
    assert check_ledger(report_2022).balanced
    too_many_dropped = replace(report_2022, blocks_in=len(report_2022.dropped) - 1)
    assert not check_ledger(too_many_dropped).balanced
    short = replace(report_2022, blocks_in=len(report_2022.dropped) + 10)
    check = check_ledger(short)
    assert not check.balanced
    assert check.reasons[0].startswith("the structure needs 154 blocks")
    assert check_ledger(replace(report_2022, blocks_in=0)).reasons[0] == (
        "the parse records no blocks read (blocks_in is 0)"
    )


def test_ledger_failure_fails_the_gate() -> None:
    data = EDITION_2022.read_bytes()
    report = parse_report_bytes(data, name=EDITION_2022.name)
    padded = replace(
        report, dropped=report.dropped + tuple(DroppedBlock("x", "test") for _ in range(20))
    )
    result = run_gate(padded, data, name=EDITION_2022.name)
    assert not result.passed
    assert result.ledger is not None and not result.ledger.balanced


def test_content_words_leave_out_stop_words_numbers_and_links() -> None:
    text = (
        "Le 6 août 2013, l’ONU et l'Union africaine (S/PRST/2013/12) https://undocs.org/fr/A/75/345"
    )
    assert content_words(text) == ["août", "onu", "union", "africaine", "prst"]


def test_unreadable_pdf_is_a_typed_error() -> None:
    with pytest.raises(CorruptDocument, match="broken.pdf: pypdf cannot read"):
        run_gate(
            parse_report_bytes(EDITION_2022.read_bytes(), name="x"),
            b"%PDF-1.7\n",
            name="broken.pdf",
        )


WORD_LISTS = st.lists(
    st.sampled_from(["paix", "union", "africaine", "climat", "santé"]), max_size=30
)


@given(WORD_LISTS, WORD_LISTS)
def test_alignment_pairs_equal_words_in_order_and_tiles_both_texts(independent, placed) -> None:
    blocks = _matching_blocks(independent, placed)
    for a, b, size in blocks:
        assert independent[a : a + size] == placed[b : b + size]
    regions = _unmatched_regions(blocks, len(independent), len(placed))
    pieces = sorted([(a, a + size, b, b + size) for a, b, size in blocks] + regions)
    assert [p[0] for p in pieces[1:]] == [p[1] for p in pieces[:-1]]
    assert [p[2] for p in pieces[1:]] == [p[3] for p in pieces[:-1]]
    if pieces:
        assert (pieces[0][0], pieces[0][2]) == (0, 0)
        assert (pieces[-1][1], pieces[-1][3]) == (len(independent), len(placed))
    longest_common = sum(size for _, _, size in blocks)
    assert len(independent) + len(placed) - 2 * longest_common == (
        _indel_distance(independent, placed)
    )


def _indel_distance(a: list[str], b: list[str]) -> int:
    """Insertions plus deletions from a to b, by the textbook dynamic programme."""
    previous = list(range(len(b) + 1))
    for i, word in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            current.append(
                previous[j - 1] if word == other else min(previous[j], current[j - 1]) + 1
            )
        previous = current
    return previous[-1]


def test_the_second_reading_of_a_pdf_comes_page_by_page_from_pypdf(pdf_2022) -> None:
    from pypdf import PdfReader

    from extractors.readers.pypdf_pages import pypdf_pages
    from extractors.readers.route import REPORT_READERS, second_reading

    pages = pypdf_pages(pdf_2022, "A-77-277_fr.pdf")
    assert isinstance(pages, Iterator)
    texts = list(pages)
    assert len(texts) == len(PdfReader(io.BytesIO(pdf_2022)).pages)
    assert "Introduction" in texts[0]
    assert second_reading(pdf_2022, "A-77-277_fr.pdf")[1] == REPORT_READERS["pdf"].method
    assert second_reading(b"I. Introduction\n\n1. Texte.", "x.md")[1] == "raw-text"


def test_a_url_an_extraction_broke_over_two_lines_is_no_content() -> None:
    text = (
        "Available at: https://dtm.iom.int/reports/haiti-emergency-\n"
        "tracking-tool-522-origin-and-host-locations-idps\nvisited on 22 November"
    )
    assert content_words(text) == ["available", "visited", "november"]
    # A URL ending a sentence takes nothing of the next line.
    assert content_words("see https://x.org/report.\nThe next sentence") == [
        "see",
        "next",
        "sentence",
    ]
