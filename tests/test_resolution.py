"""Resolution parser on fixtures written here, laid out like the UN's AKN XML, PDF and DOCX.

Expected values are read off the fixture text in each test; the real corpus check at the
end runs only where ../shared/corpus/resolutions exists.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from common.errors import CorruptDocument, EmptyDocument, NotAResolution
from extractors.resolution.resolution_parser import (
    NumberedText,
    find_date,
    find_meeting,
    organ_of,
    parse_resolution_bytes,
)

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
REAL_FOLDER = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "resolutions"


def akn(body: str, *, language: str = "eng", name: str = "resolution") -> bytes:
    """An AKN4UN document around `body` (coverPage, preface, preamble, mainBody...)."""
    return (
        f'<akomaNtoso xmlns="{AKN_NS}"><statement name="{name}"><meta><identification>'
        '<FRBRWork><FRBRdate date="0001-01-01" name="adoption"/></FRBRWork>'
        f'<FRBRExpression><FRBRlanguage language="{language}"/></FRBRExpression>'
        f"</identification></meta>{body}</statement></akomaNtoso>"
    ).encode()


GA_EN = akn(
    """
<coverPage><p><docNumber refersTo="#symbol">A/RES/79/10</docNumber></p>
<p><docTitle>Resolution adopted by the General Assembly on 18 November 2024</docTitle></p></coverPage>
<preface><p><docNumber>79/10.</docNumber><docTitle refersTo="#resolutionTitle">
<span class="bold">Cooperation between the United Nations and the Collective Security Treaty
Organization</span></docTitle></p></preface>
<preamble><formula name="enactingFormula"><p><span>The General Assembly</span>,</p></formula>
<container name="Having considered"><p>\t<span class="italic">Having considered </span>the
report of the Secretary-General,<authorialNote marker="1"><p>\t\t<a
href="https://undocs.org/en/A/79/302">A/79/302-S/2024/600</a>.</p></authorialNote></p></container>
<container name="Recalling"><p>\t<span>Recalling </span>its resolution <a
href="https://undocs.org/en/A/RES/77/13">77/13</a> and Security Council resolution 1631 (2005),</p>
</container></preamble>
<mainBody>
<paragraph eId="para_17"><num>1.</num><content><p>\t<span>Takes note </span>of the report;</p>
</content></paragraph>
<paragraph eId="para_20"><num>2.</num><content><p>\t<span>Decides </span>to include the
item:</p></content>
<paragraph><num>(a)</num><content><p>a sub-item;</p></content></paragraph></paragraph>
</mainBody>
<conclusions><p><event><location title="39th" refersTo="#adoptionMeeting">39th plenary
meeting</location><eol/><docDate date="2024-11-18" refersTo="#adoptionDate">18 November
2024</docDate></event></p></conclusions>
"""
)


def test_akn_general_assembly_resolution() -> None:
    resolution = parse_resolution_bytes(GA_EN, name="ga.xml", symbol=None, language=None)
    assert resolution.to_dict() == {
        "kind": "resolution",
        "symbol": "A/RES/79/10",
        "language": "en",
        "organ": "General Assembly",
        "title": (
            "Cooperation between the United Nations and the Collective Security Treaty Organization"
        ),
        "adopted": "2024-11-18",
        "meeting": 39,
        "preambular": [
            "Having considered the report of the Secretary-General,",
            "Recalling its resolution 77/13 and Security Council resolution 1631 (2005),",
        ],
        "operative": [
            {"number": 1, "text": "Takes note of the report;"},
            {"number": 2, "text": "Decides to include the item: (a) a sub-item;"},
        ],
        "annex": [],
        "cites": ["A/79/302-S/2024/600", "A/RES/77/13", "S/RES/1631(2005)"],
        "unknown_cites": [],
    }


def test_akn_french_footnote_without_link_is_cited() -> None:
    data = akn(
        """
<coverPage><p><docNumber refersTo="#symbol">A/RES/75/16</docNumber></p></coverPage>
<preamble><formula><p>L’Assemblée générale,</p></formula>
<container><p>\t<span>Ayant examiné </span>le rapport du Secrétaire général<authorialNote
marker="1"><p>A/75/345‑S/2020/898.</p></authorialNote>,</p></container></preamble>
<mainBody><paragraph><num>\t1.</num><content><p>\t<span>Prend note </span>du
rapport&#160;;</p></content></paragraph></mainBody>
<conclusions><p><inline name="adoptionMeeting" title="30e">30e séance plénière</inline><eol/>
<docDate date="2020-11-23" refersTo="#adoptionDate">23 novembre 2020</docDate></p></conclusions>
""",
        language="fra",
    )
    resolution = parse_resolution_bytes(data, name="fr.xml", symbol=None, language=None)
    assert resolution.language == "fr" and resolution.meeting == 30
    assert resolution.cites == ("A/75/345-S/2020/898",)
    assert resolution.operative == (NumberedText(1, "Prend note du rapport ;"),)
    assert resolution.preambular == ("Ayant examiné le rapport du Secrétaire général,",)


def test_akn_security_council_cover_adoption_without_meeting() -> None:
    data = akn(
        """
<coverPage><p><docNumber refersTo="#symbol">S/RES/2524 (2020)</docNumber></p>
<p><docTitle refersTo="#resolutionNumber">\t\tRésolution 2524 (2020)</docTitle></p>
<p><docTitle refersTo="#adoption">Adoptée par le Conseil de sécurité le <inline
name="adoptionMeeting"/><docDate date="2020-06-03" refersTo="#adoptionDate">3 juin
2020</docDate></docTitle></p></coverPage>
<preamble><formula><p>Le Conseil de sécurité,</p></formula>
<p>\t<span>Réaffirmant </span>ses résolutions antérieures,</p></preamble>
<mainBody><paragraph><num>1.</num><content><p>Décide de créer une mission ;</p></content>
</paragraph></mainBody>
""",
        language="fra",
    )
    resolution = parse_resolution_bytes(data, name="sc.xml", symbol=None, language=None)
    assert resolution.symbol == "S/RES/2524(2020)"
    assert resolution.organ == "Security Council"
    assert resolution.title == "Résolution 2524 (2020)"
    assert (resolution.adopted, resolution.meeting) == ("2020-06-03", None)


def test_akn_presidential_statement_reads_intro_alinea() -> None:
    data = akn(
        """
<coverPage><p><docNumber refersTo="#symbol">S/PRST/2013/12</docNumber></p></coverPage>
<preface><p><docTitle refersTo="#title1">Statement by the President of the Security
Council</docTitle></p></preface>
<mainBody><alinea><content><p>\tAt the 7015th meeting of the Security Council, held on
6&#160;August 2013, the President made the following statement:</p></content></alinea>
<paragraph><content><p>\t“The Security Council recalls resolution 1540 (2004).</p></content>
</paragraph>
<paragraph><content><p>\t“The Council welcomes cooperation.”</p></content></paragraph>
</mainBody>
""",
        name="presidentialStatement",
    )
    resolution = parse_resolution_bytes(data, name="prst.xml", symbol=None, language="en")
    assert (resolution.adopted, resolution.meeting) == ("2013-08-06", 7015)
    assert [p.number for p in resolution.operative] == [None, None]
    assert resolution.operative[1].text == "“The Council welcomes cooperation.”"
    assert resolution.cites == ("S/RES/1540(2004)",)


def test_akn_adopted_declaration_goes_to_annex() -> None:
    data = akn(
        """
<coverPage><p><docNumber refersTo="#symbol">A/RES/75/1</docNumber></p></coverPage>
<mainBody>
<paragraph><content><p><span>Adopts</span> the following declaration:</p></content></paragraph>
<paragraph><content><p>Declaration on the commemoration</p></content></paragraph>
<paragraph><num>\t1.</num><content><p>We, the Heads of State, have gathered.</p></content>
</paragraph>
<paragraph><num>\t2.</num><content><p>We will leave no one behind.</p></content></paragraph>
</mainBody>
<conclusions><p><docDate date="2020-09-21" refersTo="#adoptionDate">21 September 2020</docDate>
</p></conclusions>
"""
    )
    resolution = parse_resolution_bytes(data, name="decl.xml", symbol=None, language=None)
    assert resolution.operative == (NumberedText(None, "Adopts the following declaration:"),)
    assert [p.number for p in resolution.annex] == [None, 1, 2]


def test_akn_entity_attack_is_refused() -> None:
    data = (
        b'<!DOCTYPE akomaNtoso [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        b'<akomaNtoso xmlns="' + AKN_NS.encode() + b'"><statement>&b;</statement></akomaNtoso>'
    )
    with pytest.raises(CorruptDocument, match="unsafe or malformed XML"):
        parse_resolution_bytes(data, name="bomb.xml", symbol=None, language=None)


def resolution_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with one line of text per entry, laid out top-down like an ODS resolution."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for lines in pages:
        y = 800
        for line in lines:
            canvas.drawString(60, y, line)
            y -= 14
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_pdf_general_assembly_resolution_like_ods() -> None:
    data = resolution_pdf(
        [
            [
                "United Nations A/RES/78/323",
                "General Assembly Distr.: General",
                "14 August 2024",
                "24-14711 (E)",
                "*2414711*",
                "Resolution adopted by the General Assembly",
                "on 13 August 2024",
                "78/323. International Day of Women and Girls of",
                "African Descent",
                "The General Assembly,",
                "Reaffirming the purposes and principles of the Charter of the",
                "United Nations,",
                "Recalling the Universal Declaration of Human Rights,1the Covenant",
                "on Civil and Political Rights2and its resolution 61/185,",
                "1. Decides to proclaim 25 July as the International Day of Women",
                "and Girls of African Descent;",
                "__________________",
                "1 See A/79/302-S/2024/600.",
            ],
            [
                "International Day of Women and Girls of African Descent A/RES/78/323",
                "24-14711 2/2",
                "2. Requests the Secretary-General to bring the present resolution",
                "to the attention of all States Members.",
                "103rd plenary meeting",
                "13 August 2024",
            ],
        ]
    )
    resolution = parse_resolution_bytes(data, name="ga.pdf", symbol=None, language=None)
    assert resolution.symbol == "A/RES/78/323" and resolution.source_format == "pdf"
    assert resolution.title == "International Day of Women and Girls of African Descent"
    assert (resolution.adopted, resolution.meeting) == ("2024-08-13", 103)
    assert resolution.preambular == (
        "Reaffirming the purposes and principles of the Charter of the United Nations,",
        "Recalling the Universal Declaration of Human Rights, the Covenant on Civil and "
        "Political Rights and its resolution 61/185,",
    )
    assert resolution.operative == (
        NumberedText(
            1,
            "Decides to proclaim 25 July as the International Day of Women and Girls of "
            "African Descent;",
        ),
        NumberedText(
            2,
            "Requests the Secretary-General to bring the present resolution to the "
            "attention of all States Members.",
        ),
    )
    assert resolution.cites == ("A/79/302-S/2024/600", "A/RES/61/185")


def test_pdf_french_security_council_resolution() -> None:
    data = resolution_pdf(
        [
            [
                "Nations Unies S/RES/2579 (2021)",
                "Conseil de sécurité Distr. générale",
                "21-07711 (F)",
                "Résolution 2579 (2021)",
                "Adoptée par le Conseil de sécurité à sa 8784e séance, le",
                "3 juin 2021",
                "Le Conseil de sécurité,",
                "Rappelant toutes ses résolutions antérieures et les déclarations de",
                "sa présidence concernant la situation au Soudan,",
                "1. Décide de proroger le mandat de la Mission jusqu’au 3 juin 2022 ;",
                "2. Décide de rester activement saisi de la question.",
            ]
        ]
    )
    resolution = parse_resolution_bytes(data, name="sc.pdf", symbol=None, language=None)
    assert resolution.symbol == "S/RES/2579(2021)" and resolution.language == "fr"
    assert (resolution.adopted, resolution.meeting) == ("2021-06-03", 8784)
    assert len(resolution.preambular) == 1 and resolution.numbered_operative_count == 2


def sc_1809_docx() -> bytes:
    """Security Council resolution 1809 (2008) typed in Word, numbers and tabs by hand."""
    document = docx.Document()
    for text in (
        "Resolution 1809 (2008)",
        "Adopted by the Security Council at its 5868th meeting, on 16 April 2008",
        "The Security Council,",
        "Recalling its resolution 1625 (2005),",
        "1.\tWelcomes the participation of regional organizations;",
        "2.\tDecides to remain seized of the matter.",
    ):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_resolution_with_typed_numbers() -> None:
    resolution = parse_resolution_bytes(sc_1809_docx(), name="sc.docx", symbol=None, language=None)
    assert resolution.symbol == "S/RES/1809(2008)" and resolution.source_format == "docx"
    assert (resolution.adopted, resolution.meeting) == ("2008-04-16", 5868)
    assert resolution.operative[0] == NumberedText(
        1, "Welcomes the participation of regional organizations;"
    )
    assert resolution.cites == ("S/RES/1625(2005)",)


def test_paragraph_json_and_text_agree() -> None:
    paragraphs = [
        {"text": "Resolution adopted by the General Assembly on 25 July 2016", "prefix": None},
        {"text": "Agreement concerning the Relationship", "prefix": "70/296."},
        {"text": "The General Assembly,", "prefix": None},
        {"text": "Recalling its resolution 70/263 of 27 April 2016,", "prefix": None},
        {"text": "Approves the draft Agreement;", "prefix": "1."},
        {"text": "112th plenary meeting\n25 July 2016", "prefix": None},
        {"text": "Annex", "prefix": None},
        {"text": "The present Agreement shall enter into force.", "prefix": "1."},
    ]
    as_json = json.dumps(paragraphs).encode()
    as_text = "\n\n".join(
        f"{p['prefix']}\t{p['text']}" if p["prefix"] else p["text"] for p in paragraphs
    ).encode()
    parsed = [
        parse_resolution_bytes(data, name="x", symbol=None, language=None)
        for data in (as_json, as_text)
    ]
    for resolution in parsed:
        assert resolution.symbol == "A/RES/70/296"
        assert (resolution.adopted, resolution.meeting) == ("2016-07-25", 112)
        assert resolution.operative == (NumberedText(1, "Approves the draft Agreement;"),)
        assert resolution.annex == (
            NumberedText(1, "The present Agreement shall enter into force."),
        )
        assert resolution.cites == ("A/RES/70/263",)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"  \n", EmptyDocument),
        (b"just some words", NotAResolution),
        (b"\xff\xfe\x00", CorruptDocument),
    ],
)
def test_bad_input_raises_typed_error(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_resolution_bytes(data, name="bad", symbol=None, language=None)


def test_find_date_and_meeting_in_both_languages() -> None:
    assert find_date("le 1er juin 2021") == "2021-06-01"
    assert find_date("on\u00a028 April 2004") == "2004-04-28"
    assert find_date("31 February 2020") is None
    assert find_meeting("à sa 8784e séance") == 8784
    assert find_meeting("at its 5868th meeting") == 5868


# The whole calibration bench over ../shared (as `make real-corpus`): in `make test` only.
@pytest.mark.integration
@pytest.mark.skipif(not REAL_FOLDER.is_dir(), reason="../shared/corpus/resolutions is absent")
def test_real_corpus_bench_passes(capsys: pytest.CaptureFixture[str]) -> None:
    from bench.real_corpus import main

    assert main(REAL_FOLDER) == 0, capsys.readouterr().out


@pytest.mark.parametrize(
    ("symbol", "organ"),
    [
        ("A/RES/79/10", "General Assembly"),
        ("A/RES/ES-11/1", "General Assembly"),
        ("S/RES/2524(2020)", "Security Council"),
        ("A/HRC/RES/52/1", "Human Rights Council"),
        ("E/RES/2019/33", "Economic and Social Council"),
        ("XYZ/1", None),
    ],
)
def test_organ_of_reads_the_grammar(symbol: str, organ: str | None) -> None:
    assert organ_of(symbol) == organ
