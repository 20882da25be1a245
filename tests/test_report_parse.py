"""Golden tests of the report parser on the two real editions we ship.

The expected files in tests/fixtures/<symbol>/fr.expected.json were checked by
reading the documents: every organization heading was found with `grep` in the
source text and the first numbered paragraph after it compared with the section's
first paragraph; the last paragraph numbers (101 in 2018, 128 in 2022) were read
at the end of chapter "Observations et recommandations".
"""

from __future__ import annotations

import json

import pytest

from common.errors import DocumentError, EmptyDocument, NotAReport, NotText
from extractors.report.report_parser import parse_report_file
from tests.conftest import CORPUS_DIR, FIXTURES_DIR

EDITIONS = sorted(path.parent.name for path in FIXTURES_DIR.glob("*/fr.expected.json"))


@pytest.mark.parametrize("edition", EDITIONS)
def test_parse_matches_golden_structure(edition: str) -> None:
    expected = json.loads((FIXTURES_DIR / edition / "fr.expected.json").read_text(encoding="utf-8"))
    report = parse_report_file(
        CORPUS_DIR.parent / expected["source"], symbol=expected["symbol_option"]
    )

    assert list(report.symbols) == expected["symbols"]
    assert report.language == expected["language"]
    assert report.date == expected["date"]
    assert report.title == expected["title"]
    assert list(report.previous_report) == expected["previous_report"]
    assert [[c.number, c.title] for c in report.chapters] == expected["chapters"]
    assert [
        [s.chapter, s.heading, s.first_paragraph, s.last_paragraph, s.paragraph_count]
        for s in report.sections
    ] == expected["sections"]
    assert [p.number for p in report.paragraphs] == list(range(1, expected["paragraph_count"] + 1))
    assert report.warnings == ()


def test_golden_fixtures_cover_every_bundled_edition() -> None:
    assert EDITIONS == ["A-73-328", "A-77-277"]


def test_2022_paragraph_joined_across_page_break(report_2022) -> None:
    paragraph_6 = report_2022.paragraphs[5]
    assert paragraph_6.number == 6
    assert (
        "suivre les progrès réalisés sur des questions liées à la paix et à la sécurité, au développement durable"
        in paragraph_6.text
    )
    assert paragraph_6.links == ()
    assert report_2022.paragraphs[1].links == ("https://undocs.org/fr/A/RES/75/1",)


def test_2022_text_is_normalized(report_2022) -> None:
    text = " ".join(p.text for p in report_2022.paragraphs)
    assert "l'ONU" in text and "l 'ONU" not in text and "’" not in text
    assert "Pré sident" not in text
    assert "latino-américain" in report_2022.paragraphs[88].text
    assert "ouest-africaine" in report_2022.paragraphs[28].text


def test_2018_continuation_block_joins_its_paragraph(report_2018) -> None:
    paragraph = next(
        p for p in report_2018.paragraphs if "assistance électorale au Bénin" in p.text
    )
    assert paragraph.number == 59
    assert paragraph.text.endswith("République démocratique du Congo.")


def test_2018_links_keep_their_symbols(report_2018) -> None:
    assert "1809 (2008)" in report_2018.paragraphs[1].links


def test_front_matter_and_furniture_are_accounted_for(report_2022) -> None:
    reasons = {d.reason for d in report_2022.dropped}
    assert "running header (document symbol)" in reasons
    assert "footer (job number and page)" in reasons
    assert "front matter" in reasons


@pytest.mark.parametrize(
    ("content", "error", "cause"),
    [
        (b"", EmptyDocument, "empty"),
        (b"\x00\x01\x02binary\x00", NotText, "binary"),
        (b"\xff\xfe\xfa not utf-8", NotText, "UTF-8"),
        (
            b"Just a letter.\n\nWith two paragraphs of prose.\n",
            NotAReport,
            "no numbered paragraphs",
        ),
    ],
)
def test_bad_input_names_file_and_cause(tmp_path, content: bytes, error: type, cause: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(error) as raised:
        parse_report_file(path)
    assert str(path) in str(raised.value)
    assert cause in str(raised.value)


def test_missing_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(DocumentError, match="no such file"):
        parse_report_file(tmp_path / "absent.txt")


def test_numbering_gap_is_a_warning(tmp_path) -> None:
    text = EDITION_TEXT_WITH_GAP
    path = tmp_path / "gap.txt"
    path.write_text(text, encoding="utf-8")
    report = parse_report_file(path)
    assert [p.number for p in report.paragraphs] == [1, 2, 4]
    assert any("skip from 2 to 4" in warning for warning in report.warnings)


EDITION_TEXT_WITH_GAP = """ I. Introduction

1. Premier paragraphe de l'introduction.

 II. Coopération entre l'Organisation des Nations Unies et les organisations régionales ou autres

  Union africaine

2. L'ONU a coopéré avec l'Union africaine.

4. Un paragraphe après un numéro manquant.
"""
