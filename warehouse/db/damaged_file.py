"""A warehouse file DuckDB cannot read, told as one line a person can act on.

A truncated or overwritten file made `status`, `notify` and `export` end in a 48-line
traceback; the cause is the file, and the remedy is a backup or `coopwatch rebuild`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from common.errors import CoopWatchError

# What DuckDB says of a file it cannot read as a database (its own wording, 1.x).
DAMAGE_SIGNS = (
    "not a valid DuckDB database file",
    "Could not read enough bytes",
    "Corrupt database file",
    "database file is corrupted",
    "checksum",
    "Serialization Error",
    "Failed to load metadata",
)
LOCK_SIGN = "Could not set lock on file"


class DamagedWarehouse(CoopWatchError):
    """The warehouse file is not a readable DuckDB database."""


def as_user_error(error: BaseException, db_path: Path) -> CoopWatchError | None:
    """The one-line error a person sees for a DuckDB error about the warehouse file, or None
    when the error says nothing about the file (a fault of the code, kept whole)."""
    if not isinstance(error, duckdb.Error):
        return None
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if LOCK_SIGN in str(error):
        return CoopWatchError(f"the warehouse file {db_path} is held by another process: {text}")
    if isinstance(error, duckdb.SerializationException) or any(
        sign.lower() in str(error).lower() for sign in DAMAGE_SIGNS
    ):
        return DamagedWarehouse(
            f"the warehouse file {db_path} is damaged: {text}; restore it or `coopwatch rebuild`"
        )
    return None
