"""The state an operator needs, read from the warehouse: editions and their similarity, the
next edition expected, the last successful run, reissues, suspect absences, rechecks,
failed gates and the open mandate coverage findings. `status` gives the JSON of `coopwatch status --json`; `format_status` the text.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import duckdb

from warehouse.diff.similarity import similarity_to_previous
from warehouse.language_pairs import agreement_lines, language_agreement
from warehouse.load.companion_rows import StoredCompanion, companion_sentences, stored_companions
from warehouse.load.ledger import failed_gates
from warehouse.load.read_back import loaded_languages
from warehouse.runs.edition_calendar import CalendarSettings, edition_calendar
from warehouse.runs.fetch_state import RecheckPolicy, recheck_policy, waiting_documents
from warehouse.runs.mandate_coverage import (
    MANDATED_NOT_REPORTED,
    CoverageItem,
    number_ranges,
    open_coverage,
)

SUCCESS = "completed"
# Outcomes of a fetch that say "the service does not have it" and outcomes that bring bytes.
ABSENT_OUTCOMES = ("absent", "suspect_absence")
HELD_OUTCOMES = ("downloaded", "stored", "not_modified", "unchanged", "unchanged_hash")

_FETCH_STATES = f"""
    WITH answered AS (
        SELECT fetch_id, symbol, language, fetched_at,
               outcome IN {ABSENT_OUTCOMES} AS is_absent
        FROM fetches
        WHERE symbol IS NOT NULL AND language IS NOT NULL
          AND (outcome IN {ABSENT_OUTCOMES} OR outcome IN {HELD_OUTCOMES})
    ),
    per_document AS (
        SELECT symbol, language,
               arg_max(is_absent, fetch_id) AS absent_now,
               max(fetch_id) FILTER (WHERE NOT is_absent) AS last_held,
               count(*) FILTER (WHERE is_absent) AS absent_count,
               EXISTS (SELECT 1 FROM documents d WHERE d.language = answered.language
                       AND (d.symbol = answered.symbol
                            OR list_contains(d.symbols, answered.symbol))) AS is_loaded
        FROM answered GROUP BY symbol, language
    )
    SELECT p.symbol, p.language, p.last_held IS NOT NULL OR p.is_loaded AS is_held,
           min(a.fetched_at), max(a.fetched_at), count(*)
    FROM per_document p JOIN answered a USING (symbol, language)
    WHERE p.absent_now AND a.is_absent AND a.fetch_id > coalesce(p.last_held, -1)
    GROUP BY ALL ORDER BY p.symbol, p.language
"""


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else str(value)


def _editions(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Loaded editions, oldest first; `previous` is the loaded edition before each (the one
    it is compared with), else the one it cites."""
    rows = con.execute(
        "SELECT symbol, year, previous_symbol FROM editions ORDER BY year NULLS LAST, symbol"
    ).fetchall()
    scores = similarity_to_previous(con)
    editions = []
    for index, (symbol, year, cited) in enumerate(rows):
        previous = rows[index - 1][0] if index else cited
        editions.append(
            {
                "symbol": symbol,
                "year": year,
                "previous": previous,
                "similarity_to_previous": scores.get((previous, symbol)),
            }
        )
    return editions


def _last_success(con: duckdb.DuckDBPyConnection) -> str | None:
    (finished,) = con.execute(
        "SELECT max(coalesce(finished_at, started_at)) FROM runs WHERE status = ?", [SUCCESS]
    ).fetchall()[0]
    return _iso(finished)


def _reissues(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    rows = con.execute(
        "SELECT symbol, language, old_sha256, new_sha256, detected_at, content_changed "
        "FROM reissues ORDER BY detected_at DESC, symbol, language"
    ).fetchall()
    return [
        {
            "symbol": symbol,
            "language": language,
            "old_sha256": old,
            "new_sha256": new,
            "detected_at": _iso(detected),
            "content_changed": changed,
        }
        for symbol, language, old, new, detected, changed in rows
    ]


def _suspect_absences(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Documents CoopWatch holds (loaded, or bytes fetched before) whose latest answer is
    "absent"."""
    return [
        {"symbol": symbol, "language": language, "since": _iso(first)}
        for symbol, language, held, first, _last, _count in con.execute(_FETCH_STATES).fetchall()
        if held
    ]


def _rechecks(con: duckdb.DuckDBPyConnection, today: date, policy: RecheckPolicy) -> list[dict]:
    """Documents never held in any language, every answer so far "absent", with the day the
    next run asks again and the last day every run does (inclusive)."""
    return [
        {
            "symbol": waiting.symbol,
            "language": waiting.language,
            "absent_since": _iso(waiting.absent_since),
            "last_checked": _iso(waiting.last_checked),
            "attempts": waiting.attempts,
            "next_recheck": _iso(waiting.next_recheck(policy, today)),
            "every_run_until": _iso(policy.window_end(waiting.appeared) - timedelta(days=1)),
        }
        for waiting in waiting_documents(con)
    ]


def status(
    con: duckdb.DuckDBPyConnection,
    today: date,
    settings: CalendarSettings | None = None,
    recheck: RecheckPolicy | None = None,
) -> dict[str, Any]:
    """The operator's view of the warehouse as of `today`, JSON-ready (strings, numbers,
    booleans, lists and None only); `recheck` defaults to the environment's policy."""
    calendar = edition_calendar(con, today, settings)
    suspects = _suspect_absences(con)
    rechecks = _rechecks(con, today, recheck or recheck_policy())
    return {
        "editions": _editions(con),
        "languages": loaded_languages(con),
        "next_edition_expected": calendar.next_expected,
        "overdue": calendar.overdue,
        "last_success": _last_success(con),
        "reissues": _reissues(con),
        "suspect_absences": suspects,
        "rechecks": rechecks,
        "failed_gates": [failure.to_dict() for failure in failed_gates(con)],
        "companions": [companion.to_dict() for companion in stored_companions(con)],
        "mandate_coverage": [item.to_dict() for item in open_coverage(con)],
        "language_agreement": language_agreement(con),
    }


def _companion_lines(companions: list[dict[str, Any]]) -> list[str]:
    """'A/77/277 has a corrigendum (A/77/277/Corr.1)', once per edition and kind."""
    return companion_sentences(
        [
            StoredCompanion(c["symbol"], tuple(c["symbols"]), c["edition"], c["companion"], (), "")
            for c in companions
        ]
    )


def _similarity_text(value: float | None) -> str:
    return f"{value:.0%} similar to" if value is not None else "previous:"


def format_status(state: dict[str, Any]) -> str:
    """The status as lines for a terminal, one section per key, `none` for empty lists."""
    lines = ["Editions:"]
    for edition in state["editions"]:
        previous = edition["previous"] or "none"
        lines.append(
            f"  {edition['symbol']} ({edition['year'] or 'year unknown'}): "
            f"{_similarity_text(edition['similarity_to_previous'])} {previous}"
        )
    if not state["editions"]:
        lines.append("  none loaded")
    lines.extend(f"  {sentence}" for sentence in _companion_lines(state.get("companions", [])))
    lines.append(f"Languages loaded: {', '.join(state.get('languages', [])) or 'none'}")
    expected = state["next_edition_expected"] or "unknown (fewer than two editions known)"
    lines.append(f"Next edition expected: {expected}{' — OVERDUE' if state['overdue'] else ''}")
    lines.append(f"Last successful run: {state['last_success'] or 'never'}")
    lines.append(f"Reissues: {len(state['reissues']) or 'none'}")
    for reissue in state["reissues"]:
        change = "content changed" if reissue["content_changed"] else "same content"
        lines.append(
            f"  {reissue['symbol']} ({reissue['language']}) at {reissue['detected_at']}: "
            f"{reissue['old_sha256'][:12]} -> {reissue['new_sha256'][:12]}, {change}"
        )
    lines.append(f"Suspect absences: {len(state['suspect_absences']) or 'none'}")
    for absence in state["suspect_absences"]:
        lines.append(
            f"  {absence['symbol']} ({absence['language']}): reported absent since "
            f"{absence['since']}; kept, retried next run"
        )
    lines.append(f"Waiting for a recheck: {len(state['rechecks']) or 'none'}")
    for recheck in state["rechecks"]:
        lines.append(
            f"  {recheck['symbol']} ({recheck['language']}): not on the ODS since "
            f"{recheck['absent_since']}, {recheck['attempts']} attempt(s); next recheck "
            f"{recheck['next_recheck']} (every run until {recheck['every_run_until']})"
        )
    lines.append(f"Failed gates: {len(state['failed_gates']) or 'none'}")
    for failure in state["failed_gates"]:
        reasons = "; ".join(failure["reasons"]) or "no reason recorded"
        lines.append(f"  {failure['symbol']} ({failure['language']}): {reasons}")
    lines.extend(agreement_lines(state.get("language_agreement", [])))
    lines.extend(
        coverage_lines(
            [
                CoverageItem(**{**item, "paragraph_numbers": tuple(item["paragraph_numbers"])})
                for item in state["mandate_coverage"]
            ]
        )
    )
    return "\n".join(lines)


def coverage_lines(items: list[CoverageItem]) -> list[str]:
    """The open mandate coverage findings as status lines, each with its evidence."""
    if not items:
        return ["Mandate coverage: none open"]
    mandated = sum(1 for item in items if item.status == MANDATED_NOT_REPORTED)
    lines = [
        f"Mandate coverage of {items[0].edition}: {mandated} mandated, not reported; "
        f"{len(items) - mandated} reported without a current mandate"
    ]
    for item in items:
        lines.append(f"  {item.organization_id}: {item.status} ({coverage_evidence(item)})")
    return lines


def coverage_evidence(item: CoverageItem) -> str:
    """The resolution and paragraphs behind one finding, in words."""
    asked = item.resolution_symbol
    if item.resolution_symbol and item.request_paragraph is not None:
        asked = f"{item.resolution_symbol} para. {item.request_paragraph}"
    if item.status == MANDATED_NOT_REPORTED:
        session = f" at session {item.requested_session}" if item.requested_session else ""
        return f"{asked} asked for a report{session}"
    numbers = item.paragraph_numbers
    section = f"section paras. {number_ranges(numbers)}" if numbers else "section"
    return f"{section}; last resolution {asked}" if asked else f"{section}; no resolution loaded"
