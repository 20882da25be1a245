"""A run you can trust on the bundled editions (issue 11): subscriptions, the gate, reparse
after a parser version bump, `notify --dry-run`, `status`, and settings files checked before
any work. Mail goes to a real SMTP server on loopback."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import extractors.report.report_parser
from flows.cli import app
from flows.nightly import nightly
from pipeline.settings_check import RunRefused
from tests.smtp_server import LoopbackSmtp, free_port

pytestmark = pytest.mark.timeout(240)
runner = CliRunner()

SUBSCRIPTIONS = """\
recipients:
  oecd-desk@example.org:
    organizations: [OECD]
  cplp-desk@example.org:
    organizations: [CPLP]
  ecowas-desk@example.org:
    organizations: [ECOWAS]
"""
DROPPED_PARAGRAPH = 41


def _smtp_env(patch: pytest.MonkeyPatch, port: int) -> None:
    patch.setenv("COOPWATCH_SMTP_HOST", "127.0.0.1")
    patch.setenv("COOPWATCH_SMTP_PORT", str(port))
    patch.setenv("COOPWATCH_MAIL_FROM", "coopwatch@example.org")
    patch.setenv("COOPWATCH_MAIL_TO", "ops@example.org")


def _run(folder: Path, **extra) -> dict:
    return nightly(
        source="bundled",
        db_path=str(folder / "cw.duckdb"),
        outbox_dir=str(folder / "outbox"),
        reports_dir=str(folder / "reports"),
        **extra,
    )


def _query(db: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, parameters or []).fetchall()
    finally:
        con.close()


@dataclass
class Subscribed:
    folder: Path
    subscriptions: Path
    result: dict
    mails: list

    @property
    def db(self) -> Path:
        return self.folder / "cw.duckdb"


@pytest.fixture(scope="module")
def subscribed(tmp_path_factory, prefect_harness) -> Iterator[Subscribed]:
    """One cold bundled run with three subscribers, mail on a loopback SMTP server."""
    folder = tmp_path_factory.mktemp("subscribed")
    subscriptions = folder / "subscriptions.yaml"
    subscriptions.write_text(SUBSCRIPTIONS, encoding="utf-8")
    port = free_port()
    with pytest.MonkeyPatch.context() as patch, LoopbackSmtp(port) as smtp:
        _smtp_env(patch, port)
        result = _run(folder, subscriptions=str(subscriptions))
        yield Subscribed(folder, subscriptions, result, list(smtp.received))


def test_subscribers_get_digests_of_what_they_follow_and_one_gets_none(
    subscribed: Subscribed,
) -> None:
    by_recipient = {mail.rcpt_tos: mail.message for mail in subscribed.mails}
    assert set(by_recipient) == {("oecd-desk@example.org",), ("cplp-desk@example.org",)}
    oecd = by_recipient[("oecd-desk@example.org",)]
    cplp = by_recipient[("cplp-desk@example.org",)]
    assert oecd["X-CoopWatch-Change-Set"] != cplp["X-CoopWatch-Change-Set"]
    assert "OECD" in oecd.get_body(preferencelist=("plain",)).get_content()
    assert "CPLP" not in oecd.get_body(preferencelist=("plain",)).get_content()
    assert "CPLP" in cplp.get_body(preferencelist=("plain",)).get_content()
    assert subscribed.result["counts"]["digests_queued"] == 2


def test_notify_dry_run_writes_every_recipients_message_and_sends_nothing(
    subscribed: Subscribed, tmp_path: Path
) -> None:
    before = _query(subscribed.db, "SELECT change_set_id, status FROM outbox ORDER BY 1")
    preview = tmp_path / "preview"
    result = runner.invoke(
        app,
        [
            "notify",
            "--dry-run",
            "--db",
            str(subscribed.db),
            "--outbox",
            str(preview),
            "--subscriptions",
            str(subscribed.subscriptions),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "2 message(s) written, none sent" in result.output
    written = sorted(path.name.split("-", 1)[1] for path in preview.glob("*.eml"))
    assert written == ["cplp-desk_example.org.eml", "oecd-desk_example.org.eml"]
    assert _query(subscribed.db, "SELECT change_set_id, status FROM outbox ORDER BY 1") == before


def test_status_json_has_the_documented_keys(subscribed: Subscribed) -> None:
    result = runner.invoke(app, ["status", "--json", "--db", str(subscribed.db)])
    assert result.exit_code == 0, result.output
    state = json.loads(result.output)
    assert set(state) == {
        "editions",
        "next_edition_expected",
        "overdue",
        "last_success",
        "reissues",
        "suspect_absences",
        "rechecks",
        "failed_gates",
        "companions",
        "mandate_coverage",
    }
    newest = state["editions"][-1]
    assert (newest["symbol"], newest["previous"]) == ("A/77/277", "A/73/328")
    assert 0 < newest["similarity_to_previous"] < 1
    assert state["failed_gates"] == [] and state["suspect_absences"] == []
    text = runner.invoke(app, ["status", "--db", str(subscribed.db)])
    assert text.exit_code == 0 and "Next edition expected:" in text.output


def test_bundled_run_sends_no_calendar_alert_without_a_calendar_file(
    subscribed: Subscribed,
) -> None:
    assert _query(subscribed.db, "SELECT count(*) FROM alerts WHERE kind = 'edition_overdue'") == [
        (0,)
    ]


def test_parser_version_bump_then_reparse_produces_no_change_events(
    subscribed: Subscribed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "cw.duckdb"
    shutil.copy(subscribed.db, db)
    events_sql = "SELECT * EXCLUDE (run_id) FROM change_events ORDER BY ALL"
    events, outbox = _query(db, events_sql), _query(db, "SELECT * FROM outbox ORDER BY ALL")
    before = extractors.report.report_parser.PARSER_VERSION
    monkeypatch.setattr("extractors.report.report_parser.PARSER_VERSION", "report-9.9")
    result = runner.invoke(app, ["reparse", "--all", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert (
        result.output.count(f"{before} -> report-9.9; derived rows rewritten, content unchanged")
        == 2
    )
    assert "2 re-derived, 0 with changed content, 0 diff(s) stored again" in result.output
    assert _query(db, events_sql) == events
    assert _query(db, "SELECT * FROM outbox ORDER BY ALL") == outbox
    assert _query(db, "SELECT DISTINCT parser_version FROM documents") == [("report-9.9",)]
    assert _query(db, "SELECT DISTINCT parser_version FROM paragraphs") == [("report-9.9",)]
    again = runner.invoke(app, ["reparse", "A/77/277", "--db", str(db)])
    assert "A/77/277 (fr): already derived by report-9.9, unchanged" in again.output


def test_parser_version_bump_in_a_nightly_run_mails_nothing(
    subscribed: Subscribed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(subscribed.db, tmp_path / "cw.duckdb")
    db = tmp_path / "cw.duckdb"
    events_sql = "SELECT * EXCLUDE (run_id) FROM change_events ORDER BY ALL"
    events, outbox = _query(db, events_sql), _query(db, "SELECT count(*) FROM outbox")
    monkeypatch.setattr("extractors.report.report_parser.PARSER_VERSION", "report-9.9")
    result = _run(tmp_path, subscriptions=str(subscribed.subscriptions))
    assert result["counts"]["reparsed"] == 2
    assert result["counts"].get("change_events", 0) == 0
    assert _query(db, events_sql) == events
    assert _query(db, "SELECT count(*) FROM outbox") == outbox


def test_reparse_needs_a_symbol_or_all(subscribed: Subscribed) -> None:
    result = runner.invoke(app, ["reparse", "--db", str(subscribed.db)])
    assert result.exit_code == 1
    assert "reparse needs either a SYMBOL or --all" in result.output


def test_reader_dropping_a_block_fails_the_gate_and_no_email_goes_out(
    prefect_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import extractors.derive as derive
    import extractors.readers.route as route

    read_document = route.read_document

    def dropping(data: bytes, *, name: str) -> route.ReadDocument:
        read = read_document(data, name=name)
        if "A-77-277" in name:
            blocks = [
                b
                for b in read.blocks
                if not (b.kind == "numbered" and b.number == DROPPED_PARAGRAPH)
            ]
            return read._replace(blocks=blocks)
        return read

    # Where the one derivation path (extractors/derive.py) looks the reader up.
    monkeypatch.setattr(derive, "read_document", dropping)
    port = free_port()
    _smtp_env(monkeypatch, port)
    with LoopbackSmtp(port) as smtp:
        result = _run(tmp_path)
    assert smtp.received == []
    db = tmp_path / "cw.duckdb"
    gates = _query(db, "SELECT symbol, gate_passed, ledger_balanced FROM parses ORDER BY symbol")
    assert gates == [("A/73/328", True, True), ("A/77/277", False, True)]
    assert _query(db, "SELECT is_uncertain FROM edition_diffs") == [(True,)]
    assert _query(db, "SELECT count(*) FROM change_events WHERE NOT is_uncertain") == [(0,)]
    assert _query(db, "SELECT count(*) FROM outbox") == [(0,)]
    assert "text-preservation gate failed" in result["report"]
    failed = _query(db, "SELECT gates_failed_count, email_count FROM run_manifests")
    assert failed == [(1, 0)]
    state = json.loads(runner.invoke(app, ["status", "--json", "--db", str(db)]).output)
    assert [f["symbol"] for f in state["failed_gates"]] == ["A/77/277"]


@pytest.mark.parametrize(
    ("option", "text", "expected"),
    [
        (
            "subscriptions",
            "recipients:\n  desk@example.org:\n    organisations: [OECD]\n",
            ":3: recipients.desk@example.org.organisations",
        ),
        ("subscriptions", "default:\n  - not-an-address\n", ":2: default[1]"),
        ("calendar", "grace_months: 2\nusual_month: 13\n", ":2: usual_month"),
    ],
)
def test_malformed_settings_file_stops_the_run_before_any_work(
    tmp_path: Path, option: str, text: str, expected: str
) -> None:
    settings = tmp_path / f"{option}.yaml"
    settings.write_text(text, encoding="utf-8")
    db = tmp_path / "cw.duckdb"
    result = runner.invoke(app, ["run", "--db", str(db), f"--{option}", str(settings)])
    assert result.exit_code == 2  # a run refused for its settings
    assert result.output.startswith(f"coopwatch: error: {settings}")
    assert expected in result.output
    assert not db.exists()


def test_malformed_subscriptions_raise_in_the_flow_before_the_warehouse_exists(
    prefect_harness, tmp_path: Path
) -> None:
    settings = tmp_path / "subscriptions.yaml"
    settings.write_text("recipients:\n  desk@example.org:\n    areas: [peace]\n", encoding="utf-8")
    with pytest.raises(RunRefused, match=r"subscriptions.yaml:3: .*unknown area id 'peace'"):
        _run(tmp_path, subscriptions=str(settings))
    assert not (tmp_path / "cw.duckdb").exists()
