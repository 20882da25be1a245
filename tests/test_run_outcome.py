"""The run's account is a value the flow folds, and the CLI ends on what the flow returns:
the account is frozen, its folds leave their parts as they were, the exit code follows the
flow's `emails_pending` even when the warehouse cannot be read after the run, and the
settings files are read once per run."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from smtp_server import free_port
from typer.testing import CliRunner

# Imported before any CliRunner run so that Prefect's log handlers bind to the session's
# stderr, not to the stream of the first runner, which is closed once it returns.
import flows.nightly
import pipeline.run_settings
from flows.cli import EXIT_MAIL_PENDING, app
from tests.test_command_outcomes import MOVING_VARIABLES
from warehouse.runs.manifests import SeenDocument
from warehouse.runs.run_account import RunSummary

runner = CliRunner()
SUBSCRIPTIONS = """\
recipients:
  au-watch@example.org:
    organizations: [AU]
"""


def test_run_summary_is_frozen_and_its_counts_a_copy() -> None:
    summary = RunSummary("run-1").with_count("parsed", 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.email_status = "sent 1 (eml)"  # type: ignore[misc]
    counts = summary.counts
    counts["parsed"] = 99
    assert summary.counts == {"parsed": 2}
    assert isinstance(RunSummary("run-1", notes=["a note"]).notes, tuple)


def test_folding_accounts_builds_a_new_value_and_leaves_the_parts() -> None:
    fetched = RunSummary().with_count("fetched").with_document("A/77/277", "fr", "ab", "fetched")
    parsed = RunSummary().with_count("parsed").with_note("a note")
    failed = RunSummary(open_breakers=("host",)).with_failure("A/73/328 (fr): unreadable")
    run = RunSummary("run-1").plus(fetched, parsed, failed).with_email_status("nothing to send")
    assert run.counts == {"fetched": 1, "parsed": 1}
    assert run.documents == (SeenDocument("A/77/277", "fr", "ab", "fetched"),)
    assert run.notes == ("a note",) and run.failures == ("A/73/328 (fr): unreadable",)
    assert run.open_breakers == ("host",) and run.failed
    assert run.email_status == "nothing to send" and run.run_id == "run-1"
    assert fetched == RunSummary().with_count("fetched").with_document(
        "A/77/277", "fr", "ab", "fetched"
    )
    assert parsed.counts == {"parsed": 1} and not parsed.failed
    assert RunSummary("run-1").plus(RunSummary(open_breakers=("host",)), failed).open_breakers == (
        "host",
    )


@pytest.fixture
def quiet_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for variable in MOVING_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


def _spoil_warehouse_after_the_flow(monkeypatch: pytest.MonkeyPatch, db: Path) -> list:
    """Run the real flow, then make its warehouse unreadable before the CLI goes on, so an
    exit code read from the file could not be had; returns the outcomes the flow gave."""
    real = flows.nightly.run_nightly
    outcomes: list = []

    def run_then_spoil(**parameters):
        outcome = real(**parameters)
        outcomes.append(outcome)
        db.write_bytes(b"not a DuckDB file")
        return outcome

    monkeypatch.setattr(flows.nightly, "run_nightly", run_then_spoil)
    return outcomes


def test_exit_code_follows_the_flow_with_the_warehouse_unreadable_after_the_run(
    tmp_path, quiet_env, prefect_harness
) -> None:
    quiet_env.setenv("COOPWATCH_SMTP_HOST", "127.0.0.1")
    quiet_env.setenv("COOPWATCH_SMTP_PORT", str(free_port()))  # nobody listens: mail stays
    quiet_env.setenv("COOPWATCH_MAIL_TO", "analyst@example.org")
    db = tmp_path / "data" / "cw.duckdb"
    outcomes = _spoil_warehouse_after_the_flow(quiet_env, db)
    run = runner.invoke(app, ["run", "--db", str(db)])
    assert [outcome.emails_pending for outcome in outcomes] == [1]
    assert run.exit_code == EXIT_MAIL_PENDING, run.output
    assert run.output.strip().splitlines()[-1] == (
        "coopwatch: 1 email(s) still pending in the outbox; `coopwatch notify` sends them"
    )


def test_a_run_with_nothing_pending_exits_0_with_the_warehouse_unreadable_after(
    tmp_path, quiet_env, prefect_harness
) -> None:
    db = tmp_path / "data" / "cw.duckdb"
    outcomes = _spoil_warehouse_after_the_flow(quiet_env, db)
    run = runner.invoke(app, ["run", "--db", str(db), "--outbox", str(tmp_path / "outbox")])
    assert [outcome.emails_pending for outcome in outcomes] == [0]
    assert run.exit_code == 0, run.output
    assert outcomes[0].report.startswith(f"CoopWatch run {outcomes[0].run_id}: ")


def test_settings_files_are_read_once_per_run(tmp_path, quiet_env, prefect_harness) -> None:
    subscriptions = tmp_path / "subscriptions.yaml"
    subscriptions.write_text(SUBSCRIPTIONS, encoding="utf-8")
    reads: list[str] = []
    real = pipeline.run_settings.load_subscriptions

    def counting(path):
        reads.append(str(path))
        return real(path)

    quiet_env.setattr(pipeline.run_settings, "load_subscriptions", counting)
    db = tmp_path / "data" / "cw.duckdb"
    run = runner.invoke(
        app,
        ["run", "--db", str(db), "--outbox", str(tmp_path / "outbox"),
         "--subscriptions", str(subscriptions)],
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    assert reads == [str(subscriptions)]
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
