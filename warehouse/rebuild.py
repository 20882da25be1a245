"""`coopwatch rebuild`: derive a fresh warehouse from the raw store alone, with no network.

Every body the runs kept is parsed again with today's parsers: the latest body of each
known edition by the report parser, every other document by the resolution parser. The new
file replaces the warehouse only when it is complete; diffs are stored, no email is queued.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common.errors import CoopWatchError, DocumentError
from extractors.derive import derive_document
from extractors.enrich.reference_data import load_reference
from extractors.fetch.raw_store import RawStore
from extractors.report.editions import load_editions
from extractors.symbols import edition_of, split_joint_symbol
from warehouse.db.publish import staged
from warehouse.db.run_lock import run_lock
from warehouse.diff.compare_loaded import compare_touched_editions
from warehouse.load.companion_rows import CompanionDocument, store_companion
from warehouse.load.loader import load_reference as load_reference_tables
from warehouse.load.store_derived import ToStore, store_derived
from warehouse.runs.fetch_state import read_fetch_knowledge
from warehouse.runs.run_account import RunSummary
from warehouse.runs.run_rows import finish_run, start_run


@dataclass(frozen=True)
class StoredDocument:
    """The latest stored body of one (symbol, language), with the fetch that brought it."""

    symbol: str
    language: str
    symbols: tuple[str, ...]
    sha256: str
    url: str | None
    fetched_at: str


@dataclass
class RebuildSummary:
    """What a rebuild loaded and what it could not parse."""

    editions: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    diffs: int = 0

    def render(self, db_path: Path) -> str:
        """One line of totals, then each problem."""
        lines = [
            f"rebuilt {db_path}: {len(self.editions)} edition text(s), "
            f"{len(self.documents)} cited document(s), {self.diffs} diff(s), "
            f"{len(self.problems)} problem(s)"
        ]
        return "\n".join(lines + [f"PROBLEM: {problem}" for problem in self.problems])


def latest_stored(store: RawStore) -> list[StoredDocument]:
    """The newest stored body per (symbol, language), from the raw store's own metadata."""
    latest: dict[tuple[str, str], StoredDocument] = {}
    for entry in store.entries():
        for fetch in entry.get("fetches", []):
            symbol, language = fetch.get("symbol"), fetch.get("language")
            if not symbol or not language:
                continue
            found = StoredDocument(
                symbol=symbol,
                language=language,
                symbols=split_joint_symbol(fetch.get("symbols") or symbol),
                sha256=entry["sha256"],
                url=fetch.get("final_url") or fetch.get("url"),
                fetched_at=fetch.get("fetched_at") or "",
            )
            known = latest.get((symbol, language))
            if known is None or found.fetched_at >= known.fetched_at:
                latest[(symbol, language)] = found
    return sorted(latest.values(), key=lambda d: (d.symbol, d.language))


def rebuild_warehouse(db_path: Path, data_dir: Path) -> RebuildSummary:
    """Replace the warehouse at `db_path` with one derived from `data_dir`'s raw store."""
    store = RawStore(data_dir)
    summary = RebuildSummary()
    # Locked before reading the store and the warehouse's knowledge, as every writer is.
    with run_lock(db_path):
        stored = latest_stored(store)
        if not stored:
            raise CoopWatchError(f"{store.root}: the raw store holds no document to rebuild from")
        edition_symbols = {
            split_joint_symbol(symbol)[0]
            for symbol in [e.symbol for e in load_editions(data_dir)]
            + list(read_fetch_knowledge(db_path).editions)
        }
        with staged(db_path, fresh=True) as con:
            _load_all(con, store, stored, edition_symbols, summary)
    return summary


def _load_all(
    con: Any,
    store: RawStore,
    stored: list[StoredDocument],
    edition_symbols: set[str],
    summary: RebuildSummary,
) -> None:
    """Derive every kept body by the one derivation path, store them, and diff each pair
    of consecutive editions (with their similarity), as a run would, mailing nothing."""
    run_id = f"rebuild-{uuid.uuid4().hex[:12]}"
    start_run(con, run_id=run_id, source="rebuild", parameters={"raw_store": str(store.root)})
    load_reference_tables(con, load_reference())
    derived: list[tuple[StoredDocument, ToStore]] = []
    for document in stored:
        is_edition = document.symbol in edition_symbols
        try:
            if not is_edition and edition_of(document.symbol) in edition_symbols:
                _load_companion(con, document, run_id)
                summary.documents.append(f"{document.symbol} ({document.language})")
                continue
            found = derive_document(
                store.read(document.sha256),
                name=_raw_path(document),
                symbol="-".join(document.symbols) if is_edition else document.symbol,
                language=document.language,
                kind="report" if is_edition else "resolution",
            )
        except DocumentError as error:
            summary.problems.append(f"{document.symbol} [{document.language}]: {error}")
            continue
        derived.append((document, ToStore(found, document.url, _raw_path(document))))
    outcomes = store_derived(con, [item for _, item in derived], run_id=run_id)
    touched: set[tuple[str, str]] = set()
    for (document, _), outcome in zip(derived, outcomes, strict=True):
        label = f"{document.symbol} ({document.language})"
        if outcome.outcome == "failed":
            summary.problems.append(f"{document.symbol} [{document.language}]: {outcome.error}")
        elif document.symbol in edition_symbols:
            summary.editions.append(label)
            touched.add((outcome.symbol, outcome.language))
        else:
            summary.documents.append(label)
    run = RunSummary(run_id=run_id)
    for language in sorted({language for _, language in touched}):
        run = run.plus(compare_touched_editions(con, language, set(), touched, run_id).account)
    summary.diffs = len(run.diffs)
    finish_run(
        con,
        run_id=run_id,
        status="completed",
        counts={
            "loaded": len(summary.editions),
            "cited_loaded": len(summary.documents),
            "problems": len(summary.problems),
        },
        email_status=None,
        error=None,
    )


def _raw_path(document: StoredDocument) -> str:
    return f"raw/{document.sha256[:2]}/{document.sha256}"


def _load_companion(con: Any, document: StoredDocument, run_id: str) -> None:
    """A corrigendum or addendum of an edition: stored as such, linked to its edition."""
    companion = CompanionDocument(
        symbols=document.symbols,
        edition=edition_of(document.symbol) or document.symbol,
        language=document.language,
        sha256=document.sha256,
        source_url=document.url,
        source_path=_raw_path(document),
    )
    store_companion(con, companion, run_id)
