"""Every edition's evidence in the digest and the report links to that edition on undocs.org
(https://undocs.org/<language>/<symbol>), at the page of its first paragraph where the
warehouse knows the page (PDF editions), without a page where it does not."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from notify.digest import evidence_url
from notify.mailing import build_for
from notify.static_report import render_markdown
from tests.conftest import EDITION_2018, EDITION_2022, SYMBOL_2018
from warehouse.diff.edition_diff import diff_editions
from warehouse.load.read_back import read_report
from warehouse.report_queries import paragraph_pages

OLD, NEW = "A/73/328", "A/77/277"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("evidence") / "cw.duckdb"
    runner = CliRunner()
    for arguments in ([str(EDITION_2018), "--symbol", SYMBOL_2018], [str(EDITION_2022)]):
        result = runner.invoke(app, ["ingest", *arguments, "--db", str(db)])
        assert result.exit_code == 0, result.output
    return db


def test_evidence_links_to_the_page_where_it_is_known() -> None:
    pages = {(NEW, 80): 19, (NEW, 81): 19}
    assert evidence_url(NEW, "fr", [81, 80], pages) == "https://undocs.org/fr/A/77/277#page=19"
    assert evidence_url(OLD, "fr", [80], pages) == "https://undocs.org/fr/A/73/328"
    assert evidence_url(NEW, "en", [5], pages) == "https://undocs.org/en/A/77/277"
    assert evidence_url(NEW, "fr", [], pages) is None


def test_the_digest_and_report_link_each_editions_evidence(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        # A/73/328 is Markdown (no pages). A/77/277's text extraction has no form feeds and
        # one page footer, "22-12374 4/25", just before ¶ 1; the first URL list (after ¶ 6)
        # ends that page, and no later page is known.
        assert paragraph_pages(con, (OLD, NEW), "fr") == {(NEW, n): 4 for n in range(1, 7)}
        diff = diff_editions(read_report(con, OLD, "fr"), read_report(con, NEW, "fr"))
        digest = build_for(con, diff, "fr")
    finally:
        con.close()
    # HTML: each "<edition> ¶ n" is a link to that edition.
    cited = re.findall(r'href="([^"]+)"[^>]*>(A/\d+/\d+)</a> ¶&nbsp;(\d+)', digest.html)
    assert len(cited) > 30
    for url, edition, first in cited:
        page = "#page=4" if edition == NEW and int(first) <= 6 else ""
        assert url == f"https://undocs.org/fr/{edition}{page}", (url, edition, first)
    assert any(url.endswith("#page=4") for url, _, _ in cited)
    # Markdown report: "[A/77/277 ¶ 5–32](https://undocs.org/fr/A/77/277)".
    markdown = render_markdown(digest, diff)
    linked = re.findall(r"\[(A/\d+/\d+) ¶ (\d+)[\d–, ]*\]\(([^)]+)\)", markdown)
    assert len(linked) > 50
    for edition, first, url in linked:
        page = "#page=4" if edition == NEW and int(first) <= 6 else ""
        assert url == f"https://undocs.org/fr/{edition}{page}", (url, edition, first)
    # The AU's section, from ¶ 5 on page 4.
    assert "[A/77/277 ¶ 5–32](https://undocs.org/fr/A/77/277#page=4)" in markdown
    assert not re.search(r"(?<!\[)A/\d+/\d+ ¶ \d", markdown.split("## Mandates")[0])
