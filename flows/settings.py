"""Where CoopWatch keeps its files, and the Prefect settings for a quiet local run.

Prefect reads its settings at import time, so `configure_prefect()` must run before
the first `import prefect`.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The data folder: `$COOPWATCH_DATA` or `data/` in the project."""
    return Path(os.environ.get("COOPWATCH_DATA", PROJECT_DIR / "data"))


def default_db_path() -> Path:
    """The warehouse file: `$COOPWATCH_DB` or `data/coopwatch.duckdb`."""
    return Path(os.environ.get("COOPWATCH_DB", data_dir() / "coopwatch.duckdb"))


def default_outbox_dir() -> Path:
    """Where emails are written when no SMTP server is configured."""
    return Path(os.environ.get("COOPWATCH_OUTBOX", PROJECT_DIR / "outbox"))


def default_reports_dir() -> Path:
    """Where the static HTML and Markdown change reports go."""
    return Path(os.environ.get("COOPWATCH_REPORTS", PROJECT_DIR / "reports"))


def configure_prefect() -> None:
    """Local, offline, quiet Prefect: home in the data folder, no analytics, patient start-up."""
    defaults = {
        "PREFECT_HOME": str(data_dir() / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_LOGGING_TO_API_ENABLED": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    # Prefect creates only the last folder of its home; a fresh clone has no data/ yet.
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
