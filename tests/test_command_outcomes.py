"""What commands leave behind and how they end: read-only commands beside an analyst's
read-only connection (held by a second process), exit codes when mail stays pending, and
reports and outbox following `--db` instead of landing in the project folder."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from smtp_server import LoopbackSmtp, free_port
from typer.testing import CliRunner

# Imported before any CliRunner run so that Prefect's log handlers bind to the session's
# stderr, not to the stream of the first runner, which is closed once it returns.
import flows.nightly  # noqa: F401
from common.settings import PROJECT_DIR, default_outbox_dir, default_reports_dir, output_root
from flows.cli import EXIT_MAIL_PENDING, app

pytestmark = pytest.mark.timeout(300)
runner = CliRunner()
MOVING_VARIABLES = (
    "COOPWATCH_OUTBOX",
    "COOPWATCH_REPORTS",
    "COOPWATCH_SMTP_HOST",
    "COOPWATCH_SMTP_PORT",
    "COOPWATCH_MAIL_TO",
    "COOPWATCH_SUBSCRIPTIONS",
    "COOPWATCH_CALENDAR",
)
READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
before = con.execute("SELECT count(*) FROM paragraphs").fetchone()[0]
print("holding", before, flush=True)
sys.stdin.read()
print("still reading", con.execute("SELECT count(*) FROM paragraphs").fetchone()[0], flush=True)
con.close()
"""


@pytest.fixture
def quiet_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for variable in MOVING_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory, prefect_harness) -> Iterator[tuple[Path, object]]:
    """A bundled run into a warehouse outside the project, by `coopwatch run --db`."""
    folder = tmp_path_factory.mktemp("elsewhere")
    with pytest.MonkeyPatch.context() as patch:
        for variable in MOVING_VARIABLES:
            patch.delenv(variable, raising=False)
        result = runner.invoke(app, ["run", "--db", str(folder / "cw.duckdb")])
    yield folder, result


def test_output_root_is_beside_the_data_folder_or_the_warehouse(tmp_path, quiet_env) -> None:
    assert output_root(PROJECT_DIR / "data" / "coopwatch.duckdb") == PROJECT_DIR
    assert output_root(tmp_path / "srv" / "data" / "cw.duckdb") == tmp_path / "srv"
    assert output_root(tmp_path / "run1" / "cw.duckdb") == tmp_path / "run1"
    assert default_outbox_dir(tmp_path / "run1" / "cw.duckdb") == tmp_path / "run1" / "outbox"
    quiet_env.setenv("COOPWATCH_OUTBOX", str(tmp_path / "mail"))
    quiet_env.setenv("COOPWATCH_REPORTS", str(tmp_path / "pages"))
    assert default_outbox_dir(tmp_path / "run1" / "cw.duckdb") == tmp_path / "mail"
    assert default_reports_dir(tmp_path / "run1" / "cw.duckdb") == tmp_path / "pages"


def test_run_with_db_elsewhere_writes_its_reports_and_mail_beside_it(elsewhere) -> None:
    folder, result = elsewhere
    assert result.exit_code == 0, result.output
    reports = sorted(path.name for path in (folder / "reports").iterdir())
    assert {
        "A-73-328__A-77-277.html",
        "A-73-328__A-77-277.md",
        "A-73-328__A-77-277.png",
        "index.html",
    } <= set(reports)
    assert len(list((folder / "outbox").glob("*.eml"))) == 1
    project_reports = PROJECT_DIR / "reports"
    stamp = (folder / "reports" / "A-73-328__A-77-277.html").stat().st_mtime
    if project_reports.exists():
        assert all(path.stat().st_mtime < stamp for path in project_reports.iterdir())


@pytest.fixture
def reader(elsewhere) -> Iterator[subprocess.Popen]:
    """A second process holding a read-only connection to the warehouse, as an analyst does."""
    folder, _ = elsewhere
    process = subprocess.Popen(
        [sys.executable, "-c", READER, str(folder / "cw.duckdb")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().startswith("holding ")
    yield process
    process.kill()
    process.wait()


def test_read_only_commands_work_beside_an_analysts_connection(elsewhere, reader) -> None:
    folder, _ = elsewhere
    db = str(folder / "cw.duckdb")
    status = runner.invoke(app, ["status", "--db", db])
    preview = runner.invoke(
        app, ["notify", "--dry-run", "--db", db, "--outbox", str(folder / "preview")]
    )
    sent = runner.invoke(app, ["notify", "--db", db, "--outbox", str(folder / "outbox")])
    assert status.exit_code == 0, status.output
    assert "A/77/277" in status.output
    assert preview.exit_code == 0, preview.output
    assert preview.output.strip().splitlines()[-1] == "1 message(s) written, none sent"
    assert sent.exit_code == 0, sent.output
    assert sent.output.strip() == "nothing to send"
    answer, _ = reader.communicate(timeout=30)
    assert answer.startswith("still reading ")
    assert reader.returncode == 0


def notify_in_a_process(db: Path) -> subprocess.CompletedProcess:
    """`coopwatch notify` as the operator's shell runs it (the environment as patched)."""
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", "notify", "--db", str(db)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_run_whose_mail_stays_pending_exits_3_and_notify_too(
    tmp_path, quiet_env, prefect_harness
) -> None:
    port = free_port()
    quiet_env.setenv("COOPWATCH_SMTP_HOST", "127.0.0.1")
    quiet_env.setenv("COOPWATCH_SMTP_PORT", str(port))
    quiet_env.setenv("COOPWATCH_MAIL_TO", "analyst@example.org")
    db = tmp_path / "site" / "data" / "cw.duckdb"
    run = runner.invoke(app, ["run", "--db", str(db)])
    assert run.exit_code == EXIT_MAIL_PENDING == 3, run.output
    assert run.output.strip().splitlines()[-1] == (
        "coopwatch: 1 email(s) still pending in the outbox; `coopwatch notify` sends them"
    )
    assert (tmp_path / "site" / "reports" / "A-73-328__A-77-277.md").exists()
    still_down = notify_in_a_process(db)
    lines = still_down.stdout.strip().splitlines()
    assert still_down.returncode == EXIT_MAIL_PENDING, still_down.stderr
    assert len(lines) == 1
    assert lines[0].startswith(f"sent 0 (smtp), 1 pending after an error: SMTP 127.0.0.1:{port}")
    with LoopbackSmtp(port) as server:
        delivered = notify_in_a_process(db)
    assert delivered.returncode == 0, delivered.stderr
    assert delivered.stdout.strip() == "sent 1 (smtp)"
    assert len(server.received) == 1
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT status FROM outbox").fetchall() == [("sent",)]
    finally:
        con.close()
