"""Outbox delivery against a real SMTP server on loopback: one message per change set,
retries when the server is down, one sender at a time, and no password anywhere."""

from __future__ import annotations

import logging
import threading
from email import message_from_bytes, policy
from pathlib import Path

import duckdb
import pytest
from smtp_server import LoopbackSmtp, free_port
from test_notify_digest import NEW, OLD, sample_digest
from tls_cert import make_certificate

from common.errors import DeliveryError, MailSettingsError
from notify.delivery import (
    SmtpSettings,
    deliver,
    exclusive_lock,
    message_for_row,
    redact,
    send_pending,
    settings_from_credentials,
    settings_from_env,
    wire_bytes,
)
from warehouse.db.schema import connect
from warehouse.runs import outbox

PASSWORD = "s3cr3t-Pa55!word"
RECIPIENTS = ["analyst@example.org", "desk@example.org"]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    connect(tmp_path / "cw.duckdb").close()
    return tmp_path / "cw.duckdb"


@pytest.fixture
def con(db: Path):
    connection = duckdb.connect(str(db))
    yield connection
    connection.close()


def smtp_settings(
    port: int,
    *,
    user: str | None = None,
    password: str | None = None,
    starttls: bool = False,
    ca_file: str | None = None,
):
    return SmtpSettings(
        host="127.0.0.1",
        port=port,
        user=user,
        password=password,
        starttls=starttls,
        sender="coopwatch@example.org",
        recipients=tuple(RECIPIENTS),
        timeout=5.0,
        ca_file=ca_file,
    )


def queue(con, digest=None) -> str:
    digest = digest or sample_digest()
    queued = outbox.enqueue(
        con, digest, old_symbol=OLD, new_symbol=NEW, recipients=RECIPIENTS, run_id="run-1"
    )
    assert queued
    return digest.change_set_id


def test_one_message_per_change_set_with_both_parts_and_the_chart(con, tmp_path) -> None:
    change_set = queue(con)
    assert not outbox.enqueue(
        con, sample_digest(), old_symbol=OLD, new_symbol=NEW, recipients=RECIPIENTS, run_id="r2"
    )
    with LoopbackSmtp() as server:
        first = send_pending(con, settings=smtp_settings(server.port), outbox_dir=tmp_path / "o")
        second = send_pending(con, settings=smtp_settings(server.port), outbox_dir=tmp_path / "o")
    assert first.sent == [change_set] and first.status == "sent 1 (smtp)"
    assert second.sent == [] and second.status == "nothing to send"
    assert len(server.received) == 1
    received = server.received[0]
    assert sorted(received.rcpt_tos) == sorted(RECIPIENTS)
    message = received.message
    assert message.get_content_type() == "multipart/alternative"
    assert "OECD" in message["Subject"] and "CPLP" in message["Subject"]
    plain = message.get_body(("plain",)).get_content()
    # Labels are English (the reference data's names), whatever names the warehouse holds.
    assert "Organisation for Economic Co-operation and Development (OECD): appeared" in plain
    assert "Community of Portuguese-speaking Countries (CPLP): vanished" in plain
    related = message.get_payload()[1]
    assert related.get_content_type() == "multipart/related"
    html_part, image = related.get_payload()
    html = html_part.get_content()
    cid = image["Content-ID"].strip("<>")
    assert image.get_content_type() == "image/png"
    assert image.get_content().startswith(b"\x89PNG")
    assert f'src="cid:{cid}"' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    row = outbox.get(con, change_set)
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)


def test_eml_and_smtp_paths_produce_the_same_message(con, tmp_path) -> None:
    change_set = queue(con)
    message = message_for_row(outbox.get(con, change_set), smtp_settings(1))
    written = deliver(message, None, tmp_path / "outbox")
    with LoopbackSmtp() as server:
        sent = deliver(message, smtp_settings(server.port), tmp_path / "outbox")
    assert written.method == "eml" and sent.method == "smtp"
    assert written.path.name.endswith(f"-{change_set[:12]}.eml")
    assert written.path.read_bytes() == wire_bytes(message)
    assert server.received[0].data.rstrip(b"\r\n") == written.path.read_bytes().rstrip(b"\r\n")


def test_without_settings_pending_rows_become_eml_files(con, tmp_path) -> None:
    change_set = queue(con)
    report = send_pending(con, settings=None, outbox_dir=tmp_path / "outbox")
    again = send_pending(con, settings=None, outbox_dir=tmp_path / "outbox")
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert report.sent == [change_set] and again.sent == []
    assert len(files) == 1
    message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["X-CoopWatch-Change-Set"].strip() == change_set
    assert message.get_body(("html",)) is not None


def test_server_down_leaves_the_row_pending_then_sends_it_once(con, tmp_path) -> None:
    change_set = queue(con)
    port = free_port()
    down = send_pending(con, settings=smtp_settings(port), outbox_dir=tmp_path / "o")
    row = outbox.get(con, change_set)
    assert down.retrying == [change_set] and down.sent == []
    assert (row.status, row.attempts) == ("pending", 1)
    assert f"SMTP 127.0.0.1:{port}: ConnectionRefusedError" in row.last_error
    with LoopbackSmtp(port) as server:
        up = send_pending(con, settings=smtp_settings(port), outbox_dir=tmp_path / "o")
        later = send_pending(con, settings=smtp_settings(port), outbox_dir=tmp_path / "o")
    assert up.sent == [change_set] and later.sent == []
    assert len(server.received) == 1
    assert outbox.get(con, change_set).status == "sent"


def test_row_gives_up_after_max_attempts(con, tmp_path) -> None:
    change_set = queue(con)
    settings = smtp_settings(free_port())
    reports = [
        send_pending(con, settings=settings, outbox_dir=tmp_path, max_attempts=2) for _ in range(3)
    ]
    assert [r.status.split(":")[0] for r in reports] == [
        "sent 0 (smtp), 1 pending after an error",
        "sent 0 (smtp), 1 failed for good",
        "nothing to send",
    ]
    assert outbox.get(con, change_set).status == "failed"


def test_overlapping_senders_send_each_row_once(db, tmp_path) -> None:
    setup = duckdb.connect(str(db))
    queue(setup)
    setup.close()
    barrier = threading.Barrier(2)
    reports = []
    with LoopbackSmtp() as server:

        def run() -> None:
            connection = duckdb.connect(str(db))
            try:
                barrier.wait()
                reports.append(
                    send_pending(
                        connection, settings=smtp_settings(server.port), outbox_dir=tmp_path / "o"
                    )
                )
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert len(server.received) == 1
    assert sorted(len(r.sent) for r in reports) == [0, 1]


def test_a_held_lock_makes_the_sender_wait_then_skip(con, tmp_path) -> None:
    change_set = queue(con)
    lock = tmp_path / "o" / ".send.lock"
    with exclusive_lock(lock, timeout=1) as held:
        assert held
        report = send_pending(con, settings=None, outbox_dir=tmp_path / "o", lock_timeout=0.2)
    assert report.locked_out and report.sent == []
    assert outbox.get(con, change_set).status == "pending"
    assert send_pending(con, settings=None, outbox_dir=tmp_path / "o").sent == [change_set]


def test_password_never_in_errors_logs_or_database(con, tmp_path, caplog) -> None:
    change_set = queue(con)
    caplog.set_level(logging.DEBUG)
    certificate = make_certificate(tmp_path / "tls")
    tls = {"starttls": True, "ca_file": str(certificate.cert_path)}
    with LoopbackSmtp(password="the-right-one", tls=certificate) as server:
        settings = smtp_settings(server.port, user="coop", password=PASSWORD, **tls)
        report = send_pending(con, settings=settings, outbox_dir=tmp_path / "o")
        with pytest.raises(DeliveryError) as raised:
            deliver(message_for_row(outbox.get(con, change_set), settings), settings, tmp_path)
        good = smtp_settings(server.port, user="coop", password="the-right-one", **tls)
        assert send_pending(con, settings=good, outbox_dir=tmp_path / "o").sent == [change_set]
    assert report.retrying == [change_set]
    assert "SMTPAuthenticationError" in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    stored = con.execute("SELECT * FROM outbox").fetchall()
    # aiosmtpd's own "mail.log" echoes the AUTH exchange; that is the test server, not us.
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail"))
    assert "SMTPAuthenticationError" in ours
    for text in (str(raised.value), report.status, ours, repr(settings), str(stored)):
        for secret in settings.secrets():
            assert secret not in text
    assert len(server.received) == 1


def test_redact_hides_the_password_and_its_auth_encodings() -> None:
    settings = smtp_settings(25, user="coop", password=PASSWORD)
    leaky = " | ".join(settings.secrets())
    assert redact(f"reply: {leaky}", settings.secrets()).count("***") == len(settings.secrets())
    assert PASSWORD not in redact(f"bad {PASSWORD}", settings.secrets())


def test_settings_from_env_reads_every_variable() -> None:
    settings = settings_from_env(
        {
            "COOPWATCH_SMTP_HOST": "smtp.example.org",
            "COOPWATCH_SMTP_PORT": "2525",
            "COOPWATCH_SMTP_USER": "coop",
            "COOPWATCH_SMTP_PASSWORD": PASSWORD,
            "COOPWATCH_SMTP_STARTTLS": "true",
            "COOPWATCH_MAIL_FROM": "watch@example.org",
            "COOPWATCH_MAIL_TO": " a@example.org, ,b@example.org ",
        }
    )
    assert (settings.host, settings.port, settings.user, settings.starttls) == (
        "smtp.example.org",
        2525,
        "coop",
        True,
    )
    assert settings.password == PASSWORD and PASSWORD not in repr(settings)
    assert settings.sender == "watch@example.org"
    assert settings.recipients == ("a@example.org", "b@example.org")


def test_settings_from_env_defaults_and_errors() -> None:
    assert settings_from_env({}) is None
    assert settings_from_env({"COOPWATCH_SMTP_HOST": "h"}).port == 25
    assert (
        settings_from_env({"COOPWATCH_SMTP_HOST": "h", "COOPWATCH_SMTP_STARTTLS": "1"}).port == 587
    )
    with pytest.raises(MailSettingsError, match="COOPWATCH_SMTP_PORT"):
        settings_from_env({"COOPWATCH_SMTP_HOST": "h", "COOPWATCH_SMTP_PORT": "smtp"})
    with pytest.raises(MailSettingsError, match="COOPWATCH_SMTP_STARTTLS"):
        settings_from_env({"COOPWATCH_SMTP_HOST": "h", "COOPWATCH_SMTP_STARTTLS": "maybe"})


def test_settings_from_a_prefect_email_block() -> None:
    from prefect_email import EmailServerCredentials

    block = EmailServerCredentials(
        username="coop@example.org",
        password=PASSWORD,
        smtp_server="smtp.example.org",
        smtp_type="STARTTLS",
    )
    settings = settings_from_credentials(block, {"COOPWATCH_MAIL_TO": "a@example.org"})
    assert (settings.host, settings.port, settings.starttls, settings.use_ssl) == (
        "smtp.example.org",
        587,
        True,
        False,
    )
    assert settings.password == PASSWORD and settings.sender == "coop@example.org"
    assert settings.recipients == ("a@example.org",)


def test_send_outbox_leaves_the_warehouse_file_alone_when_nothing_is_pending(
    db: Path, tmp_path: Path, monkeypatch
) -> None:
    from flows.notify_tasks import send_outbox

    monkeypatch.delenv("COOPWATCH_SMTP_HOST", raising=False)
    inode = db.stat().st_ino
    assert send_outbox.fn(db, tmp_path / "outbox", None) == "nothing to send"
    assert db.stat().st_ino == inode
    connection = duckdb.connect(str(db))
    change_set = queue(connection)
    connection.close()
    assert send_outbox.fn(db, tmp_path / "outbox", None) == "sent 1 (eml)"
    assert db.stat().st_ino != inode
    written = [path.name for path in (tmp_path / "outbox").glob("*.eml")]
    assert len(written) == 1 and written[0].endswith(f"Z-{change_set[:12]}.eml")
