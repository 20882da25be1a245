"""English recognition of organizations and UN entities, scored on labelled real reports.

`tests/fixtures/knowledge/en_entities.json` holds, per symbol and numbered paragraph, the
organizations and UN entities a reader found in nine English reports of 2025 in
`../shared/corpus/real_pdfs/` (the three South Sudan editions S/2025/54, 211 and 504, Abyei
S/2025/269, Somalia S/2025/194, the Central African Republic S/2025/97, Libya S/2025/509,
the regional commissions E/2025/15 and the ISIL report S/2025/72). Review of the labellers'
unsure calls: kept are the AU, EU, SADC and IGAD missions and mechanisms as their owner,
UNHAS as WFP, "United Nations Volunteers" as UNV, UNSAC, CSW and UN-GGIM as UN entities, the
Green Climate Fund as an organization, the ECLAC forum and UNU's water institute as their
owner; dropped is S/2025/269 ¶9 "Under-Secretary-General for Peace Operations" as DPO (a
post's title, not the department's name). The World Bank's id is WB. Short forms with no
section to resolve them ("the Commission" for ESCWA in E/2025/15 ¶16, "the Monitoring
Team" in S/2025/72 ¶2) stay labelled and count as misses.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench.bench_entities_en import TARGETS, score_labels
from extractors.enrich.matchers import Matcher
from extractors.enrich.reference_data import load_reference
from extractors.normalize import normalize_text
from extractors.readers.html import read_html
from extractors.readers.pdf import read_pdf
from extractors.readers.pdftext import read_pdf_text
from flows.cli import app
from tests.real_paragraphs import REAL_PDFS, real_pdf_path
from warehouse.diff.growth import DEFAULT_RULES

LABELS = Path(__file__).parent / "fixtures" / "knowledge" / "en_entities.json"
SOUTH_SUDAN = ("S/2025/54", "S/2025/211", "S/2025/504")


def _labels() -> dict[str, dict[int, dict]]:
    by_symbol: dict[str, dict[int, dict]] = defaultdict(dict)
    for row in json.loads(LABELS.read_text(encoding="utf-8")):
        by_symbol[row["symbol"]][row["paragraph"]] = row
    return by_symbol


def _matcher() -> Matcher:
    return Matcher(load_reference(), "en")


def test_labels_cover_eight_reports_with_the_south_sudan_series() -> None:
    labels = _labels()
    assert len(labels) >= 8
    assert set(SOUTH_SUDAN) <= set(labels)
    known = {o.id for o in load_reference().organizations}
    entities = {e.id for e in load_reference().un_entities}
    for paragraphs in labels.values():
        for row in paragraphs.values():
            assert set(row["organizations"]) <= known, row
            assert set(row["un_entities"]) <= entities, row


@pytest.mark.skipif(not REAL_PDFS.is_dir(), reason="../shared/corpus/real_pdfs is absent")
def test_english_recognition_reaches_precision_and_recall_on_the_labels() -> None:
    scores = score_labels(_labels())
    assert scores.not_found == []
    for kind, floor in TARGETS.items():
        tally = scores.totals[kind]
        assert tally.precision >= floor, (kind, tally, scores.disagreements)
        assert tally.recall >= floor, (kind, tally, scores.disagreements)


def test_missions_and_bodies_name_their_owner() -> None:
    matcher = _matcher()
    text = (
        "ATMIS handed over to AUSSOM; EULEX and SAMIDRC reported, as did CTSAMVM and the "
        "Parliamentary Assembly of the Council of Europe."
    )
    assert matcher.organizations_in(text) == ("AU", "COE", "EU", "IGAD", "SADC")
    assert matcher.organizations_in("PACE met.") == ("COE",)


def test_spelling_variants_and_new_entities_in_english() -> None:
    matcher = _matcher()
    text = (
        "The Organization for Security and Cooperation in Europe, the Financial Action Task "
        "Force and the Confederation of Sahel States met the World Bank, the IMF, UNSOS, "
        "UNMISS, UNISFA and the United Nations Office for Central Africa."
    )
    assert matcher.organizations_in(text) == ("AES", "FATF", "OSCE")
    assert matcher.un_entities_in(text) == ("IMF", "UNISFA", "UNMISS", "UNOCA", "UNSOS", "WB")


def test_short_forms_need_their_organization_s_section() -> None:
    matcher = _matcher()
    text = "The Commission announced the results, and the Council of Ministers met."
    assert matcher.organizations_in(text) == ()
    # In a Council of Europe section, "the Council of Ministers" is still another body.
    assert matcher.organizations_in(text, ("COE",)) == ()
    assert matcher.organizations_in("The Council adopted it.", ("COE",)) == ("COE",)


def test_a_word_split_at_a_line_end_is_joined_before_matching() -> None:
    matcher = _matcher()
    pdfium_text = normalize_text("the Office of Counter\ufffeTerrorism and UN\u00adSOS")
    assert pdfium_text == "the Office of Counter-Terrorism and UNSOS"
    assert matcher.un_entities_in(pdfium_text) == ("OCT", "UNSOS")
    assert normalize_text("coop\u00ad\nération") == "coopération"
    assert normalize_text("coop\u00ad ération") == "coopération"


@pytest.mark.parametrize("reader", ["text of a PDF", "HTML"])
def test_every_reader_joins_a_word_split_at_a_line_end(reader: str) -> None:
    # "terrorisme" is nowhere else in these texts, so only the soft hyphen can join it.
    sentence = (
        "le Bureau de lutte contre le terro\u00ad\nrisme et le Counter\ufffeTerrorism Centre."
    )
    if reader == "HTML":
        blocks = read_html(f"<h1>I. Introduction</h1><ol><li>{sentence}</li></ol>", name="t")
    else:
        blocks = read_pdf_text(f"I. Introduction\n\n1. {sentence}\n", name="t")
    (paragraph,) = [block for block in blocks if block.kind == "numbered"]
    assert (
        paragraph.text == "le Bureau de lutte contre le terrorisme et le Counter-Terrorism Centre."
    )


@pytest.mark.skipif(not REAL_PDFS.is_dir(), reason="../shared/corpus/real_pdfs is absent")
def test_the_pdf_reader_turns_pdfium_line_end_hyphens_into_hyphens() -> None:
    # S/2025/72 p. 3: "the highest-" ends a line, which PDFium gives as "highest\ufffeprofile".
    text = " ".join(block.text for block in read_pdf(real_pdf_path("S/2025/72")))
    assert "\ufffe" not in text
    assert "the highest-profile casualty" in text


@pytest.mark.skipif(not REAL_PDFS.is_dir(), reason="../shared/corpus/real_pdfs is absent")
def test_diff_of_two_english_south_sudan_editions_matches_the_labels(tmp_path: Path) -> None:
    # The first and the last edition, ingested without --symbol or --lang; the expected
    # changes come from the labels read in the paragraphs, the growth rule from docs/changes.md.
    runner = CliRunner()
    db = tmp_path / "cw.duckdb"
    old, new = SOUTH_SUDAN[0], SOUTH_SUDAN[-1]
    for symbol in (old, new):
        path = str(real_pdf_path(symbol))
        result = runner.invoke(app, ["ingest", path, "--db", str(db)])
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["diff", old, new, "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    labels = _labels()
    named = {
        symbol: {
            organization: sorted(
                number
                for number, row in labels[symbol].items()
                if organization in row["organizations"]
            )
            for row in labels[symbol].values()
            for organization in row["organizations"]
        }
        for symbol in (old, new)
    }
    expected = {
        (o, "first_named", (), tuple(named[new][o])) for o in set(named[new]) - set(named[old])
    }
    expected |= {
        (o, "no_longer_named", tuple(named[old][o]), ()) for o in set(named[old]) - set(named[new])
    }
    for organization in set(named[old]) & set(named[new]):
        before, after = named[old][organization], named[new][organization]
        change = DEFAULT_RULES.classify(len(before), len(after))
        if change != "unchanged":
            expected.add((organization, change, tuple(before), tuple(after)))
    data = json.loads(result.stdout)
    found = {
        (m["id"], m["change"], tuple(m["evidence"]["old"]), tuple(m["evidence"]["new"]))
        for m in data["mentions"]
    }
    assert found == expected
    # Thematic headings ("Economic situation", "(a) Children and armed conflict") are
    # sections, not organizations; "E. Cross-cutting issues" holds its paragraphs under its
    # sub-headings 1.-3., which is no sign of a broken extraction.
    assert not [o["id"] for o in data["organizations"] if o["id"].startswith("heading:")]
    headings = {s["heading"] for s in data["sections"]}
    assert {"Economic situation", "(a) Children and armed conflict"} <= headings
    assert not data["uncertain"], data["uncertain_reasons"]
    assert not [m["id"] for m in data["mentions"] if m["uncertain"]]
    table = runner.invoke(app, ["diff", old, new, "--db", str(db)])
    assert table.exit_code == 0, table.output
    assert "UNCERTAIN" not in table.output and "heading:" not in table.output
    # Read off the labels: EAC named in 54 (¶ 19, 28) and not in 504; IGAD in 8 paragraphs
    # then 3. AU (5 -> 4) and IOM (1 -> 1) stay within the rule.
    assert {(o, change) for o, change, _, _ in expected} == {
        ("EAC", "no_longer_named"),
        ("IGAD", "shrank"),
    }
