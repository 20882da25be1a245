"""The masthead of every form the UN prints: symbols, issue date and kind, read from the page.

The first pages below are laid out line for line as PDFium gives the UN's own PDFs (the ODS
layout, the 1998 layout, the Geneva layout, an Official Records cover, a French report);
`test_real_pdf_masthead_and_routing` then walks every PDF of ../shared/corpus/real_pdfs
against the expectations in tests/golden/, written by reading each document.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from common.errors import NotAResolution, ReferenceDataError
from extractors.derive import DerivedReport, DerivedResolution, derive_document
from extractors.masthead import Masthead, find_date, load_words, month_number, read_masthead
from extractors.symbols import normalize_symbol
from flows.cli import app

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
REAL_PDFS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real_pdfs"

ODS_REPORT = """United Nations A/80/188
General Assembly Distr.: General
17 July 2025
Original: English
25-11710 (E) 180825
*2511710*
Eightieth session
Item 72 (b) of the provisional agenda*
Report of the Special Rapporteur"""

TWO_SYMBOLS = """United Nations A/80/75-E/2025/55
General Assembly
Economic and Social Council
Distr.: General
10 April 2025
Original: English"""

LAYOUT_1998 = """UNITED
NATIONS A S
General Assembly
Security Council
 Distr.
 GENERAL
 A/52/826
 S/1998/222
 17 March 1998
 ORIGINAL: ENGLISH
GENERAL ASSEMBLY SECURITY COUNCIL"""

REISSUE = """United Nations A/79/302*
General Assembly Distr.: General
2 August 2024
Original: English
24-14263* (E) 290824"""

GENEVA_RESOLUTION = """GE.25-05432 (E)
*2505432*
Human Rights Council
Fifty-eighth session
24 February–4 April 2025
Agenda item 2
Resolution adopted by the Human Rights Council on 2 April 2025
58/1. Cooperation with Georgia
The Human Rights Council,
United Nations A/HRC/RES/58/1
General Assembly Distr.: General
8 April 2025
Original: English"""

OFFICIAL_RECORDS = """A/80/1
United Nations
Report of the Secretary-General
on the work of the Organization
General Assembly
Official Records
Eightieth Session
Supplement No. 1"""

FRENCH_REPORT = """Nations Unies A/77/277–S/2022/606
Assemblée générale
Conseil de sécurité
Distr. générale
5 août 2022
Français
Original : anglais
Note du Secrétaire général"""

FRENCH_RESOLUTION = """Nations Unies S/RES/2579 (2021)
Conseil de sécurité Distr. générale
3 juin 2021
Résolution 2579 (2021)
Adoptée par le Conseil de sécurité à sa 8784e séance, le
3 juin 2021"""


REPORT_TEXT = (
    b"United Nations A/80/188\nGeneral Assembly Distr.: General\n17 July 2025\n\n"
    b"I. Introduction\n\n1. The present report is submitted pursuant to resolution 79/1.\n\n"
    b"2. It covers the period under review.\n"
)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (ODS_REPORT, Masthead(("A/80/188",), "2025-07-17", "report")),
        (TWO_SYMBOLS, Masthead(("A/80/75", "E/2025/55"), "2025-04-10", "report")),
        (LAYOUT_1998, Masthead(("A/52/826", "S/1998/222"), "1998-03-17", "report")),
        (REISSUE, Masthead(("A/79/302",), "2024-08-02", "report")),
        (GENEVA_RESOLUTION, Masthead(("A/HRC/RES/58/1",), "2025-04-08", "resolution")),
        (OFFICIAL_RECORDS, Masthead(("A/80/1",), None, "report")),
        (FRENCH_REPORT, Masthead(("A/77/277", "S/2022/606"), "2022-08-05", "report")),
        (FRENCH_RESOLUTION, Masthead(("S/RES/2579(2021)",), "2021-06-03", "resolution")),
    ],
    ids=["ods", "two-symbols", "1998", "reissue", "geneva", "official-records", "fr", "fr-res"],
)
def test_masthead_forms(page: str, expected: Masthead) -> None:
    assert read_masthead(page) == expected


def test_masthead_without_symbol_is_told_by_its_wording() -> None:
    assert read_masthead("Resolution adopted by the General Assembly").kind == "resolution"
    assert read_masthead("Résolution adoptée par l’Assemblée générale").kind == "resolution"
    assert read_masthead("Le Conseil de sécurité,\nRappelant").kind == "resolution"
    assert read_masthead("Note du Secrétaire général\nLe présent").kind == "report"
    assert read_masthead("Some words\nwith no masthead").kind is None


def test_a_symbol_cited_in_a_sentence_is_not_a_masthead() -> None:
    page = "The report (S/2024/432) of the Group\nresolution 2664 (2022) recalled"
    assert read_masthead(page).symbols == ()


def test_month_names_are_one_table_in_both_languages() -> None:
    assert month_number("août") == month_number("August") == month_number("AOUT") == 8
    assert find_date("le 1er juin 2021") == "2021-06-01"
    assert find_date("on 31 February 2020, then 2 March 2020") == "2020-03-02"
    assert len(set(load_words().months.values())) == 12


def test_a_report_symbol_given_does_not_make_a_resolution_nor_the_reverse(tmp_path: Path) -> None:
    derived = derive_document(REPORT_TEXT, name="r.txt", symbol="S/RES/2768(2025)", language="en")
    assert isinstance(derived, DerivedReport)
    assert derived.report.date == "2025-07-17"


def test_a_document_that_shows_the_other_kind_is_refused_by_name() -> None:
    """A caller that fetched a resolution (a cited document, a rebuild) gets a clear error
    when the bytes are a report's: the document decides, the caller's kind never does."""
    with pytest.raises(NotAResolution, match=r"cited\.pdf.*shows a report \(A/80/188\)"):
        derive_document(REPORT_TEXT, name="cited.pdf", kind="resolution", language="en")


def _golden_cases() -> list[tuple[str, dict]]:
    cases = []
    for path in sorted(GOLDEN_DIR.glob("*.json")):
        golden = json.loads(path.read_text(encoding="utf-8"))
        cases.append((golden["file"], golden))
    return cases


@pytest.mark.skipif(not REAL_PDFS.is_dir(), reason="../shared/corpus/real_pdfs is absent")
def test_every_real_pdf_has_a_golden() -> None:
    files = {name for name, _golden in _golden_cases()}
    assert files == {path.name for path in REAL_PDFS.glob("*.pdf")}


@pytest.mark.skipif(not REAL_PDFS.is_dir(), reason="../shared/corpus/real_pdfs is absent")
@pytest.mark.parametrize(("file", "golden"), _golden_cases(), ids=lambda v: str(v)[:24])
def test_real_pdf_masthead_and_routing(file: str, golden: dict) -> None:
    """Symbol, masthead symbols, kind and date from the document alone (no hint given), and
    for a resolution its adoption, meeting and paragraph counts: all as read by hand."""
    data = (REAL_PDFS / file).read_bytes()
    derived = derive_document(data, name=file, gate=False)
    masthead = tuple(normalize_symbol(symbol) for symbol in golden["masthead_symbols"])
    if golden["kind"] == "report":
        assert isinstance(derived, DerivedReport)
        assert derived.report.symbols == masthead
        assert derived.symbol == normalize_symbol(golden["symbol"])
        assert derived.report.date == golden["date"]
        return
    assert isinstance(derived, DerivedResolution)
    resolution = derived.resolution
    expected = golden["resolution"]
    assert (derived.symbol,) == masthead == (normalize_symbol(golden["symbol"]),)
    assert resolution.adopted == expected["adopted"] == golden["date"]
    assert resolution.meeting == expected["meeting"]
    assert len(resolution.preambular) == expected["preamble_count"]
    assert len(resolution.operative) == expected["operative_count"]
    numbered = all(paragraph.number is not None for paragraph in resolution.operative)
    assert numbered == expected["operative_numbered"]
    texts = [*resolution.preambular, *(p.text for p in resolution.operative)]
    printed = golden["symbol"]
    assert not [text for text in texts if printed in text or re.search(r"\d{2}-\d{5}", text)]


@pytest.mark.skipif(not REAL_PDFS.is_dir(), reason="../shared/corpus/real_pdfs is absent")
@pytest.mark.parametrize(("file", "golden"), _golden_cases(), ids=lambda v: str(v)[:24])
def test_coopwatch_parse_routes_every_real_pdf_without_a_symbol(file: str, golden: dict) -> None:
    result = CliRunner().invoke(app, ["parse", str(REAL_PDFS / file), "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["kind"] == golden["kind"]
    symbols = printed.get("symbols") or [printed.get("symbol")]
    assert symbols == [normalize_symbol(symbol) for symbol in golden["masthead_symbols"]]


@pytest.mark.skipif(not REAL_PDFS.is_dir(), reason="../shared/corpus/real_pdfs is absent")
@pytest.mark.parametrize(
    ("file", "kind"),
    [
        ("A_80_75.en.pdf", "report"),
        ("A_80_1.en.pdf", "report"),
        ("A_52_826.en.pdf", "report"),
        ("S_RES_2783__2025_.en.pdf", "resolution"),
    ],
)
def test_hints_as_each_command_gives_them_derive_the_same(file: str, kind: str) -> None:
    """`parse` gives no hint, `ingest --symbol` the symbol, a run, `reparse` and `rebuild`
    the symbol and the kind they fetched or loaded: one derivation, whatever the command."""
    data = (REAL_PDFS / file).read_bytes()
    bare = derive_document(data, name=file, gate=False)
    symbol = "-".join(bare.report.symbols) if isinstance(bare, DerivedReport) else bare.symbol
    for hints in ({"symbol": symbol}, {"symbol": symbol, "kind": kind, "language": "en"}):
        assert derive_document(data, name=file, gate=False, **hints) == bare


def test_a_masthead_given_last_on_the_page_is_found() -> None:
    body = "\n".join(f"Line {n} of the body, citing A/HRC/58/21 in passing." for n in range(60))
    page = f"{body}\nUnited Nations A/HRC/RES/58/1\nGeneral Assembly Distr.: General\n8 April 2025"
    assert read_masthead(page) == Masthead(("A/HRC/RES/58/1",), "2025-04-08", "resolution")


def test_formula_with_a_straight_apostrophe_is_the_formula() -> None:
    assert read_masthead("L'Assemblée générale,\nRappelant").kind == "resolution"


def test_a_malformed_masthead_file_names_itself(tmp_path: Path) -> None:
    broken = tmp_path / "masthead.yaml"
    broken.write_text("months: [[January]]\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"masthead\.yaml.*twelve lists"):
        load_words(broken)
