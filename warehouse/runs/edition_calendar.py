"""The edition calendar: from the editions loaded (and the earlier ones they cite) derive the
series' rhythm and the month the next edition is expected, and whether it is overdue.

The report is biennial, but nothing here says so: the rhythm is the median gap between the
editions known, and a settings file may override it (format in `load_calendar_settings`).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from common.settings_files import SettingsFile
from warehouse.load.report_rows import edition_year

# A month is needed to expect an edition; one known only by its year is placed in the month
# the dated editions were issued, else at the end of its year, so it is never called late early.
LAST_MONTH = 12
RHYTHM_NAMES = {12: "annual", 24: "biennial", 36: "triennial"}


@dataclass(frozen=True)
class CalendarSettings:
    """How to read the calendar: a fixed rhythm (else derived), the months of grace before an
    edition counts as overdue, the usual month of issue, and the days without a successful
    run before the no-success alert."""

    rhythm_months: int | None = None
    grace_months: int = 2
    usual_month: int | None = None
    no_success_days: int = 3


@dataclass(frozen=True)
class EditionPoint:
    """One edition of the series as the calendar sees it: when it was issued and how known."""

    symbol: str
    year: int
    month: int | None
    loaded: bool

    def month_index(self, fallback: int) -> int:
        """Months since year 0, with `fallback` when the month is unknown."""
        return self.year * 12 + (self.month or fallback) - 1


@dataclass(frozen=True)
class EditionCalendar:
    """The rhythm of the series and what it says about the next edition."""

    editions: tuple[EditionPoint, ...]
    rhythm_months: int | None
    last_symbol: str | None
    next_expected: str | None
    overdue: bool
    months_overdue: int

    @property
    def rhythm(self) -> str:
        """The rhythm in words: annual, biennial, every N months, or unknown."""
        if self.rhythm_months is None:
            return "unknown"
        return RHYTHM_NAMES.get(self.rhythm_months, f"every {self.rhythm_months} months")

    def to_dict(self) -> dict[str, Any]:
        """A JSON shape of the calendar."""
        return {
            "rhythm": self.rhythm,
            "rhythm_months": self.rhythm_months,
            "last_edition": self.last_symbol,
            "next_edition_expected": self.next_expected,
            "overdue": self.overdue,
            "months_overdue": self.months_overdue,
        }


def load_calendar_settings(path: Path | str) -> CalendarSettings:
    """Read a calendar settings file; SettingsError names the file, line and field if malformed.

    Format (every key optional)::

        rhythm_months: 24     # fixed rhythm; derived from the editions when absent
        grace_months: 2       # months after the expected month before it is overdue
        usual_month: 8        # month of issue for an edition known only by its year
        no_success_days: 3    # days without a successful run before the alert
    """
    settings = SettingsFile(path)
    fields = settings.mapping(
        settings.root, ("rhythm_months", "grace_months", "usual_month", "no_success_days")
    )
    bounds = {
        "rhythm_months": (1, 120),
        "grace_months": (0, 60),
        "usual_month": (1, 12),
        "no_success_days": (1, 365),
    }
    values = {
        key: settings.integer(node, minimum=bounds[key][0], maximum=bounds[key][1])
        for key, node in fields.items()
    }
    return CalendarSettings(**values)


def series_points(con: duckdb.DuckDBPyConnection) -> list[EditionPoint]:
    """Editions loaded, with their dates, and the earlier editions they cite (year from the
    symbol), one point per edition symbol, oldest first."""
    points: dict[str, EditionPoint] = {}
    rows = con.execute(
        "SELECT e.symbol, e.year, e.date, "
        "(SELECT first(d.previous_symbols ORDER BY d.language) FROM documents d "
        " WHERE d.symbol = e.symbol AND d.kind = 'report') "
        "FROM editions e ORDER BY e.symbol"
    ).fetchall()
    for symbol, year, issued, _ in rows:
        if year is not None:
            points[symbol] = EditionPoint(symbol, year, issued.month if issued else None, True)
    for *_, previous in rows:
        if not previous or previous[0] in points:
            continue
        year = edition_year(list(previous), None)
        if year is not None:
            points[previous[0]] = EditionPoint(previous[0], year, None, False)
    return sorted(points.values(), key=lambda p: (p.year, p.month or LAST_MONTH, p.symbol))


def derive_calendar(
    points: list[EditionPoint], today: date, settings: CalendarSettings | None = None
) -> EditionCalendar:
    """The rhythm (median gap in months, unless fixed), the month after the last edition by
    one rhythm, and whether `today` is past it by more than the grace months."""
    settings = settings or CalendarSettings()
    dated = [p.month for p in points if p.month is not None]
    fallback = settings.usual_month or (round(statistics.median(dated)) if dated else LAST_MONTH)
    ordered = sorted(points, key=lambda p: (p.month_index(fallback), p.symbol))
    indexes = [p.month_index(fallback) for p in ordered]
    gaps = [after - before for before, after in zip(indexes, indexes[1:], strict=False)]
    gaps = [gap for gap in gaps if gap > 0]
    rhythm = settings.rhythm_months or (round(statistics.median(gaps)) if gaps else None)
    if not ordered or rhythm is None:
        return EditionCalendar(
            tuple(ordered), rhythm, ordered[-1].symbol if ordered else None, None, False, 0
        )
    expected = indexes[-1] + rhythm
    late = (today.year * 12 + today.month - 1) - (expected + settings.grace_months)
    return EditionCalendar(
        editions=tuple(ordered),
        rhythm_months=rhythm,
        last_symbol=ordered[-1].symbol,
        next_expected=f"{expected // 12:04d}-{expected % 12 + 1:02d}",
        overdue=late > 0,
        months_overdue=max(late, 0),
    )


def edition_calendar(
    con: duckdb.DuckDBPyConnection, today: date, settings: CalendarSettings | None = None
) -> EditionCalendar:
    """The calendar of the editions in the warehouse, as of `today`."""
    return derive_calendar(series_points(con), today, settings)
