"""The SMTP password never crosses the network in the clear: against a real aiosmtpd server
on loopback with a self-signed certificate made in the test, a password means STARTTLS (or
implicit TLS), a plain session with a password is refused before connecting, and a server
that offers no STARTTLS gets no password and no message."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from smtp_server import LoopbackSmtp
from test_notify_delivery import queue
from tls_cert import SelfSignedCertificate, make_certificate
from typer.testing import CliRunner

from common.errors import DeliveryError, MailSettingsError
from flows.cli import app
from notify.delivery import deliver, message_for_row, send_pending, settings_from_env
from warehouse.db.schema import connect
from warehouse.runs import outbox

# The plain test servers below require AUTH without TLS on purpose: that is what is refused.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
PASSWORD = "tls-only-Pa55"
runner = CliRunner()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> SelfSignedCertificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    connect(tmp_path / "cw.duckdb").close()
    return tmp_path / "cw.duckdb"


@pytest.fixture
def con(db: Path):
    connection = duckdb.connect(str(db))
    yield connection
    connection.close()


def environment(port: int, certificate: SelfSignedCertificate | None, **extra: str) -> dict:
    settings = {
        "COOPWATCH_SMTP_HOST": "127.0.0.1",
        "COOPWATCH_SMTP_PORT": str(port),
        "COOPWATCH_SMTP_USER": "coop",
        "COOPWATCH_SMTP_PASSWORD": PASSWORD,
        "COOPWATCH_MAIL_TO": "analyst@example.org",
    }
    if certificate is not None:
        settings["COOPWATCH_SMTP_CA_FILE"] = str(certificate.cert_path)
    settings.update(extra)
    return settings


def test_a_password_turns_starttls_on_by_default(con, tmp_path, certificate) -> None:
    change_set = queue(con)
    with LoopbackSmtp(password=PASSWORD, tls=certificate) as server:
        settings = settings_from_env(environment(server.port, certificate))
        report = send_pending(con, settings=settings, outbox_dir=tmp_path / "o")
    assert settings.starttls and not settings.use_ssl
    assert report.sent == [change_set], report.errors
    assert [attempt.encrypted for attempt in server.auths] == [True]
    assert len(server.received) == 1


def test_implicit_tls_sends_over_tls_from_the_first_byte(con, tmp_path, certificate) -> None:
    change_set = queue(con)
    with LoopbackSmtp(password=PASSWORD, tls=certificate, implicit_tls=True) as server:
        settings = settings_from_env(
            environment(server.port, certificate, COOPWATCH_SMTP_SSL="true")
        )
        report = send_pending(con, settings=settings, outbox_dir=tmp_path / "o")
    assert settings.use_ssl and not settings.starttls
    assert report.sent == [change_set], report.errors
    assert [attempt.encrypted for attempt in server.auths] == [True]


def test_port_465_means_implicit_tls() -> None:
    settings = settings_from_env(environment(465, None))
    assert (settings.use_ssl, settings.starttls) == (True, False)
    assert settings_from_env({**environment(0, None), "COOPWATCH_SMTP_PORT": ""}).port == 587


def test_a_password_over_a_plain_session_is_refused_naming_the_opt_out() -> None:
    with pytest.raises(MailSettingsError, match="COOPWATCH_SMTP_ALLOW_CLEARTEXT=true"):
        settings_from_env(environment(2525, None, COOPWATCH_SMTP_STARTTLS="false"))


def test_notify_with_a_cleartext_password_is_one_line_and_sends_nothing(
    db, con, tmp_path, monkeypatch
) -> None:
    change_set = queue(con)
    con.close()
    with LoopbackSmtp(password=PASSWORD) as server:
        for name, value in environment(server.port, None, COOPWATCH_SMTP_STARTTLS="0").items():
            monkeypatch.setenv(name, value)
        result = runner.invoke(app, ["notify", "--db", str(db), "--outbox", str(tmp_path / "o")])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1
    assert len(lines) == 1 and "COOPWATCH_SMTP_ALLOW_CLEARTEXT" in lines[0]
    assert PASSWORD not in result.output
    assert server.auths == [] and server.received == []
    reopened = duckdb.connect(str(db), read_only=True)
    try:
        assert outbox.get(reopened, change_set).status == "pending"
    finally:
        reopened.close()


def test_a_server_without_starttls_gets_no_password_and_no_message(con, tmp_path) -> None:
    change_set = queue(con)
    with LoopbackSmtp(password=PASSWORD) as server:
        settings = settings_from_env(environment(server.port, None))
        report = send_pending(con, settings=settings, outbox_dir=tmp_path / "o")
    assert settings.starttls
    assert report.retrying == [change_set]
    assert "offers no STARTTLS, so nothing was sent" in report.errors[change_set]
    assert server.auths == [] and server.received == []


def test_an_untrusted_certificate_is_refused(con, tmp_path, certificate) -> None:
    change_set = queue(con)
    with LoopbackSmtp(password=PASSWORD, tls=certificate) as server:
        settings = settings_from_env(environment(server.port, None))
        with pytest.raises(DeliveryError, match="CERTIFICATE_VERIFY_FAILED"):
            deliver(message_for_row(outbox.get(con, change_set), settings), settings, tmp_path)
    assert server.auths == [] and server.received == []


def test_the_explicit_opt_out_sends_the_password_in_the_clear(con, tmp_path) -> None:
    change_set = queue(con)
    with LoopbackSmtp(password=PASSWORD) as server:
        settings = settings_from_env(
            environment(
                server.port,
                None,
                COOPWATCH_SMTP_STARTTLS="false",
                COOPWATCH_SMTP_ALLOW_CLEARTEXT="true",
            )
        )
        report = send_pending(con, settings=settings, outbox_dir=tmp_path / "o")
    assert report.sent == [change_set], report.errors
    assert [attempt.encrypted for attempt in server.auths] == [False]


def test_an_insecure_prefect_email_block_with_a_password_is_refused() -> None:
    from prefect_email import EmailServerCredentials

    from notify.delivery import settings_from_credentials

    block = EmailServerCredentials(
        username="coop", password=PASSWORD, smtp_server="smtp.example.org", smtp_type="INSECURE"
    )
    with pytest.raises(MailSettingsError, match="COOPWATCH_SMTP_ALLOW_CLEARTEXT"):
        settings_from_credentials(block, {})
    allowed = settings_from_credentials(block, {"COOPWATCH_SMTP_ALLOW_CLEARTEXT": "yes"})
    assert allowed.allow_cleartext and not allowed.is_encrypted
