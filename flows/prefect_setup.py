"""The Prefect settings for a quiet local run.

Prefect reads its settings at import time, so `configure_prefect()` must run before
the first `import prefect`. CoopWatch's own settings are in common/settings.py.
"""

from __future__ import annotations

import os
from pathlib import Path

from common.settings import data_dir
from flows.prefect_logging import LOGGING_SETTINGS


def configure_prefect(data_folder: Path | None = None) -> None:
    """Local, offline, quiet Prefect: home in the run's data folder (`data_folder`, else the
    default one), no analytics, patient start-up."""
    defaults = {
        "PREFECT_HOME": str((data_folder or data_dir()) / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_LOGGING_TO_API_ENABLED": "false",
        # Tracebacks to $PREFECT_HOME/coopwatch.log, the terminal gets the CLI's one line.
        "PREFECT_LOGGING_SETTINGS_PATH": str(LOGGING_SETTINGS),
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    # Prefect creates only the last folder of its home; a fresh clone has no data/ yet.
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
