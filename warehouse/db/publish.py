"""Reader-safe publishing: a run writes into a staging copy that replaces the warehouse at once.

Analysts keep read-only connections on `data/coopwatch.duckdb` while the nightly run works:
they hold the old file (inode) until they reconnect, never block the run and never see a
half-loaded state. A failed or killed run leaves the previous file exactly as it was.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

import duckdb

from warehouse.db.loaded_states import LoadedStates, loaded_states, states_on
from warehouse.db.schema import connect, schema_is_current, tune_for_staging, writer_config
from warehouse.db.storage_format import copy_rewritten, file_storage_version, is_readable_by_promise


def staging_path(db_path: Path) -> Path:
    """The staging file of a warehouse: beside it, so os.replace stays on one file system."""
    return db_path.with_name(db_path.name + ".staging")


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


@contextmanager
def _writer_lock(db_path: Path) -> Iterator[None]:
    """Serialize staged runs on one warehouse, so an overlapping run never publishes over another."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _copy_consistent(db_path: Path, staging: Path) -> None:
    """Copy the warehouse (and a WAL left by a crashed writer) while holding a read-only handle.

    The read-only connection takes DuckDB's shared lock, so no writer can change the file
    during the copy; it fails at once if a writer holds the file open. A file in a storage
    version older DuckDBs cannot read (written before CoopWatch chose one) is rewritten into
    the staging copy in the chosen version instead of copied byte for byte.
    """
    guard = duckdb.connect(str(db_path), read_only=True)
    try:
        if is_readable_by_promise(file_storage_version(guard)):
            shutil.copyfile(db_path, staging)
            if _wal(db_path).exists():
                shutil.copyfile(_wal(db_path), _wal(staging))
        else:
            copy_rewritten(guard, staging)
    finally:
        guard.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def staged(db_path: Path | str, *, fresh: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a staging copy of `db_path`; publish it only if the block succeeds.

    With `fresh`, the staging file starts empty (a rebuild) instead of as a copy. On a clean exit: CHECKPOINT, close, and os.replace the copy into place. On an exception:
    close, delete the copy and re-raise, leaving the previous file byte for byte as it was.
    """
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_path(db_path)
    with _writer_lock(db_path):
        _remove(staging, _wal(staging))
        try:
            if db_path.exists() and not fresh:
                _copy_consistent(db_path, staging)
            con = connect(staging)
            tune_for_staging(con)
        except BaseException:
            _remove(staging, _wal(staging))
            raise
        try:
            yield con
            con.execute("CHECKPOINT")
        except BaseException:
            con.close()
            _remove(staging, _wal(staging))
            raise
        con.close()
        _fsync(staging)
        # The staging copy already holds whatever a stale WAL of the old file carried.
        _remove(_wal(db_path))
        os.replace(staging, db_path)
        _fsync(db_path.parent)


@contextmanager
def written(db_path: Path | str, *, copy: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection for one write of a run: a staged copy when `copy` (the run loads
    documents), else one transaction on the warehouse itself, so a run that loads nothing
    copies nothing. A missing file, a schema still to migrate, or another process holding the
    file falls back to a staged copy; a failed block rolls back either way."""
    db_path = Path(db_path)
    if not copy and db_path.exists():
        with _writer_lock(db_path):
            con = _open_in_place(db_path)
            if con is not None:
                try:
                    with _transaction(con):
                        yield con
                finally:
                    con.close()
                return
    with staged(db_path) as con:
        yield con


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """BEGIN, then COMMIT when the block succeeds, else ROLLBACK and the block's error."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        # The block's own error is the one to see, not a failed rollback's.
        with suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise


class RunAccess:
    """One run's access to the warehouse: what is loaded, read once, and the run's one write.

    Held (a run on local files, whose reading takes milliseconds): one writable connection
    opened at the start serves the read and, when the run loads nothing, the write too, so a
    quiet night opens the file once. The opening (some 25 ms of DuckDB work without the GIL)
    goes on in a thread while the run lists and reads its documents; the first use waits for
    it. `release()` lets readers in before long work (parsing);
    a write that loads documents releases it and goes through a staged copy. Not held, or
    when an analyst has the file open: the read is a read-only open and the write is
    `written`'s."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._held: duckdb.DuckDBPyConnection | None = None
        self._lock = ExitStack()
        self._states: LoadedStates | None = None
        self._opening: threading.Thread | None = None
        self._open_error: BaseException | None = None
        self._closing: threading.Thread | None = None

    def hold(self) -> None:
        """Start opening the warehouse in place under the writer lock, when it exists: in a
        thread, so the run's first steps go on meanwhile (`_opened` waits for it)."""
        if self._held is not None or self._opening is not None or not self.db_path.exists():
            return
        self._opening = threading.Thread(target=self._open_held, name="open-warehouse")
        self._opening.start()

    def _open_held(self) -> None:
        """Take the writer lock and open the file when its schema is current; an error is kept
        for `_opened` to raise in the run's own thread."""
        try:
            self._lock.enter_context(_writer_lock(self.db_path))
            self._held = _open_in_place(self.db_path)
            if self._held is None:
                self._lock.close()
        except BaseException as error:  # re-raised by _opened, where the run can see it
            self._lock.close()
            self._open_error = error

    def _opened(self) -> None:
        """Wait for an opening started by `hold`, and raise its error once."""
        if self._opening is not None:
            opening, self._opening = self._opening, None
            opening.join()
        if self._open_error is not None:
            error, self._open_error = self._open_error, None
            raise error

    def states(self) -> LoadedStates:
        """(symbol, language) -> (sha256, parser version) of every loaded document."""
        self._opened()
        if self._states is None:
            held = self._held
            self._states = states_on(held) if held is not None else loaded_states(self.db_path)
        return self._states

    def release(self) -> None:
        """Close the held connection, if any, and let go of the writer lock, once a closing
        started by a quiet write has finished (an opening still under way is waited for)."""
        if self._opening is not None:
            self._opening.join()
            self._opening = None
        if self._closing is not None:
            closing, self._closing = self._closing, None
            closing.join()
        if self._held is not None:
            self._held.close()
            self._held = None
        self._lock.close()

    def _close_behind(self) -> None:
        """Close the held connection in a thread: a committed write is durable (its WAL is
        on disk), and closing only checkpoints it into the file, some 12 ms of DuckDB work
        and fsync without the GIL while the run publishes its artifact. `release` waits."""
        held, self._held = self._held, None
        if held is not None:
            self._closing = threading.Thread(target=held.close, name="close-warehouse")
            self._closing.start()

    @contextmanager
    def written(self, *, copy: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        """The run's one write: the held connection in a transaction when it loads nothing
        (`copy` false), else `written` (a staged copy, or a fresh in-place open)."""
        self._opened()
        held = self._held
        if held is not None and not copy:
            try:
                with _transaction(held):
                    yield held
            except BaseException:
                self.release()
                raise
            self._close_behind()
            return
        self.release()
        with written(self.db_path, copy=copy) as con:
            yield con


@contextmanager
def run_access(db_path: Path | str, *, hold: bool) -> Iterator[RunAccess]:
    """A run's RunAccess, holding the warehouse from the start when `hold`, always released."""
    access = RunAccess(Path(db_path))
    try:
        if hold:
            access.hold()
        yield access
    finally:
        access.release()


def _open_in_place(db_path: Path) -> duckdb.DuckDBPyConnection | None:
    """A writable connection on the warehouse file whose schema is current, or None when
    another connection holds the file, the schema needs applying or the file's storage
    version is newer than the one chosen (those go staged, which rewrites it)."""
    try:
        con = duckdb.connect(str(db_path), config=writer_config())
    except (duckdb.IOException, duckdb.ConnectionException):
        return None
    if schema_is_current(con) and is_readable_by_promise(file_storage_version(con)):
        return con
    con.close()
    return None
