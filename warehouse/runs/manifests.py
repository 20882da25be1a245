"""Run manifests in the warehouse: what each run saw and did, written at its end whether it
failed or not, so an operator can trust (or doubt) a run from one row."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from common.redaction import redact_secrets
from warehouse.db.schema import utc_now
from warehouse.runs.email_states import email_detail, email_state

# Outcomes of a document seen by a run, as the manifest names them.
DOCUMENT_OUTCOMES = (
    "fetched",
    "unchanged",
    "reissued",
    "suspect_absence",
    "skipped",
    "absent",
    "failed",
)


@dataclass(frozen=True)
class SeenDocument:
    """One document a run saw: its key, the hash of the bytes it had, and what happened."""

    symbol: str
    language: str
    sha256: str | None
    outcome: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape stored in `run_manifests.documents`."""
        return {
            "symbol": self.symbol,
            "language": self.language,
            "sha256": self.sha256,
            "outcome": self.outcome,
        }


@dataclass(frozen=True)
class RunManifest:
    """Everything one run accounts for; counts of documents come from `documents`."""

    run_id: str
    status: str
    source: str | None
    documents: tuple[SeenDocument, ...] = ()
    gates_passed: int = 0
    gates_failed: int = 0
    events: int = 0
    emails: int = 0
    email_status: str | None = None
    open_breakers: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()

    def count(self, outcome: str) -> int:
        """How many documents ended with `outcome` (the last word per document counts)."""
        return Counter(self._last_outcomes().values())[outcome]

    def _last_outcomes(self) -> dict[tuple[str, str], str]:
        return {(d.symbol, d.language): d.outcome for d in self.documents}

    def rows(self) -> list[list[str]]:
        """The documents as table rows: symbol, language, outcome, sha256 prefix."""
        return [[d.symbol, d.language, d.outcome, (d.sha256 or "")[:12]] for d in self.documents]

    def headline(self) -> str:
        """One line with every count, for the artifact and the terminal."""
        parts = [f"{outcome} {self.count(outcome)}" for outcome in DOCUMENT_OUTCOMES]
        parts += [
            f"gates passed {self.gates_passed}",
            f"gates failed {self.gates_failed}",
            f"events {self.events}",
            f"emails {self.emails}",
        ]
        return f"run {self.run_id} {self.status}: " + ", ".join(parts)


def store_manifest(
    con: duckdb.DuckDBPyConnection, manifest: RunManifest, now: datetime | None = None
) -> None:
    """Write (or replace) the manifest row of `manifest.run_id`, with every secret setting
    taken out of what its documents, notes and failures quote of a server."""
    detail = email_detail(manifest.email_status)
    # DELETE then INSERT: a third of the cost of DuckDB's INSERT OR REPLACE (see runs.py).
    con.execute("DELETE FROM run_manifests WHERE run_id = ?", [manifest.run_id])
    con.execute(
        "INSERT INTO run_manifests (run_id, status, source, documents, fetched_count, "
        "unchanged_count, reissued_count, suspect_count, skipped_count, failed_count, "
        "gates_passed_count, gates_failed_count, event_count, email_count, email_status, "
        "email_detail, open_breakers, notes, failures, written_at) "
        "VALUES (?, ?, ?, ?::JSON, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::VARCHAR[], "
        "?::VARCHAR[], ?::VARCHAR[], ?)",
        [
            manifest.run_id,
            manifest.status,
            manifest.source,
            redact_secrets(
                json.dumps([d.to_dict() for d in manifest.documents], ensure_ascii=False)
            ),
            manifest.count("fetched") + manifest.count("reissued"),
            manifest.count("unchanged"),
            manifest.count("reissued"),
            manifest.count("suspect_absence"),
            manifest.count("skipped"),
            manifest.count("failed") + manifest.count("absent"),
            manifest.gates_passed,
            manifest.gates_failed,
            manifest.events,
            manifest.emails,
            email_state(manifest.email_status),
            redact_secrets(detail) if detail else detail,
            list(manifest.open_breakers),
            [redact_secrets(note) for note in manifest.notes],
            [redact_secrets(failure) for failure in manifest.failures],
            now or utc_now(),
        ],
    )


def read_manifest(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any] | None:
    """The stored manifest of `run_id` as a dict of its columns (documents parsed), or None."""
    cursor = con.execute("SELECT * FROM run_manifests WHERE run_id = ?", [run_id])
    row = cursor.fetchone()
    if row is None:
        return None
    names = [column[0] for column in cursor.description]
    values = dict(zip(names, row, strict=True))
    values["documents"] = json.loads(values["documents"])
    return values
