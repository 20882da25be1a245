"""Mail exactly once: a run stopped anywhere between the SMTP server's acceptance and the
warehouse's swap, or failing on a full disk there, leaves the digest marked for the next
run, which never sends it again.

The run marks a digest sent in its staged warehouse; that mark is published only by the
swap. Each case stops the first run at one step of that stretch (an exception the flow
cannot catch, as a kill leaves nothing after it run; or ENOSPC where the copy is synced),
then runs again normally and counts what the loopback SMTP server received: one message.
`test_a_run_killed_after_acceptance_sends_once` does the same with a real SIGKILL in a
subprocess.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from bundled_nightly import bundled_nightly

import notify.delivery
import warehouse.db.publish
from extractors.fetch.request_deadline import allow_requests
from notify.delivery_journal import DeliveryJournal
from notify.digest_email import CHANGE_SET_HEADER
from tests.smtp_server import LoopbackSmtp, free_port


@pytest.fixture(autouse=True)
def requests_allowed_after() -> Iterator[None]:
    """A stopped run cuts this process's requests (as SIGTERM would, before the process
    ends); the tests that follow in this process fetch again."""
    yield
    allow_requests()


class Killed(BaseException):
    """Stands for the process ending at this instruction: nothing below it runs."""


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> LoopbackSmtp:
    port = free_port()
    monkeypatch.setenv("COOPWATCH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("COOPWATCH_SMTP_PORT", str(port))
    monkeypatch.setenv("COOPWATCH_MAIL_FROM", "coopwatch@example.org")
    monkeypatch.setenv("COOPWATCH_MAIL_TO", "analyst@example.org")
    server = LoopbackSmtp(port).start()
    yield server
    server.stop()


def _digests(server: LoopbackSmtp) -> list[str]:
    """The change sets of the digests the server received (a failure alert is no digest)."""
    return [
        received.message[CHANGE_SET_HEADER]
        for received in server.received
        if received.message[CHANGE_SET_HEADER] and "nightly run" not in received.message["Subject"]
    ]


def _after(function: Callable, stop: BaseException) -> Callable:
    """`function`, then `stop` raised once it has returned."""

    def stopped(*args, **kwargs):
        function(*args, **kwargs)
        raise stop

    return stopped


def _stop_after_acceptance(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DeliveryJournal, "accepted", _after(DeliveryJournal.accepted, Killed()))


def _stop_after_marked_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        notify.delivery.outbox, "mark_sent", _after(notify.delivery.outbox.mark_sent, Killed())
    )


def _stop_at_sync(stop: BaseException, call: int) -> Callable:
    def install(monkeypatch: pytest.MonkeyPatch) -> None:
        real, calls = warehouse.db.publish._fsync, []

        def sync(path: Path) -> None:
            calls.append(path)
            if len(calls) == call:
                raise stop
            real(path)

        monkeypatch.setattr(warehouse.db.publish, "_fsync", sync)

    return install


STOPS = {
    "after the server accepted": _stop_after_acceptance,
    "after the digest is marked sent in the staged copy": _stop_after_marked_sent,
    "before the staged copy is synced and swapped": _stop_at_sync(Killed(), call=1),
    "after the swap, before its folder is synced": _stop_at_sync(Killed(), call=2),
    "a full disk when the staged copy is synced": _stop_at_sync(
        OSError(errno.ENOSPC, "No space left on device"), call=1
    ),
}


@pytest.mark.parametrize("stop", STOPS)
def test_a_run_stopped_between_acceptance_and_swap_sends_once(
    prefect_harness, tmp_path: Path, smtp: LoopbackSmtp, stop: str
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        STOPS[stop](patch)
        with pytest.raises((Killed, Exception)):
            bundled_nightly(tmp_path)
    assert len(_digests(smtp)) == 1, "the first run sent no digest: the stop came too early"

    bundled_nightly(tmp_path)

    assert len(_digests(smtp)) == 1
    con = duckdb.connect(str(tmp_path / "cw.duckdb"), read_only=True)
    try:
        statuses = con.execute("SELECT status FROM outbox WHERE new_symbol IS NOT NULL").fetchall()
    finally:
        con.close()
    assert statuses == [("sent",)]


KILLER = """
import os, signal, sys
from notify.delivery_journal import DeliveryJournal
accepted = DeliveryJournal.accepted
def accepted_then_killed(self, change_set_id):
    accepted(self, change_set_id)
    os.kill(os.getpid(), signal.SIGKILL)
DeliveryJournal.accepted = accepted_then_killed
from flows.cli import main
sys.argv = ["coopwatch", *sys.argv[1:]]
main()
"""


def _in_a_process(arguments: list[str], folder: Path, name: str) -> int:
    """Run a `coopwatch` process against the harness's API (so it starts no server of its
    own that a kill would orphan), in a session of its own; its return code."""
    from prefect.settings import PREFECT_API_URL

    env = {
        **os.environ,
        "COOPWATCH_REPORTS": str(folder / "reports"),
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
    }
    with open(folder / f"{name}.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, *arguments],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            return process.wait(timeout=240)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


def test_a_run_killed_after_acceptance_sends_once(
    prefect_harness, tmp_path: Path, smtp: LoopbackSmtp
) -> None:
    command = [
        "run",
        "--source",
        "bundled",
        "--db",
        str(tmp_path / "cw.duckdb"),
        "--outbox",
        str(tmp_path / "outbox"),
    ]
    killed = _in_a_process(["-c", KILLER, *command], tmp_path, "killed")
    assert killed == -signal.SIGKILL, (tmp_path / "killed.log").read_text()[-2000:]
    assert len(_digests(smtp)) == 1

    again = _in_a_process(["-m", "flows.cli", *command], tmp_path, "again")
    assert again == 0, (tmp_path / "again.log").read_text()[-2000:]
    assert len(_digests(smtp)) == 1


def _killed_before_the_rename(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Stop the run the instant after the server accepted the digest, before the journal's
    'sending' note is renamed 'sent' (the one window no SMTP exchange can close); returns
    the notes the journal held at the first such instant (the stopped run's failure alert
    is stopped the same way)."""
    notes: list[Path] = []

    def killed(self: DeliveryJournal, change_set_id: str) -> None:
        notes.extend([] if notes else sorted(self.folder.iterdir()))
        raise Killed()

    monkeypatch.setattr(DeliveryJournal, "accepted", killed)
    return notes


def test_a_kill_before_the_journal_rename_resends_with_the_same_message_id(
    prefect_harness, tmp_path: Path, smtp: LoopbackSmtp
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        notes = _killed_before_the_rename(patch)
        with pytest.raises((Killed, Exception)):
            bundled_nightly(tmp_path)
    (change_set,) = (value.strip() for value in _digests(smtp))
    # Written (and synced) before DATA: the note was there when the server accepted.
    assert [note.name for note in notes] == [f"{change_set}.sending"]
    assert (tmp_path / "outbox" / ".delivered" / f"{change_set}.sending").exists()

    bundled_nightly(tmp_path)

    # The next run cannot tell a session cut before the server's reply from one cut after
    # it: it sends again, under the same Message-ID, which a receiver deduplicates.
    digests = [
        received.message
        for received in smtp.received
        if (received.message[CHANGE_SET_HEADER] or "").strip() == change_set
    ]
    assert len(digests) == 2
    assert digests[0]["Message-ID"] == digests[1]["Message-ID"]
    assert digests[0]["Message-ID"]
    journal = {note.name for note in (tmp_path / "outbox" / ".delivered").iterdir()}
    assert f"{change_set}.sent" in journal and f"{change_set}.sending" not in journal
