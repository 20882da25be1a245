"""Every change in the report and the email links to its organization's or area's browse
page (reports/organizations/ID.html, reports/areas/ID.html): relative in the report, under
COOPWATCH_REPORT_URL in the email (the reports folder's path when unset); each link resolves
to a page the run wrote."""

from __future__ import annotations

import email
import re
from email.message import Message
from pathlib import Path

import duckdb
import pytest
from bundled_cli_run import BundledRun, shared_bundled_run
from typer.testing import CliRunner

from flows.cli import app
from notify.mailing import build_for
from tests.conftest import EDITION_2018, EDITION_2022, SYMBOL_2018
from warehouse.diff.edition_diff import diff_editions
from warehouse.load.read_back import read_report

BROWSE = re.compile(r'<a class="cw-link cw-browse" href="([^"]+)"')


def _html_part(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("the email has no HTML part")


@pytest.fixture(scope="module")
def run() -> BundledRun:
    return shared_bundled_run()


def test_every_change_of_the_report_links_a_written_page(run: BundledRun) -> None:
    reports = run.folder / "reports"
    (report,) = reports.glob("*__*.html")
    html = report.read_text(encoding="utf-8")
    hrefs = BROWSE.findall(html)
    assert len(hrefs) > 100
    for href in hrefs:
        assert re.fullmatch(r"(organizations|areas)/[A-Za-z0-9_-]+\.html", href), href
        assert (reports / href).is_file(), href
    # The AU's section change, the health area's and the AU's health change.
    assert {"organizations/AU.html", "areas/health.html"} <= set(hrefs)
    # Every change row of the report's tables carries a page link, citations (which link to
    # the document cited) aside.
    rows = re.findall(r"<tr[^>]*>((?:(?!<tr).)*?)</tr>", html, re.S)
    rows = [row for row in rows if 'class="cw-td"' in row and "¶" in row]
    cited = re.compile(r'href="https://undocs.org/fr/(?!A/73/328|A/77/277)')
    changes = [row for row in rows if not cited.search(row)]
    assert len(changes) > 400
    assert not [row for row in changes if "cw-browse" not in row], changes[:1]


def test_every_change_of_the_email_links_a_written_page(run: BundledRun) -> None:
    reports = (run.folder / "reports").resolve()
    (eml,) = run.folder.rglob("*.eml")
    message = email.message_from_bytes(eml.read_bytes())
    hrefs = BROWSE.findall(_html_part(message))
    assert len(hrefs) > 20
    for href in hrefs:
        path = Path(href)
        assert path.is_absolute(), href  # the reports folder's path: COOPWATCH_REPORT_URL unset
        assert path.is_file() and path.resolve().is_relative_to(reports), href


def test_the_email_links_under_the_published_reports_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COOPWATCH_REPORT_URL", "https://reports.example.org/coopwatch/")
    db = tmp_path / "cw.duckdb"
    runner = CliRunner()
    for arguments in ([str(EDITION_2018), "--symbol", SYMBOL_2018], [str(EDITION_2022)]):
        result = runner.invoke(app, ["ingest", *arguments, "--db", str(db)])
        assert result.exit_code == 0, result.output
    con = duckdb.connect(str(db), read_only=True)
    try:
        diff = diff_editions(read_report(con, "A/73/328", "fr"), read_report(con, "A/77/277", "fr"))
        digest = build_for(con, diff, "fr")
    finally:
        con.close()
    hrefs = BROWSE.findall(digest.html)
    assert hrefs
    for href in hrefs:
        assert re.fullmatch(
            r"https://reports\.example\.org/coopwatch/(organizations|areas)/[A-Za-z0-9_-]+\.html",
            href,
        ), href
    assert "https://reports.example.org/coopwatch/organizations/CPLP.html" in hrefs
