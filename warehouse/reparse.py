"""`coopwatch reparse`: derive loaded editions again from the bytes already kept, never by
fetching, and say what changed in their derived rows.

The bytes come from the raw store (fetched documents), the corpus folder (bundled editions)
or the ingested file, and must hash to the sha256 loaded. A new parser version rewrites the
rows; the diffs of an edition whose content changed are stored again, and nothing is
mailed: a parser's change is not news about the report.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from common.errors import CoopWatchError, DocumentError
from extractors.derive import DerivedReport, derive_document
from extractors.enrich.reference_data import load_reference
from extractors.fetch.bundled_editions import corpus_dir_in_use
from extractors.fetch.local_file import read_local_file
from extractors.fetch.raw_store import RawStore, sha256_hex
from warehouse.db.publish import staged
from warehouse.db.run_lock import run_lock
from warehouse.db.schema import connect
from warehouse.diff.compare_loaded import compare_touched_editions
from warehouse.load.loader import load_reference as load_reference_tables
from warehouse.load.read_back import read_report
from warehouse.load.rederive import content_changes, derived_counts
from warehouse.load.store_derived import ToStore, store_derived
from warehouse.runs.run_account import RunSummary
from warehouse.runs.run_rows import finish_run, start_run


@dataclass(frozen=True)
class LoadedEdition:
    """One loaded edition text: its key, symbols and where its bytes came from."""

    symbol: str
    language: str
    symbols: tuple[str, ...]
    sha256: str
    parser_version: str
    source_path: str | None
    source_url: str | None


@dataclass
class ReparseSummary:
    """What a reparse did: one line per document, diffs stored again, problems."""

    lines: list[str] = field(default_factory=list)
    rederived: int = 0
    changed: int = 0
    diffs: int = 0
    problems: list[str] = field(default_factory=list)

    def render(self) -> str:
        """The account printed by the CLI."""
        tail = (
            f"{self.rederived} re-derived, {self.changed} with changed content, "
            f"{self.diffs} diff(s) stored again, {len(self.problems)} problem(s); "
            "no email queued"
        )
        return "\n".join([*self.lines, *(f"PROBLEM: {p}" for p in self.problems), tail])


def loaded_editions(db_path: Path, symbol: str | None) -> list[LoadedEdition]:
    """The edition texts loaded (all, or those of `symbol`); a clear error when none match."""
    if not db_path.exists():
        raise CoopWatchError(f"{db_path}: no warehouse to reparse")
    con = connect(db_path, read_only=True)
    try:
        rows = con.execute(
            "SELECT symbol, language, symbols, sha256, parser_version, source_path, source_url "
            "FROM documents WHERE kind = 'report' "
            "AND ($1::VARCHAR IS NULL OR symbol = $1 OR list_contains(symbols, $1)) "
            "ORDER BY symbol, language",
            [symbol],
        ).fetchall()
    finally:
        con.close()
    if not rows:
        wanted = f"edition {symbol}" if symbol else "edition"
        raise CoopWatchError(f"{db_path}: no {wanted} loaded to reparse")
    return [LoadedEdition(row[0], row[1], tuple(row[2]), *row[3:]) for row in rows]


def kept_bytes(edition: LoadedEdition, data_dir: Path) -> bytes:
    """The bytes the edition was loaded from: raw store, corpus folder or ingested file."""
    store = RawStore(data_dir)
    if store.has(edition.sha256):
        return store.read(edition.sha256)
    candidates = []
    if edition.source_path:
        candidates = [
            data_dir / edition.source_path,
            corpus_dir_in_use() / edition.source_path,
            Path(edition.source_path),
        ]
    for path in candidates:
        if path.is_file():
            data = read_local_file(path)
            if sha256_hex(data) == edition.sha256:
                return data
    raise CoopWatchError(
        f"{edition.symbol} ({edition.language}): the bytes loaded ({edition.sha256[:12]}) are "
        "in neither the raw store nor the corpus; `coopwatch run --force` fetches them again"
    )


def parse_kept(edition: LoadedEdition, data: bytes) -> DerivedReport:
    """Derive kept bytes with the current parser, by the one derivation path."""
    derived = derive_document(
        data,
        name=edition.source_path or edition.symbol,
        symbol="-".join(edition.symbols),
        language=edition.language,
        kind="report",
    )
    assert isinstance(derived, DerivedReport)
    return derived


def reparse_warehouse(db_path: Path, data_dir: Path, symbol: str | None) -> ReparseSummary:
    """Re-derive the loaded editions (all, or `symbol`'s) from kept bytes in one staged
    write; a document that cannot be read or parsed is a problem line, not an abort."""
    if not db_path.exists():
        raise CoopWatchError(f"{db_path}: no warehouse to reparse")
    summary = ReparseSummary()
    # The lock comes before the read: a run loading a reissue between the read and the
    # write would otherwise have its text written back to the one read here.
    with run_lock(db_path):
        parsed: list[tuple[LoadedEdition, DerivedReport]] = []
        for edition in loaded_editions(db_path, symbol):
            try:
                derived = parse_kept(edition, kept_bytes(edition, data_dir))
            except (CoopWatchError, DocumentError) as error:
                summary.problems.append(str(error))
                continue
            parsed.append((edition, derived))
        if parsed:
            _rederive(db_path, f"reparse-{uuid.uuid4().hex[:12]}", parsed, summary)
    return summary


def _rederive(
    db_path: Path,
    run_id: str,
    parsed: list[tuple[LoadedEdition, DerivedReport]],
    summary: ReparseSummary,
) -> None:

    changed: set[tuple[str, str]] = set()
    run = RunSummary(run_id=run_id)
    with staged(db_path) as con:
        start_run(con, run_id=run_id, source="reparse", parameters={"documents": len(parsed)})
        load_reference_tables(con, load_reference())
        for edition, derived in parsed:
            if _rederive_one(con, edition, derived, run_id, summary):
                changed.add((edition.symbol, edition.language))
        for language in sorted({language for _, language in changed}):
            run = run.plus(compare_touched_editions(con, language, set(), changed, run_id).account)
        summary.diffs = len(run.diffs)
        finish_run(
            con,
            run_id=run_id,
            status="completed",
            counts={"rederived": summary.rederived, "changed": summary.changed},
            email_status="none",
            error=None,
        )


def _rederive_one(
    con: duckdb.DuckDBPyConnection,
    edition: LoadedEdition,
    derived: DerivedReport,
    run_id: str,
    summary: ReparseSummary,
) -> bool:
    """Store one new derivation and describe it; True when its content changed."""
    key = (edition.symbol, edition.language)
    label = f"{edition.symbol} ({edition.language})"
    counts_before = derived_counts(con, *key)
    (stored,) = store_derived(
        con, [ToStore(derived, edition.source_url, edition.source_path)], run_id=run_id
    )
    if stored.outcome == "failed":
        summary.problems.append(f"{label}: {stored.error}")
        return False
    if stored.outcome == "unchanged" or stored.before is None:
        summary.lines.append(f"{label}: already derived by {edition.parser_version}, unchanged")
        return False
    summary.rederived += 1
    counts_after = derived_counts(con, *key)
    rows = [
        f"{table} {counts_before[table]} -> {counts_after[table]}"
        for table in counts_after
        if counts_before[table] != counts_after[table]
    ]
    changes = content_changes(stored.before, read_report(con, *key))
    versions = f"{edition.parser_version} -> {derived.parser_version}"
    gate_text = "" if stored.gate_passed else "; text-preservation gate FAILED"
    if not changes:
        summary.lines.append(
            f"{label}: {versions}; derived rows rewritten, content unchanged{gate_text}"
        )
        return False
    summary.changed += 1
    described = "; ".join(rows + changes)
    summary.lines.append(f"{label}: {versions}; {described}{gate_text}")
    return True
