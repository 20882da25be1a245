"""Every setting and settings file a run uses, checked before it fetches or parses anything.

A bad value found only inside the write threw a night's fetches away; here each reader runs
once up front, and every problem is one line naming the variable (or option), the value and
what is expected, so a run that cannot succeed never starts.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from common.errors import BadSetting, CoopWatchError
from extractors.fetch.bundled_editions import corpus_dir_in_use
from extractors.fetch.circuit_breaker import breaker_misses
from extractors.fetch.http_settings import client_config, http_setting_problems
from extractors.fetch.local_file import max_file_bytes
from extractors.readers.page_halves import pdf_processes
from extractors.readers.zip_limits import limits_from_env
from notify.delivery import settings_from_env
from pipeline.fetch_session import BUNDLED_SOURCE, resolve_data_dir
from pipeline.run_settings import (
    CALENDAR_VARIABLE,
    SUBSCRIPTIONS_VARIABLE,
    RunSettings,
    load_run_settings,
    settings_path,
)
from warehouse.db.damaged_file import as_user_error
from warehouse.db.schema import connect
from warehouse.runs.fetch_state import recheck_policy
from warehouse.runs.run_refusal import record_refused_run


@dataclass(frozen=True)
class RunPlaces:
    """Where a run reads and writes, each with the name a person set it by."""

    db_path: Path
    data_dir: Path
    outbox_dir: Path
    reports_dir: Path
    corpus_dir: Path | None = None
    db_name: str = "--db / COOPWATCH_DB"
    data_name: str = "--data-dir / COOPWATCH_DATA"
    outbox_name: str = "--outbox / COOPWATCH_OUTBOX"
    reports_name: str = "COOPWATCH_REPORTS"
    corpus_name: str = "--corpus-dir / COOPWATCH_CORPUS"


def folder_problem(name: str, path: Path) -> str | None:
    """Why `path` cannot be a folder CoopWatch writes in, or None: it is a file, or the
    nearest folder that exists above it is not writable."""
    if path.exists() and not path.is_dir():
        return f"{name}: {str(path)!r} is a file (expected a folder)"
    existing = next((p for p in (path, *path.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        return f"{name}: {str(path)!r} is inside a file, {str(existing)!r} (expected a folder)"
    if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        return f"{name}: {str(path)!r} cannot be written ({str(existing)!r} is read-only)"
    return None


def file_problem(name: str, path: Path) -> str | None:
    """Why `path` cannot be a file CoopWatch writes, or None: it is a folder, or sits in a
    place no folder can be made."""
    if path.is_dir():
        return f"{name}: {str(path)!r} is a folder (expected a file)"
    return folder_problem(name, path.parent)


def settings_file_problem(name: str, path: str | None) -> str | None:
    """Why the settings file at `path` cannot be read, or None (also when none is set)."""
    if path is None or Path(path).is_file():
        return None
    what = "a folder" if Path(path).is_dir() else "not there"
    return f"{name}: {path!r} is {what} (expected a settings file)"


def warehouse_problem(db_path: Path) -> str | None:
    """Why the warehouse file cannot be opened (damaged, held), or None."""
    try:
        connect(db_path, read_only=True).close()
    except Exception as error:  # told as one line when it is about the file
        told = as_user_error(error, db_path)
        if told is None:
            raise
        return str(told)
    return None


def place_problems(places: RunPlaces) -> list[str]:
    """The problems with the paths a run reads and writes."""
    found = [
        file_problem(places.db_name, places.db_path),
        folder_problem(places.data_name, places.data_dir),
        folder_problem(places.outbox_name, places.outbox_dir),
        folder_problem(places.reports_name, places.reports_dir),
    ]
    if places.db_path.is_file():
        found.append(warehouse_problem(places.db_path))
    corpus = places.corpus_dir
    if corpus is not None:
        if not corpus.is_dir():
            found.append(f"{places.corpus_name}: {str(corpus)!r} is not a folder")
        elif not (corpus / "manifest.yaml").is_file():
            found.append(f"{places.corpus_name}: {str(corpus)!r} holds no manifest.yaml")
    return [problem for problem in found if problem]


def run_setting_problems(
    places: RunPlaces,
    *,
    source: str,
    subscriptions: str | os.PathLike[str] | None,
    calendar: str | os.PathLike[str] | None,
    misses: int | None,
    http: dict[str, object] | None = None,
    settings: RunSettings | None = None,
) -> tuple[list[str], RunSettings | None]:
    """Every problem with a run's settings, each one line (empty when the run may start), and
    the settings files as read: read here once, so the run never reads them again. Reads every
    variable the run will read, so none is found bad after the fetches; `settings` already
    read (by the CLI) are not read again."""
    problems = place_problems(places)
    files = [
        settings_file_problem(name, settings_path(given, variable))
        for name, given, variable in (
            ("--subscriptions / COOPWATCH_SUBSCRIPTIONS", subscriptions, SUBSCRIPTIONS_VARIABLE),
            ("--calendar / COOPWATCH_CALENDAR", calendar, CALENDAR_VARIABLE),
        )
    ]
    problems += [problem for problem in files if problem]
    if settings is None and not any(files):
        try:
            settings = load_run_settings(subscriptions, calendar)
        except CoopWatchError as error:
            problems.append(str(error))
    # Each bad COOPWATCH_HTTP_* variable is a line of its own; the client's settings as a
    # whole (the run's overrides, the contact address) are checked once those are good.
    http_problems = http_setting_problems()
    problems += http_problems
    checks: list[Callable[[], object]] = [
        lambda: breaker_misses(misses),
        *([] if http_problems else [lambda: client_config(source, http)]),
        settings_from_env,
        recheck_policy,
        limits_from_env,
        max_file_bytes,
        pdf_processes,
    ]
    for check in checks:
        try:
            check()
        except CoopWatchError as error:
            problems.append(str(error))
    return problems, settings


class RunRefused(BadSetting):
    """A run refused before any work: one or more settings are bad (each in `problems`)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def refuse_bad_run(
    places: RunPlaces,
    *,
    source: str,
    subscriptions: str | os.PathLike[str] | None,
    calendar: str | os.PathLike[str] | None,
    misses: int | None,
    http: dict[str, object] | None = None,
    settings: RunSettings | None = None,
) -> RunSettings:
    """Raise RunRefused, after recording it in the warehouse when there is one to write to,
    if any setting is bad; else return the run's settings files as read (once, here, unless
    `settings` were read already)."""
    problems, settings = run_setting_problems(
        places,
        source=source,
        subscriptions=subscriptions,
        calendar=calendar,
        misses=misses,
        http=http,
        settings=settings,
    )
    if problems:
        record_refused_run(
            places.db_path, source=source, parameters={"source": source}, problems=problems
        )
        raise RunRefused(problems)
    assert settings is not None  # no problem means the files were read
    return settings


def flow_places(
    db_path: str,
    data_dir: str | None,
    outbox_dir: str,
    reports_dir: str,
    source: str,
    corpus_dir: str | None,
) -> RunPlaces:
    """The places a flow run was given as parameters, with the defaults it applies."""
    return RunPlaces(
        db_path=Path(db_path),
        data_dir=resolve_data_dir(Path(db_path), data_dir),
        outbox_dir=Path(outbox_dir),
        reports_dir=Path(reports_dir),
        corpus_dir=(Path(corpus_dir) if corpus_dir else corpus_dir_in_use())
        if source == BUNDLED_SOURCE
        else None,
    )
