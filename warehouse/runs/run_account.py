"""What a run did and what it parsed: the values its tasks return and its flow folds.

`RunSummary` is the run's account for the terminal, the `runs` table, the manifest and the
Prefect artifact; `Parsed` pairs a fetched edition with its derivation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple

from extractors.derive import DerivedReport
from extractors.fetch.sources import FetchedDocument
from extractors.gate import GateResult
from extractors.model import Report
from warehouse.runs.manifests import RunManifest, SeenDocument


@dataclass(frozen=True)
class RunSummary:
    """What a run did, for the terminal, the `runs` table and the Prefect artifact.

    An immutable value: each step returns the account of its own part (a `RunSummary`
    without a run id), and the flow folds them with `plus` into the run's account. The
    `with_*` methods return a new account with one more fact; none changes this one.
    """

    run_id: str = ""
    tallies: tuple[tuple[str, int], ...] = ()
    diffs: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    email_status: str = "none"
    documents: tuple[SeenDocument, ...] = ()
    open_breakers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Sequences given as lists are kept as tuples, so no holder can change them later.
        for name in ("tallies", "diffs", "failures", "notes", "documents", "open_breakers"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @property
    def counts(self) -> dict[str, int]:
        """How many of each thing the run counted (a fresh dict: changing it changes nothing)."""
        return dict(self.tallies)

    @property
    def failed(self) -> bool:
        """Whether anything in the run failed."""
        return bool(self.failures)

    def plus(self, *others: RunSummary) -> RunSummary:
        """This account with the others' folded in: counts added, lists joined, the last
        email status said, open breakers named once."""
        counts = self.counts
        result = self
        for other in others:
            for name, value in other.tallies:
                counts[name] = counts.get(name, 0) + value
            result = replace(
                result,
                diffs=result.diffs + other.diffs,
                failures=result.failures + other.failures,
                notes=result.notes + other.notes,
                documents=result.documents + other.documents,
                email_status=(
                    other.email_status if other.email_status != "none" else result.email_status
                ),
                open_breakers=tuple(dict.fromkeys(result.open_breakers + other.open_breakers)),
            )
        return replace(result, tallies=tuple(counts.items()))

    def with_count(self, name: str, by: int = 1) -> RunSummary:
        """This account with `by` more of `name` counted."""
        return self.plus(RunSummary(tallies=((name, by),)))

    def with_document(
        self, symbol: str, language: str, sha256: str | None, outcome: str
    ) -> RunSummary:
        """This account with a document the run saw, for the manifest (a later word on it
        overrides)."""
        seen = SeenDocument(symbol, language, sha256, outcome)
        return replace(self, documents=(*self.documents, seen))

    def with_note(self, *notes: str) -> RunSummary:
        """This account with more notes for the run's report."""
        return replace(self, notes=self.notes + notes)

    def with_failure(self, *failures: str) -> RunSummary:
        """This account with more failures (a run with any fails at the end)."""
        return replace(self, failures=self.failures + failures)

    def with_diff(self, table: str) -> RunSummary:
        """This account with one more diff table for the run's report."""
        return replace(self, diffs=(*self.diffs, table))

    def with_email_status(self, status: str) -> RunSummary:
        """This account with how the run's email went."""
        return replace(self, email_status=status)

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
