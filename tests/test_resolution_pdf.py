"""Resolution PDFs read by the type and place of each line: the Geneva layout, annex lists,
a single unnumbered operative paragraph, French adoption lines.

Each PDF is drawn here line by line where the UN's own layout puts it (A4, 10-point body,
8.5-point footnotes under the body, markers as raised 6.5-point digits, furniture in the
outer bands), from texts written for these tests; expected values are read off them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from extractors.derive import DerivedResolution, derive_document
from extractors.resolution.resolution_parser import NumberedText, parse_resolution_bytes

_WIDTH, _HEIGHT = A4


@dataclass(frozen=True)
class Line:
    """One printed line: its text, type size, height on the page (points from the foot),
    left edge, and an optional raised footnote marker after it."""

    text: str
    y: float
    size: float = 10.0
    x: float = 70.0
    marker: str = ""


def draw(pages: list[list[Line]]) -> bytes:
    """A PDF with each line where it says, in Helvetica at its size."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for lines in pages:
        for line in lines:
            canvas.setFont("Helvetica", line.size)
            canvas.drawString(line.x, line.y, line.text)
            if line.marker:
                width = canvas.stringWidth(line.text, "Helvetica", line.size)
                canvas.setFont("Helvetica", 6.5)
                canvas.drawString(line.x + width + 1, line.y + 4, line.marker)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def body(texts: list[str], top: float, *, step: float = 14.0) -> list[Line]:
    """Body lines from `top` down, one `step` apart."""
    return [Line(text, top - index * step) for index, text in enumerate(texts)]


def geneva_resolution() -> bytes:
    """A Human Rights Council resolution as Geneva prints it: the session lines and the
    adoption line above the title, the masthead's symbol at the top right, `GE.` job number,
    a footnote in small type under a drawn (not typed) rule, bare page numbers."""
    first = [
        Line("United Nations", 800, 14),
        Line("A/HRC/RES/58/1", 800, 14, x=420),
        Line("General Assembly", 780, 16),
        Line("Distr.: General", 780, 10, x=420),
        Line("8 April 2025", 766, 10, x=420),
        Line("Original: English", 752, 10, x=420),
        Line("Human Rights Council", 720, 11),
        Line("Fifty-eighth session", 706),
        Line("24 February–4 April 2025", 692),
        Line("Agenda item 2", 678),
        Line("Resolution adopted by the Human Rights Council on 2 April 2025", 650, 12),
        Line("58/1. Cooperation with Georgia", 626, 12),
        *body(["The Human Rights Council,"], 600),
        *body(
            [
                "Guided by the Charter of the United Nations and the Universal Declaration",
                "of Human Rights,",
            ],
            580,
        ),
        Line(
            "Recalling its resolution 55/1 of 4 April 2024 and the report of the", 546, marker="1"
        ),
        *body(["Office of the High Commissioner on cooperation with Georgia,"], 532),
        Line("1. Welcomes the engagement of the Government of Georgia with the", 510),
        *body(["Office of the High Commissioner;"], 496),
        Line("1 A/HRC/58/21.", 120, 8.5),
        Line("GE.25-05432 (E) 080425 090425", 60, 8),
        Line("*2505432*", 44, 12),
    ]
    second = [
        Line("A/HRC/RES/58/1", 800, 8.5),
        *body(
            [
                "2. Requests the High Commissioner to present an oral update to the Human",
                "Rights Council at its sixtieth session;",
                "3. Decides to remain seized of the matter.",
            ],
            760,
        ),
        Line("52nd meeting", 700, x=400),
        Line("2 April 2025", 686, x=400),
        *body(["[Adopted without a vote.]"], 660),
        Line("2", 40, 10, x=_WIDTH / 2),
    ]
    return draw([first, second])


def test_geneva_resolution_routes_and_keeps_furniture_and_footnotes_out() -> None:
    derived = derive_document(geneva_resolution(), name="hrc.pdf", gate=False)
    assert isinstance(derived, DerivedResolution)
    resolution = derived.resolution
    assert (derived.symbol, resolution.organ) == ("A/HRC/RES/58/1", "Human Rights Council")
    assert resolution.title == "Cooperation with Georgia"
    assert (resolution.adopted, resolution.meeting) == ("2025-04-02", 52)
    assert resolution.preambular == (
        "Guided by the Charter of the United Nations and the Universal Declaration of Human "
        "Rights,",
        "Recalling its resolution 55/1 of 4 April 2024 and the report of the Office of the "
        "High Commissioner on cooperation with Georgia,",
    )
    assert resolution.operative == (
        NumberedText(
            1,
            "Welcomes the engagement of the Government of Georgia with the Office of the High "
            "Commissioner;",
        ),
        NumberedText(
            2,
            "Requests the High Commissioner to present an oral update to the Human Rights "
            "Council at its sixtieth session;",
        ),
        NumberedText(3, "Decides to remain seized of the matter."),
    )
    assert "A/HRC/58/21" in resolution.cites


def sc_masthead(number: int, meeting: str, day: str) -> list[Line]:
    """The first page's top of a Security Council resolution, as the ODS prints it."""
    return [
        Line("United Nations", 800, 14),
        Line(f"S/RES/{number} (2025)", 800, 14, x=420),
        Line("Security Council", 780, 16),
        Line("Distr.: General", 780, 10, x=420),
        Line(day, 766, 10, x=420),
        Line(f"Resolution {number} (2025)", 720, 14),
        Line(f"Adopted by the Security Council at its {meeting} meeting, on", 696, 12),
        Line(day, 682, 12),
        Line("25-01234 (E)", 50, 10),
        Line("*2501234*", 36, 12),
    ]


def test_annex_lists_stay_out_of_the_operative_count() -> None:
    first = sc_masthead(2790, "9990th", "20 August 2025") + body(
        [
            "The Security Council,",
            "Recalling its resolution 2374 (2017),",
            "1. Decides to renew the measures set out in resolution 2374 (2017);",
            "2. Decides that the measures shall apply to the individuals listed in the",
            "annex to the present resolution;",
            "3. Decides to remain seized of the matter.",
        ],
        650,
    )
    second = [
        Line("S/RES/2790 (2025)", 800, 8.5),
        *body(
            [
                "Individuals designated by the Committee",
                "1. Name: First Person. Date of birth: 1970.",
                "2. Name: Second Person. Date of birth: 1975.",
                "3. Name: Third Person. Date of birth: 1980.",
                "4. Name: Fourth Person. Date of birth: 1985.",
            ],
            760,
        ),
        Line("2/2 25-01234", 40, 8.5),
    ]
    third_case = draw([first, second])
    resolution = parse_resolution_bytes(third_case, name="sc.pdf", symbol=None, language=None)
    assert [item.number for item in resolution.operative] == [1, 2, 3]
    assert [item.number for item in resolution.annex] == [1, 2, 3, 4]
    assert (resolution.adopted, resolution.meeting) == ("2025-08-20", 9990)


def test_a_list_numbered_again_after_an_annex_heading_is_the_annex() -> None:
    first = sc_masthead(2791, "9991st", "21 August 2025") + body(
        [
            "The Security Council,",
            "Recalling its resolution 2374 (2017),",
            "1. Adopts the guidelines set out in the annex to the present resolution;",
            "2. Requests the Committee to report on their implementation.",
            "Annex",
            "Guidelines",
            "1. The Committee shall meet once a month.",
            "2. The Committee shall decide by consensus.",
        ],
        650,
    )
    resolution = parse_resolution_bytes(draw([first]), name="sc.pdf", symbol=None, language=None)
    assert [item.number for item in resolution.operative] == [1, 2]
    assert [item.number for item in resolution.annex] == [None, 1, 2]


def test_a_single_unnumbered_operative_paragraph_is_operative() -> None:
    first = sc_masthead(2792, "9992nd", "22 August 2025") + body(
        [
            "The Security Council,",
            "Recalling its previous resolutions on the situation in Cyprus,",
            "Acting under Chapter VII of the Charter of the United Nations,",
            "Decides to extend the mandate of the Force until 31 January 2026.",
        ],
        650,
    )
    resolution = parse_resolution_bytes(draw([first]), name="sc.pdf", symbol=None, language=None)
    assert resolution.preambular == (
        "Recalling its previous resolutions on the situation in Cyprus,",
        "Acting under Chapter VII of the Charter of the United Nations,",
    )
    assert resolution.operative == (
        NumberedText(None, "Decides to extend the mandate of the Force until 31 January 2026."),
    )


def test_french_adoption_line_and_unnumbered_operative_paragraph() -> None:
    first = [
        Line("Nations Unies", 800, 14),
        Line("S/RES/2768 (2025)", 800, 14, x=420),
        Line("Conseil de sécurité", 780, 16),
        Line("Distr. générale", 780, 10, x=420),
        Line("15 janvier 2025", 766, 10, x=420),
        Line("Résolution 2768 (2025)", 720, 14),
        Line("Adoptée par le Conseil de sécurité à sa 9836e séance, le", 696, 12),
        Line("15 janvier 2025", 682, 12),
        *body(
            [
                "Le Conseil de sécurité,",
                "Rappelant ses résolutions antérieures sur la question,",
                "Décide de prolonger jusqu’au 15 juillet 2025 l’obligation de présenter",
                "des rapports mensuels.",
            ],
            650,
        ),
        Line("25-00725 (F)", 50, 10),
    ]
    resolution = parse_resolution_bytes(draw([first]), name="fr.pdf", symbol=None, language=None)
    assert resolution.symbol == "S/RES/2768(2025)" and resolution.language == "fr"
    assert (resolution.adopted, resolution.meeting) == ("2025-01-15", 9836)
    assert resolution.preambular == ("Rappelant ses résolutions antérieures sur la question,",)
    assert resolution.operative == (
        NumberedText(
            None,
            "Décide de prolonger jusqu’au 15 juillet 2025 l’obligation de présenter des "
            "rapports mensuels.",
        ),
    )


def test_geneva_resolution_given_its_symbol_derives_the_same() -> None:
    data = geneva_resolution()
    bare = derive_document(data, name="hrc.pdf", gate=False)
    assert derive_document(data, name="hrc.pdf", symbol="A/HRC/RES/58/1", gate=False) == bare
