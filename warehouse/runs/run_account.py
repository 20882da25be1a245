"""What a run did and what it parsed: the values its tasks return and its flow folds.

`RunSummary` is the run's account for the terminal, the `runs` table, the manifest and the
Prefect artifact; `Parsed` pairs a fetched edition with its derivation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from extractors.derive import DerivedReport
from extractors.fetch.sources import FetchedDocument
from extractors.gate import GateResult
from extractors.model import Report
from warehouse.runs.manifests import RunManifest, SeenDocument


@dataclass
class RunSummary:
    """What a run did, for the terminal, the `runs` table and the Prefect artifact."""

    run_id: str
    counts: dict[str, int] = field(default_factory=dict)
    diffs: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    email_status: str = "none"
    documents: list[SeenDocument] = field(default_factory=list)
    open_breakers: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        """Whether anything in the run failed."""
        return bool(self.failures)

    def absorb(self, other: RunSummary) -> None:
        """Fold what a task returned (its own account of its part of the run) into this one."""
        for name, value in other.counts.items():
            self.count(name, value)
        self.diffs.extend(other.diffs)
        self.failures.extend(other.failures)
        self.notes.extend(other.notes)
        self.documents.extend(other.documents)
        if other.email_status != "none":
            self.email_status = other.email_status
        self.open_breakers = tuple(dict.fromkeys(self.open_breakers + other.open_breakers))

    def count(self, name: str, by: int = 1) -> None:
        """Add to one of the run's counters."""
        self.counts[name] = self.counts.get(name, 0) + by

    def see(self, symbol: str, language: str, sha256: str | None, outcome: str) -> None:
        """Note a document the run saw, for the manifest (a later word on it overrides)."""
        self.documents.append(SeenDocument(symbol, language, sha256, outcome))

    def manifest(self, status: str, source: str | None) -> RunManifest:
        """The run's manifest as it stands: documents seen, gates, events, emails."""
        last = {(d.symbol, d.language): d for d in self.documents}
        return RunManifest(
            run_id=self.run_id,
            status=status,
            source=source,
            documents=tuple(last.values()),
            gates_passed=self.counts.get("gates_passed", 0),
            gates_failed=self.counts.get("gates_failed", 0),
            events=self.counts.get("change_events", 0),
            emails=self.counts.get("digests_queued", 0),
            email_status=self.email_status,
            open_breakers=self.open_breakers,
            notes=tuple(self.notes),
            failures=tuple(self.failures),
        )

    def render(self, max_diffs: int | None = None) -> str:
        """A short plain-text account of the run; with `max_diffs`, only the last that many
        diff tables (a backfill diffs every pair of editions it loads)."""
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items())) or "nothing to do"
        lines = [f"CoopWatch run {self.run_id}: {counts}; email: {self.email_status}"]
        shown = self.diffs if max_diffs is None else self.diffs[len(self.diffs) - max_diffs :]
        if len(shown) < len(self.diffs):
            lines.append(
                f"({len(self.diffs) - len(shown)} earlier diff tables not shown here: "
                "`coopwatch diff OLD NEW` prints any pair, the `change_events` table holds them all)"
            )
        lines += shown
        lines += [f"NOTE: {note}" for note in self.notes]
        lines += [f"FAILED: {failure}" for failure in self.failures]
        return "\n".join(lines)


class Parsed(NamedTuple):
    """A fetched document and what `extractors.derive.derive_document` made of it."""

    document: FetchedDocument
    derived: DerivedReport

    @property
    def report(self) -> Report:
        """The enriched parse."""
        return self.derived.report

    @property
    def gate(self) -> GateResult | None:
        """The text-preservation gate's verdict on the parse (always run for a fetch)."""
        return self.derived.gate
