"""Every COOPWATCH_* environment variable in one place: the list of them, where CoopWatch
keeps its files by default, and the only code in the product that reads one.

Each reader takes the variable's name (it must be in VARIABLES), a default for when the
variable is unset or blank, and an optional `environ` (default: the process environment);
a value it cannot use raises BadSetting naming the variable, the value and what is expected.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from common.errors import BadSetting

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_FOLDER_NAME = "data"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")

Default = TypeVar("Default")


@dataclass(frozen=True)
class Variable:
    """One COOPWATCH_* environment variable and what it sets; a `secret` one (a password, a
    key) is taken out of every message, row and artifact by common.redaction."""

    name: str
    meaning: str
    secret: bool = False


# Every COOPWATCH_* variable CoopWatch reads, in one list: `coopwatch run --help` prints it,
# a test keeps the README's settings table equal to it, and the readers below refuse any
# name not in it. A new variable goes here first.
VARIABLES: tuple[Variable, ...] = (
    Variable("COOPWATCH_DATA", "data folder: raw store, Prefect home (default `data/`)"),
    Variable("COOPWATCH_DB", "warehouse file (default `$COOPWATCH_DATA/coopwatch.duckdb`)"),
    Variable("COOPWATCH_OUTBOX", "folder for `.eml` files (default `outbox/`)"),
    Variable("COOPWATCH_REPORTS", "folder for the static change reports (default `reports/`)"),
    Variable(
        "COOPWATCH_REPORT_URL",
        "address the static change reports are published under; the digest links its "
        '"and N more" there (default: the report file\'s path)',
    ),
    Variable("COOPWATCH_CORPUS", "folder laid out like `corpus/` for `--source bundled`"),
    Variable("COOPWATCH_SUBSCRIPTIONS", "subscriptions file (who follows what)"),
    Variable("COOPWATCH_CALENDAR", "edition calendar settings file"),
    Variable(
        "COOPWATCH_BREAKER_MISSES",
        "consecutive misses before a host is no longer asked this run (default 20)",
    ),
    Variable("COOPWATCH_CONTACT", "contact address in the User-Agent (required for `--source un`)"),
    Variable(
        "COOPWATCH_PDF_PROCESSES",
        "processes reading a PDF of 12 pages or more: 2 (default; a forked copy reads every "
        "other page, where that is safe: Linux, two processors, no other thread) or 1",
    ),
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
    Variable(
        "COOPWATCH_LIBRARY_KEY",
        "Digital Library API key (keyed search; never logged or stored)",
        secret=True,
    ),
    Variable("COOPWATCH_DISCOVERY_SINCE", "use OAI-PMH from this date for discovery"),
    Variable("COOPWATCH_SMTP_HOST", "SMTP server (else `.eml` files in the outbox)"),
    Variable("COOPWATCH_SMTP_PORT", "SMTP port"),
    Variable("COOPWATCH_SMTP_USER", "SMTP user"),
    Variable("COOPWATCH_SMTP_PASSWORD", "SMTP password (never logged or stored)", secret=True),
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


LISTED_NAMES = frozenset(variable.name for variable in VARIABLES)


class UnlistedVariable(LookupError):
    """Code asked for a COOPWATCH_* variable that VARIABLES does not list (a programming
    error: list it first, so `run --help` and the README show it)."""


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    """The variable's value as set, None when unset; refuses a name not in VARIABLES."""
    if name not in LISTED_NAMES:
        raise UnlistedVariable(f"{name} is not in common.settings.VARIABLES")
    return (os.environ if environ is None else environ).get(name)


def _given(name: str, environ: Mapping[str, str] | None) -> str | None:
    """The value without surrounding spaces, None when unset or blank."""
    raw = _raw(name, environ)
    return raw.strip() if raw and raw.strip() else None


def read_text(
    name: str, default: Default = None, *, environ: Mapping[str, str] | None = None
) -> str | Default:
    """The value without surrounding spaces, else `default` when unset or blank."""
    value = _given(name, environ)
    return default if value is None else value


def read_secret(name: str, *, environ: Mapping[str, str] | None = None) -> str | None:
    """The value exactly as set (a password may begin or end with a space), None when unset
    or empty. Never put it in a message."""
    return _raw(name, environ) or None


def read_path(
    name: str, default: Default = None, *, environ: Mapping[str, str] | None = None
) -> Path | Default:
    """The value as a path, else `default` when unset or blank."""
    value = _given(name, environ)
    return default if value is None else Path(value)


def read_addresses(name: str, *, environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """A comma list of addresses: 'a@x.org, b@y.org' -> ('a@x.org', 'b@y.org'), blanks dropped."""
    raw = _raw(name, environ) or ""
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def whole_number_value(
    name: str, raw: str, *, least: int | None = None, expected: str = "a whole number"
) -> int:
    """`raw`, given for variable `name` (its value, or a run parameter standing in for it),
    as a whole number of at least `least`; else BadSetting naming the variable and `raw`."""
    if not WHOLE_NUMBER.fullmatch(raw.strip()):
        raise BadSetting(f"{name}: {raw!r} is not {expected}")
    value = int(raw)
    if least is not None and value < least:
        raise BadSetting(f"{name}: {value} must be {least} or more")
    return value


def read_whole_number(
    name: str,
    default: Default,
    *,
    least: int | None = None,
    expected: str = "a whole number",
    environ: Mapping[str, str] | None = None,
) -> int | Default:
    """The value as a whole number (digits, an optional sign) of at least `least`, else
    `default` when unset or blank."""
    value = _given(name, environ)
    return (
        default
        if value is None
        else whole_number_value(name, value, least=least, expected=expected)
    )


def read_number(
    name: str,
    default: Default,
    *,
    above: float | None = None,
    least: float | None = None,
    expected: str = "a number",
    environ: Mapping[str, str] | None = None,
) -> float | Default:
    """The value as a finite number, more than `above` and at least `least` when given, else
    `default` when unset or blank."""
    value = _given(name, environ)
    if value is None:
        return default
    try:
        parsed = float(value)
    except ValueError:
        parsed = math.nan
    if not math.isfinite(parsed):
        raise BadSetting(f"{name}: {value!r} is not {expected}")
    if above is not None and parsed <= above:
        raise BadSetting(f"{name}: {value!r} must be more than {above:g}")
    if least is not None and parsed < least:
        raise BadSetting(f"{name}: {value!r} must be {least:g} or more")
    return parsed


def read_flag(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    """The value as true (1, true, yes, on) or false (0, false, no, off, or set empty), any
    case, else `default` when unset."""
    raw = _raw(name, environ)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise BadSetting(f"{name}: {raw!r} is not true/false (1, true, yes, on / 0, false, no, off)")


def data_dir() -> Path:
    """The data folder: `$COOPWATCH_DATA` or `data/` in the project."""
    return read_path("COOPWATCH_DATA", PROJECT_DIR / DATA_FOLDER_NAME)


def default_db_path() -> Path:
    """The warehouse file: `$COOPWATCH_DB` or `data/coopwatch.duckdb`."""
    return read_path("COOPWATCH_DB", data_dir() / "coopwatch.duckdb")


def output_root(db_path: Path | None = None) -> Path:
    """The folder the outbox and the reports go in by default: beside the data folder that
    holds the warehouse (`data/coopwatch.duckdb` -> the project), else the warehouse's own
    folder, so `--db elsewhere/cw.duckdb` writes nothing into the project."""
    folder = Path(db_path or default_db_path()).resolve().parent
    return folder.parent if folder.name == DATA_FOLDER_NAME else folder


def default_outbox_dir(db_path: Path | None = None) -> Path:
    """Where emails are written when no SMTP server is configured: `$COOPWATCH_OUTBOX`, else
    `outbox/` in `output_root(db_path)`."""
    return read_path("COOPWATCH_OUTBOX") or output_root(db_path) / "outbox"


def default_reports_dir(db_path: Path | None = None) -> Path:
    """Where the static HTML and Markdown change reports go: `$COOPWATCH_REPORTS`, else
    `reports/` in `output_root(db_path)`."""
    return read_path("COOPWATCH_REPORTS") or output_root(db_path) / "reports"


def variables_help() -> str:
    """The variables as `coopwatch run --help` lists them, one per line."""
    return "\n\n".join(f"{variable.name}: {variable.meaning}" for variable in VARIABLES)


def variables_table() -> str:
    """The variables as the README's settings table (Markdown)."""
    rows = "".join(f"| `{v.name}` | {v.meaning} |\n" for v in VARIABLES)
    return "| variable | meaning |\n|---|---|\n" + rows
