"""reports/index.html after a nightly run on the bundled editions: trend charts over every
loaded edition with their numbers as tables, and a link to every pairwise report; opened in
headless Chromium as the change report is (tests/test_report_chromium.py)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from test_report_chromium import CHROMIUM, chromium

from flows.nightly import nightly
from notify.report_index import write_index
from warehouse.report_queries import edition_trajectories


@pytest.fixture(scope="module")
def bundled_run(tmp_path_factory: pytest.TempPathFactory, prefect_harness) -> Path:
    """One nightly run on the bundled editions; its folder (cw.duckdb, reports/)."""
    folder = tmp_path_factory.mktemp("index")
    nightly(
        source="bundled",
        db_path=str(folder / "cw.duckdb"),
        outbox_dir=str(folder / "outbox"),
        reports_dir=str(folder / "reports"),
    )
    return folder


def test_run_writes_the_index_beside_the_pairwise_report(bundled_run: Path) -> None:
    reports = bundled_run / "reports"
    html = (reports / "index.html").read_text(encoding="utf-8")
    for chart in ("index-organizations.png", "index-organization-shares.png", "index-areas.png"):
        assert (reports / chart).read_bytes().startswith(b"\x89PNG")
        assert f'src="{chart}"' in html
    assert '<a href="A-73-328__A-77-277.html">A/73/328 → A/77/277</a>' in html
    assert (reports / "A-73-328__A-77-277.html").is_file()


def test_index_tables_hold_the_numbers_of_the_warehouse(bundled_run: Path) -> None:
    con = duckdb.connect(str(bundled_run / "cw.duckdb"), read_only=True)
    try:
        data = edition_trajectories(con, "fr")
        (au_2018, au_2022, share_2022) = con.execute(
            "SELECT max(paragraph_count) FILTER (WHERE symbol = 'A/73/328'), "
            "max(paragraph_count) FILTER (WHERE symbol = 'A/77/277'), "
            "max(share_of_paragraphs) FILTER (WHERE symbol = 'A/77/277') "
            "FROM organizations_by_edition WHERE organization_id = 'AU' AND language = 'fr'"
        ).fetchall()[0]
    finally:
        con.close()
    assert data.editions == ("A/73/328", "A/77/277")
    assert data.organization_paragraphs["AU"] == {"A/73/328": au_2018, "A/77/277": au_2022}
    html = (bundled_run / "reports" / "index.html").read_text(encoding="utf-8")
    row = re.search(r"<tr><td>Union africaine \(AU\)</td>(.*?)</tr>", html)
    assert row is not None
    cells = re.findall(r'<td class="cw-number">([^<]*)</td>', row.group(1))
    assert cells == [str(au_2018), cells[1], str(au_2022), f"{share_2022:.1%}"]
    # The organizations table has every organization with a section in some edition.
    assert len(
        re.findall(r"<tr><td>", html.split('id="organization-table"')[1].split("</table>")[0])
    ) == (len(data.organization_paragraphs))


def test_index_without_any_edition_says_so(tmp_path: Path) -> None:
    from warehouse.db.schema import connect

    con = connect(tmp_path / "empty.duckdb")
    try:
        files = write_index(con, tmp_path / "reports")
    finally:
        con.close()
    assert files.charts == ()
    assert "No pair of editions compared yet." in files.html.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is not installed (apt-get install -y chromium); "
    "the index's browser rendering is not checked",
)
def test_index_renders_in_chromium_with_charts_and_report_table(
    bundled_run: Path, tmp_path: Path
) -> None:
    url = (bundled_run / "reports" / "index.html").resolve().as_uri()
    screenshot = tmp_path / "index.png"
    chromium(tmp_path, f"--screenshot={screenshot}", "--window-size=1200,2000", url)
    dom = chromium(tmp_path, "--dump-dom", url).stdout
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    assert screenshot.stat().st_size > 20_000
    assert len(re.findall(r'<img class="cw-trend" src="index-[a-z-]+\.png"', dom)) == 3
    assert len(re.findall(r'<table class="cw-trend-data"', dom)) == 2
    assert re.search(r'<table class="cw-pairs">.*A-73-328__A-77-277\.html', dom, re.DOTALL)
