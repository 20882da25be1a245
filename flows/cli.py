"""The `coopwatch` command line: thin wrappers over the flow, the parsers and the warehouse.

Errors from inside become one clear line on stderr and a non-zero exit: 1 for an error or
a failed run, 2 for a command line that does not parse, 3 when email stays undelivered
(docs/operations.md lists them).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from common.errors import CoopWatchError
from common.redaction import redact_secrets
from common.settings import (
    default_db_path,
    default_outbox_dir,
    default_reports_dir,
    read_addresses,
    read_path,
    variables_help,
)
from extractors.symbols import normalize_symbol
from flows.command_errors import EXIT_ERROR, error_line, say_line
from flows.parse_json import parse_as_json, parsed_data
from flows.prefect_setup import configure_prefect

if TYPE_CHECKING:
    from pipeline.run_settings import RunSettings
    from pipeline.settings_check import RunPlaces

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
editions_app = typer.Typer(no_args_is_help=True, help="The known editions of the report series.")
app.add_typer(editions_app, name="editions")

F = TypeVar("F", bound=Callable[..., Any])

EXIT_USAGE = 2  # click's own code for a command line it cannot parse
EXIT_MAIL_PENDING = 3

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="DuckDB file [default: $COOPWATCH_DB or data/coopwatch.duckdb]"),
]
DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Folder of the raw store and editions.user.yaml "
        "[default: $COOPWATCH_DATA, else the warehouse's folder]",
    ),
]
OutboxOption = Annotated[
    Path | None,
    typer.Option(
        "--outbox",
        help="Folder for .eml files [default: $COOPWATCH_OUTBOX, else outbox/ beside "
        "the warehouse's data folder]",
    ),
]


SubscriptionsOption = Annotated[
    Path | None,
    typer.Option(
        "--subscriptions",
        help="Subscriptions file (who follows what) [default: $COOPWATCH_SUBSCRIPTIONS]",
    ),
]
CalendarOption = Annotated[
    Path | None,
    typer.Option(
        "--calendar", help="Edition calendar settings file [default: $COOPWATCH_CALENDAR]"
    ),
]


def _data_dir(data_dir: Path | None, db: Path) -> Path:
    """The data folder: the option, else $COOPWATCH_DATA, else the warehouse's folder."""
    from pipeline.fetch_session import resolve_data_dir

    return resolve_data_dir(db, data_dir or read_path("COOPWATCH_DATA"))


def say_error(problem: str) -> None:
    """One `coopwatch: error: …` line on stderr, every secret setting taken out of it (a
    server's reply it quotes may echo one)."""
    typer.echo(say_line(problem), err=True)


def reports_errors(command: F) -> F:
    """Turn CoopWatch errors (and DuckDB's about the warehouse file) into `coopwatch: error:
    …` and exit status 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except Exception as error:
            if isinstance(error, typer.Exit):
                raise
            line = error_line(error, kwargs.get("db"))
            if line is None:
                raise
            typer.echo(line, err=True)
            raise typer.Exit(EXIT_ERROR) from None

    return wrapper  # type: ignore[return-value]


@app.command()
@reports_errors
def parse(
    file: Annotated[
        Path,
        typer.Argument(help="Report or resolution file (text, Markdown, PDF, HTML, DOCX, XML)"),
    ],
    symbol: Annotated[str | None, typer.Option(help="Symbol(s), e.g. A/77/277-S/2022/606")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language code (fr, en, …)")] = None,
    as_json: Annotated[
        bool, typer.Option("--json/--text", help="Print JSON (default), or a short summary")
    ] = True,
) -> None:
    """Print what a report or resolution file derives to (recognised from its content:
    PDF, DOCX, HTML, Akoma Ntoso XML, Markdown-like or PDF-extracted text); touches no
    database."""
    if as_json:
        typer.echo(parse_as_json(file, symbol, lang))
    else:
        from extractors.documents import parse_summary

        typer.echo(parse_summary(parsed_data(file, symbol, lang)))


SourceOption = Annotated[
    str,
    typer.Option(
        help="'bundled' (the shipped editions), 'un' (the UN's services) "
        "or the base URL of a server like them"
    ),
]
LanguagesOption = Annotated[list[str] | None, typer.Option("--lang", help="Language(s) to fetch")]
EditionsOption = Annotated[
    str | None, typer.Option(help="Comma list of edition symbols to backfill")
]
TaskRunnerOption = Annotated[str, typer.Option("--task-runner", help="'default' or 'dask'")]
DaskAddressOption = Annotated[str | None, typer.Option(help="Existing Dask scheduler address")]
SmtpBlockOption = Annotated[
    str | None, typer.Option(help="Name of a prefect-email EmailServerCredentials block")
]
ForceOption = Annotated[bool, typer.Option(help="Refetch and reparse everything")]
DiscoverOption = Annotated[
    bool, typer.Option(help="Ask the Digital Library for editions not yet known")
]
CitedOption = Annotated[bool, typer.Option(help="Fetch and load the documents editions cite")]
BreakerMissesOption = Annotated[
    int | None,
    typer.Option(
        "--breaker-misses",
        help="Consecutive misses before a host is no longer asked this run "
        "[default: $COOPWATCH_BREAKER_MISSES or 20]",
    ),
]
CorpusDirOption = Annotated[
    Path | None,
    typer.Option(
        "--corpus-dir",
        help="Folder with a manifest.yaml to use instead of corpus/ (source 'bundled') "
        "[default: $COOPWATCH_CORPUS or corpus/]",
    ),
]


@app.command(epilog="Environment variables:\n\n" + variables_help())
@reports_errors
def run(
    source: SourceOption = "bundled",
    db: DbOption = None,
    data_dir: DataDirOption = None,
    lang: LanguagesOption = None,
    editions: EditionsOption = None,
    outbox: OutboxOption = None,
    task_runner: TaskRunnerOption = "default",
    dask_address: DaskAddressOption = None,
    smtp_block: SmtpBlockOption = None,
    force: ForceOption = False,
    discover: DiscoverOption = True,
    cited: CitedOption = True,
    subscriptions: SubscriptionsOption = None,
    calendar: CalendarOption = None,
    breaker_misses: BreakerMissesOption = None,
    corpus_dir: CorpusDirOption = None,
) -> None:
    """Run the nightly flow: fetch, parse, load, diff, notify.

    The HTTP client reads $COOPWATCH_CONTACT (required for the UN's services) and
    $COOPWATCH_HTTP_RATE, _CONNECT_TIMEOUT, _READ_TIMEOUT, _RETRIES, _BACKOFF, _MAX_BYTES,
    _DEADLINE, _CA_BUNDLE. Exits 3 when email stays pending in the outbox after the run.
    The subscriptions and calendar files are read and checked before anything else happens,
    once: the flow gets what they say. The exit code follows what the flow returns.
    """
    from extractors.fetch.circuit_breaker import breaker_misses as resolve_misses

    db_path = db or default_db_path()
    places = _run_places(source, db_path, data_dir, outbox, corpus_dir)
    settings = _refuse_bad_settings(places, source, subscriptions, calendar, breaker_misses)
    misses = resolve_misses(breaker_misses)
    # Prefect's home (its database) goes with the run's data, beside a warehouse --db moves.
    configure_prefect(places.data_dir)
    from flows.nightly import run_nightly

    outcome = run_nightly(
        source=source,
        languages=lang or ["fr"],
        db_path=str(db_path),
        data_dir=str(places.data_dir),
        discover=discover,
        fetch_cited=cited,
        outbox_dir=str(places.outbox_dir),
        reports_dir=str(places.reports_dir),
        editions=_edition_list(editions),
        task_runner=task_runner,
        dask_address=dask_address,
        smtp_block=smtp_block,
        force=force,
        subscriptions=settings.subscriptions_path,
        calendar=settings.calendar_path,
        breaker_misses=misses,
        corpus_dir=str(corpus_dir) if corpus_dir else None,
        settings=settings,
    )
    typer.echo(redact_secrets(outcome.report))
    _exit_if_mail_pending(outcome.emails_pending)


def _edition_list(editions: str | None) -> list[str] | None:
    """The symbols of a comma list of editions, or None when none is given."""
    return [e.strip() for e in editions.split(",") if e.strip()] if editions else None


def _run_places(
    source: str,
    db_path: Path,
    data_dir: Path | None,
    outbox: Path | None,
    corpus_dir: Path | None,
) -> RunPlaces:
    """Where a run reads and writes, from its options, else the environment, else defaults."""
    from extractors.fetch.bundled_editions import corpus_dir_in_use
    from pipeline.settings_check import RunPlaces

    return RunPlaces(
        db_path=db_path,
        data_dir=_data_dir(data_dir, db_path),
        outbox_dir=outbox or default_outbox_dir(db_path),
        reports_dir=default_reports_dir(db_path),
        corpus_dir=(corpus_dir or corpus_dir_in_use()) if source == "bundled" else None,
    )


def _refuse_bad_settings(
    places: RunPlaces,
    source: str,
    subscriptions: Path | None,
    calendar: Path | None,
    breaker_misses: int | None,
) -> RunSettings:
    """Check every setting before any work, and return the settings files as read (once);
    each bad setting is a line, and the exit is 2."""
    from pipeline.settings_check import RunRefused, refuse_bad_run

    try:
        return refuse_bad_run(
            places,
            source=source,
            subscriptions=subscriptions,
            calendar=calendar,
            misses=breaker_misses,
        )
    except RunRefused as refused:
        for problem in refused.problems:
            say_error(problem)
        raise typer.Exit(EXIT_USAGE) from None


def _exit_if_mail_pending(pending: int) -> None:
    """Exit with EXIT_MAIL_PENDING when the run left `pending` emails in the outbox, so
    monitoring sees an undelivered digest although the run itself completed."""
    if pending:
        typer.echo(
            f"coopwatch: {pending} email(s) still pending in the outbox; "
            "`coopwatch notify` sends them",
            err=True,
        )
        raise typer.Exit(EXIT_MAIL_PENDING)


@app.command()
@reports_errors
def ingest(
    file: Annotated[
        Path,
        typer.Argument(
            help="A local report (text, Markdown, PDF, HTML, DOCX) or resolution "
            "(Akoma Ntoso XML, PDF, DOCX, text) file"
        ),
    ],
    symbol: Annotated[
        str | None,
        typer.Option(
            help="Symbol(s), e.g. A/77/277-S/2022/606 [default: what the document states]"
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Language code [default: what the document states]"),
    ] = None,
    db: DbOption = None,
) -> None:
    """Load a local report edition or resolution (derived first: nothing is written if that
    fails)."""
    from warehouse.ingest import ingest_file

    outcome = ingest_file(file, symbol=symbol, language=lang, db_path=db or default_db_path())
    typer.echo(outcome)


@app.command()
@reports_errors
def rebuild(db: DbOption = None, data_dir: DataDirOption = None) -> None:
    """Rebuild the warehouse offline from the raw store (every kept body parsed again)."""
    from warehouse.rebuild import rebuild_warehouse

    db_path = db or default_db_path()
    summary = rebuild_warehouse(db_path, _data_dir(data_dir, db_path))
    typer.echo(summary.render(db_path))


@app.command()
@reports_errors
def reparse(
    symbol: Annotated[
        str | None, typer.Argument(help="Edition symbol to re-derive, e.g. A/77/277")
    ] = None,
    all_editions: Annotated[bool, typer.Option("--all", help="Re-derive every edition")] = False,
    db: DbOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Re-derive loaded editions from the kept bytes (never fetched) with the current parser
    and print what changed in their derived rows; no email is queued."""
    from warehouse.reparse import reparse_warehouse

    if all_editions == (symbol is not None):
        raise CoopWatchError("reparse needs either a SYMBOL or --all (not both)")
    db_path = db or default_db_path()
    symbol = normalize_symbol(symbol) if symbol is not None else None
    summary = reparse_warehouse(db_path, _data_dir(data_dir, db_path), symbol)
    typer.echo(summary.render())
    if summary.problems:
        raise typer.Exit(EXIT_ERROR)


@app.command()
@reports_errors
def status(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    calendar: CalendarOption = None,
) -> None:
    """Print what an operator needs: editions and similarity, the next edition expected,
    last success, reissues, suspect absences, rechecks and failed gates."""
    from datetime import date

    from pipeline.run_settings import load_run_settings
    from warehouse.db.schema import connect
    from warehouse.status import format_status
    from warehouse.status import status as warehouse_status

    settings = load_run_settings(None, calendar)
    db_path = db or default_db_path()
    if not db_path.exists():
        raise CoopWatchError(f"{db_path}: no warehouse file (run `coopwatch run` first)")
    con = connect(db_path, read_only=True)
    try:
        state = warehouse_status(con, date.today(), settings.calendar)
    finally:
        con.close()
    typer.echo(json.dumps(state, ensure_ascii=False, indent=2) if as_json else format_status(state))


@app.command()
@reports_errors
def notify(
    db: DbOption = None,
    outbox: OutboxOption = None,
    subscriptions: SubscriptionsOption = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Language of the digests [default: the one loaded]"),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Write every recipient's digest of the latest diff to the outbox folder; "
            "send and queue nothing",
        ),
    ] = False,
    smtp_block: Annotated[
        str | None, typer.Option(help="Name of a prefect-email EmailServerCredentials block")
    ] = None,
) -> None:
    """Send the pending emails now, or with --dry-run preview every recipient's digest."""
    from pipeline.run_settings import load_run_settings

    settings = load_run_settings(subscriptions, None)
    db_path = db or default_db_path()
    outbox_dir = outbox or default_outbox_dir(db_path)
    if not dry_run:
        from notify.mailing import send_now

        report = send_now(db_path, outbox_dir, smtp_block)
        typer.echo(report.status)
        if report.left_undelivered:
            raise typer.Exit(EXIT_MAIL_PENDING)
        return
    from notify.mailing import preview_digests
    from warehouse.language_choice import choose_language

    choice = choose_language(db_path, lang)
    if choice.note:
        typer.echo(choice.note, err=True)
    paths = preview_digests(
        db_path,
        outbox_dir,
        language=choice.language,
        subscriptions=settings.subscriptions,
        recipients=list(read_addresses("COOPWATCH_MAIL_TO")),
    )
    for path in paths:
        typer.echo(str(path))
    typer.echo(f"{len(paths)} message(s) written, none sent")


@editions_app.command("add")
@reports_errors
def editions_add(
    symbol: Annotated[str, typer.Argument(help="Edition symbol, e.g. A/81/150-S/2026/512")],
    year: Annotated[int | None, typer.Option(help="Publication year, if not in the symbol")] = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Add an edition someone knows of; the next run fetches, loads and diffs it."""
    from extractors.report.editions import add_edition

    folder = _data_dir(data_dir, db or default_db_path())
    edition = add_edition(symbol, data_dir=folder, year=year)
    typer.echo(f"{edition.symbol} ({edition.year or 'year unknown'}, {edition.origin})")


@editions_app.command("list")
@reports_errors
def editions_list(db: DbOption = None, data_dir: DataDirOption = None) -> None:
    """List the known editions: the reviewed list and the ones added in the data folder, then
    the corrigenda and addenda added there (fetched with their edition)."""
    from extractors.report.editions import load_companions, load_editions
    from extractors.symbols import edition_of

    folder = _data_dir(data_dir, db or default_db_path())
    for edition in load_editions(folder):
        typer.echo(f"{edition.symbol}\t{edition.year or '-'}\t{edition.origin}")
    for companion in load_companions(folder):
        typer.echo(f"{companion}\t-\tcompanion of {edition_of(companion)}")


@app.command()
@reports_errors
def diff(
    old: Annotated[str, typer.Argument(help="Older edition symbol, e.g. A/73/328")],
    new: Annotated[str, typer.Argument(help="Newer edition symbol, e.g. A/77/277")],
    db: DbOption = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Language of the editions [default: the one loaded]"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Print the changes between two loaded editions (in the language they are loaded in;
    where both languages are, it says which it shows)."""
    from warehouse.diff.diff_text import diff_to_json, format_diff_table
    from warehouse.language_choice import choose_language
    from warehouse.queries import diff_loaded_editions

    old, new = normalize_symbol(old), normalize_symbol(new)
    db_path = db or default_db_path()
    choice = choose_language(db_path, lang, (old, new))
    if choice.note:
        typer.echo(choice.note, err=True)
    result = diff_loaded_editions(db_path, old, new, language=choice.language)
    if as_json:
        typer.echo(json.dumps(diff_to_json(result), ensure_ascii=False, indent=2))
    else:
        typer.echo(format_diff_table(result))


@app.command()
@reports_errors
def schema(
    db: DbOption = None,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the data dictionary as Markdown")
    ] = False,
) -> None:
    """Print the warehouse's data dictionary, read from the database's own comments."""
    from warehouse.queries import data_dictionary_text

    typer.echo(data_dictionary_text(db, markdown=markdown))


@app.command()
@reports_errors
def export(
    parquet: Annotated[
        Path, typer.Option("--parquet", help="Folder to write one Parquet file per table and view")
    ],
    db: DbOption = None,
) -> None:
    """Export every table and view as Parquet (every language loaded; each row says its own)."""
    from warehouse.language_choice import choose_language
    from warehouse.queries import export_warehouse

    db_path = db or default_db_path()
    for path in export_warehouse(db_path, parquet):
        typer.echo(str(path))
    loaded = choose_language(db_path, None).loaded
    if len(loaded) > 1:
        typer.echo(f"editions in {', '.join(loaded)}: rows carry their language", err=True)


def main() -> None:
    """Entry point for `python -m flows.cli`."""
    app()


if __name__ == "__main__":
    sys.exit(main())
