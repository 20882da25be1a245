"""When a document is derived again (reissued bytes, a new parser version), what changed in
its derived rows, and the reissue's own diff, labelled as such.

Both sides are read back from the warehouse (`warehouse.load.read_back.read_report`), so a comparison
sees exactly what analysts and the diffs see, whatever the parser's in-memory extras.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import duckdb

from extractors.model import Report
from warehouse.diff.change_events import EditionDiff
from warehouse.diff.snapshot import snapshot
from warehouse.load.loader import DERIVED_TABLES


def content_of(report: Report) -> dict[str, Any]:
    """What a diff and a reader see of a document: its snapshot (units and their
    paragraphs) and the text of its paragraphs, sections and chapters."""
    return {
        "snapshot": snapshot(report),
        "paragraphs": [(p.number, p.text) for p in report.paragraphs],
        "sections": [s.heading for s in report.sections],
        "chapters": [c.title for c in report.chapters],
    }


def same_content(before: Report, after: Report) -> bool:
    """True when re-deriving changed nothing a diff or a reader could see."""
    return content_of(before) == content_of(after)


def content_changes(before: Report, after: Report) -> list[str]:
    """What changed between two derivations, one short line per kind of change."""
    old, new = content_of(before), content_of(after)
    changes = []
    old_paragraphs, new_paragraphs = dict(old["paragraphs"]), dict(new["paragraphs"])
    edited = sum(
        1 for n, text in new_paragraphs.items() if n in old_paragraphs and old_paragraphs[n] != text
    )
    added = len(new_paragraphs.keys() - old_paragraphs.keys())
    removed = len(old_paragraphs.keys() - new_paragraphs.keys())
    if edited or added or removed:
        changes.append(f"paragraphs: {edited} edited, {added} added, {removed} removed")
    if old["sections"] != new["sections"]:
        changes.append(f"sections: {len(old['sections'])} -> {len(new['sections'])} headings")
    if old["chapters"] != new["chapters"]:
        changes.append(f"chapters: {len(old['chapters'])} -> {len(new['chapters'])} titles")
    for unit, values in new["snapshot"].items():
        if values != old["snapshot"].get(unit):
            changes.append(f"{unit}: changed")
    return changes


def derived_counts(con: duckdb.DuckDBPyConnection, symbol: str, language: str) -> dict[str, int]:
    """Rows each derived table holds for one document."""
    return {
        table: con.execute(
            f"SELECT count(*) FROM {table} WHERE symbol = ? AND language = ?", [symbol, language]
        ).fetchall()[0][0]
        for table in DERIVED_TABLES
    }


def as_reissue(diff: EditionDiff) -> EditionDiff:
    """The diff of a document against its previous version, every event labelled reissue."""
    return replace(diff, events=tuple(replace(event, reissue=True) for event in diff.events))
