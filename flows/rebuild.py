"""`coopwatch rebuild`: derive a fresh warehouse from the raw store alone, with no network.

Every body the runs kept is parsed again with today's parsers: the latest body of each
known edition by the report parser, every other document by the resolution parser. The new
file replaces the warehouse only when it is complete; diffs are stored, no email is queued.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors.errors import CoopWatchError, DocumentError
from extractors.rawstore import RawStore
from extractors.symbols import edition_of, split_joint_symbol
from flows.runlock import run_lock


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
    from extractors.editions import load_editions
    from warehouse.db import connect
    from warehouse.fetch_state import read_fetch_knowledge

    store = RawStore(data_dir)
    stored = latest_stored(store)
    if not stored:
        raise CoopWatchError(f"{store.root}: the raw store holds no document to rebuild from")
    edition_symbols = {
        split_joint_symbol(symbol)[0]
        for symbol in [e.symbol for e in load_editions(data_dir)]
        + list(read_fetch_knowledge(db_path).editions)
    }
    summary = RebuildSummary()
    building = db_path.with_name(db_path.name + ".rebuild")
    with run_lock(db_path):
        building.unlink(missing_ok=True)
        con = connect(building)
        try:
            _load_all(con, store, stored, edition_symbols, summary)
            con.execute("CHECKPOINT")
        except BaseException:
            con.close()
            building.unlink(missing_ok=True)
            raise
        con.close()
        Path(str(db_path) + ".wal").unlink(missing_ok=True)
        os.replace(building, db_path)
    return summary


def _load_all(
    con: Any,
    store: RawStore,
    stored: list[StoredDocument],
    edition_symbols: set[str],
    summary: RebuildSummary,
) -> None:
    from extractors.reference_data import load_reference
    from warehouse.load import load_reference as load_reference_tables
    from warehouse.runs import finish_run, start_run

    run_id = f"rebuild-{uuid.uuid4().hex[:12]}"
    start_run(con, run_id=run_id, source="rebuild", parameters={"raw_store": str(store.root)})
    load_reference_tables(con, load_reference())
    for document in stored:
        try:
            if document.symbol in edition_symbols:
                _load_edition(con, store, document, run_id)
                summary.editions.append(f"{document.symbol} ({document.language})")
            elif edition_of(document.symbol) in edition_symbols:
                _load_companion(con, document, run_id)
                summary.documents.append(f"{document.symbol} ({document.language})")
            else:
                _load_cited(con, store, document, run_id)
                summary.documents.append(f"{document.symbol} ({document.language})")
        except DocumentError as error:
            summary.problems.append(f"{document.symbol} [{document.language}]: {error}")
    summary.diffs = _store_all_diffs(con, run_id, sorted({d.language for d in stored}))
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


def _load_edition(con: Any, store: RawStore, document: StoredDocument, run_id: str) -> None:
    from extractors.report import parse_report_bytes
    from flows.documents import enrich
    from warehouse.load import load_report

    report = parse_report_bytes(
        store.read(document.sha256),
        name=_raw_path(document),
        symbol="-".join(document.symbols),
        language=document.language,
    )
    load_report(
        con,
        enrich(report),
        run_id=run_id,
        sha256=document.sha256,
        source_url=document.url,
        source_path=_raw_path(document),
    )


def _load_companion(con: Any, document: StoredDocument, run_id: str) -> None:
    """A corrigendum or addendum of an edition: stored as such, linked to its edition."""
    from flows.companions import CompanionDocument, store_companion

    companion = CompanionDocument(
        symbols=document.symbols,
        edition=edition_of(document.symbol) or document.symbol,
        language=document.language,
        sha256=document.sha256,
        source_url=document.url,
        source_path=_raw_path(document),
    )
    store_companion(con, companion, run_id)


def _load_cited(con: Any, store: RawStore, document: StoredDocument, run_id: str) -> None:
    from extractors.resolution import parse_resolution_bytes
    from flows.cited import CITED_PARSER_VERSION, document_symbols, kind_of
    from warehouse.load import load_document

    resolution = parse_resolution_bytes(
        store.read(document.sha256),
        name=_raw_path(document),
        symbol=document.symbol,
        language=document.language,
    )
    load_document(
        con,
        symbol=document.symbol,
        language=document.language,
        kind=kind_of(document.symbol),
        sha256=document.sha256,
        parser_version=CITED_PARSER_VERSION,
        run_id=run_id,
        title=resolution.title or None,
        document_date=resolution.adopted,
        symbols=document_symbols(document.symbol, resolution),
        cites=resolution.cites,
        source_url=document.url,
        source_path=_raw_path(document),
        unresolved=resolution.unknown_cites,
    )


def _store_all_diffs(con: Any, run_id: str, languages: list[str]) -> int:
    """Diff every pair of consecutive editions in each language; return how many."""
    from warehouse.diff import diff_editions
    from warehouse.diff_store import store_diff
    from warehouse.read import list_editions, read_report

    count = 0
    for language in languages:
        editions = list_editions(con, language)
        for older, newer in zip(editions, editions[1:], strict=False):
            diff = diff_editions(
                read_report(con, older.symbol, language), read_report(con, newer.symbol, language)
            )
            store_diff(con, diff, run_id=run_id)
            count += 1
    return count
