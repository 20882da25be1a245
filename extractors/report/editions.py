"""The editions of the report CoopWatch tracks: the reviewed list plus what people add.

`extractors/report/editions.yaml` holds the known editions (`series.yaml` the titles); a person who
learns of a new edition runs `coopwatch editions add SYMBOL`, which lands in
<data_dir>/editions.user.yaml so the reviewed file is never rewritten by the program.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from common.atomic_write import write_atomically
from common.errors import ReferenceDataError
from common.yaml_data import load_yaml_mapping
from extractors.report.series import load_series
from extractors.symbols import edition_of, parse_symbol, split_joint_symbol

EDITIONS_FILE = Path(__file__).resolve().with_name("editions.yaml")
USER_FILE_NAME = "editions.user.yaml"
FIRST_SESSION_YEAR = 1945


@dataclass(frozen=True)
class Edition:
    """One edition: its (joint) symbol, publication year and where we learned of it."""

    symbol: str
    year: int | None
    origin: str = "config"

    @property
    def lookup_symbol(self) -> str:
        """The first part of the joint symbol, the one the ODS is asked for."""
        return split_joint_symbol(self.symbol)[0]


def _read_yaml(path: Path) -> dict:
    return load_yaml_mapping(path)


def year_of(symbol: str) -> int | None:
    """The year an edition appeared: the Security Council year, else session start year."""
    parts = [parse_symbol(part) for part in split_joint_symbol(symbol)]
    for part in parts:
        if part.year is not None:
            return part.year
    for part in parts:
        if part.session is not None:
            return FIRST_SESSION_YEAR + part.session
    return None


def _editions_in(path: Path, origin: str) -> list[Edition]:
    entries = _read_yaml(path).get("editions") or []
    editions = []
    for entry in entries:
        if not isinstance(entry, dict) or "symbol" not in entry:
            raise ReferenceDataError(str(path), None, f"edition entry without symbol: {entry!r}")
        symbol = "-".join(split_joint_symbol(str(entry["symbol"])))
        year = entry.get("year")
        editions.append(Edition(symbol, int(year) if year else year_of(symbol), origin))
    return editions


def series_titles() -> list[tuple[str, ...]]:
    """Each series' titles (in the file's order of languages), the main series first: what
    discovery asks the Digital Library for."""
    return [tuple(title for _language, title in series.titles) for series in load_series()]


def series_of(symbol: str) -> str:
    """The id of the series an edition belongs to: the one whose editions file lists it, else
    the first whose symbol pattern its first symbol matches, else the main series."""
    first = split_joint_symbol(symbol)[0]
    every = load_series()
    for series in every:
        if series.editions_file and first in _listed(series.editions_file):
            return series.series_id
    matching = (series.series_id for series in every if series.holds(first))
    return next(matching, every[0].series_id)


def _listed(path: Path) -> frozenset[str]:
    """The first symbols of the editions a reviewed file lists."""
    return _listed_at(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _listed_at(path: Path, _mtime: int) -> frozenset[str]:
    return frozenset(edition.lookup_symbol for edition in _editions_in(path, "config"))


def load_editions(data_dir: Path | None = None, path: Path | None = None) -> tuple[Edition, ...]:
    """Known editions, oldest first: the reviewed lists (`path`, else every series' editions
    file named in `series.yaml`) plus the data folder's user file."""
    paths = [path] if path else [s.editions_file for s in load_series() if s.editions_file]
    editions = {
        edition.lookup_symbol: edition
        for listed in paths
        for edition in _editions_in(listed, "config")
    }
    user_file = data_dir / USER_FILE_NAME if data_dir else None
    if user_file is not None and user_file.is_file():
        for edition in _editions_in(user_file, "user"):
            editions.setdefault(edition.lookup_symbol, edition)
    return tuple(sorted(editions.values(), key=lambda e: (e.year or 0, e.symbol)))


def load_companions(data_dir: Path | None = None) -> tuple[str, ...]:
    """Corrigenda, addenda and revisions of editions a person listed in the data folder's
    user file (`companions:`), canonical, in the order listed."""
    user_file = data_dir / USER_FILE_NAME if data_dir else None
    if user_file is None or not user_file.is_file():
        return ()
    entries = _read_yaml(user_file).get("companions") or []
    return tuple("-".join(split_joint_symbol(str(entry))) for entry in entries)


def add_edition(symbol: str, *, data_dir: Path, year: int | None = None) -> Edition:
    """Record an edition a person knows of in <data_dir>/editions.user.yaml (idempotent).

    A corrigendum, addendum or revision of an edition (A/77/277/Corr.1) is no edition: it is
    listed under `companions:` and fetched with its edition; its Edition has origin
    'companion of A/77/277'.
    """
    canonical = "-".join(split_joint_symbol(symbol))
    edition_symbol = edition_of(canonical)
    if edition_symbol is not None:
        if canonical not in load_companions(data_dir):
            _write_user_file(data_dir, "companions", canonical)
        return Edition(canonical, year or year_of(canonical), f"companion of {edition_symbol}")
    edition = Edition(canonical, year or year_of(canonical), "user")
    for known in load_editions(data_dir):
        if known.lookup_symbol == edition.lookup_symbol:
            return known
    _write_user_file(data_dir, "editions", {"symbol": edition.symbol, "year": edition.year})
    return edition


def _write_user_file(data_dir: Path, key: str, entry: object) -> None:
    """Append `entry` to the user file's `key` list, replacing the file atomically."""
    user_file = data_dir / USER_FILE_NAME
    content = _read_yaml(user_file) if user_file.is_file() else {}
    content = {"editions": content.get("editions") or [], **content}
    content[key] = [*(content.get(key) or []), entry]
    write_atomically(user_file, yaml.safe_dump(content, allow_unicode=True, sort_keys=False))
