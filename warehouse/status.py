"""The state an operator needs, read from the warehouse: the file's storage version (which
DuckDB opens it), editions and their similarity, the next edition expected, the last successful run, reissues, suspect absences, rechecks,
failed gates and the open mandate coverage findings. `status` gives the JSON of `coopwatch status --json`; `format_status` the text.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import duckdb

from warehouse.db.storage_format import (
    READABLE_FROM,
    file_storage_version,
    is_readable_by_promise,
    storage_summary,
)
from warehouse.diff.similarity import similarity_to_previous
from warehouse.language_pairs import agreement_lines, language_agreement
from warehouse.load.companion_rows import StoredCompanion, companion_sentences, stored_companions
from warehouse.load.ledger import failed_gates
from warehouse.load.read_back import loaded_languages
from warehouse.runs.edition_calendar import CalendarSettings, edition_calendar
from warehouse.runs.fetch_state import RecheckPolicy, recheck_policy, waiting_documents
from warehouse.runs.mandate_coverage import (
    CHECKED,
    MANDATED_NOT_REPORTED,
    CoverageItem,
    MandateCheck,
    mandate_check,
    number_ranges,
    open_coverage,
)
from warehouse.runs.run_rows import last_command, last_success

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
    families = _section_families(con)
    editions = []
    for index, (symbol, year, cited) in enumerate(rows):
        previous = rows[index - 1][0] if index else cited
        editions.append(
            {
                "symbol": symbol,
                "year": year,
                "previous": previous,
                "similarity_to_previous": scores.get((previous, symbol)),
                "section_changes": families.get((previous, symbol), {}),
            }
        )
    return editions


def _warehouse_file(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The file's DuckDB storage version and the oldest DuckDB that opens it (None when the
    file is in a newer storage version than CoopWatch writes)."""
    tag = file_storage_version(con)
    return {
        "storage_version": tag,
        "opens_in_duckdb_from": READABLE_FROM if is_readable_by_promise(tag) else None,
    }


def _last_command(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """The latest ingest, reparse or rebuild: never counted as a run."""
    command = last_command(con)
    if command is None:
        return None
    return {
        "kind": command.kind,
        "status": command.status,
        "finished_at": _iso(command.finished_at or command.started_at),
    }


def _section_families(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict[str, int]]:
    """(older, newer) -> how many sections appeared, vanished, grew and shrank in the stored
    diff, in the vocabulary of change_events.family (docs/changes.md)."""
    rows = con.execute(
        "SELECT old_symbol, new_symbol, family, count(*) FROM change_events "
        "WHERE kind = 'organization' AND family IN ('appeared', 'vanished', 'grew', 'shrank') "
        "GROUP BY ALL"
    ).fetchall()
    found: dict[tuple[str, str], dict[str, int]] = {}
    for old, new, family, count in rows:
        found.setdefault((old, new), {})[family] = count
    order = ("appeared", "vanished", "grew", "shrank")
    return {
        pair: {family: counts[family] for family in order if family in counts}
        for pair, counts in found.items()
    }


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
        "warehouse_file": _warehouse_file(con),
        "editions": _editions(con),
        "languages": loaded_languages(con),
        "next_edition_expected": calendar.next_expected,
        "overdue": calendar.overdue,
        "last_success": _iso(last_success(con)),
        "last_command": _last_command(con),
        "reissues": _reissues(con),
        "suspect_absences": suspects,
        "rechecks": rechecks,
        "failed_gates": [failure.to_dict() for failure in failed_gates(con)],
        "companions": [companion.to_dict() for companion in stored_companions(con)],
        "mandate_check": mandate_check(con).to_dict(),
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


def _section_change_text(changes: dict[str, int]) -> str:
    """'; sections: 1 appeared, 3 vanished, 7 grew, 6 shrank', or nothing."""
    if not changes:
        return ""
    return "; sections: " + ", ".join(f"{count} {family}" for family, count in changes.items())


def format_status(state: dict[str, Any]) -> str:
    """The status as lines for a terminal, one section per key, `none` for empty lists."""
    lines = [f"Warehouse file: {storage_summary(state['warehouse_file']['storage_version'])}"]
    lines.extend(_edition_lines(state))
    lines.append(f"Languages loaded: {', '.join(state.get('languages', [])) or 'none'}")
    expected = state["next_edition_expected"] or "unknown (fewer than two editions known)"
    lines.append(f"Next edition expected: {expected}{' — OVERDUE' if state['overdue'] else ''}")
    lines.append(f"Last successful run: {state['last_success'] or 'never'}")
    command = state.get("last_command")
    if command:
        lines.append(
            f"Last ingest, reparse or rebuild: {command['kind']} {command['status']} at "
            f"{command['finished_at']} (not a run)"
        )
    lines.extend(_watch_lines(state))
    lines.extend(agreement_lines(state.get("language_agreement", [])))
    check = MandateCheck(**state["mandate_check"])
    if check.coverage != CHECKED:
        lines.append(f"Mandate coverage: {check.sentence()}")
        return "\n".join(lines)
    lines.extend(
        coverage_lines(
            [
                CoverageItem(**{**item, "paragraph_numbers": tuple(item["paragraph_numbers"])})
                for item in state["mandate_coverage"]
            ]
        )
    )
    return "\n".join(lines)


def _edition_lines(state: dict[str, Any]) -> list[str]:
    """The editions loaded, each with its similarity to the previous one, then companions."""
    lines: list[str] = []
    lines.append("Editions:")
    for edition in state["editions"]:
        previous = edition["previous"] or "none"
        lines.append(
            f"  {edition['symbol']} ({edition['year'] or 'year unknown'}): "
            f"{_similarity_text(edition['similarity_to_previous'])} {previous}"
            + _section_change_text(edition.get("section_changes") or {})
        )
    if not state["editions"]:
        lines.append("  none loaded")
    lines.extend(f"  {sentence}" for sentence in _companion_lines(state.get("companions", [])))
    return lines


def _watch_lines(state: dict[str, Any]) -> list[str]:
    """What the runs watch: reissues, suspect absences, rechecks and failed gates."""
    lines: list[str] = []
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
    return lines


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
