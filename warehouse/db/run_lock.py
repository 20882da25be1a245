"""One run at a time per warehouse: an exclusive lock file beside the DuckDB file."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from common.errors import CoopWatchError


class RunInProgress(CoopWatchError):
    """Another run holds the warehouse's lock."""


@contextmanager
def run_lock(db_path: Path) -> Iterator[None]:
    """Hold `<db>.lock` for the run; a second run fails at once instead of racing the first."""
    lock_path = db_path.with_name(db_path.name + ".run.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunInProgress(
                f"{db_path}: another CoopWatch run is in progress ({lock_path})"
            ) from None
        yield
    finally:
        os.close(handle)
