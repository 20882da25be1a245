"""Store edition diffs: each pair's summary row, change events and redlines.

All the pairs of a run go in one transaction with one statement per table: a backfill of a
hundred editions stores its 99 diffs per language in the time one used to take.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from warehouse.db.columns import Column, Transaction, insert_columns
from warehouse.db.schema import utc_now
from warehouse.diff.change_events import ChangeEvent, EditionDiff, Redline

_PAIR_TABLES = ("edition_diffs", "change_events", "redlines")


def store_diff(con: duckdb.DuckDBPyConnection, diff: EditionDiff, *, run_id: str) -> None:
    """Replace what is stored for the pair (diff.old, diff.new)."""
    store_diffs(con, [diff], run_id=run_id)


def store_diffs(
    con: duckdb.DuckDBPyConnection, diffs: Sequence[EditionDiff], *, run_id: str
) -> None:
    """Replace what is stored for each diff's pair of editions, all in one transaction; of
    two diffs of one pair, the later is kept."""
    latest = list({(diff.old, diff.new): diff for diff in diffs}.values())
    if not latest:
        return
    olds = [diff.old for diff in latest]
    news = [diff.new for diff in latest]
    events = [(diff, index, event) for diff in latest for index, event in enumerate(diff.events)]
    redlines = [(diff, index, line) for diff in latest for index, line in enumerate(diff.redlines)]
    with Transaction(con):
        for table in _PAIR_TABLES:
            con.execute(
                f"DELETE FROM {table} USING (SELECT unnest($1::VARCHAR[]) AS old_symbol, "
                "unnest($2::VARCHAR[]) AS new_symbol) AS pair "
                f"WHERE {table}.old_symbol = pair.old_symbol "
                f"AND {table}.new_symbol = pair.new_symbol",
                [olds, news],
            )
        insert_columns(
            con,
            "edition_diffs",
            {
                "old_symbol": Column("VARCHAR", olds),
                "new_symbol": Column("VARCHAR", news),
                "is_uncertain": Column("BOOLEAN", [d.uncertain for d in latest]),
                "uncertain_reasons": Column(
                    "VARCHAR[]", [list(d.uncertain_reasons) for d in latest]
                ),
                "event_count": Column("INTEGER", [len(d.events) for d in latest]),
                "changed_count": Column("INTEGER", [len(d.changed_events) for d in latest]),
            },
            {"run_id": run_id, "stored_at": utc_now()},
        )
        insert_columns(con, "change_events", _event_columns(events), {"run_id": run_id})
        insert_columns(con, "redlines", _redline_columns(redlines), {"run_id": run_id})


def _event_columns(events: list[tuple[EditionDiff, int, ChangeEvent]]) -> dict[str, Column]:
    """The rows of `change_events` (each diff's events in order), column-wise."""
    return {
        "old_symbol": Column("VARCHAR", [d.old for d, _, _ in events]),
        "new_symbol": Column("VARCHAR", [d.new for d, _, _ in events]),
        "event_index": Column("INTEGER", [i for _, i, _ in events]),
        "kind": Column("VARCHAR", [e.kind for _, _, e in events]),
        "subject": Column("VARCHAR", [e.subject for _, _, e in events]),
        "change": Column("VARCHAR", [e.change for _, _, e in events]),
        "family": Column("VARCHAR", [e.family for _, _, e in events]),
        "change_detail": Column("VARCHAR", [e.change_detail for _, _, e in events]),
        "old_count": Column("INTEGER", [e.old_count for _, _, e in events]),
        "new_count": Column("INTEGER", [e.new_count for _, _, e in events]),
        "old_words": Column("INTEGER", [e.old_words for _, _, e in events]),
        "new_words": Column("INTEGER", [e.new_words for _, _, e in events]),
        "evidence_old": Column("INTEGER[]", [list(e.evidence_old) for _, _, e in events]),
        "evidence_new": Column("INTEGER[]", [list(e.evidence_new) for _, _, e in events]),
        "name": Column("VARCHAR", [e.name for _, _, e in events]),
        "old_name": Column("VARCHAR", [e.old_name for _, _, e in events]),
        "detail": Column("VARCHAR", [e.detail for _, _, e in events]),
        "is_uncertain": Column("BOOLEAN", [e.uncertain for _, _, e in events]),
        "is_reissue": Column("BOOLEAN", [e.reissue for _, _, e in events]),
        "area_level": Column("VARCHAR", [e.level for _, _, e in events]),
        "score": Column("DOUBLE", [e.score for _, _, e in events]),
        "is_material": Column("BOOLEAN", [e.material for _, _, e in events]),
        "old_share": Column("DOUBLE", [e.old_share for _, _, e in events]),
        "new_share": Column("DOUBLE", [e.new_share for _, _, e in events]),
        "old_word_share": Column("DOUBLE", [e.old_word_share for _, _, e in events]),
        "new_word_share": Column("DOUBLE", [e.new_word_share for _, _, e in events]),
        "phrases_old": Column("VARCHAR[]", [list(e.phrases_old) for _, _, e in events]),
        "phrases_new": Column("VARCHAR[]", [list(e.phrases_new) for _, _, e in events]),
        "organization_ids": Column("VARCHAR[]", [list(e.organizations) for _, _, e in events]),
    }


def _redline_columns(redlines: list[tuple[EditionDiff, int, Redline]]) -> dict[str, Column]:
    """The rows of `redlines` (each diff's redlines in order), column-wise."""
    return {
        "old_symbol": Column("VARCHAR", [d.old for d, _, _ in redlines]),
        "new_symbol": Column("VARCHAR", [d.new for d, _, _ in redlines]),
        "redline_index": Column("INTEGER", [i for _, i, _ in redlines]),
        "organization_id": Column("VARCHAR", [r.organization for _, _, r in redlines]),
        "added": Column("VARCHAR[]", [list(r.added) for _, _, r in redlines]),
        "removed": Column("VARCHAR[]", [list(r.removed) for _, _, r in redlines]),
        "moved": Column("VARCHAR[]", [list(r.moved) for _, _, r in redlines]),
    }
