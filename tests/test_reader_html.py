"""The HTML reader on HTML versions of the 2022 edition built inside the test, and on edge cases.

Each version is written from the blocks of the PDF-extracted-text reader, so the HTML path
must give the same chapters, sections, paragraph numbers, texts and links as the text path.
"""

from __future__ import annotations

import html

import pytest

from common.errors import EmptyDocument, NotAReport
from extractors.model import Block
from extractors.readers.html import read_html
from extractors.readers.pdftext import read_pdf_text
from tests.conftest import EDITION_2022
from tests.pdf_render import link_markup
from tests.report_structure import TITLE_FR, structure


@pytest.fixture(scope="module")
def source_blocks() -> list[Block]:
    return read_pdf_text(EDITION_2022.read_text(encoding="utf-8"), name=EDITION_2022.name)


def to_html(blocks: list[Block], *, ordered_lists: bool) -> str:
    """An HTML page like the ODS serves: <h2> chapters, <h3> organizations, numbered paragraphs."""
    body: list[str] = [f"<h1>{html.escape(TITLE_FR)}</h1>"]
    open_list = False
    for block in blocks:
        markup, _ = link_markup(block.text, block.links)
        if open_list and block.kind != "numbered":
            body.append("</ol>")
            open_list = False
        if block.kind == "heading":
            tag = "h2" if block.level == 1 else "h3"
            body.append(f"<{tag} class='heading'>{markup}</{tag}>")
        elif block.kind == "numbered" and ordered_lists:
            if not open_list:
                body.append(f'<ol start="{block.number}">')
                open_list = True
            body.append(f"<li><p>{markup}</p></li>")
        elif block.kind == "numbered":
            body.append(f"<p class='para'>{block.number}.&#160;{markup}</p>")
        else:
            body.append(f"<p>{markup}</p>")
    if open_list:
        body.append("</ol>")
    return (
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>A/77/277</title>"
        "<style>p { text-align: justify }</style><script>var x = '<p>1. no</p>';</script>"
        "</head><body><div id='content'>" + "\n".join(body) + "</div></body></html>"
    )


@pytest.mark.parametrize("ordered_lists", [False, True], ids=["p-numbers", "ol-numbers"])
def test_html_gives_same_structure_as_text(source_blocks, ordered_lists: bool) -> None:
    page = to_html(source_blocks, ordered_lists=ordered_lists)

    blocks = read_html(page.encode("utf-8"), name="A-77-277_fr.html")

    from_html = structure(blocks, "A-77-277_fr.html", with_links=True)
    assert from_html == structure(source_blocks, EDITION_2022.name, with_links=True)
    assert len(from_html["paragraphs"]) == 128
    assert sum(len(p[3]) for p in from_html["paragraphs"]) > 0


def test_html_heading_levels_follow_roman_numbers_and_tags() -> None:
    page = """<html><body>
      <h1>Rapport du Secrétaire général</h1>
      <h2>I. Introduction</h2><p>1. Premier.</p>
      <h2>Observations</h2><p>2. Deuxième.</p>
      <h3>Union africaine</h3><p>3. Troisième.</p>
    </body></html>"""

    blocks = read_html(page, name="x.html")

    assert [(b.kind, b.level, b.number) for b in blocks] == [
        ("heading", 2, None),
        ("heading", 1, None),
        ("numbered", None, 1),
        ("heading", 1, None),
        ("numbered", None, 2),
        ("heading", 2, None),
        ("numbered", None, 3),
    ]


def test_html_ordered_list_numbers_honour_start_and_value() -> None:
    page = """<ol start="7"><li>Sept.</li><li value="10">Dix.</li><li>Onze
      <ol type="a"><li>sous-point</li></ol></li></ol><ul><li>puce</li></ul>"""

    blocks = read_html(page, name="x.html")

    assert [(b.kind, b.number, b.text) for b in blocks] == [
        ("numbered", 7, "Sept."),
        ("numbered", 10, "Dix."),
        ("numbered", 11, "Onze sous-point"),
        ("text", None, "puce"),
    ]


def test_html_inline_markup_and_links() -> None:
    page = (
        "<p>5. L\u2019<b>ONU</b> et l\u2019Union <i>africaine</i><br>ont signé "
        "(<a href='https://undocs.org/fr/A/RES/75/1'>75/1</a>, <a href='#note1'>1</a>).</p>"
    )

    [block] = read_html(page, name="x.html")

    assert block.number == 5
    assert block.text == "L'ONU et l'Union africaine ont signé (75/1, 1)."
    assert block.links == ("https://undocs.org/fr/A/RES/75/1",)


@pytest.mark.parametrize(
    ("content", "error", "cause"),
    [
        (b"", EmptyDocument, "the file is empty"),
        (b"<html><body><script>x()</script></body></html>", NotAReport, "no headings"),
    ],
)
def test_html_without_content_is_refused(content: bytes, error: type, cause: str) -> None:
    with pytest.raises(error, match=f"^page.html: {cause}"):
        read_html(content, name="page.html")
