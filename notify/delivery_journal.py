"""The delivery journal: a durable note, beside the outbox, of every digest handed to the
SMTP server (or written as .eml), keyed by its change set (the Message-ID derives from it).

A run marks a digest sent in its staged warehouse, which is published only when the whole
write succeeds; a run killed, or a disk full, between the server's acceptance and that
publishing lost the mark and the next run mailed the digest again. The journal is written
outside the warehouse, before sending (`<id>.sending`) and renamed at acceptance
(`<id>.sent`: a rename needs no free space), so the next run marks the digest sent instead
of sending it again. A `.sending` note without `.sent` is a session cut before the server
answered: the digest is sent again, with the same Message-ID, which receivers deduplicate.
"""

from __future__ import annotations

import os
from pathlib import Path

JOURNAL_FOLDER = ".delivered"


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class DeliveryJournal:
    """The journal of one outbox folder."""

    def __init__(self, outbox_dir: Path) -> None:
        self.folder = Path(outbox_dir) / JOURNAL_FOLDER

    def _note(self, change_set_id: str, state: str) -> Path:
        return self.folder / f"{change_set_id}.{state}"

    def was_delivered(self, change_set_id: str) -> bool:
        """Whether the server accepted this change set's digest (or its .eml was written)."""
        return self._note(change_set_id, "sent").exists()

    def begin(self, change_set_id: str) -> None:
        """Note, durably, that the digest is about to go out; raises OSError (a full disk, a
        read-only folder) and then nothing must be sent."""
        self.folder.mkdir(parents=True, exist_ok=True)
        note = self._note(change_set_id, "sending")
        with open(note, "wb") as handle:
            handle.write(change_set_id.encode("ascii", "replace") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        _fsync_folder(self.folder)

    def accepted(self, change_set_id: str) -> None:
        """Turn the note into 'sent' the moment the server has accepted the digest."""
        os.replace(self._note(change_set_id, "sending"), self._note(change_set_id, "sent"))
        _fsync_folder(self.folder)

    def abandon(self, change_set_id: str) -> None:
        """Drop the note of a digest that was not delivered (it stays pending)."""
        self._note(change_set_id, "sending").unlink(missing_ok=True)
