"""Names and links of the static change reports: the file stem of a pair of editions and the
link a digest gives for "and N more" (the published report, else the written file)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from common.settings import read_text

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_symbol(symbol: str) -> str:
    """A UN symbol as a file name part: 'A/73/328' -> 'A-73-328'."""
    return _UNSAFE.sub("_", symbol.replace("/", "-")).strip("._") or "edition"


def report_stem(old: str, new: str) -> str:
    """'A/73/328', 'A/77/277' -> 'A-73-328__A-77-277'."""
    return f"{safe_symbol(old)}__{safe_symbol(new)}"


ORGANIZATIONS_DIR = "organizations"
AREAS_DIR = "areas"
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class BrowseTargets:
    """The organization and area ids that have a browse page, for the digest to link."""

    organizations: frozenset[str] = frozenset()
    areas: frozenset[str] = frozenset()


def browse_href(folder: str, item_id: str) -> str:
    """An organization's or area's browse page relative to the reports folder:
    'organizations/AU.html' (ids kept to safe characters)."""
    return f"{folder}/{_UNSAFE_ID.sub('_', item_id)}.html"


def browse_base(reports_dir: Path | None = None) -> str:
    """What the email puts before a browse page's relative path: `COOPWATCH_REPORT_URL` where
    reports are published, else the reports folder's path (`reports_dir`, or `reports/`)."""
    base = read_text("COOPWATCH_REPORT_URL")
    if base:
        return f"{base.rstrip('/')}/"
    return f"{(reports_dir or Path('reports')).as_posix().rstrip('/')}/"


def report_link(old: str, new: str, reports_dir: Path | None = None) -> str:
    """Where the full report of a pair is read: under `COOPWATCH_REPORT_URL` when reports are
    published there, else the HTML file's path (in `reports_dir`, or `reports/`)."""
    name = f"{report_stem(old, new)}.html"
    base = read_text("COOPWATCH_REPORT_URL")
    if base:
        return f"{base.rstrip('/')}/{name}"
    return str((reports_dir or Path("reports")) / name)
