"""The `coopwatch` entry point: a plain `parse` is read without Typer, and says exactly what
Typer's `parse` says; every other command line is Typer's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from hypothesis import example, given
from hypothesis import strategies as st

from common.errors import CoopWatchError
from flows.cli import app
from flows.command_errors import error_line
from flows.entry import ParseRequest, plain_parse_request
from flows.parse_json import parse_as_json
from tests.conftest import EDITION_2018, EDITION_2022

COOPWATCH = str(Path(sys.executable).with_name("coopwatch"))
TOKENS = st.sampled_from(
    [
        "report.pdf",
        "other.txt",
        "--json",
        "--text",
        "--symbol",
        "--symbol=A/77/277",
        "--symbol=",
        "--lang",
        "--lang=fr",
        "--help",
        "--",
        "-",
        "-x",
        "--db",
        "A/79/302",
        "en",
        "--json=1",
        "--langs",
    ]
)


def typer_parse_params(args: list[str]) -> dict[str, object] | None:
    """The parameters Typer's `parse` reads from `args` (after `parse`), None if it refuses."""
    command = typer.main.get_command(app)
    parse = command.get_command(command.make_context("coopwatch", ["parse"]), "parse")
    try:
        context = parse.make_context("parse", list(args))
    except (typer.Exit, SystemExit, Exception):
        return None
    return context.params


@given(st.lists(TOKENS, max_size=6))
@example(["report.pdf", "--symbol", "--lang", "fr"])
@example(["--lang=fr", "report.pdf", "--json", "--symbol", "A/79/302"])
@example(["report.pdf", "other.txt"])
def test_a_plain_parse_reads_as_typer_reads_it(args: list[str]) -> None:
    request = plain_parse_request(["parse", *args])
    if request is None:
        return  # Typer reads it (and prints its help or error)
    params = typer_parse_params(args)
    assert params is not None, f"Typer refuses {args} but the plain entry took it"
    # (Typer turns the file into a Path when it calls the command.)
    assert request == ParseRequest(Path(params["file"]), params["symbol"], params["lang"])
    assert params["as_json"] is True


def test_other_command_lines_go_to_typer() -> None:
    for args in ([], ["run"], ["parse"], ["parse", "--help"], ["parse", "a.pdf", "--text"]):
        assert plain_parse_request(args) is None, args
    assert plain_parse_request(["parse", "a.pdf", "--lang", "fr"]) == ParseRequest(
        Path("a.pdf"), None, "fr"
    )


def test_the_error_line_is_said_for_known_errors_only() -> None:
    assert error_line(CoopWatchError("x.pdf: broken")) == "coopwatch: error: x.pdf: broken"
    assert error_line(ValueError("a fault of the code")) is None


def test_parse_as_json_is_the_derivation_indented() -> None:
    printed = parse_as_json(EDITION_2018, "A/73/328", "fr")
    assert printed.startswith('{\n  "')
    assert json.loads(printed)["symbols"][0] == "A/73/328"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.integration
@pytest.mark.parametrize(
    "args",
    [
        [str(EDITION_2018), "--lang", "fr"],
        [str(EDITION_2018), "--symbol=A/73/328", "--json"],
        ["no-such-file.pdf"],
    ],
    ids=["report", "symbol", "missing file"],
)
def test_the_plain_entry_prints_what_typer_prints(args: list[str]) -> None:
    plain = run(COOPWATCH, "parse", *args)
    through_typer = run(sys.executable, "-m", "flows.cli", "parse", *args)
    assert plain.returncode == through_typer.returncode
    assert plain.stdout == through_typer.stdout
    assert plain.stderr == through_typer.stderr
    if args[0] == "no-such-file.pdf":
        assert plain.returncode == 1
        assert plain.stderr == "coopwatch: error: no-such-file.pdf: no such file\n"
    else:
        assert plain.returncode == 0 and plain.stdout.startswith("{")


def test_a_report_as_plain_dicts_is_what_asdict_gives() -> None:
    """`parse --json` prints `plain_dict`, a leaner `dataclasses.asdict`: the same dicts."""
    from dataclasses import asdict

    from extractors.documents import derive_file
    from extractors.model import Report, plain_dict

    for edition in (EDITION_2018, EDITION_2022):
        report = derive_file(edition, symbol=None, language="fr", gate=False).report
        assert isinstance(report, Report)
        assert plain_dict(report) == asdict(report)
