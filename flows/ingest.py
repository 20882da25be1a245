"""`coopwatch ingest`: load one local report file as an edition, with no network."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from extractors.localfile import read_local_file
from flows.documents import enrich, gate_document_file
from flows.runlock import run_lock


def ingest_file(path: Path, *, symbol: str, language: str, db_path: Path) -> str:
    """Parse `path` first (nothing is written if that fails), then load it in one staged write."""
    from extractors.readers.route import read_file
    from extractors.reference_data import load_reference
    from extractors.report import parse_blocks
    from warehouse.ledger import record_parse
    from warehouse.load import load_reference as load_reference_tables
    from warehouse.load import load_report
    from warehouse.publish import staged
    from warehouse.runs import finish_run, start_run

    blocks, dropped = read_file(path)
    report = enrich(
        parse_blocks(blocks, name=str(path), symbol=symbol, language=language, dropped=dropped)
    )
    gate = gate_document_file(path, report)
    data = read_local_file(path)
    sha256 = hashlib.sha256(data).hexdigest()
    run_id = f"ingest-{uuid.uuid4().hex[:12]}"
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with run_lock(db_path), staged(db_path) as con:
        start_run(
            con, run_id=run_id, source="ingest", parameters={"file": str(path), "symbol": symbol}
        )
        load_reference_tables(con, load_reference())
        loaded = load_report(
            con,
            report,
            run_id=run_id,
            sha256=sha256,
            source_url=None,
            source_path=str(path),
        )
        if loaded:
            record_parse(con, report, sha256=sha256, gate=gate, run_id=run_id)
        finish_run(
            con,
            run_id=run_id,
            status="completed",
            counts={"loaded": int(loaded)},
            email_status=None,
            error=None,
        )
    state = "loaded" if loaded else "already loaded, unchanged"
    if not gate.passed:
        state += f"; text-preservation gate FAILED ({'; '.join(gate.reasons)})"
    return (
        f"{report.symbol} ({report.language}): {state}; {len(report.sections)} sections, "
        f"{len(report.paragraphs)} paragraphs into {db_path}"
    )
