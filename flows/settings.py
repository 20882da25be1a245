"""Where CoopWatch keeps its files, and the Prefect settings for a quiet local run.

Prefect reads its settings at import time, so `configure_prefect()` must run before
the first `import prefect`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Variable:
    """One COOPWATCH_* environment variable and what it sets."""

    name: str
    meaning: str


# Every COOPWATCH_* variable CoopWatch reads, in one list: `coopwatch run --help` prints it
# and a test keeps the README's settings table and the code's reads equal to it. A new
# variable goes here first.
VARIABLES: tuple[Variable, ...] = (
    Variable("COOPWATCH_DATA", "data folder: raw store, Prefect home (default `data/`)"),
    Variable("COOPWATCH_DB", "warehouse file (default `$COOPWATCH_DATA/coopwatch.duckdb`)"),
    Variable("COOPWATCH_OUTBOX", "folder for `.eml` files (default `outbox/`)"),
    Variable("COOPWATCH_REPORTS", "folder for the static change reports (default `reports/`)"),
    Variable("COOPWATCH_CORPUS", "folder laid out like `corpus/` for `--source bundled`"),
    Variable("COOPWATCH_SUBSCRIPTIONS", "subscriptions file (who follows what)"),
    Variable("COOPWATCH_CALENDAR", "edition calendar settings file"),
    Variable(
        "COOPWATCH_BREAKER_MISSES",
        "consecutive misses before a host is no longer asked this run (default 20)",
    ),
    Variable("COOPWATCH_CONTACT", "contact address in the User-Agent (required for `--source un`)"),
    Variable(
        "COOPWATCH_HTTP_RATE",
        "requests per second per host (default 1; 0 turns off spacing, jitter and pauses)",
    ),
    Variable(
        "COOPWATCH_HTTP_JITTER",
        "up to this many random seconds added to each wait between requests (default 0.25)",
    ),
    Variable("COOPWATCH_HTTP_PAUSE_EVERY", "pause after every N requests to a host (default 100)"),
    Variable("COOPWATCH_HTTP_PAUSE_SECONDS", "length of that pause in seconds (default 30)"),
    Variable(
        "COOPWATCH_HTTP_PER_HOUR",
        "fetch budget: requests per hour per host (default 600; 0 for none); once spent, "
        "the rest of that host's documents are not asked for and the run says so",
    ),
    Variable("COOPWATCH_HTTP_CONNECT_TIMEOUT", "HTTP connect timeout in seconds"),
    Variable("COOPWATCH_HTTP_READ_TIMEOUT", "HTTP read timeout in seconds"),
    Variable("COOPWATCH_HTTP_RETRIES", "retries of a transient HTTP failure"),
    Variable("COOPWATCH_HTTP_BACKOFF", "backoff factor between HTTP retries"),
    Variable("COOPWATCH_HTTP_MAX_BYTES", "largest response body accepted, in bytes"),
    Variable(
        "COOPWATCH_HTTP_DEADLINE",
        "seconds a request may take, retries included, from being sent to the last byte of "
        "its answer, however slowly that trickles (default 600)",
    ),
    Variable(
        "COOPWATCH_HTTP_CA_BUNDLE",
        "PEM file of certificate authorities to trust instead of the bundled ones",
    ),
    Variable(
        "COOPWATCH_MAX_FILE_BYTES",
        "largest local file read whole (parse, ingest, a corpus folder; default 64 MiB)",
    ),
    Variable(
        "COOPWATCH_ARCHIVE_MEMBER_BYTES",
        "largest inflated member of a DOCX archive, in bytes (default 32 MiB)",
    ),
    Variable(
        "COOPWATCH_ARCHIVE_RATIO",
        "largest compression ratio of a DOCX archive member over 1 MiB (default 100)",
    ),
    Variable(
        "COOPWATCH_RECHECK_DAYS",
        "days after its newest citing edition that an absent cited document is asked every "
        "run (default 45)",
    ),
    Variable(
        "COOPWATCH_RECHECK_EVERY_DAYS", "after that window, ask it once every N days (default 7)"
    ),
    Variable("COOPWATCH_LIBRARY_KEY", "Digital Library API key (keyed search)"),
    Variable("COOPWATCH_DISCOVERY_SINCE", "use OAI-PMH from this date for discovery"),
    Variable("COOPWATCH_SMTP_HOST", "SMTP server (else `.eml` files in the outbox)"),
    Variable("COOPWATCH_SMTP_PORT", "SMTP port"),
    Variable("COOPWATCH_SMTP_USER", "SMTP user"),
    Variable("COOPWATCH_SMTP_PASSWORD", "SMTP password (never logged or stored)"),
    Variable(
        "COOPWATCH_SMTP_STARTTLS",
        "use STARTTLS (true/false; default: on whenever a password is set)",
    ),
    Variable("COOPWATCH_SMTP_SSL", "implicit TLS from the first byte (default: on for port 465)"),
    Variable(
        "COOPWATCH_SMTP_CA_FILE",
        "PEM file of certificate authorities to trust for the SMTP server",
    ),
    Variable(
        "COOPWATCH_SMTP_ALLOW_CLEARTEXT",
        "`true` to let the password go over an unencrypted session (default: refused)",
    ),
    Variable("COOPWATCH_MAIL_FROM", "sender address"),
    Variable("COOPWATCH_MAIL_TO", "comma list of recipients"),
)


def variables_help() -> str:
    """The variables as `coopwatch run --help` lists them, one per line."""
    return "\n\n".join(f"{variable.name}: {variable.meaning}" for variable in VARIABLES)


def variables_table() -> str:
    """The variables as the README's settings table (Markdown)."""
    rows = "".join(f"| `{v.name}` | {v.meaning} |\n" for v in VARIABLES)
    return "| variable | meaning |\n|---|---|\n" + rows
