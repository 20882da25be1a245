"""The parts of a UN page on small PDFs drawn here: footnotes kept with their caller and
citations, markers out of the words, captions and contents out of the body, French words.

Drawn with reportlab the way the UN sets a page: 10-point body, numbered paragraphs, a rule
and 8-point footnotes at the foot, superscript markers, a running header and a footer.
"""

from __future__ import annotations

import json
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from typer.testing import CliRunner

from extractors.readers.pdf import read_pdf_with_ledger
from extractors.report.report_parser import parse_report_bytes
from flows.cli import app

_LEFT, _TOP = 124.0, 760.0


def _page(canvas: Canvas, number: int, total: int, lines: list[tuple], notes: list[str]) -> None:
    """One page: header, lines (text, font, size, x, raised marker), rule, footnotes, footer."""
    canvas.setFont("Helvetica-Bold", 8.5)
    canvas.drawString(60, 800, "A/99/1")
    y = _TOP
    for text, font, size, x, marker in lines:
        canvas.setFont(font, size)
        canvas.drawString(x, y, text)
        if marker:
            width = canvas.stringWidth(text, font, size)
            canvas.setFont("Helvetica", 6.5)
            canvas.drawString(x + width, y + 3.5, marker)
        y -= 12 if size <= 10 else 20
    if notes:
        canvas.setFont("Helvetica-Bold", 8)
        canvas.drawString(100, 140, "__________________")
        y = 128
        for note in notes:
            marker, text = note.split(" ", 1)
            canvas.setFont("Helvetica", 5.5)
            canvas.drawString(117, y + 3, marker)
            canvas.setFont("Helvetica", 8.5)
            canvas.drawString(124, y, text)
            y -= 10.5
    canvas.setFont("Helvetica", 7)
    canvas.drawString(60, 38, f"99-00001 {number}/{total}")
    canvas.showPage()


def _draw(path: Path, pages: list[tuple[list[tuple], list[str]]]) -> Path:
    canvas = Canvas(str(path), pagesize=A4)
    for number, (lines, notes) in enumerate(pages, start=1):
        _page(canvas, number, len(pages), lines, notes)
    canvas.save()
    return path


def _body(text: str, marker: str = "", x: float = _LEFT) -> tuple:
    return (text, "Helvetica", 10, x, marker)


def _heading(text: str, size: float = 14, x: float = 100) -> tuple:
    return (text, "Helvetica-Bold", size, x, "")


def _report(tmp_path: Path) -> Path:
    return _draw(
        tmp_path / "footnotes.pdf",
        [
            (
                [
                    _heading("I. Introduction"),
                    _body("1. The Council adopted its resolution on the matter, as", "1"),
                    _body("the report of the Secretary-General had proposed."),
                    (" ", "Helvetica", 10, _LEFT, ""),
                    _heading("1. Numbered sub-heading in bold", size=10, x=103),
                    _body("2. The second paragraph follows the sub-heading."),
                    (" ", "Helvetica", 10, _LEFT, ""),
                    ("Figure I", "Helvetica", 10, _LEFT, ""),
                    _heading("Number of meetings by year", size=10, x=_LEFT),
                    ("2019 2020 2021", "Helvetica", 7, _LEFT, ""),
                    _body("3. The third paragraph comes after the figure.", "2"),
                ],
                ["1 See S/2024/117 and A/RES/79/1.", "2 Ibid."],
            ),
            (
                [
                    ("Annexe II", "Helvetica-Bold", 14, 60, ""),
                    _heading("Liste des réunions", x=_LEFT),
                    _body("1. Premier paragraphe de l'annexe."),
                    _body("2. Second paragraphe de l'annexe."),
                ],
                [],
            ),
        ],
    )


def test_footnotes_are_kept_with_their_paragraph_and_out_of_the_words(tmp_path: Path) -> None:
    path = _report(tmp_path)
    report = parse_report_bytes(path.read_bytes(), name=path.name)
    assert [(p.number, p.page) for p in report.paragraphs] == [(1, 1), (2, 1), (3, 1)]
    assert report.headings == ("I. Introduction", "1. Numbered sub-heading in bold")
    assert [(n.number, n.paragraph, n.text) for n in report.footnotes] == [
        ("1", 1, "See S/2024/117 and A/RES/79/1."),
        ("2", 3, "Ibid."),
    ]
    assert report.paragraphs[0].text.startswith(
        "The Council adopted its resolution on the matter, as the"
    )
    assert "as1" not in report.paragraphs[0].text
    assert "Ibid" not in report.paragraphs[2].text and "Figure" not in report.paragraphs[1].text


def test_captions_figure_text_and_footnotes_are_in_the_ledger(tmp_path: Path) -> None:
    read = read_pdf_with_ledger(_report(tmp_path))
    reasons = {(d.text, d.reason) for d in read.dropped}
    assert ("Figure I", "caption") in reasons
    assert ("Number of meetings by year", "caption") in reasons
    assert ("2019 2020 2021", "figure or table text") in reasons
    assert ("__________________", "footnote rule") in reasons
    assert sum(1 for d in read.dropped if d.reason == "footnote") == 2
    assert ("A/99/1", "running header (document symbol)") in reasons


def test_a_french_annex_is_a_part_with_its_own_numbering(tmp_path: Path) -> None:
    path = _report(tmp_path)
    report = parse_report_bytes(path.read_bytes(), name=path.name)
    (part,) = report.parts
    assert (part.title, part.heading, part.first_page) == ("Annexe II", "Liste des réunions", 2)
    assert [(p.number, p.page) for p in part.paragraphs] == [(1, 2), (2, 2)]


def test_parse_json_shows_footnotes_with_their_citations(tmp_path: Path) -> None:
    path = _report(tmp_path)
    result = CliRunner().invoke(app, ["parse", str(path), "--symbol", "A/99/1", "--lang", "en"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    first = printed["footnotes"][0]
    assert (first["number"], first["paragraph"]) == ("1", 1)
    assert first["citations"] == ["S/2024/117", "A/RES/79/1"]
    assert printed["parts"][0]["title"] == "Annexe II"
