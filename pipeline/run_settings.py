"""The settings files a run reads before any work: subscriptions and the edition calendar.

Each comes from the run's parameter (the CLI's `--subscriptions` / `--calendar`), else from
$COOPWATCH_SUBSCRIPTIONS / $COOPWATCH_CALENDAR; a malformed file raises SettingsError naming
file, line and field before anything is fetched, loaded or mailed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from common.settings import read_path
from notify.subscriptions import Subscriptions, load_subscriptions
from warehouse.runs.edition_calendar import CalendarSettings, load_calendar_settings

SUBSCRIPTIONS_VARIABLE = "COOPWATCH_SUBSCRIPTIONS"
CALENDAR_VARIABLE = "COOPWATCH_CALENDAR"


@dataclass(frozen=True)
class RunSettings:
    """What the settings files say; None where no file is configured."""

    subscriptions: Subscriptions | None = None
    calendar: CalendarSettings | None = None
    subscriptions_path: str | None = None
    calendar_path: str | None = None


def settings_path(given: str | os.PathLike[str] | None, variable: str) -> str | None:
    """The file to read: the one given, else the environment variable's, else None."""
    if given:
        return str(given)
    configured = read_path(variable)
    return str(configured) if configured else None


def load_run_settings(
    subscriptions: str | os.PathLike[str] | None = None,
    calendar: str | os.PathLike[str] | None = None,
) -> RunSettings:
    """Read and check the subscriptions and calendar files (arguments, else environment)."""
    subscriptions_path = settings_path(subscriptions, SUBSCRIPTIONS_VARIABLE)
    calendar_path = settings_path(calendar, CALENDAR_VARIABLE)
    return RunSettings(
        subscriptions=load_subscriptions(subscriptions_path) if subscriptions_path else None,
        calendar=load_calendar_settings(calendar_path) if calendar_path else None,
        subscriptions_path=subscriptions_path,
        calendar_path=calendar_path,
    )


def calendar_for(source: str, settings: RunSettings) -> CalendarSettings | None:
    """The calendar settings to alert with, or None for no calendar alerts: the bundled
    editions are a fixed snapshot that never grows, so they alert only when a calendar
    file asks for it."""
    if settings.calendar is not None:
        return settings.calendar
    return None if source == "bundled" else CalendarSettings()
