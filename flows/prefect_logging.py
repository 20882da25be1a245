"""Prefect's log records with a traceback go to the log file, not the terminal: a failed run
printed Prefect's whole traceback before the CLI's one line saying what failed."""

from __future__ import annotations

import logging
from pathlib import Path

LOGGING_SETTINGS = Path(__file__).resolve().with_name("prefect_logging.yml")
LOG_NAME = "coopwatch.log"


class WithoutTraceback(logging.Filter):
    """Let through only records that carry no traceback (the file handler keeps those)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Whether the record carries no traceback."""
        return not record.exc_info and not record.exc_text
