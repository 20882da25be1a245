"""The `coopwatch` command line: thin wrappers over the flow, the parsers and the warehouse.

Errors from inside become one clear line on stderr and a non-zero exit.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from extractors.errors import CoopWatchError
from flows.settings import (
    configure_prefect,
    default_db_path,
    default_outbox_dir,
    default_reports_dir,
)

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
editions_app = typer.Typer(no_args_is_help=True, help="The known editions of the report series.")
app.add_typer(editions_app, name="editions")

F = TypeVar("F", bound=Callable[..., Any])

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


def _data_dir(data_dir: Path | None, db: Path) -> Path:
    """The data folder: the option, else $COOPWATCH_DATA, else the warehouse's folder."""
    from flows.remote import resolve_data_dir

    return resolve_data_dir(db, data_dir or os.environ.get("COOPWATCH_DATA"))


def reports_errors(command: F) -> F:
    """Turn CoopWatch errors into `coopwatch: error: …` and exit status 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CoopWatchError as error:
            typer.echo(f"coopwatch: error: {error}", err=True)
            raise typer.Exit(1) from None

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
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = True,
) -> None:
    """Print the parsed document; touches no database."""
    from flows.documents import parse_document_file

    document = parse_document_file(file, symbol=symbol, language=lang)
    data = document.to_dict()
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        typer.echo(_parse_summary(data))


def _parse_summary(data: dict[str, Any]) -> str:
    lines = [
        f"{' / '.join(data.get('symbols') or [data.get('symbol') or '?'])} ({data.get('language')})"
    ]
    for section in data.get("sections", []):
        lines.append(
            f"  {section['first_paragraph'] or '-':>4}–{section['last_paragraph'] or '-':<4} "
            f"{section['paragraph_count']:>3} ¶  {section['heading']}"
        )
    return "\n".join(lines)


@app.command()
@reports_errors
def run(
    source: Annotated[
        str,
        typer.Option(
            help="'bundled' (the shipped editions), 'un' (the UN's services) "
            "or the base URL of a server like them"
        ),
    ] = "bundled",
    db: DbOption = None,
    data_dir: DataDirOption = None,
    lang: Annotated[list[str] | None, typer.Option("--lang", help="Language(s) to fetch")] = None,
    editions: Annotated[
        str | None, typer.Option(help="Comma list of edition symbols to backfill")
    ] = None,
    outbox: Annotated[
        Path | None,
        typer.Option(help="Folder for .eml files [default: $COOPWATCH_OUTBOX or outbox/]"),
    ] = None,
    task_runner: Annotated[
        str, typer.Option("--task-runner", help="'default' or 'dask'")
    ] = "default",
    dask_address: Annotated[
        str | None, typer.Option(help="Existing Dask scheduler address")
    ] = None,
    smtp_block: Annotated[
        str | None, typer.Option(help="Name of a prefect-email EmailServerCredentials block")
    ] = None,
    force: Annotated[bool, typer.Option(help="Refetch and reparse everything")] = False,
    discover: Annotated[
        bool, typer.Option(help="Ask the Digital Library for editions not yet known")
    ] = True,
    cited: Annotated[bool, typer.Option(help="Fetch and load the documents editions cite")] = True,
) -> None:
    """Run the nightly flow: fetch, parse, load, diff, notify.

    The HTTP client reads $COOPWATCH_CONTACT (required for the UN's services) and
    $COOPWATCH_HTTP_RATE, _CONNECT_TIMEOUT, _READ_TIMEOUT, _RETRIES, _BACKOFF, _MAX_BYTES.
    """
    configure_prefect()
    from flows.nightly import run_nightly

    db_path = db or default_db_path()
    report = run_nightly(
        source=source,
        languages=lang or ["fr"],
        db_path=str(db_path),
        data_dir=str(_data_dir(data_dir, db_path)),
        discover=discover,
        fetch_cited=cited,
        outbox_dir=str(outbox or default_outbox_dir()),
        reports_dir=str(default_reports_dir()),
        editions=[e.strip() for e in editions.split(",") if e.strip()] if editions else None,
        task_runner=task_runner,
        dask_address=dask_address,
        smtp_block=smtp_block,
        force=force,
    )
    typer.echo(report)


@app.command()
@reports_errors
def ingest(
    file: Annotated[Path, typer.Argument(help="A local report file to load as an edition")],
    symbol: Annotated[str, typer.Option(help="The edition's symbol(s), e.g. A/77/277-S/2022/606")],
    lang: Annotated[str, typer.Option("--lang")] = "fr",
    db: DbOption = None,
) -> None:
    """Load a local document as an edition (parsed first: nothing is written if it fails)."""
    from flows.ingest import ingest_file

    outcome = ingest_file(file, symbol=symbol, language=lang, db_path=db or default_db_path())
    typer.echo(outcome)


@app.command()
@reports_errors
def rebuild(db: DbOption = None, data_dir: DataDirOption = None) -> None:
    """Rebuild the warehouse offline from the raw store (every kept body parsed again)."""
    from flows.rebuild import rebuild_warehouse

    db_path = db or default_db_path()
    summary = rebuild_warehouse(db_path, _data_dir(data_dir, db_path))
    typer.echo(summary.render(db_path))


@editions_app.command("add")
@reports_errors
def editions_add(
    symbol: Annotated[str, typer.Argument(help="Edition symbol, e.g. A/81/150-S/2026/512")],
    year: Annotated[int | None, typer.Option(help="Publication year, if not in the symbol")] = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Add an edition someone knows of; the next run fetches, loads and diffs it."""
    from extractors.editions import add_edition

    folder = _data_dir(data_dir, db or default_db_path())
    edition = add_edition(symbol, data_dir=folder, year=year)
    typer.echo(f"{edition.symbol} ({edition.year or 'year unknown'}, {edition.origin})")


@editions_app.command("list")
@reports_errors
def editions_list(db: DbOption = None, data_dir: DataDirOption = None) -> None:
    """List the known editions: the reviewed list and the ones added in the data folder."""
    from extractors.editions import load_editions

    for edition in load_editions(_data_dir(data_dir, db or default_db_path())):
        typer.echo(f"{edition.symbol}\t{edition.year or '-'}\t{edition.origin}")


@app.command()
@reports_errors
def diff(
    old: Annotated[str, typer.Argument(help="Older edition symbol, e.g. A/73/328")],
    new: Annotated[str, typer.Argument(help="Newer edition symbol, e.g. A/77/277")],
    db: DbOption = None,
    lang: Annotated[str, typer.Option("--lang")] = "fr",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Print the changes between two loaded editions."""
    from flows.queries import diff_loaded_editions
    from warehouse.diff_format import diff_to_json, format_diff_table

    result = diff_loaded_editions(db or default_db_path(), old, new, language=lang)
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
    from flows.queries import data_dictionary_text

    typer.echo(data_dictionary_text(db, markdown=markdown))


@app.command()
@reports_errors
def export(
    parquet: Annotated[
        Path, typer.Option("--parquet", help="Folder to write one Parquet file per table and view")
    ],
    db: DbOption = None,
) -> None:
    """Export every table and view as Parquet."""
    from flows.queries import export_warehouse

    for path in export_warehouse(db or default_db_path(), parquet):
        typer.echo(str(path))


def main() -> None:
    """Entry point for `python -m flows.cli`."""
    app()


if __name__ == "__main__":
    sys.exit(main())
