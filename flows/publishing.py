"""Tasks that write the warehouse and the outbox; each wraps one staged DuckDB transaction.

A staged transaction works on a copy of the database file and swaps it into place
only at the end, so a failure leaves the last good warehouse untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from extractors.model import Report
from flows.notifying import Mailing

if TYPE_CHECKING:
    import duckdb

    from extractors.fetch import FetchResult
    from flows.cited import CitedDocument
    from flows.summary import Parsed, RunSummary
    from notify.subscriptions import Subscriptions
    from warehouse.calendar import CalendarSettings
    from warehouse.changes import EditionDiff
    from warehouse.similarity import EditionSimilarity
    from warehouse.store import Stored


def loaded_states(db: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(symbol, language) -> (sha256, parser version) of every document already loaded."""
    if not db.exists():
        return {}
    from warehouse.db import connect

    con = connect(db, read_only=True)
    try:
        rows = con.execute(
            "SELECT symbol, language, sha256, parser_version FROM documents"
        ).fetchall()
    finally:
        con.close()
    return {(symbol, language): (sha, version) for symbol, language, sha, version in rows}


@task(name="update-warehouse", cache_policy=NO_CACHE)
def update_warehouse(
    db: Path,
    run_id: str,
    parameters: dict[str, Any],
    parsed: Sequence[Parsed],
    recipients: list[str] | None,
    reports_dir: Path,
    summary: RunSummary,
    fetches: Sequence[FetchResult] = (),
    cited: Sequence[CitedDocument] = (),
    subscriptions: Subscriptions | None = None,
) -> None:
    """Record the fetches, load changed documents with their parse ledger and gate, diff the
    editions they touch, queue digests.

    Only a new document is news: a reissue is diffed against the document's previous
    version (events labelled as a reissue, mailed only when its content changed), and a new
    parser version re-derives rows without mailing anything.
    """
    from extractors.reference_data import load_reference
    from warehouse.load import load_reference as load_reference_tables
    from warehouse.publish import staged
    from warehouse.runs import start_run
    from warehouse.store import ToStore, store_derived

    mail = Mailing(recipients, subscriptions, reports_dir)
    with staged(db) as con:
        start_run(con, run_id=run_id, source=str(parameters.get("source")), parameters=parameters)
        record_fetches(con, run_id, fetches)
        load_reference_tables(con, load_reference())
        stored = store_derived(
            con,
            [
                ToStore(item.derived, item.document.source_url, item.document.source_path)
                for item in parsed
            ],
            run_id=run_id,
        )
        new: set[tuple[str, str]] = set()
        rederived: set[tuple[str, str]] = set()
        for item, outcome in zip(parsed, stored, strict=True):
            change = _account_for(con, item, outcome, run_id, mail, summary)
            key = (outcome.symbol, outcome.language)
            if change == "new":
                new.add(key)
            elif change == "rederived":
                rederived.add(key)
        _load_cited(con, run_id, cited, summary)
        for language in sorted({language for _, language in new | rederived}):
            diff_touched_editions(con, language, new, rederived, run_id, mail, summary)


def _account_for(
    con: duckdb.DuckDBPyConnection,
    item: Parsed,
    stored: Stored,
    run_id: str,
    mail: Mailing,
    summary: RunSummary,
) -> str | None:
    """Count and note what storing one parse did; say what it was for the diffs: None
    (already loaded, or not loadable), 'new', 'rederived' (content changed) or 'same'."""
    from warehouse.read import read_report
    from warehouse.rederive import same_content

    report = item.report
    if stored.outcome == "failed":
        summary.failures.append(f"{report.symbol} ({report.language}): {stored.error}")
        summary.count("failed")
        summary.see(report.symbol, report.language, item.document.sha256, "failed")
        return None
    if stored.outcome == "unchanged":
        return None
    _note_gate(item, bool(stored.gate_passed), summary)
    if stored.before is None:
        return "new"
    after = read_report(con, report.symbol, report.language)
    same = same_content(stored.before, after)
    if stored.previous_sha256 != item.document.sha256:
        summary.count("reissued")
        summary.see(report.symbol, report.language, item.document.sha256, "reissued")
        summary.notes.append(
            f"{report.symbol} ({report.language}): reissued with new bytes, "
            + ("same content: no change events" if same else "content changed")
        )
        if not same:
            _diff_reissue(con, stored.before, after, run_id, mail, summary)
    else:
        summary.count("reparsed")
    return "same" if same else "rederived"


def _note_gate(item: Parsed, passed: bool, summary: RunSummary) -> None:
    """Count a loaded parse and its gate; a failed gate is a run note."""
    report, gate = item.report, item.gate
    summary.count("gates_passed" if passed else "gates_failed")
    if not passed:
        summary.notes.append(
            f"{report.symbol} ({report.language}): text-preservation gate failed: "
            + "; ".join((gate.reasons if gate else ()) or ("ledger unbalanced",))
            + "; its diffs are uncertain and not mailed"
        )
    summary.count("loaded")


def _diff_reissue(
    con: duckdb.DuckDBPyConnection,
    before: Report,
    after: Report,
    run_id: str,
    mail: Mailing,
    summary: RunSummary,
) -> None:
    """Diff a reissued document against its previous version; events labelled as a reissue,
    stored under the pair (symbol, symbol) and mailed unless a gate failed."""
    from flows.notifying import queue_digests
    from warehouse.diff import diff_editions
    from warehouse.diff_store import store_diff
    from warehouse.ledger import gate_failures, mark_gate_failures
    from warehouse.rederive import as_reissue

    diff = as_reissue(diff_editions(before, after))
    if not diff.changed_events:
        return
    failures = gate_failures(con, [after.symbol], after.language)
    diff = mark_gate_failures(diff, failures)
    store_diff(con, diff, run_id=run_id)
    summary.count("change_events", len(diff.changed_events))
    summary.count("reissue_events", len(diff.changed_events))
    if not failures:
        queue_digests(con, diff, language=after.language, mail=mail, run_id=run_id, summary=summary)


def record_fetches(
    con: duckdb.DuckDBPyConnection, run_id: str, fetches: Sequence[FetchResult]
) -> None:
    """Append every fetch of the run, whatever its outcome, to `fetches`."""
    from warehouse.load import record_fetch

    for result in fetches:
        record_fetch(
            con,
            run_id=run_id,
            symbol=result.symbol,
            language=result.language,
            url=result.url,
            final_url=result.final_url,
            status=result.status,
            bytes=result.bytes,
            sha256=result.sha256,
            etag=result.etag,
            last_modified=result.last_modified,
            outcome=result.outcome,
            error=result.error,
        )


def _load_cited(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    cited: Sequence[CitedDocument],
    summary: RunSummary,
) -> None:
    """Store derived cited documents, so the editions' citations resolve to them."""
    from warehouse.store import ToStore, store_derived

    stored = store_derived(
        con,
        [
            ToStore(document.derived, document.source_url, document.source_path)
            for document in cited
        ],
        run_id=run_id,
    )
    loaded = sum(1 for item in stored if item.outcome != "unchanged")
    if loaded:
        summary.count("cited_loaded", loaded)


def diff_touched_editions(
    con: duckdb.DuckDBPyConnection,
    language: str,
    new: set[tuple[str, str]],
    rederived: set[tuple[str, str]],
    run_id: str,
    mail: Mailing,
    summary: RunSummary,
) -> None:
    """Diff each pair of consecutive editions where one side is new or was re-derived with
    another content; store the diffs and similarities (all pairs in one transaction), and
    queue digests only for the pair that reaches the newest edition, when it has a new side
    and its gates passed."""
    from flows.notifying import queue_digests
    from warehouse.diff_format import format_diff_table
    from warehouse.diff_store import store_diffs
    from warehouse.read import list_editions
    from warehouse.similarity import store_similarities

    editions = list_editions(con, language)
    newest = editions[-1].symbol if editions else None
    touched = [
        (older, newer)
        for older, newer in zip(editions, editions[1:], strict=False)
        if {(older.symbol, language), (newer.symbol, language)} & (new | rederived)
    ]
    compared = _compare_pairs(con, language, [(o.symbol, n.symbol) for o, n in touched])
    store_diffs(con, [pair.diff for pair in compared], run_id=run_id)
    store_similarities(con, [pair.similarity for pair in compared], run_id=run_id)
    for (older, newer), pair in zip(touched, compared, strict=True):
        summary.diffs.append(format_diff_table(pair.diff))
        if (older.symbol, language) not in new and (newer.symbol, language) not in new:
            summary.notes.append(
                f"{older.symbol} -> {newer.symbol} ({language}) diffed again after a "
                "re-derivation: stored, not mailed"
            )
            continue
        summary.count("change_events", len(pair.diff.changed_events))
        if newer.symbol != newest:
            # A backfill diffs every pair it touches, but readers get one digest: the
            # changes that reached the newest edition.
            summary.notes.append(
                f"{older.symbol} -> {newer.symbol} ({language}): stored; only the newest "
                "edition's changes are mailed"
            )
            continue
        if pair.gate_failures:
            summary.notes.append(
                f"{older.symbol} -> {newer.symbol} ({language}): no digest, a gate failed"
            )
            continue
        queue_digests(
            con,
            pair.diff,
            language=language,
            mail=mail,
            run_id=run_id,
            summary=summary,
            similarity=pair.similarity,
        )


@dataclass(frozen=True)
class ComparedPair:
    """Two consecutive editions compared: the diff (uncertain when a gate failed), the
    similarity, and the gate failures of either side."""

    diff: EditionDiff
    similarity: EditionSimilarity
    gate_failures: list[str]


def _compare_pairs(
    con: duckdb.DuckDBPyConnection, language: str, pairs: Sequence[tuple[str, str]]
) -> list[ComparedPair]:
    """Diff and compare each (older, newer) pair, reading each edition once."""
    from warehouse.diff import diff_editions
    from warehouse.ledger import gate_failures, mark_gate_failures
    from warehouse.read import read_report
    from warehouse.similarity import compare_editions

    reports: dict[str, Report] = {}

    def report_of(symbol: str) -> Report:
        if symbol not in reports:
            reports[symbol] = read_report(con, symbol, language)
        return reports[symbol]

    compared = []
    for older, newer in pairs:
        old_report, new_report = report_of(older), report_of(newer)
        failures = gate_failures(con, [older, newer], language)
        compared.append(
            ComparedPair(
                diff=mark_gate_failures(diff_editions(old_report, new_report), failures),
                similarity=compare_editions(old_report, new_report),
                gate_failures=failures,
            )
        )
    return compared


@task(name="record-run", cache_policy=NO_CACHE)
def finish_run_record(
    db: Path,
    run_id: str,
    parameters: dict[str, Any],
    status: str,
    summary: RunSummary,
    error: str | None,
    outbox_dir: Path,
    smtp_block: str | None,
    unrecorded_fetches: Sequence[FetchResult] = (),
    calendar_settings: CalendarSettings | None = None,
) -> None:
    """Record how the run ended and its manifest, send a failure or recovery alert when the
    state flips, and the calendar alerts (overdue edition, no success) when
    `calendar_settings` is given.

    `unrecorded_fetches` are the run's fetches when its warehouse update never committed.
    """
    from flows.notifying import alert_on_state_change, smtp_settings
    from notify.overdue import alert_on_calendar
    from warehouse.manifests import store_manifest
    from warehouse.publish import staged
    from warehouse.runs import finish_run, start_run

    with staged(db) as con:
        known = con.execute("SELECT count(*) FROM runs WHERE run_id = ?", [run_id]).fetchone()
        if not known or not known[0]:
            start_run(
                con, run_id=run_id, source=str(parameters.get("source")), parameters=parameters
            )
        record_fetches(con, run_id, unrecorded_fetches)
        finish_run(
            con,
            run_id=run_id,
            status=status,
            counts=summary.counts,
            email_status=summary.email_status,
            error=error,
        )
        store_manifest(con, summary.manifest(status, str(parameters.get("source"))))
        alert_on_state_change(
            con,
            run_id=run_id,
            status=status,
            error=error,
            outbox_dir=outbox_dir,
            smtp_block=smtp_block,
        )
        if calendar_settings is not None:
            alert_on_calendar(
                con,
                run_id=run_id,
                today=date.today(),
                settings=smtp_settings(smtp_block),
                outbox_dir=outbox_dir,
                calendar_settings=calendar_settings,
            )
