"""A bad setting stops a run before it fetches or parses anything, in one line per value.

Each case sets one variable to a value CoopWatch cannot use (a port that is not a number, a
flag that is not true or false, a negative wait, a file where a folder belongs, a folder
where a file belongs) and runs `coopwatch run` on the bundled editions: exit 2, one line
naming the variable, the value and what is expected, no traceback, nothing loaded, and the
refusal in the warehouse's manifest.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from warehouse.db.schema import connect

runner = CliRunner()

SMTP = {"COOPWATCH_SMTP_HOST": "127.0.0.1"}

# variable, value (FILE / FOLDER stand for a file or a folder made for the case), other
# settings the value needs to be read, and words of what is expected.
CASES: list[tuple[str, str, dict[str, str], str]] = [
    ("COOPWATCH_SMTP_PORT", "abc", SMTP, "port number"),
    ("COOPWATCH_SMTP_PORT", "70000", SMTP, "port number"),
    ("COOPWATCH_SMTP_STARTTLS", "maybe", SMTP, "true/false"),
    ("COOPWATCH_SMTP_CA_FILE", "FOLDER", SMTP, "PEM file"),
    ("COOPWATCH_OUTBOX", "FILE", {}, "expected a folder"),
    ("COOPWATCH_REPORTS", "FILE", {}, "expected a folder"),
    ("COOPWATCH_DATA", "FILE", {}, "expected a folder"),
    ("COOPWATCH_CORPUS", "FILE", {}, "not a folder"),
    ("COOPWATCH_HTTP_RATE", "-1", {}, "0 or more"),
    ("COOPWATCH_HTTP_JITTER", "-0.5", {}, "0 or more"),
    ("COOPWATCH_HTTP_PAUSE_SECONDS", "-3", {}, "0 or more"),
    ("COOPWATCH_HTTP_BACKOFF", "-2", {}, "0 or more"),
    ("COOPWATCH_HTTP_RETRIES", "-1", {}, "0 or more"),
    ("COOPWATCH_HTTP_READ_TIMEOUT", "-1", {}, "more than 0"),
    ("COOPWATCH_HTTP_CONNECT_TIMEOUT", "abc", {}, "a number"),
    ("COOPWATCH_HTTP_CA_BUNDLE", "FOLDER", {}, "PEM file"),
    ("COOPWATCH_SUBSCRIPTIONS", "FOLDER", {}, "expected a settings file"),
    ("COOPWATCH_CALENDAR", "FILE-MISSING", {}, "expected a settings file"),
    ("COOPWATCH_RECHECK_DAYS", "-1", {}, "0 or more"),
    ("COOPWATCH_ARCHIVE_RATIO", "-4", {}, "more than 0"),
    ("COOPWATCH_PDF_PROCESSES", "3", {}, "1 or 2"),
    ("COOPWATCH_PDF_PROCESSES", "0", {}, "1 or more"),
]


@pytest.fixture
def quiet_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A warehouse that exists (so the refusal has a manifest to go in), every output in
    the test's folder and no COOPWATCH_* variable from the caller's shell."""
    for name in list(__import__("os").environ):
        if name.startswith("COOPWATCH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("COOPWATCH_OUTBOX", str(tmp_path / "outbox"))
    monkeypatch.setenv("COOPWATCH_REPORTS", str(tmp_path / "reports"))
    db_path = tmp_path / "data" / "cw.duckdb"
    connect(db_path).close()
    return db_path


@pytest.mark.parametrize(("variable", "value", "needs", "expected"), CASES)
def test_a_bad_setting_refuses_the_run_before_any_work(
    quiet_places: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    needs: dict[str, str],
    expected: str,
) -> None:
    if value == "FILE":
        value = str(tmp_path / "a-file")
        Path(value).write_text("not a folder\n", encoding="utf-8")
    elif value == "FILE-MISSING":
        value = str(tmp_path / "no-such-file.yaml")
    elif value == "FOLDER":
        value = str(tmp_path / "a-folder")
        Path(value).mkdir()
    for name, setting in needs.items():
        monkeypatch.setenv(name, setting)
    monkeypatch.setenv(variable, value)

    result = runner.invoke(app, ["run", "--source", "bundled", "--db", str(quiet_places)])

    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    (line,) = lines
    assert line.startswith("coopwatch: error: "), line
    assert variable in line or variable.removeprefix("COOPWATCH_").lower() in line, line
    assert value in line and expected in line, line
    assert "Traceback" not in result.output
    con = duckdb.connect(str(quiet_places), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (0,)
        manifests = con.execute("SELECT status, failures, notes FROM run_manifests").fetchall()
    finally:
        con.close()
    assert len(manifests) == 1
    status, failures, notes = manifests[0]
    assert status == "failed"
    assert failures == [line.removeprefix("coopwatch: error: ")]
    assert "did not start" in notes[0]
    assert not (quiet_places.parent / "raw").exists()


def test_a_folder_given_as_the_warehouse_refuses_the_run(
    quiet_places: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()

    result = runner.invoke(app, ["run", "--source", "bundled", "--db", str(folder)])

    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [
        f"coopwatch: error: --db / COOPWATCH_DB: {str(folder)!r} is a folder (expected a file)"
    ]
    assert list(folder.iterdir()) == []


# Several bad HTTP values at once, with what each line must say: every one is told, so a
# person fixes them all in one go instead of one per refused run.
SEVERAL_BAD_HTTP: list[list[tuple[str, str, str]]] = [
    [
        ("COOPWATCH_HTTP_RATE", "-1", "0 or more"),
        ("COOPWATCH_HTTP_RETRIES", "two", "a whole number"),
    ],
    [
        ("COOPWATCH_HTTP_CONNECT_TIMEOUT", "abc", "a number"),
        ("COOPWATCH_HTTP_DEADLINE", "0", "more than 0"),
        ("COOPWATCH_HTTP_MAX_BYTES", "0", "1 or more"),
    ],
]


@pytest.mark.parametrize("bad", SEVERAL_BAD_HTTP, ids=["two", "three"])
def test_each_bad_http_setting_is_a_line_of_its_own(
    quiet_places: Path, monkeypatch: pytest.MonkeyPatch, bad: list[tuple[str, str, str]]
) -> None:
    for variable, value, _ in bad:
        monkeypatch.setenv(variable, value)

    result = runner.invoke(app, ["run", "--source", "bundled", "--db", str(quiet_places)])

    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(bad), result.stderr
    for line, (variable, value, expected) in zip(lines, bad, strict=True):
        assert line.startswith(f"coopwatch: error: {variable}: "), line
        assert value in line and expected in line, line
    assert "Traceback" not in result.output
    con = duckdb.connect(str(quiet_places), read_only=True)
    try:
        (failures,) = con.execute("SELECT failures FROM run_manifests").fetchone() or (None,)
    finally:
        con.close()
    assert failures == [line.removeprefix("coopwatch: error: ") for line in lines]
