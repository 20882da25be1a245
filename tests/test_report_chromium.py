"""The static HTML report opened in headless Chromium (Debian's `chromium` package): a
screenshot lands in the test's temp folder and the rendered DOM has the chart and tables."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from test_notify_digest import sample_diff, sample_digest

from notify.static_report import write_reports

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
DARK = "--blink-settings=preferredColorScheme=0"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is not installed (apt-get install -y chromium); "
    "the report's browser rendering is not checked",
)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    return subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


@pytest.mark.slow
def test_report_renders_with_chart_and_tables_in_chromium(tmp_path: Path) -> None:
    files = write_reports(sample_digest(), sample_diff(), tmp_path / "reports")
    url = files.html.resolve().as_uri()
    screenshot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={screenshot}", "--window-size=1200,1600", url)
    dom = chromium(tmp_path, "--dump-dom", url).stdout
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    assert screenshot.stat().st_size > 20_000
    assert re.search(r'<img class="cw-chart" src="A-73-328__A-77-277\.png"', dom)
    assert len(re.findall(r'<table class="cw-changes"', dom)) == 6
    assert '<table class="cw-chart-data"' in dom
    assert "<script>alert" not in dom and "&lt;script&gt;alert" in dom


@pytest.mark.slow
def test_report_follows_the_dark_color_scheme(tmp_path: Path) -> None:
    from PIL import Image

    files = write_reports(sample_digest(), sample_diff(), tmp_path / "reports")
    url = files.html.resolve().as_uri()
    shots = {}
    for scheme, extra in (("light", []), ("dark", ["--force-dark-mode", DARK])):
        shots[scheme] = tmp_path / f"report-{scheme}.png"
        chromium(tmp_path, *extra, f"--screenshot={shots[scheme]}", "--window-size=900,700", url)

    def card_brightness(path: Path) -> int:
        with Image.open(path) as image:
            return sum(image.convert("RGB").getpixel((450, 20)))

    assert card_brightness(shots["light"]) > 600
    assert card_brightness(shots["dark"]) < 200


@pytest.mark.slow
def test_real_pair_email_html_leads_with_the_same_news_in_chromium(
    tmp_path: Path, report_2018, report_2022
) -> None:
    """The email's HTML part for the bundled pair, as a browser renders it: the news block
    first, naming the OECD, the CPLP, the joint chapter and every material area change in
    English, and every "and N more" a link to the report."""
    from extractors.enrich.enrich_report import enrich_report
    from notify.digest import build_digest
    from warehouse.diff.edition_diff import diff_editions

    diff = diff_editions(enrich_report(report_2018), enrich_report(report_2022))
    digest = build_digest(diff, trajectory={}, names={})
    page = tmp_path / "email.html"
    page.write_text(digest.stored_html, encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", page.resolve().as_uri()).stdout
    news = dom.split('<ul class="cw-news"')[1].split("</ul>")[0]
    for name in (
        "Organisation for Economic Co-operation and Development (OECD)",
        "Community of Portuguese-speaking Countries (CPLP)",
        "Joint section on Organisation for the Prohibition of Chemical Weapons (OPCW)",
        "Health, including COVID-19",
        "Electoral assistance",
        "Climate and environment",
        "Counter-terrorism and preventing violent extremism",
    ):
        assert name in news, name
    assert dom.index('class="cw-news"') < dom.index('class="cw-changes"')
    more = re.findall(r'<a class="cw-link cw-more" href="([^"]+)"', dom)
    assert more and set(more) == {"reports/A-73-328__A-77-277.html"}
    assert dom.count("… and ") == len(more)
    assert "similar to" not in dom
