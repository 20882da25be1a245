"""Which cited documents not yet on the ODS a run asks for again, and which it leaves for later.

A target waits only when every language the run would try for it has only ever been absent;
it is asked again while its newest citing edition is recent, then once every few days
(`warehouse.runs.fetch_state.RecheckPolicy`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from warehouse.runs.fetch_state import RecheckPolicy, WaitingDocument, first_symbol
from warehouse.runs.run_account import RunSummary

FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class LaterRecheck:
    """A cited document not yet on the ODS that this run does not ask for, and when one will."""

    symbol: str
    language: str
    absent_since: datetime
    next_recheck: date


def languages_tried(language: str) -> tuple[str, ...]:
    """The languages `fetch_cited` asks for, in order: the citing one, then English."""
    return (language,) if language == FALLBACK_LANGUAGE else (language, FALLBACK_LANGUAGE)


def plan_rechecks(
    targets: list[tuple[str, str]],
    waiting: Mapping[tuple[str, str], WaitingDocument],
    policy: RecheckPolicy,
    today: date,
) -> tuple[list[tuple[str, str]], list[LaterRecheck]]:
    """(targets to fetch now, rechecks left for later), both in target order.

    A target waits only when every language `fetch_cited` would try is waiting (never held,
    always absent); it is asked when its newest citing edition is still inside the window,
    or when its last check (the oldest among those languages) is `every_days` old.
    """
    now: list[tuple[str, str]] = []
    later: list[LaterRecheck] = []
    for symbol, language in targets:
        key = first_symbol(symbol)
        history = [waiting.get((key, tried)) for tried in languages_tried(language)]
        if any(entry is None for entry in history):
            now.append((symbol, language))
            continue
        known = [entry for entry in history if entry is not None]
        appeared = max(entry.appeared for entry in known)
        last_checked = min(entry.last_checked for entry in known).date()
        next_recheck = policy.next_recheck(appeared, last_checked, today)
        if next_recheck == today:
            now.append((symbol, language))
        else:
            since = min(entry.absent_since for entry in known)
            later.append(LaterRecheck(symbol, language, since, next_recheck))
    return now, later


LISTED_RECHECKS = 20  # rechecks named in the run's note; `coopwatch status` lists them all


def note_later_rechecks(later: list[LaterRecheck], policy: RecheckPolicy) -> RunSummary:
    """The account of the rechecks left for later: counted, and named in one note."""
    if not later:
        return RunSummary()
    listed = ", ".join(
        f"{item.symbol} ({item.language}, absent since {item.absent_since.date()}, "
        f"next {item.next_recheck})"
        for item in later[:LISTED_RECHECKS]
    )
    if len(later) > LISTED_RECHECKS:
        listed += f" and {len(later) - LISTED_RECHECKS} more (see `coopwatch status`)"
    return (
        RunSummary()
        .with_count("cited_recheck_later", len(later))
        .with_note(
            f"{len(later)} cited document(s) not on the ODS not rechecked this run: their newest "
            f"citing edition appeared over {policy.window_days} days ago, so they are asked once "
            f"every {policy.every_days} days: {listed}"
        )
    )
