"""The report series as data (`series.yaml`): symbol pattern, titles per language, the file
of its editions and the chapter titles that are sections, so a second series is an entry.

Read once per file (a test or a deployment may point `SERIES_FILE` elsewhere); a malformed
file raises ReferenceDataError naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from common.errors import ReferenceDataError
from common.yaml_data import is_yaml_error, load_yaml_file

SERIES_FILE = Path(__file__).resolve().with_name("series.yaml")


@dataclass(frozen=True)
class ReportSeries:
    """One report series: what its symbols look like, its titles, its editions' file and the
    chapter titles that stand for one organization's section."""

    series_id: str
    symbol_pattern: re.Pattern[str]
    titles: tuple[tuple[str, str], ...]
    editions_file: Path | None
    organization_chapters: tuple[re.Pattern[str], ...]

    def title_in(self, language: str) -> str | None:
        """The series' title in `language`, if the data gives one."""
        return dict(self.titles).get(language)

    def holds(self, symbol: str) -> bool:
        """Whether an edition's first symbol belongs to this series."""
        return bool(self.symbol_pattern.match(symbol))


def series_file() -> Path:
    """The series file in use (`SERIES_FILE`, read when asked so it can be pointed elsewhere)."""
    return SERIES_FILE


def load_series(path: Path | None = None) -> tuple[ReportSeries, ...]:
    """Every series the file describes, in its order (the first is the main series)."""
    path = Path(path or series_file())
    return _load(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load(path: Path, _mtime: int) -> tuple[ReportSeries, ...]:
    try:
        loaded = load_yaml_file(path) or {}
    except Exception as error:
        if not (isinstance(error, OSError) or is_yaml_error(error)):
            raise
        raise ReferenceDataError(str(path), None, f"unreadable ({error})") from error
    entries = loaded.get("series") if isinstance(loaded, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ReferenceDataError(str(path), None, "expected a non-empty `series:` list")
    return tuple(_series(path, entry) for entry in entries)


def _series(path: Path, entry: object) -> ReportSeries:
    if not isinstance(entry, dict) or not entry.get("id") or not entry.get("symbol_pattern"):
        raise ReferenceDataError(str(path), None, f"series without id or symbol_pattern: {entry!r}")
    name = str(entry["id"])
    titles = entry.get("titles") or {}
    chapters = entry.get("organization_chapters") or {}
    if not isinstance(titles, dict) or not isinstance(chapters, dict):
        raise ReferenceDataError(str(path), None, f"series {name}: titles and chapters by language")
    try:
        return ReportSeries(
            series_id=name,
            symbol_pattern=re.compile(str(entry["symbol_pattern"])),
            titles=tuple((str(language), str(title)) for language, title in titles.items()),
            editions_file=path.with_name(str(entry["editions"])) if entry.get("editions") else None,
            organization_chapters=tuple(
                re.compile(str(pattern), re.IGNORECASE)
                for patterns in chapters.values()
                for pattern in patterns
            ),
        )
    except re.error as error:
        raise ReferenceDataError(str(path), None, f"series {name}: bad pattern ({error})") from None


def main_series() -> ReportSeries:
    """The series the project was built for: the file's first entry."""
    return load_series()[0]


def is_series_title(line: str) -> bool:
    """Whether a cover line is the title of a known series (case aside)."""
    folded = line.casefold()
    return any(
        folded == title.casefold() for series in load_series() for _language, title in series.titles
    )


def is_organization_chapter(title: str) -> bool:
    """Whether a chapter title is one organization's section in a known series."""
    return any(
        pattern.match(title) for series in load_series() for pattern in series.organization_chapters
    )
