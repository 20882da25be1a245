"""The DuckDB storage version the warehouse file is written in, chosen so that analysts open it
with the DuckDB they have (1.1 and later), not only with the DuckDB CoopWatch runs."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

# Given to DuckDB when it creates a file. DuckDB 2.0 writes such a file in storage format 64
# (it reports the tag "v1.0.0+"), which every DuckDB from 1.0 on reads; 1.1 is what the
# project promises and checks (tests/test_warehouse_old_duckdb.py opens the file with 1.1.3
# and the newest 1.x). A later DuckDB keeps writing an existing file in its own format.
STORAGE_VERSION = "v1.1.0"
READABLE_FROM = "1.1"
_TAG = re.compile(r"v(\d+)\.(\d+)\.(\d+)\+?")
_STAGING_ALIAS = "coopwatch_storage_copy"


def file_storage_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The storage version tag of the connection's database file ('v1.0.0+'), None in memory."""
    rows = con.execute(
        "SELECT tags['storage_version'] FROM duckdb_databases() "
        "WHERE database_name = current_database()"
    ).fetchall()
    return str(rows[0][0]) if rows and rows[0][0] is not None else None


def _version(text: str) -> tuple[int, int, int] | None:
    match = _TAG.fullmatch(text.strip())
    return None if match is None else (int(match[1]), int(match[2]), int(match[3]))


def is_readable_by_promise(tag: str | None) -> bool:
    """Whether a file of storage tag `tag` opens in DuckDB READABLE_FROM (an unknown tag: no)."""
    version = _version(tag) if tag else None
    promised = _version(STORAGE_VERSION)
    return version is not None and promised is not None and version <= promised


def storage_summary(tag: str | None) -> str:
    """One line for `coopwatch status`: the file's storage version and which DuckDB opens it."""
    if tag is None:
        return "storage version unknown"
    if is_readable_by_promise(tag):
        return f"DuckDB storage {tag}, opens in DuckDB {READABLE_FROM} and later"
    return (
        f"DuckDB storage {tag}, opens only in DuckDB {tag.strip('v+')} and later; "
        f"the next run that writes it rewrites it for DuckDB {READABLE_FROM} and later"
    )


def copy_rewritten(source: duckdb.DuckDBPyConnection, target: Path) -> None:
    """Copy the database `source` is connected to into a new file `target` written in
    STORAGE_VERSION: tables, views, sequences (with their values) and comments alike."""
    (name,) = source.execute("SELECT current_database()").fetchall()[0]
    source.execute(
        f"ATTACH '{_quoted(target)}' AS {_STAGING_ALIAS} "
        f"(STORAGE_VERSION '{STORAGE_VERSION}', READ_WRITE)"
    )
    try:
        source.execute(f'COPY FROM DATABASE "{name}" TO {_STAGING_ALIAS}')
    finally:
        source.execute(f"DETACH {_STAGING_ALIAS}")


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
