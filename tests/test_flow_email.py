"""The change email end to end: the nightly flow, a real SMTP server on loopback, and the outbox."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from bundled_nightly import bundled_nightly

from flows.nightly import RunFailed
from tests.conftest import CORPUS_DIR
from tests.smtp_server import LoopbackSmtp, free_port

INJECTED = "<script>alert('coopwatch')</script>"


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled corpus whose 2022 African Union section opens with a script tag.

    The AU section is present in both editions and the most rewritten, so its added
    sentences lead the email's redline.
    """
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, folder)
    edition = folder / "A-77-277_fr.pdf.txt"
    text = edition.read_text(encoding="utf-8")
    marker = "5. L’ONU a poursuivi son"
    assert text.count(marker) == 1
    edition.write_text(
        text.replace(marker, f"5. {INJECTED}. L’ONU a poursuivi son", 1), encoding="utf-8"
    )
    monkeypatch.setenv("COOPWATCH_CORPUS", str(folder))
    return folder


@pytest.fixture
def smtp_env(monkeypatch: pytest.MonkeyPatch) -> int:
    """SMTP settings in the environment, on a free loopback port; returns the port."""
    port = free_port()
    monkeypatch.setenv("COOPWATCH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("COOPWATCH_SMTP_PORT", str(port))
    monkeypatch.setenv("COOPWATCH_MAIL_FROM", "coopwatch@example.org")
    monkeypatch.setenv("COOPWATCH_MAIL_TO", "analyst@example.org,desk@example.org")
    return port


def _outbox_statuses(tmp_path: Path) -> list[str]:
    con = duckdb.connect(str(tmp_path / "cw.duckdb"), read_only=True)
    try:
        return [
            row[0]
            for row in con.execute("SELECT status FROM outbox ORDER BY created_at").fetchall()
        ]
    finally:
        con.close()


def test_two_runs_send_exactly_one_digest(prefect_harness, tmp_path, corpus, smtp_env) -> None:
    server = LoopbackSmtp(smtp_env).start()
    try:
        bundled_nightly(tmp_path)
        bundled_nightly(tmp_path)
    finally:
        server.stop()
    assert len(server.received) == 1
    message = server.received[0].message
    assert set(server.received[0].rcpt_tos) == {"analyst@example.org", "desk@example.org"}
    subject = message["Subject"]
    assert "A/77/277" in subject and "A/73/328" in subject and "OECD" in subject
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "OECD" in plain and "CPLP" in plain and "section vanished" in plain
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 1
    assert f"cid:{images[0]['Content-ID'].strip('<>')}" in html
    assert "&lt;script&gt;" in html
    assert INJECTED not in html
    assert not list((tmp_path / "outbox").glob("*.eml"))


def test_digest_waits_while_smtp_is_down_then_goes_once(
    prefect_harness, tmp_path, smtp_env
) -> None:
    bundled_nightly(tmp_path)
    assert _outbox_statuses(tmp_path) == ["pending"]
    server = LoopbackSmtp(smtp_env).start()
    try:
        bundled_nightly(tmp_path)
        bundled_nightly(tmp_path)
    finally:
        server.stop()
    assert len(server.received) == 1
    assert _outbox_statuses(tmp_path) == ["sent"]


def test_failure_alert_then_recovery(prefect_harness, tmp_path, corpus, smtp_env) -> None:
    server = LoopbackSmtp(smtp_env).start()
    edition = corpus / "A-77-277_fr.pdf.txt"
    good = edition.read_bytes()
    try:
        bundled_nightly(tmp_path)
        edition.write_bytes(b"\x00\x01 not a report \x00")
        with pytest.raises(RunFailed):
            bundled_nightly(tmp_path)
        with pytest.raises(RunFailed):
            bundled_nightly(tmp_path)
        edition.write_bytes(good)
        bundled_nightly(tmp_path)
        bundled_nightly(tmp_path)
    finally:
        server.stop()
    subjects = [received.message["Subject"] for received in server.received]
    assert len(subjects) == 3, subjects
    assert "A/77/277" in subjects[0]
    assert "fail" in subjects[1].lower()
    assert "recover" in subjects[2].lower()
    con = duckdb.connect(str(tmp_path / "cw.duckdb"), read_only=True)
    try:
        statuses = [
            row[0] for row in con.execute("SELECT status FROM runs ORDER BY started_at").fetchall()
        ]
    finally:
        con.close()
    assert statuses == ["completed", "failed", "failed", "completed", "completed"]
