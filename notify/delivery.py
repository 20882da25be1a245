"""Deliver outbox rows: over SMTP (settings from the environment or a prefect-email block)
or, with no settings, as .eml files in the outbox folder. One sender at a time (file lock);
the SMTP password never reaches a log line, an error or the database, nor the wire in the
clear: with a password, the session is encrypted (STARTTLS, or implicit TLS on port 465)
unless the operator opts out with COOPWATCH_SMTP_ALLOW_CLEARTEXT."""

from __future__ import annotations

import base64
import fcntl
import logging
import smtplib
import ssl
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import getaddresses
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

import duckdb

from common.atomic_write import write_atomically
from common.errors import BadSetting, DeliveryError, MailSettingsError
from common.redaction import redact, secret_forms, secret_values
from common.settings import (
    read_addresses,
    read_flag,
    read_secret,
    read_text,
    read_whole_number,
)
from notify.delivery_journal import DeliveryJournal
from notify.digest import chart_cid
from notify.digest_email import CHANGE_SET_HEADER, build_message, extract_chart
from warehouse.runs import outbox
from warehouse.runs.outbox import MAX_ATTEMPTS, OutboxRow

logger = logging.getLogger(__name__)

DEFAULT_SENDER = "coopwatch@localhost"
LOCK_NAME = ".send.lock"
IMPLICIT_TLS_PORT = 465
MAX_PORT = 65535
CLEARTEXT_VARIABLE = "COOPWATCH_SMTP_ALLOW_CLEARTEXT"
CA_FILE_VARIABLE = "COOPWATCH_SMTP_CA_FILE"


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send mail. The password is left out of repr (and so of logs).

    `use_ssl` is implicit TLS (port 465), `starttls` an upgrade of a plain session;
    `allow_cleartext` lets a password go over a session with neither (an explicit opt-out);
    `ca_file` is a PEM file of authorities to trust instead of the system's.
    """

    host: str
    port: int
    user: str | None
    password: str | None = field(repr=False)
    starttls: bool
    sender: str
    recipients: tuple[str, ...]
    use_ssl: bool = False
    timeout: float = 30.0
    allow_cleartext: bool = False
    ca_file: str | None = None

    @property
    def is_encrypted(self) -> bool:
        """True when the session is encrypted before any credential is sent."""
        return self.use_ssl or self.starttls

    def check_password_is_protected(self) -> None:
        """Raise MailSettingsError when a password would cross the network in the clear."""
        if self.password and not self.is_encrypted and not self.allow_cleartext:
            raise MailSettingsError(
                f"SMTP {self.host}:{self.port}: a password is set but the session would not "
                "be encrypted; turn COOPWATCH_SMTP_STARTTLS on, use port 465, or set "
                f"{CLEARTEXT_VARIABLE}=true to send it in the clear anyway"
            )

    def secrets(self) -> tuple[str, ...]:
        """Every form of the password that could surface in an SMTP error or trace: the
        password itself, its forms in common.redaction and its AUTH PLAIN / LOGIN encodings."""
        if not self.password:
            return ()
        user = self.user or ""
        forms = [
            *secret_forms(self.password),
            _b64(f"\0{user}\0{self.password}"),
            _b64(f"{user}\0{user}\0{self.password}"),
        ]
        return tuple(dict.fromkeys(f for f in forms if f))


@dataclass(frozen=True)
class DeliveryResult:
    """How one message went out: over SMTP, or written to an .eml file."""

    method: Literal["smtp", "eml"]
    recipients: tuple[str, ...]
    path: Path | None = None


@dataclass
class SendReport:
    """What one send_pending call did, row by row."""

    sent: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    gave_up: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    method: str = "eml"
    locked_out: bool = False

    @property
    def left_undelivered(self) -> bool:
        """True when an email is still pending (after an error, or because another sender
        held the lock) or failed for good during this send."""
        return self.locked_out or bool(self.retrying or self.gave_up)

    @property
    def status(self) -> str:
        """One line for the run record, e.g. 'sent 1 (smtp)' or 'sent 0, 1 pending (...)'."""
        if self.locked_out:
            return "skipped: another sender holds the outbox lock"
        if not (self.sent or self.retrying or self.gave_up):
            return "nothing to send"
        parts = [f"sent {len(self.sent)} ({self.method})"]
        if self.retrying:
            parts.append(f"{len(self.retrying)} pending after an error")
        if self.gave_up:
            parts.append(f"{len(self.gave_up)} failed for good")
        line = ", ".join(parts)
        if self.errors:
            line += f": {next(iter(self.errors.values()))}"
        return line


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


@contextmanager
def _as_mail_settings_error() -> Iterator[None]:
    """A malformed SMTP or mail variable is a MailSettingsError, like every bad mail setting."""
    try:
        yield
    except MailSettingsError:
        raise
    except BadSetting as error:
        raise MailSettingsError(str(error)) from None


def _mail_fields(environ: Mapping[str, str] | None, user: str | None) -> dict[str, Any]:
    """What either source of SMTP settings takes from the environment: the sender (else the
    SMTP user), the recipients, the cleartext opt-out and the CA file."""
    with _as_mail_settings_error():
        ca_file = read_text(CA_FILE_VARIABLE, environ=environ)
        if ca_file is not None and not Path(ca_file).is_file():
            raise BadSetting(f"{CA_FILE_VARIABLE}: {ca_file!r} is not a file (expected a PEM file)")
        return {
            "sender": read_text("COOPWATCH_MAIL_FROM", environ=environ) or user or DEFAULT_SENDER,
            "recipients": read_addresses("COOPWATCH_MAIL_TO", environ=environ),
            "allow_cleartext": read_flag(CLEARTEXT_VARIABLE, False, environ=environ),
            "ca_file": ca_file,
        }


def settings_from_env(environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
    """SMTP settings from COOPWATCH_SMTP_* and COOPWATCH_MAIL_* in `environ` (default: the
    process environment); None when no host is set (then mail goes to .eml files). Port 465
    (or COOPWATCH_SMTP_SSL) is implicit TLS; else, with a password, STARTTLS is on unless
    turned off, and a password over a plain session needs COOPWATCH_SMTP_ALLOW_CLEARTEXT."""
    with _as_mail_settings_error():
        host = read_text("COOPWATCH_SMTP_HOST", environ=environ)
        if host is None:
            return None
        password = read_secret("COOPWATCH_SMTP_PASSWORD", environ=environ)
        given_port = read_whole_number(
            "COOPWATCH_SMTP_PORT", None, least=1, expected="a port number", environ=environ
        )
        if given_port is not None and given_port > MAX_PORT:
            raise BadSetting(f"COOPWATCH_SMTP_PORT: {given_port} is not a port number (1 to 65535)")
        use_ssl = read_flag("COOPWATCH_SMTP_SSL", given_port == IMPLICIT_TLS_PORT, environ=environ)
        starttls = read_flag(
            "COOPWATCH_SMTP_STARTTLS", bool(password) and not use_ssl, environ=environ
        )
        user = read_text("COOPWATCH_SMTP_USER", environ=environ)
    port = given_port or (IMPLICIT_TLS_PORT if use_ssl else 587 if starttls else 25)
    settings = SmtpSettings(
        host=host,
        port=port,
        user=user,
        password=password,
        starttls=starttls and not use_ssl,
        use_ssl=use_ssl,
        **_mail_fields(environ, user),
    )
    settings.check_password_is_protected()
    return settings


def settings_from_credentials(
    credentials: Any, environ: Mapping[str, str] | None = None
) -> SmtpSettings:
    """SMTP settings from a prefect_email.EmailServerCredentials; the block holds no sender
    or recipients, so those come from COOPWATCH_MAIL_FROM / COOPWATCH_MAIL_TO."""
    server = getattr(credentials.smtp_server, "value", credentials.smtp_server)
    smtp_type = getattr(credentials.smtp_type, "name", str(credentials.smtp_type)).upper()
    port = credentials.smtp_port or getattr(credentials.smtp_type, "value", 25)
    password = credentials.password.get_secret_value() if credentials.password else None
    settings = SmtpSettings(
        host=str(server),
        port=int(port),
        user=credentials.username or None,
        password=password or None,
        starttls=smtp_type == "STARTTLS",
        use_ssl=smtp_type == "SSL",
        **_mail_fields(environ, credentials.username or None),
    )
    settings.check_password_is_protected()
    return settings


def settings_from_block(block_name: str, environ: Mapping[str, str] | None = None) -> SmtpSettings:
    """SMTP settings from the prefect-email EmailServerCredentials block `block_name`."""
    from prefect_email import EmailServerCredentials

    try:
        credentials = EmailServerCredentials.load(block_name)
    except ValueError:
        raise MailSettingsError(f"no EmailServerCredentials block named {block_name!r}") from None
    return settings_from_credentials(credentials, environ)


def wire_bytes(message: EmailMessage) -> bytes:
    """The message exactly as smtplib puts it on the wire (CRLF line ends): what the
    .eml file holds too, so both paths produce the same message."""
    buffer = BytesIO()
    BytesGenerator(buffer).flatten(message, linesep="\r\n")
    return buffer.getvalue()


def message_recipients(message: EmailMessage) -> tuple[str, ...]:
    """Addresses from the To and Cc headers."""
    headers = message.get_all("To", []) + message.get_all("Cc", [])
    return tuple(address for _, address in getaddresses(headers) if address)


def deliver(
    message: EmailMessage,
    settings: SmtpSettings | None,
    outbox_dir: Path,
    on_accepted: Callable[[], None] | None = None,
) -> DeliveryResult:
    """Send `message` over SMTP when settings are given, else write it to
    <outbox_dir>/<timestamp>-<change_set_id[:12]>.eml. Raises DeliveryError, redacted.
    `on_accepted` runs the moment the server has accepted it (before QUIT) or the file is
    written, so the acceptance is noted before anything else can fail."""
    recipients = message_recipients(message)
    if settings is None:
        path = write_eml(message, outbox_dir)
        if on_accepted is not None:
            on_accepted()
        return DeliveryResult("eml", recipients, path)
    if not recipients:
        raise DeliveryError("no recipients: set COOPWATCH_MAIL_TO or pass recipients to the run")
    _send_smtp(message, settings, recipients, on_accepted)
    return DeliveryResult("smtp", recipients)


def write_eml(message: EmailMessage, outbox_dir: Path) -> Path:
    """Write the message as an .eml file, atomically (temp file then rename)."""
    outbox_dir.mkdir(parents=True, exist_ok=True)
    change_set = (message.get(CHANGE_SET_HEADER) or "message")[:12]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = outbox_dir / f"{stamp}-{change_set}.eml"
    write_atomically(path, wire_bytes(message))
    logger.info("wrote change set %s to %s", change_set, path)
    return path


def _send_smtp(
    message: EmailMessage,
    settings: SmtpSettings,
    recipients: tuple[str, ...],
    on_accepted: Callable[[], None] | None = None,
) -> None:
    where = f"SMTP {settings.host}:{settings.port}"
    try:
        settings.check_password_is_protected()
    except MailSettingsError as error:
        raise DeliveryError(str(error)) from None
    smtp = _connect(settings, where)
    try:
        _secure_and_log_in(smtp, settings, where)
        refused = smtp.send_message(message, from_addr=settings.sender, to_addrs=list(recipients))
    except (smtplib.SMTPException, OSError, ValueError) as error:
        raise DeliveryError(_describe(where, error, settings)) from None
    else:
        if on_accepted is not None:
            on_accepted()
    finally:
        _quit_quietly(smtp)
    if refused:
        logger.warning("%s refused some recipients: %s", where, ", ".join(sorted(refused)))
    logger.info(
        "sent change set %s via %s to %d recipient(s)",
        message.get(CHANGE_SET_HEADER),
        where,
        len(recipients) - len(refused),
    )


def _connect(settings: SmtpSettings, where: str) -> smtplib.SMTP:
    """Open the SMTP session (over TLS when the settings ask for it); a failure is a
    `DeliveryError` naming the server."""
    try:
        if settings.use_ssl:
            return smtplib.SMTP_SSL(
                settings.host,
                settings.port,
                timeout=settings.timeout,
                context=ssl.create_default_context(cafile=settings.ca_file),
            )
        return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(_describe(where, error, settings)) from None


def _secure_and_log_in(smtp: smtplib.SMTP, settings: SmtpSettings, where: str) -> None:
    """Upgrade the session with STARTTLS and log in, as the settings ask; refuse to go on
    unencrypted when STARTTLS is asked for and the server does not offer it."""
    if settings.starttls:
        smtp.ehlo()
        if not smtp.has_extn("starttls"):
            raise DeliveryError(
                f"{where}: the server offers no STARTTLS, so nothing was sent "
                "(the session must be encrypted first)"
            )
        smtp.starttls(context=ssl.create_default_context(cafile=settings.ca_file))
    if settings.user:
        smtp.login(settings.user, settings.password or "")


def _quit_quietly(smtp: smtplib.SMTP) -> None:
    """Close the session; once the message is accepted, a failing QUIT must not turn a
    delivery into an error (that would send it again next run)."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _describe(where: str, error: BaseException, settings: SmtpSettings) -> str:
    return redact(f"{where}: {type(error).__name__}: {error}", settings.secrets() + secret_values())


@contextmanager
def exclusive_lock(path: Path, timeout: float) -> Iterator[bool]:
    """Hold an exclusive flock on `path` (True), or yield False after `timeout` seconds
    when another sender keeps it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.05)
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def message_for_row(row: OutboxRow, settings: SmtpSettings | None) -> EmailMessage:
    """Rebuild the email of an outbox row: stored parts, chart re-attached inline."""
    html, png = extract_chart(row.body_html, chart_cid(row.change_set_id))
    recipients = row.recipients or (settings.recipients if settings else ())
    sender = settings.sender if settings else read_text("COOPWATCH_MAIL_FROM", DEFAULT_SENDER)
    return build_message(
        subject=row.subject,
        text=row.body_text,
        html=html,
        sender=sender,
        recipients=recipients,
        change_set_id=row.change_set_id,
        chart_png=png,
        chart_cid=chart_cid(row.change_set_id),
    )


def _delivered_before(
    con: duckdb.DuckDBPyConnection, change_set_id: str, journal: DeliveryJournal, report: SendReport
) -> bool:
    """Whether the journal says the server accepted this change set already; if so it is
    marked sent and counted, never sent again."""
    if not journal.was_delivered(change_set_id):
        return False
    # Accepted by a run whose write was then lost (killed, disk full): mark it.
    logger.info("change set %s was delivered already; marked sent", change_set_id)
    outbox.mark_sent(con, change_set_id, datetime.now(UTC).replace(tzinfo=None))
    report.sent.append(change_set_id)
    return True


def _delivery_noted(
    con: duckdb.DuckDBPyConnection,
    change_set_id: str,
    journal: DeliveryJournal,
    report: SendReport,
    max_attempts: int,
) -> bool:
    """Note in the journal that a delivery begins; when it cannot be noted, nothing is sent
    and the row stays pending with the error (False)."""
    try:
        journal.begin(change_set_id)
    except OSError as error:
        message = f"{journal.folder}: cannot note the delivery, nothing sent: {error}"
        outbox.mark_failed(con, change_set_id, message, max_attempts=max_attempts)
        report.errors[change_set_id] = message
        report.retrying.append(change_set_id)
        return False
    return True


def send_pending(
    con: duckdb.DuckDBPyConnection,
    *,
    settings: SmtpSettings | None,
    outbox_dir: Path,
    lock_path: Path | None = None,
    lock_timeout: float = 60.0,
    max_attempts: int = MAX_ATTEMPTS,
) -> SendReport:
    """Send every pending outbox row once, under an exclusive file lock, re-checking each
    row's status under the lock; a failure leaves the row pending with attempts and error."""
    outbox_dir = Path(outbox_dir)
    journal = DeliveryJournal(outbox_dir)
    report = SendReport(method="smtp" if settings else "eml")
    with exclusive_lock(lock_path or outbox_dir / LOCK_NAME, lock_timeout) as locked:
        if not locked:
            report.locked_out = True
            logger.warning("outbox lock held by another sender; pending rows wait for it")
            return report
        for row in outbox.pending(con):
            current = outbox.get(con, row.change_set_id)
            if current is None or current.status != "pending":
                continue
            if _delivered_before(con, row.change_set_id, journal, report):
                continue
            if not _delivery_noted(con, row.change_set_id, journal, report, max_attempts):
                continue
            try:
                deliver(
                    message_for_row(current, settings),
                    settings,
                    outbox_dir,
                    on_accepted=lambda change_set_id=row.change_set_id: journal.accepted(
                        change_set_id
                    ),
                )
            except (DeliveryError, ValueError) as error:
                journal.abandon(row.change_set_id)
                secrets = (settings.secrets() if settings else ()) + secret_values()
                message = redact(str(error), secrets)
                status = outbox.mark_failed(
                    con, row.change_set_id, message, max_attempts=max_attempts
                )
                report.errors[row.change_set_id] = message
                (report.gave_up if status == "failed" else report.retrying).append(
                    row.change_set_id
                )
                logger.warning("change set %s not delivered: %s", row.change_set_id[:12], message)
                continue
            outbox.mark_sent(con, row.change_set_id, datetime.now(UTC).replace(tzinfo=None))
            report.sent.append(row.change_set_id)
    return report
