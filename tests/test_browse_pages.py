"""The pages to browse without SQL, as the bundled run writes them beside the report index
(reports/organizations/*.html, reports/areas/*.html), opened in headless Chromium: no console
error on any page, every link resolves, and the search box finds "numerique" and
"Conseil de l'Europe" (straight apostrophe) where the edition texts print them."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from bundled_cli_run import BundledRun, shared_bundled_run
from edition_texts import paragraphs_containing, section_numbers
from test_report_chromium import CHROMIUM, chromium

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is not installed (apt-get install -y chromium); "
    "the browse pages' rendering is not checked",
)


class _Links(HTMLParser):
    """Every href and id of a page, and its paragraphs' visibility after the search ran."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.paragraphs: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("href"):
            self.hrefs.append(str(values["href"]))
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if "cw-paragraph" in (values.get("class") or "").split():
            self.paragraphs.append((str(values.get("id")), "hidden" not in values))


def _parsed(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def reports() -> Path:
    run: BundledRun = shared_bundled_run()
    return run.folder / "reports"


def _pages(reports: Path) -> list[Path]:
    return sorted(
        [
            reports / "index.html",
            *reports.glob("organizations/*.html"),
            *reports.glob("areas/*.html"),
        ]
    )


def test_the_index_links_a_page_per_organization_and_area(reports: Path) -> None:
    index = _parsed((reports / "index.html").read_text(encoding="utf-8"))
    organizations = sorted(p.name for p in reports.glob("organizations/*.html"))
    areas = sorted(p.name for p in reports.glob("areas/*.html"))
    assert "COE.html" in organizations and "AU.html" in organizations
    assert "digital_science_technology.html" in areas
    assert (
        sorted(h.split("/", 1)[1] for h in index.hrefs if h.startswith("organizations/"))
        == organizations
    )
    assert sorted(h.split("/", 1)[1] for h in index.hrefs if h.startswith("areas/")) == areas


def test_every_link_of_every_page_resolves(reports: Path) -> None:
    pages = _pages(reports) + sorted(reports.glob("*__*.html"))
    ids = {page.resolve(): _parsed(page.read_text(encoding="utf-8")).ids for page in pages}
    for page in pages:
        for href in _parsed(page.read_text(encoding="utf-8")).hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                # Only the change report links out (to the UN's documents), never a page here.
                assert "__" in page.name, (page.name, href)
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page.resolve()
            assert target.is_file(), (page.name, href)
            if parts.fragment:
                assert parts.fragment in ids.get(target, set()), (page.name, href)


def test_every_page_renders_in_chromium_without_console_errors(
    reports: Path, tmp_path: Path
) -> None:
    # One page frames them all: Chromium reports an error in any frame on its console.
    frames = "".join(
        f'<iframe src="{quote(str(page))}" width="800" height="200"></iframe>'
        for page in _pages(reports)
    )
    harness = tmp_path / "all-pages.html"
    harness.write_text(f"<!DOCTYPE html><html><body>{frames}</body></html>", encoding="utf-8")
    done = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", harness.as_uri())
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
    assert done.stdout.count("<iframe") == len(_pages(reports)) > 40


def _searched(reports: Path, tmp_path: Path, page: str, query: str) -> list[int]:
    """The numbers of the paragraphs left shown on `page` once its search box holds `query`."""
    url = (reports / page).as_uri() + "?q=" + quote(query)
    done = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", url)
    assert [line for line in done.stderr.splitlines() if ":CONSOLE" in line] == []
    assert 'id="cw-search"' in done.stdout
    shown = [anchor for anchor, visible in _parsed(done.stdout).paragraphs if visible]
    return sorted(int(re.sub(r".*-", "", anchor)) for anchor in shown)


def test_the_search_box_finds_conseil_de_l_europe_with_a_straight_apostrophe(
    reports: Path, tmp_path: Path
) -> None:
    # The Council of Europe's page quotes its sections: A/73/328 ¶ 40-44, A/77/277 ¶ 66-70,
    # every one of which names the Council (the 2022 text with a typographic apostrophe).
    shown = _searched(reports, tmp_path, "organizations/COE.html", "Conseil de l'Europe")
    expected = sorted(
        paragraphs_containing("A/73/328", "Conseil de l'Europe")
        + paragraphs_containing("A/77/277", "Conseil de l'Europe")
    )
    assert shown == expected == [40, 41, 42, 43, 44, 66, 67, 68, 69, 70]
    assert section_numbers("A/77/277", "Conseil de l’Europe") == [66, 67, 68, 69, 70]


def test_the_search_box_finds_numerique_without_its_accent(reports: Path, tmp_path: Path) -> None:
    # The digital area's page quotes the paragraphs it tags; those printing "numérique" stay.
    shown = _searched(reports, tmp_path, "areas/digital_science_technology.html", "numerique")
    printed = set(paragraphs_containing("A/73/328", "numérique")) | set(
        paragraphs_containing("A/77/277", "numérique")
    )
    assert shown and set(shown) <= printed
    # On the Council of Europe's page, 2018 ¶ 41 ("à l'ère du numérique") alone.
    assert _searched(reports, tmp_path, "organizations/COE.html", "numerique") == [41]
