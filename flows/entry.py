"""The `coopwatch` command's entry point: the plain `coopwatch parse FILE` straight to its
JSON, every other command line through the Typer application (`flows.cli`).

Building the Typer application, with every command's options, costs more than parsing a
one-page resolution; a parse started from a script or a shell loop pays it on every file.
The plain form is a file with `--symbol`, `--lang` and `--json` in any order (each value
given after a space or an `=`); `--help`, `--text`, anything else or any mistake goes to
Typer, which prints its usual help and errors. tests/test_cli_entry.py holds the two equal.
"""

from __future__ import annotations

import gc
import re
import sys
from pathlib import Path
from typing import NamedTuple

from flows.command_errors import EXIT_ERROR, error_line
from flows.parse_json import parse_as_json

_VALUED_OPTIONS = {"--symbol": "symbol", "--lang": "lang"}
# What click takes out of text it prints where the stream is not a terminal: ANSI codes.
_ANSI_CODE = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")


class ParseRequest(NamedTuple):
    """A plain `coopwatch parse` command line: the file and its hints."""

    file: Path
    symbol: str | None = None
    lang: str | None = None


def plain_parse_request(args: list[str]) -> ParseRequest | None:
    """The request of a plain `parse` command line (the arguments after `coopwatch`), or
    None for any other command line, which Typer reads."""
    if not args or args[0] != "parse":
        return None
    values: dict[str, str | None] = {"symbol": None, "lang": None}
    files: list[str] = []
    rest = iter(args[1:])
    for arg in rest:
        name, equals, value = arg.partition("=")
        if arg == "--json":
            continue
        if name in _VALUED_OPTIONS:
            given = value if equals else next(rest, None)
            if given is None or given.startswith("-"):
                return None
            values[_VALUED_OPTIONS[name]] = given
        elif arg.startswith("-"):
            return None
        else:
            files.append(arg)
    if len(files) != 1:
        return None
    return ParseRequest(Path(files[0]), values["symbol"], values["lang"])


def run_plain_parse(request: ParseRequest) -> int:
    """Print a plain parse's JSON, or the error line Typer's `parse` prints; the exit status.

    The garbage collector stays off for the one parse (what it reads is freed as it goes: its
    records hold no reference cycles), and what is left is frozen before the process ends,
    so Python's shutdown does not walk it again: together about a tenth of a long report's
    parse.
    """
    gc.disable()
    try:
        return _parse_and_print(request)
    finally:
        gc.freeze()


def _parse_and_print(request: ParseRequest) -> int:
    try:
        text = parse_as_json(request.file, request.symbol, request.lang)
    except KeyboardInterrupt:
        sys.stderr.write("\nAborted!\n")  # what click says for Ctrl-C
        return EXIT_ERROR
    except Exception as error:
        line = error_line(error)
        if line is None:
            raise
        sys.stderr.write(_ANSI_CODE.sub("", line) + "\n")
        return EXIT_ERROR
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # A reader that stopped early (`| head`): end quietly, as click does.
        sys.stdout = None  # type: ignore[assignment]
        return EXIT_ERROR
    return 0


def main() -> None:
    """`coopwatch`: a plain parse here, everything else by the Typer application."""
    request = plain_parse_request(sys.argv[1:])
    if request is None:
        from flows.cli import app

        app()
        return
    sys.exit(run_plain_parse(request))
