"""Open the DuckDB warehouse and bring its schema up to date.

The schema lives in SQL files beside this module: schema.sql (version 1), numbered forward
migrations in migrations/ (logged in `schema_migrations`) and the views of views.sql and
analyst_views.sql (recreated when they change). Applying them is idempotent, so every writer simply calls `connect`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from common.errors import SchemaVersionError
from warehouse.db.storage_format import STORAGE_VERSION

SQL_DIR = Path(__file__).parent
_MIGRATION_NAME = re.compile(r"(\d{4})_[a-z0-9_]+\.sql")


@dataclass(frozen=True)
class Migration:
    """One schema version: its number, the file that defines it and its SQL."""

    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """Every schema version in order: schema.sql as version 1, then migrations/NNNN_*.sql."""
    found = [Migration(1, "schema.sql", (SQL_DIR / "schema.sql").read_text(encoding="utf-8"))]
    for path in sorted((SQL_DIR / "migrations").glob("*.sql")):
        match = _MIGRATION_NAME.fullmatch(path.name)
        if match is None:
            raise SchemaVersionError(f"{path}: migration files are named NNNN_name.sql")
        found.append(Migration(int(match.group(1)), path.name, path.read_text(encoding="utf-8")))
    versions = [migration.version for migration in found]
    if versions != list(range(1, len(found) + 1)):
        raise SchemaVersionError(
            f"{SQL_DIR / 'migrations'}: versions are not 2, 3, ...: {versions}"
        )
    return found


SCHEMA_VERSION: int = migrations()[-1].version


def utc_now() -> datetime:
    """The current time in UTC as a naive datetime, the form stored in TIMESTAMP columns."""
    return datetime.now(UTC).replace(tzinfo=None)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version recorded in the file (0 for a file without the CoopWatch schema)."""
    (has_log,) = con.execute(
        "SELECT count(*) FROM duckdb_tables() "
        "WHERE schema_name = 'main' AND table_name = 'schema_migrations'"
    ).fetchall()[0]
    if not has_log:
        return 0
    (version,) = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchall()[
        0
    ]
    return int(version)


def apply_schema(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the migrations the file lacks, each in its own transaction, then refresh the views.

    Returns the number of migrations applied. A file from a newer CoopWatch is refused.
    """
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"warehouse schema version {current} is newer than this CoopWatch ({SCHEMA_VERSION})"
        )
    applied = 0
    for migration in migrations():
        if migration.version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [migration.version, migration.name, utc_now()],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied += 1
    _refresh_views(con)
    return applied


# Applied in this order: a later file's views may read an earlier file's.
VIEW_FILES = ("views.sql", "analyst_views.sql")


def _views_checksum() -> tuple[str, str]:
    """The view files' SQL and its checksum, as recorded in schema_state once applied."""
    sql = "\n".join((SQL_DIR / name).read_text(encoding="utf-8") for name in VIEW_FILES)
    return sql, hashlib.sha256(sql.encode("utf-8")).hexdigest()


def _applied_views(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = con.execute("SELECT value FROM schema_state WHERE key = 'views_sha256'").fetchall()
    return str(rows[0][0]) if rows else None


def schema_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the file already has every migration and the current views (nothing to apply)."""
    return schema_version(con) == SCHEMA_VERSION and _applied_views(con) == _views_checksum()[1]


def _refresh_views(con: duckdb.DuckDBPyConnection) -> None:
    """Recreate the views when the view files differ from those applied (checksum in schema_state)."""
    sql, checksum = _views_checksum()
    if _applied_views(con) == checksum:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(sql)
        con.execute("INSERT OR REPLACE INTO schema_state VALUES ('views_sha256', ?)", [checksum])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def writer_config() -> dict[str, str | bool]:
    """The configuration of every writable connection on a warehouse file (one, so two in a
    process never clash): a new file is written in the storage version DuckDB 1.1 reads."""
    # Inserts scan an Arrow table from the caller's locals (warehouse/db/columns.py); looking
    # through every frame keeps that working when the connection is wrapped (a tracer).
    return {"python_scan_all_frames": True, "storage_compatibility_version": STORAGE_VERSION}


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse at `path`; a writable connection gets the schema applied first.

    A read-only connection never writes, so it is safe on a file analysts share; it fails
    with FileNotFoundError when the file does not exist. A new file is written in the storage
    version of `storage_format.STORAGE_VERSION`; an existing one keeps its own.
    """
    path = Path(path)
    if read_only:
        if not path.exists():
            raise FileNotFoundError(f"{path}: no warehouse file")
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), config=writer_config())
    try:
        apply_schema(con)
    except BaseException:
        con.close()
        raise
    return con


def tune_for_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Let a staging copy's commits skip fsync: the copy is private to its run and is
    fsynced whole before it replaces the warehouse, so per-commit durability buys nothing
    (a crashed run discards the copy) and cost ~4 ms per loaded document."""
    con.execute("SET fsync_mode = 'NONE'")


def user_objects(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(name, 'table' | 'view') of every table and view of the warehouse, tables first, by name."""
    rows = con.execute(
        "SELECT table_name, 'table' FROM duckdb_tables() "
        "WHERE schema_name = 'main' AND NOT internal AND NOT temporary "
        "UNION ALL "
        "SELECT view_name, 'view' FROM duckdb_views() "
        "WHERE schema_name = 'main' AND NOT internal AND NOT temporary "
        "ORDER BY 2, 1"
    ).fetchall()
    return [(str(name), str(kind)) for name, kind in rows]
