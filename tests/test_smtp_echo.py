"""A hostile SMTP server that echoes part of the AUTH line back: no fragment of the password
reaches the outbox row, the send report or the log.

The server answers AUTH PLAIN with a 535 quoting the client's line cut short, so the reply
holds the base64 of `\\0user\\0` and the first characters of the password, an encoding that
no whole-secret replacement finds.
"""

from __future__ import annotations

import base64
import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from test_notify_digest import NEW, OLD, sample_digest

from notify.delivery import SmtpSettings, redact, send_pending
from warehouse.db.schema import connect
from warehouse.runs import outbox

PASSWORD = "Zq8-hunter2-Xv"
USER = "coop"


def _serve_echo(listener: socket.socket, cut: int) -> None:
    """Speak just enough SMTP to receive AUTH PLAIN, then refuse it quoting the line cut."""
    connection, _ = listener.accept()
    with connection, connection.makefile("rwb") as stream:
        stream.write(b"220 echo ESMTP\r\n")
        stream.flush()
        for line in stream:
            command = line.decode("ascii", "replace").rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                stream.write(b"250-echo\r\n250 AUTH PLAIN\r\n")
            elif verb == "AUTH":
                echoed = command[: len(command) - cut]
                stream.write(f"535 5.7.8 cannot decode {echoed}\r\n".encode("ascii"))
            elif verb == "QUIT":
                stream.write(b"221 bye\r\n")
                stream.flush()
                return
            else:
                stream.write(b"250 ok\r\n")
            stream.flush()


@pytest.fixture(params=[4, 8, 12])
def echoing_server(request: pytest.FixtureRequest) -> Iterator[int]:
    listener = socket.create_server(("127.0.0.1", 0))
    thread = threading.Thread(target=_serve_echo, args=(listener, request.param), daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    listener.close()
    thread.join(timeout=5)


def _fragments(secret: str, least: int = 4) -> list[str]:
    return [secret[i : i + least] for i in range(len(secret) - least + 1)]


def test_a_truncated_auth_echo_leaks_no_part_of_the_password(
    echoing_server: int, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    connect(tmp_path / "cw.duckdb").close()
    con = duckdb.connect(str(tmp_path / "cw.duckdb"))
    digest = sample_digest()
    outbox.enqueue(con, digest, old_symbol=OLD, new_symbol=NEW, recipients=["a@x.org"], run_id="r")
    settings = SmtpSettings(
        host="127.0.0.1",
        port=echoing_server,
        user=USER,
        password=PASSWORD,
        starttls=False,
        sender="coopwatch@example.org",
        recipients=("a@x.org",),
        timeout=5.0,
        allow_cleartext=True,
    )
    with caplog.at_level(logging.DEBUG):
        report = send_pending(con, settings=settings, outbox_dir=tmp_path / "outbox")
    row = outbox.get(con, digest.change_set_id)
    con.close()

    assert report.retrying == [digest.change_set_id]
    assert row is not None and row.last_error and "535" in row.last_error
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for text in (row.last_error, report.status, str(report.errors), logged):
        revealed = [
            fragment
            for encoded in (PASSWORD, base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()).decode())
            for fragment in _fragments(encoded, 6 if encoded != PASSWORD else 4)
            if fragment in text
        ]
        decoded = [f for f in _fragments(PASSWORD) if f in _decoded_words(text)]
        assert not revealed and not decoded, text


def _decoded_words(text: str) -> str:
    """Every word of `text` that decodes as base64, decoded (what a reader of a log can do)."""
    found = []
    for word in text.split():
        padded = word + "=" * (-len(word) % 4)
        try:
            found.append(base64.b64decode(padded, validate=True).decode("utf-8", "replace"))
        except ValueError:
            continue
    return " ".join(found)


def test_redact_hides_a_cut_fragment_of_an_encoded_secret() -> None:
    encoded = base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()).decode()
    assert "***" in redact(f"535 cannot decode {encoded[:-8]}", [encoded])
    assert redact("250 the weather is fine", [encoded, PASSWORD]) == "250 the weather is fine"
