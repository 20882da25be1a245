"""A long PDF's pages read by two processes where that is safe: every other page in a forked
copy of this process, the rest here, the results joined in page order (alternate pages, not
halves: a report's front pages are denser than its annexes).

Reading a page's type and place is Python work per character beside PDFium's own; on a
62-page report it is most of a parse. A fork shares the open document (PDFium runs no
threads and keeps everything in the process's memory), so the copy starts at once. It is
used only where it cannot surprise: on Linux, with two or more processors for this process,
with no other thread running (never inside a flow's task runner) and for a document long
enough to pay for the fork; COOPWATCH_PDF_PROCESSES=1 turns it off. The pages read are the
same either way (tests/test_page_halves.py); a copy that fails or dies leaves its pages to be
read here, so nothing is lost.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

from common.errors import BadSetting
from common.settings import read_whole_number

_Result = TypeVar("_Result")
# Fewer pages than this are read faster than a fork and the results' hand-over cost.
MIN_PAGES = 12


def read_in_halves(
    count: int, read: Callable[[range], list[_Result]], *, fork: bool | None = None
) -> list[_Result]:
    """`read(range(count))`, its odd pages read by a forked copy where `may_fork` says it is
    safe (or where `fork` is given, True or False, as tests do)."""
    if not (may_fork(count) if fork is None else fork and hasattr(os, "fork")):
        return read(range(count))
    mine, theirs = range(0, count, 2), range(1, count, 2)
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (runs in the copy; its result is checked by the parent)
        os.close(reader)
        _read_in_copy(read, theirs, writer)
    os.close(writer)
    try:
        own = read(mine)
        handed = _read_all(reader)
    except BaseException:
        with contextlib.suppress(OSError):
            os.kill(child, signal.SIGKILL)
        raise
    finally:
        os.close(reader)
        _reap(child)
    other = _unpickled(handed)
    if other is None or len(other) != len(theirs):
        other = read(theirs)
    joined: list[_Result] = []
    for index, result in enumerate(own):
        joined.append(result)
        if index < len(other):
            joined.append(other[index])
    return joined


def may_fork(count: int) -> bool:
    """True where a second process may read every other of `count` pages: Linux, two
    processors or more for this process, this thread alone, at least `MIN_PAGES` pages, and
    COOPWATCH_PDF_PROCESSES not 1."""
    # The setting first: a bad value is an error wherever the command runs.
    if pdf_processes() == 1 or count < MIN_PAGES:
        return False
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    if threading.active_count() != 1:
        return False
    return len(os.sched_getaffinity(0)) >= 2


def pdf_processes() -> int:
    """COOPWATCH_PDF_PROCESSES: 1 or 2 (the default); anything else is a BadSetting."""
    processes = read_whole_number("COOPWATCH_PDF_PROCESSES", 2, least=1, expected="1 or 2")
    if processes > 2:
        raise BadSetting(f"COOPWATCH_PDF_PROCESSES: {processes} must be 1 or 2")
    return processes


def _read_in_copy(read: Callable[[range], list[_Result]], pages: range, writer: int) -> None:
    """In the forked copy: read `pages`, hand the result over the pipe, and end without
    running anything of the parent's (no exit handlers, no buffered output flushed twice)."""
    status = 1
    try:
        for stop in (signal.SIGINT, signal.SIGTERM):
            signal.signal(stop, signal.SIG_DFL)
        payload = pickle.dumps(read(pages), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(payload)
        status = 0
    finally:
        os._exit(status)


def _read_all(reader: int) -> bytes:
    """Everything the copy wrote, until it closed the pipe (or died)."""
    chunks: list[bytes] = []
    while chunk := os.read(reader, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _reap(child: int) -> None:
    """Wait for the copy to end, so no process is left behind."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(child, 0)


def _unpickled(handed: bytes) -> list[_Result] | None:
    """The copy's pages, or None when it handed over nothing whole (it failed or died)."""
    if not handed:
        return None
    try:
        return list(pickle.loads(handed))
    except (pickle.UnpicklingError, EOFError, ValueError):
        return None
