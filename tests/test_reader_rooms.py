"""The pieces of the page reader, the browse pages, the damaged-file message, language
choice and agreement lines, and refused runs, each called directly on real inputs.

The real-PDF tests read ../shared/corpus/real_pdfs (S/2025/72 prints nine footnotes,
S/2025/153 three annexes: see tests/golden/) and skip with a reason where it is absent.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pypdfium2 as pdfium
import pytest
from warehouse_editions import load_editions

from extractors.readers.page_parts import split_pages
from extractors.readers.page_words import alternatives, page_words
from extractors.readers.pdf import read_pdf
from extractors.readers.pdf_blocks import build_blocks
from extractors.readers.pdf_lines import styled_lines
from extractors.report.parts import build_parts
from flows.prefect_logging import WithoutTraceback
from notify.report_paths import browse_href, report_stem, safe_symbol
from warehouse.browse_queries import browse_data
from warehouse.db.damaged_file import DamagedWarehouse, as_user_error
from warehouse.db.schema import connect
from warehouse.language_choice import choose_language
from warehouse.language_pairs import agreement_lines
from warehouse.runs.run_refusal import NOT_STARTED, record_refused_run

REAL_PDFS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real_pdfs"
needs_real_pdfs = pytest.mark.skipif(
    not REAL_PDFS.is_dir(), reason="../shared/corpus/real_pdfs is absent"
)


def _page_lines(path: Path) -> list:
    document = pdfium.PdfDocument(path)
    try:
        return [
            styled_lines(page, page.get_textpage(), number)
            for number, page in enumerate(document, start=1)
        ]
    finally:
        document.close()


def test_page_words_carry_both_languages() -> None:
    words = page_words()
    assert "Annex" in words["part"] and "Annexe" in words["part"]
    import re

    part = re.compile(rf"^(?:{alternatives('part')})\b")
    assert part.match("Annex II") and part.match("Annexe 3") and not part.match("Annual")


@needs_real_pdfs
def test_footnotes_are_told_apart_from_the_body_on_a_real_report() -> None:
    # S/2025/72 prints footnotes 1-9 at its page feet (tests/golden/S-2025-72.json).
    pages = _page_lines(REAL_PDFS / "S_2025_72.en.pdf")
    assert pages[0].lines and all(line.text for line in pages[0].lines)
    parts = split_pages(pages)
    assert [note.number for note in parts.footnotes] == [str(n) for n in range(1, 10)]
    body = " ".join(line.text for line in parts.body)
    assert all(note.text not in body for note in parts.footnotes if len(note.text) > 25)
    left = min(line.left for line in parts.body)
    right = max(line.right for line in parts.body)
    blocks = build_blocks(parts.body, parts.body_size, left, right)
    numbers = [block.number for block in blocks if block.kind == "numbered" and not block.part]
    assert numbers == list(range(1, 68))  # 67 paragraphs, as read


@needs_real_pdfs
def test_a_real_reports_annexes_are_its_parts() -> None:
    # S/2025/153 has Annex I, II and III after its 90 body paragraphs.
    parts = build_parts(read_pdf(REAL_PDFS / "S_2025_153.en.pdf"))
    titles = [part.title for part in parts]
    assert titles[-3:] == ["Annex I", "Annex II", "Annex III"]


def test_the_terminal_filter_keeps_records_without_a_traceback() -> None:
    keep = logging.LogRecord("prefect", logging.ERROR, __file__, 1, "run failed", None, None)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        drop = logging.LogRecord(
            "prefect", logging.ERROR, __file__, 1, "run failed", None, sys.exc_info()
        )
    assert WithoutTraceback().filter(keep) and not WithoutTraceback().filter(drop)


def test_report_paths_are_safe_file_names() -> None:
    assert safe_symbol("A/73/328") == "A-73-328"
    assert report_stem("A/73/328", "A/77/277") == "A-73-328__A-77-277"
    assert browse_href("organizations", "UN-Women") == "organizations/UN-Women.html"
    assert browse_href("areas", "a b/c") == "areas/a_b_c.html"


def test_a_damaged_file_is_one_line_naming_it(tmp_path: Path) -> None:
    db = tmp_path / "cw.duckdb"
    db.write_bytes(b"this is not a DuckDB file at all" * 200)
    with pytest.raises(duckdb.Error) as raised:
        duckdb.connect(str(db), read_only=True)
    error = as_user_error(raised.value, db)
    assert isinstance(error, DamagedWarehouse)
    assert str(db) in str(error) and "coopwatch rebuild" in str(error)
    assert as_user_error(ValueError("not DuckDB's"), db) is None


def test_a_refused_run_is_recorded_only_where_a_warehouse_is(tmp_path: Path) -> None:
    absent = tmp_path / "none.duckdb"
    assert record_refused_run(absent, source="bundled", parameters={}, problems=["x"]) is None
    assert not absent.exists()
    db = tmp_path / "cw.duckdb"
    connect(db).close()
    run_id = record_refused_run(
        db, source="bundled", parameters={"source": "bundled"}, problems=["COOPWATCH_X: bad"]
    )
    con = duckdb.connect(str(db), read_only=True)
    try:
        (status,) = con.execute("SELECT status FROM runs WHERE run_id = ?", [run_id]).fetchone()
    finally:
        con.close()
    assert run_id and status == "failed" and NOT_STARTED


def test_language_and_browse_data_on_the_bundled_editions(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    con = load_editions(db)
    try:
        data = browse_data(con)
    finally:
        con.close()
    assert data.editions == ("A/73/328", "A/77/277")
    coe = next(page for page in data.organizations if page.organization_id == "COE")
    assert coe.name_fr == "Conseil de l'Europe" and coe.paragraphs["A/73/328"]
    choice = choose_language(db, None)
    assert choice.language == "fr"
    assert choose_language(db, "en").language == "en"


def test_agreement_lines_say_none_or_each_disagreement() -> None:
    assert agreement_lines([]) == [
        "Languages compared:",
        "  none (no edition loaded in two languages)",
    ]
    result = {
        "symbol": "A/1/1",
        "languages": ["en", "fr"],
        "paragraphs": 5,
        "disagreements": [{"line": "¶4: in en only, not in fr (parse)"}],
    }
    assert agreement_lines([result])[1:] == [
        "  A/1/1 (en/fr): 1 disagreement(s)",
        "    ¶4: in en only, not in fr (parse)",
    ]
