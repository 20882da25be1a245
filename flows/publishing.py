"""Tasks that write a run into the warehouse: load, diff, and record the run.

Each takes the connection of the run's one write (`warehouse.publish.written`), takes values
and returns values; the flow folds what they return into the run's summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from extractors.model import Report
from flows.notifying import Mailing, ToMail, alert_on_state_change, smtp_settings
from warehouse.run_summary import Parsed, RunSummary
from warehouse.states import loaded_states as loaded_states

if TYPE_CHECKING:
    import duckdb

    from extractors.fetch import FetchResult
    from flows.cited import CitedDocument
    from flows.companions import CompanionDocument
    from warehouse.calendar import CalendarSettings
    from warehouse.changes import EditionDiff
    from warehouse.similarity import EditionSimilarity
    from warehouse.store import Stored


@dataclass(frozen=True)
class Loaded:
    """What loading a run's documents did: its account, the editions that are new or were
    re-derived with another content, and the reissues whose content changed (before, after)."""

    account: RunSummary
    new: frozenset[tuple[str, str]] = frozenset()
    rederived: frozenset[tuple[str, str]] = frozenset()
    reissues: tuple[tuple[Report, Report], ...] = ()


@dataclass(frozen=True)
class Compared:
    """What diffing a run's touched editions found: its account and the diffs to mail."""

    account: RunSummary
    to_mail: tuple[ToMail, ...] = ()


@task(name="load-documents", cache_policy=NO_CACHE)
def load_documents(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    parsed: Sequence[Parsed],
    cited: Sequence[CitedDocument] = (),
    companions: Sequence[CompanionDocument] = (),
) -> Loaded:
    """Load the reference tables, the changed editions with their parse ledger and gate, and
    the cited documents; each document on its own, so one that cannot be stored is a failure
    with its reason and the others load.

    Only a new document is news: a reissue is diffed against the document's previous
    version, and a new parser version re-derives rows without mailing anything.
    """
    from extractors.reference_data import load_reference
    from flows.companions import store_companions
    from warehouse.load import load_reference as load_reference_tables
    from warehouse.store import ToStore, store_derived

    account = RunSummary(run_id=run_id)
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
    reissues: list[tuple[Report, Report]] = []
    for item, outcome in zip(parsed, stored, strict=True):
        change = _account_for(con, item, outcome, account, reissues)
        key = (outcome.symbol, outcome.language)
        if change == "new":
            new.add(key)
        elif change == "rederived":
            rederived.add(key)
    _load_cited(con, run_id, cited, account)
    store_companions(con, run_id, companions, account)
    return Loaded(account, frozenset(new), frozenset(rederived), tuple(reissues))


@task(name="diff-editions", cache_policy=NO_CACHE)
def diff_changes(con: duckdb.DuckDBPyConnection, run_id: str, loaded: Loaded) -> Compared:
    """Diff what the load changed: each content-changing reissue against its previous
    version, then every pair of consecutive editions with a touched side; store the diffs
    and say which reach readers."""

    account = RunSummary(run_id=run_id)
    to_mail = [
        mail
        for before, after in loaded.reissues
        if (mail := _diff_reissue(con, before, after, run_id, account)) is not None
    ]
    touched = loaded.new | loaded.rederived
    for language in sorted({language for _, language in touched}):
        found = compare_touched_editions(
            con, language, set(loaded.new), set(loaded.rederived), run_id
        )
        account.absorb(found.account)
        to_mail.extend(found.to_mail)
    return Compared(account, tuple(to_mail))


def _account_for(
    con: duckdb.DuckDBPyConnection,
    item: Parsed,
    stored: Stored,
    account: RunSummary,
    reissues: list[tuple[Report, Report]],
) -> str | None:
    """Count and note what storing one parse did; say what it was for the diffs: None
    (already loaded, or not loadable), 'new', 'rederived' (content changed) or 'same'."""
    from warehouse.read import read_report
    from warehouse.rederive import same_content

    report = item.report
    if stored.outcome == "failed":
        account.failures.append(f"{report.symbol} ({report.language}): {stored.error}")
        account.count("failed")
        account.see(report.symbol, report.language, item.document.sha256, "failed")
        return None
    if stored.outcome == "unchanged":
        return None
    _note_gate(item, bool(stored.gate_passed), account)
    if stored.before is None:
        return "new"
    after = read_report(con, report.symbol, report.language)
    same = same_content(stored.before, after)
    if stored.previous_sha256 != item.document.sha256:
        account.count("reissued")
        account.see(report.symbol, report.language, item.document.sha256, "reissued")
        account.notes.append(
            f"{report.symbol} ({report.language}): reissued with new bytes, "
            + ("same content: no change events" if same else "content changed")
        )
        if not same:
            reissues.append((stored.before, after))
    else:
        account.count("reparsed")
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
    account: RunSummary,
) -> ToMail | None:
    """Diff a reissued document against its previous version; events labelled as a reissue,
    stored under the pair (symbol, symbol) and mailed unless a gate failed."""
    from warehouse.diff import diff_editions
    from warehouse.diff_store import store_diff
    from warehouse.ledger import gate_failures, mark_gate_failures
    from warehouse.rederive import as_reissue

    diff = as_reissue(diff_editions(before, after))
    if not diff.changed_events:
        return None
    failures = gate_failures(con, [after.symbol], after.language)
    diff = mark_gate_failures(diff, failures)
    store_diff(con, diff, run_id=run_id)
    account.count("change_events", len(diff.changed_events))
    account.count("reissue_events", len(diff.changed_events))
    return None if failures else ToMail(diff, after.language)


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
    summary.notes.extend(warning for item in stored for warning in item.warnings)
    if loaded:
        summary.count("cited_loaded", loaded)


def compare_touched_editions(
    con: duckdb.DuckDBPyConnection,
    language: str,
    new: set[tuple[str, str]],
    rederived: set[tuple[str, str]],
    run_id: str,
) -> Compared:
    """Diff each pair of consecutive editions where one side is new or was re-derived with
    another content; store the diffs and similarities (all pairs in one transaction), and
    mail only the pair that reaches the newest edition, when it has a new side and its gates
    passed."""
    from warehouse.diff_format import format_diff_table
    from warehouse.diff_store import store_diffs
    from warehouse.read import list_editions
    from warehouse.similarity import store_similarities

    account = RunSummary(run_id=run_id)
    to_mail: list[ToMail] = []
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
        account.diffs.append(format_diff_table(pair.diff))
        if (older.symbol, language) not in new and (newer.symbol, language) not in new:
            account.notes.append(
                f"{older.symbol} -> {newer.symbol} ({language}) diffed again after a "
                "re-derivation: stored, not mailed"
            )
            continue
        account.count("change_events", len(pair.diff.changed_events))
        if newer.symbol != newest:
            # A backfill diffs every pair it touches, but readers get one digest: the
            # changes that reached the newest edition.
            account.notes.append(
                f"{older.symbol} -> {newer.symbol} ({language}): stored; only the newest "
                "edition's changes are mailed"
            )
            continue
        if pair.gate_failures:
            account.notes.append(
                f"{older.symbol} -> {newer.symbol} ({language}): no digest, a gate failed"
            )
            continue
        to_mail.append(ToMail(pair.diff, language, pair.similarity))
    return Compared(account, tuple(to_mail))


def diff_touched_editions(
    con: duckdb.DuckDBPyConnection,
    language: str,
    new: set[tuple[str, str]],
    rederived: set[tuple[str, str]],
    run_id: str,
    mail: Mailing,
    summary: RunSummary,
) -> None:
    """`compare_touched_editions` folded into `summary`, with the reports and digests of
    what reaches readers queued at once (reparse and rebuild, which mail nothing new)."""
    from flows.notifying import queue_mail

    found = compare_touched_editions(con, language, new, rederived, run_id)
    summary.absorb(found.account)
    summary.count("digests_queued", queue_mail(con, found.to_mail, mail, run_id))


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
def record_run(
    con: duckdb.DuckDBPyConnection,
    run: RunRecord,
    summary: RunSummary,
    fetches: Sequence[FetchResult] = (),
) -> None:
    """Record the run's fetches, how it ended and its manifest; send a failure or recovery
    alert when the state flips, and the calendar alerts (overdue edition, no success) when
    the run has calendar settings."""
    from notify.overdue import alert_on_calendar
    from warehouse.manifests import store_manifest
    from warehouse.runs import finish_run, is_recorded, start_run

    source = str(run.parameters.get("source"))
    if not is_recorded(con, run.run_id):
        start_run(
            con,
            run_id=run.run_id,
            source=source,
            parameters=run.parameters,
            started_at=run.started_at,
        )
    record_fetches(con, run.run_id, fetches)
    finish_run(
        con,
        run_id=run.run_id,
        status=run.status,
        counts=summary.counts,
        email_status=summary.email_status,
        error=run.error,
    )
    store_manifest(con, summary.manifest(run.status, source))
    alert_on_state_change(
        con,
        run_id=run.run_id,
        status=run.status,
        error=run.error,
        outbox_dir=run.outbox_dir,
        smtp_block=run.smtp_block,
    )
    if run.calendar_settings is not None:
        alert_on_calendar(
            con,
            run_id=run.run_id,
            today=date.today(),
            settings=smtp_settings(run.smtp_block),
            outbox_dir=run.outbox_dir,
            calendar_settings=run.calendar_settings,
        )


@dataclass(frozen=True)
class RunRecord:
    """How a run is recorded: its id, parameters and start, how it ended, and where its
    alerts go."""

    run_id: str
    parameters: dict[str, Any]
    started_at: datetime
    status: str
    error: str | None
    outbox_dir: Path
    smtp_block: str | None
    calendar_settings: CalendarSettings | None = None
