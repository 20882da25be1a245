"""A loopback listener that takes connections and the requests sent on them and never
answers: the server a stopped run must not wait for (SIGTERM and Ctrl-C tests)."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import NamedTuple


class SilentServer(NamedTuple):
    """Its port, and an event set once a request (or a TLS hello) has come in."""

    port: int
    asked: threading.Event


@contextlib.contextmanager
def silent_server() -> Iterator[SilentServer]:
    """Listen on a free loopback port until the block ends, answering nothing."""
    listener = socket.create_server(("127.0.0.1", 0))
    asked = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = listener.accept()
                held.append(connection)
                if connection.recv(65536):
                    asked.set()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield SilentServer(listener.getsockname()[1], asked)
    finally:
        listener.close()
        for connection in held:
            connection.close()
