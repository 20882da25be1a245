"""Golden tests of enrichment on both real editions shipped in corpus/.

How the expected values were checked, by hand:
- section ids: every section heading the parser produces was read against the table of
  contents of each edition (the cover's list of agenda items in 2018, the headings of
  chapter II in both) and given the organization's usual English acronym;
- citations: `grep -n "résolution"`, `grep -o "\\[[^]]*\\](#)"` (2018 Markdown links) and
  `grep -o "https://undocs.org[^ ]*"` (2022 PDF link lines), plus a grep for written-out
  symbols (`[AS]/[0-9]`), then each hit read in its sentence to find the organ. Prose-only
  citations (no link) are 2018 ¶11 (S/2016/780 …), ¶19 and ¶80 (1540 (2004)), ¶94 (67/104)
  and 2022 ¶115 (75/16). Not citations: the press statement SC/14697 (2022 ¶40) and
  INTERPOL's I-24/7 system (2018 ¶52). Citations only in the summary or cover are front
  matter, outside the numbered paragraphs; of those only the previous report (which the
  parser keeps as `previous_report`) is in the report's citations.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extractors.enrich.enrich_report import enrich_report
from extractors.model import Chapter, Paragraph, Report, Section
from extractors.report.report_parser import parse_report_file

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
EDITION_2018 = CORPUS / "A-73-328_fr.md"
EDITION_2022 = CORPUS / "A-77-277_fr.pdf.txt"

SECTIONS_2018 = [
    "AU", "AALCO", "ASEAN", "BSEC", "CARICOM", "CEI", "CSTO", "CIS", "CPLP", "COE", "ECCAS",
    "ECO", "INTERPOL", "IFAS", "IOM", "OIF", "SELA", "LAS", "GUAM", "OSCE", "OAS", "OIC", "PIF",
    "SCO", "OPCW",
]  # fmt: skip
SECTIONS_2022 = [
    "AU", "AALCO", "ASEAN", "BSEC", "CARICOM", "CEI", "CSTO", "CIS", "COE", "ECCAS", "ECO",
    "INTERPOL", "IFAS", "OIF", "SELA", "LAS", "GUAM", "OECD", "OSCE", "OAS", "OIC", "PIF", "SCO",
]  # fmt: skip

CITATIONS_2018 = {
    2: ("S/PRST/2013/12", "S/RES/1809(2008)"),
    3: ("A/71/160", "A/RES/58/316", "S/2016/621"),
    11: ("S/2016/780", "S/2017/744", "S/2018/678"),
    19: ("S/RES/1540(2004)",),
    53: ("A/RES/72/273",),
    56: ("A/RES/70/296",),
    80: ("S/RES/1540(2004)",),
    94: ("A/RES/67/104",),
}
CITATIONS_2022 = {
    2: ("A/RES/75/1",),
    12: ("S/RES/2524(2020)", "S/RES/2579(2021)"),
    14: ("S/RES/2568(2021)", "S/RES/2628(2022)"),
    18: ("A/RES/75/284",),
    23: ("S/RES/1540(2004)",),
    107: ("S/RES/2202(2015)",),
    115: ("A/RES/75/16",),
}
PREVIOUS = {EDITION_2018: ("A/71/160", "S/2016/621"), EDITION_2022: ("A/75/345", "S/2020/898")}


@cache
def _enriched(path: Path) -> Report:
    return enrich_report(parse_report_file(path))


@pytest.mark.parametrize(
    ("path", "expected"), [(EDITION_2018, SECTIONS_2018), (EDITION_2022, SECTIONS_2022)]
)
def test_every_section_heading_maps_to_its_organization(path: Path, expected: list[str]) -> None:
    report = _enriched(path)
    assert [section.organization for section in report.sections] == expected
    assert not any(section.unregistered for section in report.sections)
    assert all(s.organizations[0] == s.organization for s in report.sections)


def test_2018_chapter_on_opcw_and_ctbto_maps_to_both() -> None:
    chapter = _enriched(EDITION_2018).sections[-1]
    assert chapter.chapter == "III"
    assert chapter.organizations == ("OPCW", "CTBTO")
    assert chapter.organization == "OPCW"


@pytest.mark.parametrize(
    ("path", "expected"), [(EDITION_2018, CITATIONS_2018), (EDITION_2022, CITATIONS_2022)]
)
def test_paragraph_citations_match_the_hand_checked_list(
    path: Path, expected: dict[int, tuple[str, ...]]
) -> None:
    report = _enriched(path)
    found = {p.number: p.citations for p in report.paragraphs if p.citations}
    assert found == expected


@pytest.mark.parametrize(
    ("path", "expected"), [(EDITION_2018, CITATIONS_2018), (EDITION_2022, CITATIONS_2022)]
)
def test_report_citations_are_sorted_distinct_union(
    path: Path, expected: dict[int, tuple[str, ...]]
) -> None:
    report = _enriched(path)
    union = {symbol for symbols in expected.values() for symbol in symbols} | set(PREVIOUS[path])
    assert report.citations == tuple(sorted(union | FRONT_MATTER[path]))


# Mandates cited in the summary or on the cover, read in the source files: the 2018
# summary cites resolution 58/316, resolution 1809 (2008) and S/PRST/2013/12, its cover
# footnote A/73/150; the 2022 summary cites the same three mandates.
FRONT_MATTER = {
    EDITION_2018: {"A/73/150", "A/RES/58/316", "S/RES/1809(2008)", "S/PRST/2013/12"},
    EDITION_2022: {"A/RES/58/316", "S/RES/1809(2008)", "S/PRST/2013/12"},
}


def test_paragraphs_name_organizations_entities_and_areas() -> None:
    report = _enriched(EDITION_2022)
    by_number = {p.number: p for p in report.paragraphs}
    assert by_number[9].organizations == ("AU", "ECCAS", "EU")
    assert by_number[9].un_entities == ("MINUSCA", "UNOAU")
    # "la Commission" in the African Union section is the African Union Commission.
    assert by_number[8].organizations == ("AU",)
    assert by_number[64].organizations == ("CIS",)
    assert by_number[64].un_entities == ("ECE",)
    assert {tag.id for tag in by_number[18].areas} == {"health", "sustainable_development"}
    for paragraph in report.paragraphs:
        for tag in paragraph.areas:
            assert paragraph.text[tag.offset : tag.offset + len(tag.phrase)] == tag.phrase


def test_2018_typo_onusc_is_unodc() -> None:
    by_number = {p.number: p for p in _enriched(EDITION_2018).paragraphs}
    assert by_number[35].un_entities == ("UNODC",)
    assert by_number[35].organizations == ("CIS",)


def test_json_shape_carries_the_new_fields() -> None:
    data = _enriched(EDITION_2018).to_dict()
    assert data["citations"][0] == "A/71/160"
    assert list(data["sections"][-1]["organizations"]) == ["OPCW", "CTBTO"]
    assert data["sections"][0]["unregistered"] is False
    paragraph = next(p for p in data["paragraphs"] if p["number"] == 19)
    assert list(paragraph["citations"]) == ["S/RES/1540(2004)"]
    assert list(paragraph["organizations"]) == ["ASEAN"]
    assert {"id", "phrase", "offset"} == set(paragraph["areas"][0])


def test_unknown_organization_section_is_kept_unregistered_and_reported() -> None:
    report = Report(
        symbols=("A/99/999",),
        language="fr",
        date=None,
        title=None,
        previous_report=(),
        chapters=(Chapter("II", "Coopération"),),
        sections=(
            Section("II", "Union africaine", 1, 1, 1, 5),
            Section("II", "Organisation des États de la Caraïbe orientale", 2, 2, 1, 6),
        ),
        paragraphs=(
            Paragraph(1, "L'ONU et l'Union africaine ont coopéré.", 0, "II"),
            Paragraph(2, "L'ONU et l'Organisation ont coopéré sur le climat.", 1, "II"),
        ),
        parser_version="test",
    )
    enriched = enrich_report(report)
    assert enriched.sections[0].organization == "AU"
    unknown = enriched.sections[1]
    assert (unknown.organization, unknown.organizations, unknown.unregistered) == (None, (), True)
    assert unknown.heading == "Organisation des États de la Caraïbe orientale"
    assert any("Caraïbe orientale" in warning for warning in enriched.warnings)
    assert enriched.paragraphs[1].organizations == ()
    assert [tag.id for tag in enriched.paragraphs[1].areas] == [
        "climate_environment",
        "sustainable_development",
    ]
    assert report.sections[0].organization is None
