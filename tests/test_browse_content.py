"""What the organization and area pages say, written from a warehouse holding the two bundled
editions, checked against the edition texts (tests/edition_texts.py); how they render in a
browser is tests/test_browse_pages.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from edition_texts import edition_paragraphs, fold, section_numbers
from warehouse_editions import load_editions

from notify.browse_pages import fold as page_fold
from notify.browse_pages import write_browse_pages

SCO = "Organisation de Shanghai pour la coopération"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browse")
    con = load_editions(folder / "w.duckdb")
    try:
        write_browse_pages(con, folder / "reports")
    finally:
        con.close()
    return folder / "reports"


def _quoted(html: str) -> dict[str, list[int]]:
    """Edition symbol -> numbers of the paragraphs the page quotes."""
    found: dict[str, list[int]] = {}
    for symbol, number in re.findall(r'id="p-(A-\d+-\d+)-(\d+)"', html):
        found.setdefault(symbol.replace("-", "/"), []).append(int(number))
    return found


def test_an_organization_page_quotes_its_section_in_every_edition(pages: Path) -> None:
    html = (pages / "organizations" / "SCO.html").read_text(encoding="utf-8")
    assert _quoted(html) == {
        "A/73/328": section_numbers("A/73/328", SCO),
        "A/77/277": section_numbers("A/77/277", SCO),
    }
    assert "<h1>Shanghai Cooperation Organization" in html  # English label
    # The trend table gives the section sizes the editions print.
    for symbol in ("A/73/328", "A/77/277"):
        size = len(section_numbers(symbol, SCO))
        assert re.search(rf"<td>{symbol}</td><td>\d+</td><td class=\"cw-number\">{size}</td>", html)
    assert "<svg" in html and "src=" not in html and "http" not in html
    # No resolution is loaded: the page says the mandates are unknown, not that there are none.
    assert "Unknown: no resolutions loaded" in html


def test_quoted_text_stays_in_the_edition_language_and_is_searchable(pages: Path) -> None:
    html = (pages / "organizations" / "COE.html").read_text(encoding="utf-8")
    paragraph = re.search(
        r'id="p-A-73-328-41" data-search="([^"]*)"><span class="cw-pnum">¶ 41</span>'
        r'<span lang="fr">([^<]*)</span>',
        html,
    )
    assert paragraph is not None
    search, text = (
        value.replace("&#39;", "'").replace("&amp;", "&") for value in paragraph.groups()
    )
    assert fold(text) == fold(edition_paragraphs("A/73/328")[41])
    assert "numerique" in search and search == page_fold(text)


def test_an_area_page_links_the_sections_of_its_paragraphs(pages: Path) -> None:
    html = (pages / "areas" / "digital_science_technology.html").read_text(encoding="utf-8")
    assert "<h1>Digital technology, cybersecurity and science" in html
    quoted = _quoted(html)
    # ¶ 38, "gouvernance électronique", in the CPLP's section: digital by the labels read in
    # tests/fixtures/knowledge/area_sample.json (¶ 41's "à l'ère du numérique" is not).
    assert 38 in quoted["A/73/328"] and 41 not in quoted["A/73/328"]
    assert '<a class="cw-muted" href="../organizations/CPLP.html">' in html
    for href in re.findall(r'href="\.\./organizations/([^"]+)"', html):
        assert (pages / "organizations" / href).is_file()
