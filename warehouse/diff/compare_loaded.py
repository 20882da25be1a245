"""Diff what a load changed: reissues against their previous version, consecutive editions
with a touched side; the diffs and similarities are stored and those that reach readers
are returned, so any command (a run, a reparse, a rebuild) diffs the same way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from extractors.model import Report
from extractors.report.editions import series_of
from warehouse.diff.change_events import EditionDiff
from warehouse.diff.diff_store import store_diff, store_diffs
from warehouse.diff.diff_text import format_diff_table
from warehouse.diff.edition_diff import diff_editions
from warehouse.diff.similarity import EditionSimilarity, compare_editions, store_similarities
from warehouse.load.ledger import gate_failures, mark_gate_failures
from warehouse.load.read_back import EditionRow, list_editions, read_report
from warehouse.load.rederive import as_reissue
from warehouse.load.run_loader import Loaded
from warehouse.runs.run_account import RunSummary


@dataclass(frozen=True)
class ToMail:
    """A diff that reaches readers: its static report is written and its digests queued (with
    the editions' `similarity` when given)."""

    diff: EditionDiff
    language: str
    similarity: EditionSimilarity | None = None


@dataclass(frozen=True)
class Compared:
    """What diffing a run's touched editions found: its account and the diffs to mail."""

    account: RunSummary
    to_mail: tuple[ToMail, ...] = ()


def _diff_reissue(
    con: duckdb.DuckDBPyConnection,
    before: Report,
    after: Report,
    run_id: str,
) -> Compared:
    """Diff a reissued document against its previous version; events labelled as a reissue,
    stored under the pair (symbol, symbol) and mailed unless a gate failed."""
    diff = as_reissue(diff_editions(before, after))
    if not diff.changed_events:
        return Compared(RunSummary(run_id=run_id))
    failures = gate_failures(con, [after.symbol], after.language)
    diff = mark_gate_failures(diff, failures)
    store_diff(con, diff, run_id=run_id)
    events = len(diff.changed_events)
    account = RunSummary(run_id=run_id, tallies=(("change_events", events),))
    account = account.with_count("reissue_events", events)
    return Compared(account, () if failures else (ToMail(diff, after.language),))


def compare_touched_editions(
    con: duckdb.DuckDBPyConnection,
    language: str,
    new: set[tuple[str, str]],
    rederived: set[tuple[str, str]],
    run_id: str,
) -> Compared:
    """Diff each pair of consecutive editions of one series (`series_of`) where one side is new
    or was re-derived with another content; store the diffs and similarities (all pairs in
    one transaction), and mail only the pair that reaches its series' newest edition, when it has a new side and its gates
    passed."""
    account = RunSummary(run_id=run_id)
    to_mail: list[ToMail] = []
    chains: dict[str, list[EditionRow]] = {}
    for edition in list_editions(con, language):
        chains.setdefault(series_of(edition.symbol), []).append(edition)
    newest = {chain[-1].symbol for chain in chains.values()}
    touched = [
        (older, newer)
        for chain in chains.values()
        for older, newer in zip(chain, chain[1:], strict=False)
        if {(older.symbol, language), (newer.symbol, language)} & (new | rederived)
    ]
    compared = _compare_pairs(con, language, [(o.symbol, n.symbol) for o, n in touched])
    store_diffs(con, [pair.diff for pair in compared], run_id=run_id)
    store_similarities(con, [pair.similarity for pair in compared], run_id=run_id)
    for (older, newer), pair in zip(touched, compared, strict=True):
        account = account.with_diff(format_diff_table(pair.diff))
        if (older.symbol, language) not in new and (newer.symbol, language) not in new:
            account = account.with_note(
                f"{older.symbol} -> {newer.symbol} ({language}) diffed again after a "
                "re-derivation: stored, not mailed"
            )
            continue
        account = account.with_count("change_events", len(pair.diff.changed_events))
        if newer.symbol not in newest:
            # A backfill diffs every pair it touches, but readers get one digest: the
            # changes that reached the newest edition.
            account = account.with_note(
                f"{older.symbol} -> {newer.symbol} ({language}): stored; only the newest "
                "edition's changes are mailed"
            )
            continue
        if pair.gate_failures:
            account = account.with_note(
                f"{older.symbol} -> {newer.symbol} ({language}): no digest, a gate failed"
            )
            continue
        to_mail.append(ToMail(pair.diff, language, pair.similarity))
    return Compared(account, tuple(to_mail))


@dataclass(frozen=True)
class ComparedPair:
    """Two consecutive editions compared: the diff (uncertain when a gate failed), the
    similarity, and the gate failures of either side."""

    diff: EditionDiff
    similarity: EditionSimilarity
    gate_failures: list[str]


def _compare_pairs(
    con: duckdb.DuckDBPyConnection, language: str, pairs: Sequence[tuple[str, str]]
) -> list[ComparedPair]:
    """Diff and compare each (older, newer) pair, reading each edition once."""
    reports: dict[str, Report] = {}

    def report_of(symbol: str) -> Report:
        if symbol not in reports:
            reports[symbol] = read_report(con, symbol, language)
        return reports[symbol]

    compared = []
    for older, newer in pairs:
        old_report, new_report = report_of(older), report_of(newer)
        failures = gate_failures(con, [older, newer], language)
        compared.append(
            ComparedPair(
                diff=mark_gate_failures(diff_editions(old_report, new_report), failures),
                similarity=compare_editions(old_report, new_report),
                gate_failures=failures,
            )
        )
    return compared


def compare_loaded(con: duckdb.DuckDBPyConnection, run_id: str, loaded: Loaded) -> Compared:
    """Diff what the load changed: each content-changing reissue against its previous
    version, then every pair of consecutive editions with a touched side; store the diffs
    and say which reach readers."""
    found = [_diff_reissue(con, before, after, run_id) for before, after in loaded.reissues]
    touched = loaded.new | loaded.rederived
    found += [
        compare_touched_editions(con, language, set(loaded.new), set(loaded.rederived), run_id)
        for language in sorted({language for _, language in touched})
    ]
    account = RunSummary(run_id=run_id).plus(*(part.account for part in found))
    return Compared(account, tuple(mail for part in found for mail in part.to_mail))
