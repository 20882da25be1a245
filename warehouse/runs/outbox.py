"""The outbox: one row per change set to mail, moving pending -> sent, or pending -> failed
after too many attempts, so a digest is never lost and never queued twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import duckdb

from common.redaction import redact_secrets
from warehouse.db.schema import utc_now

MAX_ATTEMPTS = 5
COLUMNS = (
    "change_set_id, old_symbol, new_symbol, subject, body_text, body_html, recipients, "
    "status, attempts, last_error, created_at, sent_at, run_id"
)


class Queueable(Protocol):
    """What the outbox stores of a digest (notify.digest.Digest satisfies it)."""

    subject: str
    text: str
    change_set_id: str

    @property
    def stored_html(self) -> str:
        """The HTML part as stored, images inlined."""


@dataclass(frozen=True)
class OutboxRow:
    """One queued email as stored in the `outbox` table."""

    change_set_id: str
    old_symbol: str | None
    new_symbol: str | None
    subject: str
    body_text: str
    body_html: str
    recipients: tuple[str, ...]
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    run_id: str | None


def _row(values: Sequence) -> OutboxRow:
    recipients = tuple(r.strip() for r in (values[6] or "").split(",") if r.strip())
    return OutboxRow(*values[:6], recipients, *values[7:])


def enqueue(
    con: duckdb.DuckDBPyConnection,
    digest: Queueable,
    *,
    old_symbol: str | None,
    new_symbol: str | None,
    recipients: list[str],
    run_id: str,
    now: datetime | None = None,
) -> bool:
    """Queue a digest as pending; False (and nothing written) when its change set is
    already in the outbox, whatever its status, so it is never sent twice."""
    inserted = con.execute(
        f"INSERT INTO outbox ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, NULL, ?, "
        "NULL, ?) ON CONFLICT DO NOTHING RETURNING change_set_id",
        [
            digest.change_set_id,
            old_symbol,
            new_symbol,
            digest.subject,
            digest.text,
            digest.stored_html,
            ",".join(recipients),
            now or utc_now(),
            run_id,
        ],
    ).fetchall()
    return bool(inserted)


def get(con: duckdb.DuckDBPyConnection, change_set_id: str) -> OutboxRow | None:
    """The outbox row of a change set, or None."""
    rows = con.execute(
        f"SELECT {COLUMNS} FROM outbox WHERE change_set_id = ?", [change_set_id]
    ).fetchall()
    return _row(rows[0]) if rows else None


def pending(con: duckdb.DuckDBPyConnection) -> list[OutboxRow]:
    """Rows still to send, oldest first."""
    rows = con.execute(
        f"SELECT {COLUMNS} FROM outbox WHERE status = 'pending' ORDER BY created_at, change_set_id"
    ).fetchall()
    return [_row(r) for r in rows]


def mark_sent(con: duckdb.DuckDBPyConnection, change_set_id: str, when: datetime) -> bool:
    """Record a delivery; only a pending row moves, so False means someone else sent it."""
    moved = con.execute(
        "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, "
        "last_error = NULL WHERE change_set_id = ? AND status = 'pending' RETURNING change_set_id",
        [when, change_set_id],
    ).fetchall()
    return bool(moved)


def mark_failed(
    con: duckdb.DuckDBPyConnection,
    change_set_id: str,
    error: str,
    *,
    max_attempts: int = MAX_ATTEMPTS,
) -> str | None:
    """Count a failed attempt; the row stays pending until `max_attempts`, then is 'failed'.
    Returns the new status (None when the row is not pending). `error` must be redacted of
    the SMTP session's own secrets; every secret setting is taken out here too."""
    error = redact_secrets(error)
    rows = con.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?, "
        "status = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'pending' END "
        "WHERE change_set_id = ? AND status = 'pending' RETURNING status",
        [error, max_attempts, change_set_id],
    ).fetchall()
    return rows[0][0] if rows else None
