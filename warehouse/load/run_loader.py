"""Load a run's documents in its one write: the parsed editions with their ledger and gate,
the cited documents and the companions, each on its own, so one that cannot be stored is a
failure with its reason and the others load; and the run's fetches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from extractors.enrich.reference_data import load_reference
from extractors.fetch.cited_targets import CitedDocument
from extractors.fetch.fetch_document import FetchResult
from extractors.model import Report
from warehouse.load.companion_rows import CompanionDocument, store_companions
from warehouse.load.loader import load_reference as load_reference_tables
from warehouse.load.loader import record_fetch
from warehouse.load.read_back import read_report
from warehouse.load.rederive import same_content
from warehouse.load.store_derived import Stored, ToStore, store_derived
from warehouse.runs.run_account import Parsed, RunSummary


@dataclass(frozen=True)
class Loaded:
    """What loading a run's documents did: its account, the editions that are new or were
    re-derived with another content, and the reissues whose content changed (before, after)."""

    account: RunSummary
    new: frozenset[tuple[str, str]] = frozenset()
    rederived: frozenset[tuple[str, str]] = frozenset()
    reissues: tuple[tuple[Report, Report], ...] = ()


def _account_for(
    con: duckdb.DuckDBPyConnection,
    item: Parsed,
    stored: Stored,
    reissues: list[tuple[Report, Report]],
) -> tuple[str | None, RunSummary]:
    """What storing one parse was for the diffs: None (already loaded, or not loadable),
    'new', 'rederived' (content changed) or 'same'; with its account, counted and noted."""
    report = item.report
    sha256 = item.document.sha256
    if stored.outcome == "failed":
        return None, (
            RunSummary()
            .with_failure(f"{report.symbol} ({report.language}): {stored.error}")
            .with_count("failed")
            .with_document(report.symbol, report.language, sha256, "failed")
        )
    if stored.outcome == "unchanged":
        return None, RunSummary()
    account = _note_gate(item, bool(stored.gate_passed))
    if stored.before is None:
        return "new", account
    after = read_report(con, report.symbol, report.language)
    same = same_content(stored.before, after)
    if stored.previous_sha256 != sha256:
        account = (
            account.with_count("reissued")
            .with_document(report.symbol, report.language, sha256, "reissued")
            .with_note(
                f"{report.symbol} ({report.language}): reissued with new bytes, "
                + ("same content: no change events" if same else "content changed")
            )
        )
        if not same:
            reissues.append((stored.before, after))
    else:
        account = account.with_count("reparsed")
    return ("same" if same else "rederived"), account


def _note_gate(item: Parsed, passed: bool) -> RunSummary:
    """The account of a loaded parse and its gate; a failed gate is a run note."""
    report, gate = item.report, item.gate
    account = RunSummary().with_count("gates_passed" if passed else "gates_failed")
    if not passed:
        account = account.with_note(
            f"{report.symbol} ({report.language}): text-preservation gate failed: "
            + "; ".join((gate.reasons if gate else ()) or ("ledger unbalanced",))
            + "; its diffs are uncertain and not mailed"
        )
    return account.with_count("loaded")


def record_fetches(
    con: duckdb.DuckDBPyConnection, run_id: str, fetches: Sequence[FetchResult]
) -> None:
    """Append every fetch of the run, whatever its outcome, to `fetches`."""
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
) -> RunSummary:
    """Store derived cited documents, so the editions' citations resolve to them; the
    account counts those loaded and carries the store's warnings."""
    stored = store_derived(
        con,
        [
            ToStore(document.derived, document.source_url, document.source_path)
            for document in cited
        ],
        run_id=run_id,
    )
    loaded = sum(1 for item in stored if item.outcome != "unchanged")
    account = RunSummary(notes=tuple(w for item in stored for w in item.warnings))
    return account.with_count("cited_loaded", loaded) if loaded else account


def load_run_documents(
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
        change, part = _account_for(con, item, outcome, reissues)
        account = account.plus(part)
        key = (outcome.symbol, outcome.language)
        if change == "new":
            new.add(key)
        elif change == "rederived":
            rederived.add(key)
    account = account.plus(
        _load_cited(con, run_id, cited), store_companions(con, run_id, companions)
    )
    return Loaded(account, frozenset(new), frozenset(rederived), tuple(reissues))
