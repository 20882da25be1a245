"""Where CoopWatch keeps its files, and the Prefect settings for a quiet local run.

Prefect reads its settings at import time, so `configure_prefect()` must run before
the first `import prefect`.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_FOLDER_NAME = "data"


def data_dir() -> Path:
    """The data folder: `$COOPWATCH_DATA` or `data/` in the project."""
    return Path(os.environ.get("COOPWATCH_DATA", PROJECT_DIR / "data"))


def default_db_path() -> Path:
    """The warehouse file: `$COOPWATCH_DB` or `data/coopwatch.duckdb`."""
    return Path(os.environ.get("COOPWATCH_DB", data_dir() / "coopwatch.duckdb"))


def output_root(db_path: Path | None = None) -> Path:
    """The folder the outbox and the reports go in by default: beside the data folder that
    holds the warehouse (`data/coopwatch.duckdb` -> the project), else the warehouse's own
    folder, so `--db elsewhere/cw.duckdb` writes nothing into the project."""
    folder = Path(db_path or default_db_path()).resolve().parent
    return folder.parent if folder.name == DATA_FOLDER_NAME else folder


def default_outbox_dir(db_path: Path | None = None) -> Path:
    """Where emails are written when no SMTP server is configured: `$COOPWATCH_OUTBOX`, else
    `outbox/` in `output_root(db_path)`."""
    return Path(os.environ.get("COOPWATCH_OUTBOX") or output_root(db_path) / "outbox")


def default_reports_dir(db_path: Path | None = None) -> Path:
    """Where the static HTML and Markdown change reports go: `$COOPWATCH_REPORTS`, else
    `reports/` in `output_root(db_path)`."""
    return Path(os.environ.get("COOPWATCH_REPORTS") or output_root(db_path) / "reports")


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
