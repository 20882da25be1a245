"""Tasks that write the warehouse and the outbox; each wraps one staged DuckDB transaction.

A staged transaction works on a copy of the database file and swaps it into place
only at the end, so a failure leaves the last good warehouse untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from extractors.model import Report
from flows.sources import FetchedDocument

if TYPE_CHECKING:
    import duckdb

    from extractors.fetch import FetchResult
    from flows.cited import CitedDocument
    from flows.nightly import RunSummary


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
    parsed: list[tuple[FetchedDocument, Report]],
    recipients: list[str] | None,
    reports_dir: Path,
    summary: RunSummary,
    fetches: Sequence[FetchResult] = (),
    cited: Sequence[CitedDocument] = (),
) -> None:
    """Record the fetches, load changed documents, diff the editions they touch, queue digests."""
    from extractors.reference_data import load_reference
    from warehouse.load import load_reference as load_reference_tables
    from warehouse.load import load_report
    from warehouse.publish import staged
    from warehouse.runs import start_run

    with staged(db) as con:
        start_run(con, run_id=run_id, source=str(parameters.get("source")), parameters=parameters)
        record_fetches(con, run_id, fetches)
        load_reference_tables(con, load_reference())
        touched: set[tuple[str, str]] = set()
        for document, report in parsed:
            if load_report(
                con,
                report,
                run_id=run_id,
                sha256=document.sha256,
                source_url=document.source_url,
                source_path=document.source_path,
            ):
                summary.count("loaded")
                touched.add((report.symbol, report.language))
        _load_cited(con, run_id, cited, summary)
        for language in sorted({language for _, language in touched}):
            _diff_language(con, language, touched, run_id, recipients, reports_dir, summary)


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
    """Load parsed cited documents, so the editions' citations resolve to them."""
    from flows.cited import CITED_PARSER_VERSION
    from warehouse.load import load_document

    for document in cited:
        resolution = document.resolution
        if load_document(
            con,
            symbol=document.symbol,
            language=document.language,
            kind=document.kind,
            sha256=document.sha256,
            parser_version=CITED_PARSER_VERSION,
            run_id=run_id,
            title=resolution.title or None,
            document_date=resolution.adopted,
            symbols=document.symbols,
            cites=resolution.cites,
            source_url=document.source_url,
            source_path=document.source_path,
        ):
            summary.count("cited_loaded")


def _diff_language(con, language, touched, run_id, recipients, reports_dir, summary) -> None:
    """Diff each pair of consecutive editions where one side changed in this run."""
    from flows.notifying import queue_digest
    from warehouse.diff import diff_editions
    from warehouse.diff_format import format_diff_table
    from warehouse.load import store_diff
    from warehouse.read import list_editions, read_report

    editions = list_editions(con, language)
    for older, newer in zip(editions, editions[1:], strict=False):
        if (older.symbol, language) not in touched and (newer.symbol, language) not in touched:
            continue
        diff = diff_editions(
            read_report(con, older.symbol, language), read_report(con, newer.symbol, language)
        )
        store_diff(con, diff, run_id=run_id)
        summary.count("change_events", len(diff.changed_events))
        summary.diffs.append(format_diff_table(diff))
        queue_digest(
            con,
            diff,
            language=language,
            recipients=recipients,
            run_id=run_id,
            reports_dir=reports_dir,
            summary=summary,
        )


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
) -> None:
    """Record how the run ended and send a failure or recovery alert when the state flips.

    `unrecorded_fetches` are the run's fetches when its warehouse update never committed.
    """
    from flows.notifying import alert_on_state_change
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
        alert_on_state_change(
            con,
            run_id=run_id,
            status=status,
            error=error,
            outbox_dir=outbox_dir,
            smtp_block=smtp_block,
        )
