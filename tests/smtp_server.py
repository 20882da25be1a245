"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message it receives."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from tls_cert import SelfSignedCertificate


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Received:
    """One message as the server got it: envelope and raw DATA bytes."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)


class _Collector:
    def __init__(self) -> None:
        self.received: list[Received] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd hook)
        self.received.append(
            Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 Message accepted for delivery"


@dataclass(frozen=True)
class AuthAttempt:
    """One AUTH command the server saw: the mechanism and whether the session was encrypted."""

    mechanism: str
    encrypted: bool


class LoopbackSmtp:
    """Start/stop an aiosmtpd Controller on 127.0.0.1:`port`; with `password`, the server
    requires AUTH and accepts only that password. With `tls`, it offers STARTTLS (required
    before AUTH), or with `implicit_tls` speaks TLS from the first byte; without `tls`, AUTH
    goes over the plain session (loopback only). Every AUTH attempt is kept in `auths`."""

    def __init__(
        self,
        port: int | None = None,
        *,
        password: str | None = None,
        tls: SelfSignedCertificate | None = None,
        implicit_tls: bool = False,
    ) -> None:
        self.port = port or free_port()
        self._collector = _Collector()
        self._password = password
        self._tls = tls
        self._implicit_tls = implicit_tls
        self.auths: list[AuthAttempt] = []
        self._controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        return self._collector.received

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        transport = getattr(server, "transport", None)
        over_tls = transport is not None and transport.get_extra_info("ssl_object") is not None
        self.auths.append(AuthAttempt(mechanism, over_tls or session.ssl is not None))
        password = getattr(auth_data, "password", b"")
        if isinstance(password, bytes):
            password = password.decode("utf-8", "replace")
        return AuthResult(success=password == self._password, handled=False)

    def start(self) -> LoopbackSmtp:
        options: dict[str, object] = {}
        if self._password is not None:
            options = {
                "authenticator": self._authenticate,
                "auth_required": True,
                # aiosmtpd counts only STARTTLS as TLS; an implicit-TLS session is one anyway.
                "auth_require_tls": self._tls is not None and not self._implicit_tls,
            }
        if self._tls is not None and self._implicit_tls:
            options["ssl_context"] = self._tls.server_context()
        elif self._tls is not None:
            options["tls_context"] = self._tls.server_context()
            options["require_starttls"] = True
        self._controller = Controller(
            self._collector, hostname="127.0.0.1", port=self.port, **options
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> LoopbackSmtp:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
