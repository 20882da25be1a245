"""A long PDF read by two processes: the same pages as one process reads, in page order,
nothing lost when the copy fails or dies, no process left behind, and never with another
thread running."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from common.errors import BadSetting
from extractors.readers.page_halves import MIN_PAGES, may_fork, read_in_halves
from extractors.readers.pdf_pages import styled_pages
from extractors.readers.route import read_file
from tests.conftest import EDITION_2022
from tests.pdf_render import render_pdf
from tests.real_paragraphs import REAL_PDFS

PARENT = os.getpid()


def squares(pages: range) -> list[tuple[int, int, int]]:
    """Each page number with its square and the process that read it."""
    return [(page, page * page, os.getpid()) for page in pages]


Read = Callable[[range], list[tuple[int, int, int]]]


class Copies:
    """Records the process id of every forked copy that runs a read (in a file: the copy's
    memory is its own), to check afterwards that each copy was waited for."""

    def __init__(self, folder: Path) -> None:
        self.log = folder / "copies"

    def recording(self, read: Read) -> Read:
        def recorded(pages: range) -> list[tuple[int, int, int]]:
            if os.getpid() != PARENT:
                with self.log.open("a", encoding="utf-8") as log:
                    log.write(f"{os.getpid()}\n")
            return read(pages)

        return recorded

    def assert_all_waited_for(self) -> None:
        pids = [int(line) for line in self.log.read_text(encoding="utf-8").split()]
        assert pids, "no copy was forked"
        for pid in pids:
            with pytest.raises(ProcessLookupError):  # waited for: gone, not even a zombie
                os.kill(pid, 0)


@pytest.fixture
def copies(tmp_path: Path) -> Copies:
    return Copies(tmp_path)


@pytest.mark.parametrize("count", [0, 1, 2, 3, 13, 62])
def test_pages_come_back_in_order_from_both_processes(count: int, copies: Copies) -> None:
    read = read_in_halves(count, copies.recording(squares), fork=True)
    assert [(page, square) for page, square, _ in read] == [(p, p * p) for p in range(count)]
    readers = [pid for _, _, pid in read]
    assert set(readers[0::2]) <= {PARENT}  # even pages here, odd pages by the copy
    assert PARENT not in readers[1::2]
    copies.assert_all_waited_for()


def test_a_copy_that_fails_leaves_its_pages_to_be_read_here(copies: Copies) -> None:
    def fails_in_the_copy(pages: range) -> list[tuple[int, int, int]]:
        if os.getpid() != PARENT:
            raise RuntimeError("the copy cannot read")
        return squares(pages)

    read = read_in_halves(20, copies.recording(fails_in_the_copy), fork=True)
    assert [page for page, _, _ in read] == list(range(20))
    assert {pid for _, _, pid in read} == {PARENT}
    copies.assert_all_waited_for()


def test_a_copy_that_dies_leaves_its_pages_to_be_read_here(copies: Copies) -> None:
    def dies_in_the_copy(pages: range) -> list[tuple[int, int, int]]:
        if os.getpid() != PARENT:
            os.kill(os.getpid(), signal.SIGKILL)
        return squares(pages)

    read = read_in_halves(20, copies.recording(dies_in_the_copy), fork=True)
    assert [page for page, _, _ in read] == list(range(20))
    copies.assert_all_waited_for()


def test_an_error_here_ends_the_copy_too(copies: Copies) -> None:
    def fails_here_once_the_copy_reads(pages: range) -> list[tuple[int, int, int]]:
        if os.getpid() != PARENT:
            time.sleep(60)  # a copy still reading when this process fails
            return squares(pages)
        deadline = time.monotonic() + 30
        while not copies.log.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        raise ValueError("page 3 is damaged")

    started = time.monotonic()
    with pytest.raises(ValueError, match="page 3 is damaged"):
        read_in_halves(20, copies.recording(fails_here_once_the_copy_reads), fork=True)
    assert time.monotonic() - started < 30  # the copy was ended, not waited out
    copies.assert_all_waited_for()


def test_no_fork_for_a_short_document_or_beside_another_thread() -> None:
    assert not may_fork(MIN_PAGES - 1)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not may_fork(100)
        read = read_in_halves(30, squares)
        assert {pid for _, _, pid in read} == {PARENT}
    finally:
        stop.set()
        other.join()


@pytest.fixture(scope="module")
def rendered_edition(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    blocks, _ = read_file(EDITION_2022)
    path = tmp_path_factory.mktemp("pdf") / "A-77-277_fr.pdf"
    render_pdf(blocks, path)
    return path.read_bytes()


def test_a_rendered_edition_reads_the_same_in_two_processes(rendered_edition: bytes) -> None:
    alone = styled_pages(rendered_edition, "A-77-277_fr.pdf", fork=False)
    shared = styled_pages(rendered_edition, "A-77-277_fr.pdf", fork=True)
    assert len(alone[0]) >= MIN_PAGES
    assert repr(shared) == repr(alone)


REAL = sorted(REAL_PDFS.glob("*.pdf")) if REAL_PDFS.is_dir() else []


@pytest.mark.skipif(not REAL, reason="../shared/corpus/real_pdfs is absent")
@pytest.mark.parametrize("path", REAL, ids=lambda path: path.stem)
def test_each_real_pdf_reads_the_same_in_two_processes(path: Path) -> None:
    data = path.read_bytes()
    assert repr(styled_pages(data, path.name, fork=True)) == repr(
        styled_pages(data, path.name, fork=False)
    )


def test_one_process_when_the_setting_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOPWATCH_PDF_PROCESSES", "1")
    assert not may_fork(100)
    assert {pid for _, _, pid in read_in_halves(30, squares)} == {PARENT}
    monkeypatch.setenv("COOPWATCH_PDF_PROCESSES", "3")
    with pytest.raises(BadSetting, match="COOPWATCH_PDF_PROCESSES: 3 must be 1 or 2"):
        may_fork(100)
