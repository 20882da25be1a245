"""`coopwatch ingest`: load one local report or resolution file, with no network."""

from __future__ import annotations

import uuid
from pathlib import Path

from common.errors import UnloadableDocument
from extractors.derive import Derived, DerivedReport
from extractors.documents import derive_file
from extractors.enrich.reference_data import load_reference
from warehouse.db.publish import staged
from warehouse.db.run_lock import run_lock
from warehouse.load.loader import load_reference as load_reference_tables
from warehouse.load.store_derived import ToStore, store_derived
from warehouse.runs.run_rows import finish_run, start_run


def ingest_file(path: Path, *, symbol: str | None, language: str | None, db_path: Path) -> str:
    """Derive `path` first (nothing is written if that fails), then store it in one staged
    write; returns one line saying what was loaded."""
    derived = derive_file(path, symbol=symbol, language=language)
    run_id = f"ingest-{uuid.uuid4().hex[:12]}"
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with run_lock(db_path), staged(db_path) as con:
        start_run(
            con,
            run_id=run_id,
            source="ingest",
            parameters={"file": str(path), "symbol": symbol},
        )
        load_reference_tables(con, load_reference())
        (stored,) = store_derived(con, [ToStore(derived, None, str(path))], run_id=run_id)
        if stored.outcome == "failed":
            raise UnloadableDocument(str(path), stored.error or "cannot be loaded")
        finish_run(
            con,
            run_id=run_id,
            status="completed",
            counts={"loaded": int(stored.outcome != "unchanged")},
            email_status=None,
            error=None,
        )
    state = "already loaded, unchanged" if stored.outcome == "unchanged" else "loaded"
    warnings = "".join(f"\nwarning: {warning}" for warning in stored.warnings)
    return f"{_describe(derived, stored.gate_passed, state)} into {db_path}{warnings}"


def _describe(derived: Derived, gate_passed: bool | None, state: str) -> str:
    if not isinstance(derived, DerivedReport):
        resolution = derived.resolution
        return (
            f"{derived.symbol} ({derived.language}): {derived.kind.replace('_', ' ')} {state}; "
            f"{len(resolution.preambular)} preambular and {len(resolution.operative)} operative "
            f"paragraphs, {len(resolution.cites)} cited document(s)"
        )
    report, gate = derived.report, derived.gate
    if gate_passed is False or (gate is not None and not gate.passed):
        reasons = "; ".join(gate.reasons) if gate else "ledger unbalanced"
        state += f"; text-preservation gate FAILED ({reasons})"
    return (
        f"{report.symbol} ({report.language}): {state}; {len(report.sections)} sections, "
        f"{len(report.paragraphs)} paragraphs"
    )
