"""Prefect's log records with a traceback go to the log file, not the terminal: a failed run
printed Prefect's whole traceback before the CLI's one line saying what failed. And every
record, on every handler, has the secret settings taken out of its text and traceback."""

from __future__ import annotations

import logging
from pathlib import Path

from common.redaction import redact_secrets

LOGGING_SETTINGS = Path(__file__).resolve().with_name("prefect_logging.yml")
LOG_NAME = "coopwatch.log"


class WithoutTraceback(logging.Filter):
    """Let through only records that carry no traceback (the file handler keeps those)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Whether the record carries no traceback."""
        return not record.exc_info and not record.exc_text


class RedactSecrets(logging.Filter):
    """Take every secret setting out of a record's message and traceback (a server's reply
    quoted in an error may echo one); lets every record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's text redacted, in place (every handler sees the same one)."""
        message = record.getMessage()
        told = redact_secrets(message)
        if told != message:
            record.msg, record.args = told, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_secrets(record.exc_text)
        return True
