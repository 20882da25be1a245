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
