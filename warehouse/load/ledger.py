"""The parse ledger in the warehouse: what each parse placed and dropped, and whether it passed
the text-preservation gate; and what a failed gate means for the diffs of that edition."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import duckdb

from extractors.gate import GateResult, check_ledger
from extractors.model import Report
from warehouse.db.schema import utc_now
from warehouse.diff.change_events import EditionDiff
from warehouse.load.report_rows import dropped_blocks_json

_COLUMNS = (
    "symbol",
    "language",
    "sha256",
    "parser_version",
    "blocks_in",
    "placed",
    "dropped_count",
    "dropped",
    "dropped_reasons",
    "warnings",
    "gate_passed",
    "run_id",
    "ledger_balanced",
    "gate_method",
    "gate_coverage",
    "gate_threshold",
    "gate_longest_gap",
    "gate_missing_words",
    "gate_reasons",
    "checked_at",
    "unresolved_citation_count",
)
_KEY = ("symbol", "language", "sha256", "parser_version")
_CASTS = {
    "dropped": "?::JSON",
    "dropped_reasons": "?::JSON",
    "warnings": "?::VARCHAR[]",
    "gate_missing_words": "?::VARCHAR[]",
    "gate_reasons": "?::VARCHAR[]",
}


@dataclass(frozen=True)
class FailedGate:
    """A loaded document whose current parse failed the gate or the ledger check."""

    symbol: str
    language: str
    sha256: str
    parser_version: str
    coverage: float | None
    reasons: tuple[str, ...]
    run_id: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape `coopwatch status --json` prints."""
        return {
            "symbol": self.symbol,
            "language": self.language,
            "sha256": self.sha256,
            "parser_version": self.parser_version,
            "coverage": self.coverage,
            "reasons": list(self.reasons),
            "run_id": self.run_id,
        }


def record_parse(
    con: duckdb.DuckDBPyConnection,
    report: Report,
    *,
    sha256: str,
    gate: GateResult | None,
    run_id: str,
    now: datetime | None = None,
) -> bool:
    """Store the ledger of one parse and its gate outcome in `parses`, replacing the row of
    the same (symbol, language, sha256, parser_version); returns whether the parse passed
    (ledger balanced and, when run, the gate passed)."""
    ledger = gate.ledger if gate is not None and gate.ledger is not None else check_ledger(report)
    dropped, reasons = dropped_blocks_json(report)
    problems = list(gate.reasons) if gate is not None else list(ledger.reasons)
    values: dict[str, Any] = {
        "symbol": report.symbol,
        "language": report.language,
        "sha256": sha256,
        "parser_version": report.parser_version,
        "blocks_in": report.blocks_in,
        "placed": ledger.placed,
        "dropped_count": len(report.dropped),
        "dropped": dropped,
        "dropped_reasons": reasons,
        "warnings": list(report.warnings),
        "gate_passed": gate.passed if gate is not None else None,
        "run_id": run_id,
        "ledger_balanced": ledger.balanced,
        "gate_method": gate.method if gate is not None else None,
        "gate_coverage": gate.coverage if gate is not None else None,
        "gate_threshold": gate.threshold if gate is not None else None,
        "gate_longest_gap": gate.longest_gap if gate is not None else None,
        "gate_missing_words": list(gate.missing_words) if gate is not None else [],
        "gate_reasons": problems,
        "checked_at": now or utc_now(),
        "unresolved_citation_count": len(report.unknown_citations),
    }
    placeholders = ", ".join(_CASTS.get(column, "?") for column in _COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c not in _KEY)
    con.execute(
        f"INSERT INTO parses ({', '.join(_COLUMNS)}) VALUES ({placeholders}) "
        f"ON CONFLICT ({', '.join(_KEY)}) DO UPDATE SET {updates}",
        [values[column] for column in _COLUMNS],
    )
    return ledger.balanced and (gate is None or gate.passed)


def failed_gates(con: duckdb.DuckDBPyConnection) -> list[FailedGate]:
    """Loaded documents whose current parse (same bytes and parser version as the document
    rows) failed the gate or the ledger check, by symbol and language."""
    rows = con.execute(
        "SELECT p.symbol, p.language, p.sha256, p.parser_version, p.gate_coverage, "
        "p.gate_reasons, p.run_id FROM parses p JOIN documents d ON d.symbol = p.symbol "
        "AND d.language = p.language AND d.sha256 = p.sha256 "
        "AND d.parser_version = p.parser_version "
        "WHERE p.gate_passed = false OR p.ledger_balanced = false "
        "ORDER BY p.symbol, p.language"
    ).fetchall()
    return [
        FailedGate(row[0], row[1], row[2], row[3], row[4], tuple(row[5] or ()), row[6])
        for row in rows
    ]


def gate_failures(
    con: duckdb.DuckDBPyConnection, symbols: Sequence[str], language: str
) -> list[str]:
    """Why the current parses of `symbols` in `language` cannot be trusted; empty when
    every one passed (or was never gated)."""
    wanted = set(symbols)
    return [
        f"{failure.symbol} ({failure.language}): text-preservation gate failed: {reason}"
        for failure in failed_gates(con)
        if failure.symbol in wanted and failure.language == language
        for reason in (failure.reasons or ("no reason recorded",))
    ]


def mark_gate_failures(diff: EditionDiff, failures: Sequence[str]) -> EditionDiff:
    """The diff with every event uncertain and the failures among its reasons, when either
    edition failed its gate; unchanged otherwise. An uncertain diff is never mailed as fact."""
    if not failures:
        return diff
    return replace(
        diff,
        events=tuple(replace(event, uncertain=True) for event in diff.events),
        uncertain=True,
        uncertain_reasons=diff.uncertain_reasons
        + tuple(f for f in failures if f not in diff.uncertain_reasons),
    )
