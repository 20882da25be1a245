"""A wall-clock deadline on each HTTP request, retries included: from the moment it is first
sent to the last byte of its answer, whatever pace the server keeps.

Socket timeouts bound the wait between two bytes, not a response: a server trickling a byte
now and then (in its status line, its headers or its body) passes every read timeout. So a
request gets a timer that shuts its socket down at the deadline, which ends any read blocked
on it. The requests adapter here starts that timer in the connection's `getresponse`, the
one place where the socket of every attempt is known before its status line; a retry after
the deadline is cut at once, so retries cannot stretch it.

A stop (SIGTERM, Ctrl-C) cuts every request in flight, and every connection still being
opened (its TCP connect or TLS handshake, which no deadline covers yet): a host that never
answers a SYN must not hold a stopping run for the connect timeout.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection as urllib3_connection

_local = threading.local()
# Every request in flight in this process, so a run being stopped can cut them all; and the
# stop itself, which cuts any attempt begun after it and ends the waits between attempts.
_in_flight: set[ResponseWatch] = set()
_connecting: set[Opening] = set()
_in_flight_lock = threading.Lock()
STOPPING = threading.Event()

Clock = Callable[[], float]


class Alarm(Protocol):
    """A pending call that can be called off."""

    def cancel(self) -> None:
        """Call the pending call off."""


StartAlarm = Callable[[float, Callable[[], None]], Alarm]


def start_timer(seconds: float, action: Callable[[], None]) -> Alarm:
    """Call `action` in a daemon thread `seconds` from now: the real alarm of a deadline."""
    timer = threading.Timer(seconds, action)
    timer.daemon = True
    timer.start()
    return timer


class ResponseWatch:
    """The deadline of one request: started when it is first sent, following the socket of
    each further attempt. `clock` gives its start; `start_alarm` arms the one cut."""

    def __init__(
        self,
        sock: socket.socket,
        seconds: float,
        clock: Clock = time.monotonic,
        start_alarm: StartAlarm = start_timer,
    ) -> None:
        self.seconds = seconds
        self.started = clock()
        self.expired = threading.Event()
        self._sock = sock
        self._lock = threading.Lock()
        self._alarm = start_alarm(seconds, self._cut)
        with _in_flight_lock:
            _in_flight.add(self)
        if STOPPING.is_set():
            self._cut()

    @property
    def ends_at(self) -> float:
        """The time of the deadline, on the watch's clock."""
        return self.started + self.seconds

    def follow(self, sock: socket.socket) -> None:
        """Watch the socket of a further attempt instead; cut it at once once past the deadline."""
        with self._lock:
            self._sock = sock
            if self.expired.is_set():
                _shut(sock)

    def _cut(self) -> None:
        with self._lock:
            self.expired.set()
            _shut(self._sock)

    def cancel(self) -> None:
        """Stop the alarm (the answer is complete, or abandoned)."""
        self._alarm.cancel()
        with _in_flight_lock:
            _in_flight.discard(self)


def stop_requests_in_flight() -> int:
    """Cut every request this process has in flight, and any begun from now on: a run being
    stopped (SIGTERM) must not wait for a slow answer. Returns how many were cut."""
    STOPPING.set()
    with _in_flight_lock:
        watches = list(_in_flight)
        # Under the lock: a socket being opened is forgotten (then closed) only after it.
        for opening in _connecting:
            opening.shut()
        opened = len(_connecting)
    for watch in watches:
        watch._cut()
    return len(watches) + opened


def allow_requests() -> None:
    """Lift a stop: a new run in the same process (a test, an in-process flow) fetches again."""
    STOPPING.clear()


def stoppable_sleep(seconds: float) -> None:
    """time.sleep, cut short when the run is being stopped."""
    STOPPING.wait(seconds)


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also under TLS: SSLSocket.shutdown would drop the TLS
    # state under the reading thread's feet. A blocked read then returns at once.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


@contextlib.contextmanager
def response_deadline(
    seconds: float, *, clock: Clock = time.monotonic, start_alarm: StartAlarm = start_timer
) -> Iterator[Callable[[], ResponseWatch | None]]:
    """Give the request this thread sends in the block `seconds` to be answered in full,
    retries included; yields a function returning its watch (None until it is sent)."""
    _local.seconds, _local.watch = seconds, None
    _local.clock, _local.start_alarm = clock, start_alarm
    try:
        yield lambda: getattr(_local, "watch", None)
    finally:
        watch = getattr(_local, "watch", None)
        if watch is not None:
            watch.cancel()
        _local.seconds, _local.watch = None, None


class Opening:
    """A socket being opened (connected, then its TLS handshake), as a stop finds it: the
    socket object, and its descriptor, since wrapping it in TLS detaches the object from it."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.fd = sock.fileno()

    def shut(self) -> None:
        """Shut the socket down both ways, which ends a connect or handshake waiting on it;
        call it under _in_flight_lock, so the descriptor is not closed (and reused) meanwhile."""
        if self.sock.fileno() != -1:
            _shut(self.sock)
            return
        # Detached into an SSLSocket: shut the socket through a duplicate descriptor.
        try:
            descriptor = os.dup(self.fd)
        except OSError:
            return
        try:
            duplicate = socket.socket(fileno=descriptor)
        except OSError:
            os.close(descriptor)
            return
        with duplicate:
            _shut(duplicate)


class StoppedConnecting(OSError):
    """A connection not opened, or cut while being opened, because the run is stopping."""


def _create_stoppable_connection(
    address: tuple[str, int],
    timeout: Any,
    source_address: tuple[str, int] | None,
    socket_options: Any,
) -> Opening:
    """urllib3's create_connection, with each socket it tries registered while it connects,
    so a stop can shut it; nothing is tried once the run is stopping."""
    host, port = address
    error: OSError = OSError("getaddrinfo returns an empty list")
    family = urllib3_connection.allowed_gai_family()
    for kind, sort, proto, _name, where in socket.getaddrinfo(
        host.strip("[]"), port, family, socket.SOCK_STREAM
    ):
        sock = socket.socket(kind, sort, proto)
        opening = Opening(sock)
        with _in_flight_lock:
            _connecting.add(opening)
        try:
            # After the registration: a stop either sees this socket or is seen here.
            if STOPPING.is_set():
                raise StoppedConnecting(f"{host}:{port}: not connected, the run is being stopped")
            for option in socket_options or ():
                sock.setsockopt(*option)
            if timeout is not urllib3_connection._DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(where)
            return opening
        except OSError as failed:
            error = failed
            forget_connecting(opening)
            sock.close()
            if STOPPING.is_set():
                raise StoppedConnecting(
                    f"{host}:{port}: connect cut, the run is stopping"
                ) from None
    raise error


def forget_connecting(opening: Opening | None) -> None:
    """The socket is open (or abandoned): a stop no longer needs to shut it as connecting."""
    if opening is not None:
        with _in_flight_lock:
            _connecting.discard(opening)


class _WatchedConnection:
    """Mixin for urllib3 connections: open the socket where a stop can shut it (until its
    TLS handshake is done), start the thread's request deadline, if any, once the request
    is sent, or hand it this attempt's socket."""

    sock: socket.socket | None
    host: str
    port: int
    timeout: Any
    source_address: tuple[str, int] | None
    socket_options: Any
    _dns_host: str
    _opening: Opening | None = None

    def _new_conn(self) -> socket.socket:
        # urllib3's own, through _create_stoppable_connection, with its errors.
        address = (self._dns_host, self.port)
        try:
            opening = _create_stoppable_connection(
                address, self.timeout, self.source_address, self.socket_options
            )
        except socket.gaierror as error:
            raise NameResolutionError(self.host, self, error) from error  # type: ignore[arg-type]
        except TimeoutError as error:
            raise ConnectTimeoutError(
                self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
            ) from error
        except OSError as error:
            raise NewConnectionError(
                self,  # type: ignore[arg-type]
                f"Failed to establish a new connection: {error}",
            ) from error
        self._opening = opening
        return opening.sock

    def connect(self) -> None:
        try:
            super().connect()  # type: ignore[misc]
        finally:
            forget_connecting(self._opening)
            self._opening = None

    def getresponse(self) -> Any:
        seconds = getattr(_local, "seconds", None)
        if seconds is not None and self.sock is not None:
            watch = getattr(_local, "watch", None)
            if watch is None:
                _local.watch = ResponseWatch(self.sock, seconds, _local.clock, _local.start_alarm)
            else:
                watch.follow(self.sock)
                if STOPPING.is_set():
                    _shut(self.sock)
        return super().getresponse()  # type: ignore[misc]


class _WatchedHTTPConnection(_WatchedConnection, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_WatchedConnection, HTTPSConnection):
    pass


class _WatchedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """A requests adapter whose connections honour `response_deadline`."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """Swap in connection pools whose connections watch the deadline."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPConnectionPool,
            "https": _WatchedHTTPSConnectionPool,
        }
