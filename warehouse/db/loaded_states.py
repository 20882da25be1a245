"""What the warehouse file holds, read without writing: loaded documents, pending emails.

Each opens the file read-only (so it never blocks an analyst) and answers empty when the
file does not exist yet.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.db.schema import connect

# (symbol, language) -> (sha256, parser version) of a loaded document.
LoadedStates = dict[tuple[str, str], tuple[str, str]]


def loaded_states(db: Path) -> LoadedStates:
    """(symbol, language) -> (sha256, parser version) of every document already loaded."""
    if not db.exists():
        return {}
    con = connect(db, read_only=True)
    try:
        return states_on(con)
    finally:
        con.close()


def states_on(con: duckdb.DuckDBPyConnection) -> LoadedStates:
    """`loaded_states` through a connection the caller holds."""
    rows = con.execute("SELECT symbol, language, sha256, parser_version FROM documents").fetchall()
    return {(symbol, language): (sha, version) for symbol, language, sha, version in rows}


def pending_count(db: Path) -> int:
    """How many emails the outbox of the warehouse at `db` still holds to send."""
    if not db.exists():
        return 0
    con = connect(db, read_only=True)
    try:
        row = con.execute("SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()
    finally:
        con.close()
    return int(row[0]) if row else 0


def has_pending(db: Path) -> bool:
    """Whether the outbox of the warehouse at `db` holds a digest still to send."""
    return pending_count(db) > 0
