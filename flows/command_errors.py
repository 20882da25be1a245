"""The one line a `coopwatch` command prints when it ends with an error, shared by the Typer
commands and the plain `parse` entry (`flows.entry`), so both say the same."""

from __future__ import annotations

from pathlib import Path

from common.errors import CoopWatchError

EXIT_ERROR = 1


def error_line(error: Exception, db: Path | None = None) -> str | None:
    """`coopwatch: error: …` for a CoopWatch error or a DuckDB error about the warehouse file
    (`db`, else the default), every secret setting taken out of it (a server's reply it
    quotes may echo one); None for anything else, a fault of the code kept whole."""
    problem: Exception | None = error
    if not isinstance(error, CoopWatchError):
        # Imported here: DuckDB and the settings are needed only when something went wrong.
        from common.settings import default_db_path
        from warehouse.db.damaged_file import as_user_error

        problem = as_user_error(error, db or default_db_path())
        if problem is None:
            return None
    return say_line(str(problem))


def say_line(problem: str) -> str:
    """The error line for `problem`, secrets redacted."""
    from common.redaction import redact_secrets

    return f"coopwatch: error: {redact_secrets(problem)}"
