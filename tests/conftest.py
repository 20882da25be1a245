"""Shared fixtures: quiet offline Prefect, the bundled editions, parsed reports."""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from tests.bytecode_cache import keep_bytecode_under

# Timings belong in bench/, not in assertions: Hypothesis's per-example deadline fails a
# correct property on a loaded two-core machine, so the suite runs without it.
hypothesis_settings.register_profile("coopwatch", deadline=None)
hypothesis_settings.load_profile("coopwatch")

_PREFECT_HOME = Path(tempfile.gettempdir()) / "coopwatch-test-prefect"
os.environ.setdefault("PREFECT_HOME", str(_PREFECT_HOME))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)

PROJECT_DIR = Path(__file__).resolve().parent.parent
CORPUS_DIR = PROJECT_DIR / "corpus"
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
EDITION_2018 = CORPUS_DIR / "A-73-328_fr.md"
EDITION_2022 = CORPUS_DIR / "A-77-277_fr.pdf.txt"
SYMBOL_2018 = "A/73/328-S/2018/592"
SYMBOL_2022 = "A/77/277-S/2022/606"


@pytest.fixture(scope="session")
def report_2018():
    """The 2018 edition, parsed (not enriched)."""
    from extractors.report.report_parser import parse_report_file

    return parse_report_file(EDITION_2018, symbol=SYMBOL_2018)


@pytest.fixture(scope="session")
def report_2022():
    """The 2022 edition, parsed (not enriched)."""
    from extractors.report.report_parser import parse_report_file

    return parse_report_file(EDITION_2022, symbol=SYMBOL_2022)


@pytest.fixture(scope="session")
def prefect_harness():
    """One Prefect test harness (a temporary API) for the whole session: it costs ~11 s."""
    # Prefect configures its console logging when prefect.main is first imported, on the
    # sys.stderr of that moment: imported here, not inside a test's first CliRunner, whose
    # stream is closed once it returns and would break every later flow run's logging.
    import prefect.main  # noqa: F401
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


# What makes a test an integration test (`make test` runs every test, `make test-unit` the
# rest): the Prefect harness, or a module that starts a server, a subprocess, a Dask
# cluster or a browser.
NEEDS_SERVER = (
    "from tests.unserver",
    "from tests.smtp_server",
    "aiosmtpd",
    "import subprocess",
    "chromium",
    "LocalCluster",
)


@functools.cache
def _starts_servers(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    return any(token in text for token in NEEDS_SERVER)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the integration tests, so `-m "not integration"` leaves the unit tier."""
    for item in items:
        if "prefect_harness" in getattr(item, "fixturenames", ()) or _starts_servers(item.path):
            item.add_marker(pytest.mark.integration)


@pytest.fixture
def writes_ready_made(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Ready-made copies written under a folder of the test's own (tests/bytecode_cache.py)."""
    return keep_bytecode_under(monkeypatch, tmp_path / "cache")
