"""The nightly flow: discover -> fetch -> parse -> load -> diff -> notify.

Only composition lives here; parsing is in `extractors/`, SQL in `warehouse/`,
messages in `notify/`. The warehouse is built in a staging copy and swapped into
place only when everything succeeded, under a lock so two runs never overlap.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from common.errors import CoopWatchError, DocumentError
from common.redaction import redact_secrets
from extractors.derive import DerivedReport
from extractors.documents import parse_document
from extractors.fetch.circuit_breaker import SKIPPED
from extractors.fetch.circuit_breaker import breaker_misses as resolve_breaker_misses
from extractors.fetch.cited_targets import CitedDocument, cited_targets
from extractors.fetch.fetch_document import FetchResult
from extractors.fetch.request_deadline import stop_requests_in_flight
from extractors.fetch.sources import DocumentRef, FetchedDocument, bundled_documents, read_bundled
from flows.cited_tasks import gather_cited
from flows.fetch_tasks import fetch_companions, fetch_many
from flows.notify_tasks import queue_planned_digests, send_digests, write_change_reports
from flows.run_artifact import RunArtifact
from flows.write_tasks import diff_changes, load_documents, record_run
from notify.delivery import SendReport
from notify.mailing import Mailing
from notify.run_record import RunRecord
from pipeline.edition_planning import (
    MAX_PREVIOUS_WAVES,
    EditionPlan,
    citing_editions,
    plan_editions,
    previous_refs,
    remember_cited_editions,
    remember_loaded_discoveries,
)
from pipeline.fetch_acceptance import (
    accept_editions,
    keep_parsed,
    select_changed,
    split_missing_previous,
)
from pipeline.fetch_session import BUNDLED_SOURCE, RemoteSession, note_open_breakers, run_session
from pipeline.run_settings import RunSettings, calendar_for
from pipeline.settings_check import flow_places, refuse_bad_run
from warehouse.db.loaded_states import LoadedStates
from warehouse.db.publish import RunAccess, run_access
from warehouse.db.run_lock import run_lock
from warehouse.db.schema import utc_now
from warehouse.load.companion_rows import CompanionDocument
from warehouse.runs.outbox import pending
from warehouse.runs.run_account import Parsed, RunSummary


@task(name="discover-documents")
def discover_documents(
    languages: list[str], editions: list[str] | None, corpus_dir: str | None = None
) -> list[DocumentRef]:
    """List the bundled documents this run should hold (from `corpus_dir` when given)."""
    return bundled_documents(languages, editions, Path(corpus_dir) if corpus_dir else None)


Item = TypeVar("Item")
Result = TypeVar("Result")
Failure = TypeVar("Failure", bound=Exception)


def each_or_its_error(
    function: Callable[[Item], Result], items: Iterable[Item], errors: type[Failure]
) -> list[Result | Failure]:
    """`function` on each item, in order, each on its own: one that raises `errors` comes
    back as its error and the others still run."""
    results: list[Result | Failure] = []
    for item in items:
        try:
            results.append(function(item))
        except errors as error:
            results.append(error)
    return results


@task(name="read-documents")
def read_documents(refs: list[DocumentRef]) -> list[FetchedDocument | CoopWatchError]:
    """Read the bundled documents' bytes, each on its own: one that cannot be read comes back
    as its error and the others are read. One task for all: a local read takes a fraction of
    a millisecond, a task run some 6 ms of Prefect's bookkeeping (12 ms in a thread)."""
    return each_or_its_error(read_bundled, refs, CoopWatchError)


@task(name="plan-editions", cache_policy=NO_CACHE)
def plan_remote_editions(
    session: RemoteSession, languages: list[str], editions: list[str] | None, discover: bool
) -> EditionPlan:
    """List the editions to fetch: known, asked for, and discovered in the Digital Library."""
    return plan_editions(session, languages, editions, discover=discover)


# Documents per parse task at most: a task run costs 50 ms (threads) to 175 ms (a Dask
# worker) of Prefect bookkeeping, as much as parsing a document or more, so a 200-document
# backfill parses in 8 task runs; a small run still spreads over 4 (bench/RESULTS.md).
PARSE_BATCH = 25


@task(name="parse-batch", cache_policy=NO_CACHE)
def parse_batch(documents: list[FetchedDocument]) -> list[DerivedReport | DocumentError]:
    """Derive a batch of documents, each on its own: a document that cannot be parsed comes
    back as its error and the others are still parsed (no retries: a parse error is not
    transient)."""
    return each_or_its_error(parse_document, documents, DocumentError)


@flow(name="coopwatch-nightly", log_prints=True)
def nightly(
    source: str = "bundled",
    languages: list[str] | None = None,
    db_path: str = "data/coopwatch.duckdb",
    outbox_dir: str = "outbox",
    reports_dir: str = "reports",
    recipients: list[str] | None = None,
    editions: list[str] | None = None,
    task_runner: str = "default",
    dask_address: str | None = None,
    smtp_block: str | None = None,
    force: bool = False,
    data_dir: str | None = None,
    http: dict[str, Any] | None = None,
    discover: bool = True,
    fetch_cited: bool = True,
    subscriptions: str | None = None,
    calendar: str | None = None,
    breaker_misses: int | None = None,
    corpus_dir: str | None = None,
    settings: RunSettings | None = None,
) -> dict[str, Any]:
    """Bring the warehouse up to date with the report series and mail what changed.

    `source` is 'bundled' (the shipped editions), 'un' (the UN's services) or the base URL
    of a server like them; the raw store lives in `data_dir` (default: the warehouse's
    folder) and `http` overrides the client's settings (see extractors.fetch.http_settings.client_config).
    `subscriptions` and `calendar` name the settings files (else $COOPWATCH_SUBSCRIPTIONS,
    $COOPWATCH_CALENDAR), read before any work so a malformed one stops the run at once;
    `breaker_misses` is K for the per-host circuit breaker (else $COOPWATCH_BREAKER_MISSES).
    `settings` is what those files say when the caller has read them already (the CLI
    does, to refuse a malformed one before Prefect starts), so a run reads them once.
    A failing document is recorded and skipped; the run does all the work it can,
    writes its manifest, records itself, and fails at the end if an edition failed.

    Returns the run's id, counts and report, and `emails_pending`: the emails its outbox
    still holds to send, which the CLI's exit code follows.
    """
    called = dict(locals())
    return _run_locked(called, _start(called))


@dataclass(frozen=True)
class _Start:
    """What a run holds once its settings are checked: its record, the mailing, the parser,
    the artifact and the warehouse file."""

    run: RunRecord
    mail: Mailing
    parse: Parser
    artifact: RunArtifact
    db: Path


def _start(called: dict[str, Any]) -> _Start:
    """Check every setting before any work (a bad one stops the run here), begin the run's
    record and make the warehouse's folder; `called` holds the flow's parameters."""
    settings = refuse_bad_run(
        flow_places(
            called["db_path"],
            called["data_dir"],
            called["outbox_dir"],
            called["reports_dir"],
            called["source"],
            called["corpus_dir"],
        ),
        source=called["source"],
        subscriptions=called["subscriptions"],
        calendar=called["calendar"],
        misses=called["breaker_misses"],
        http=called["http"],
        settings=called["settings"],
    )
    run = _begin(called, settings)
    mail = Mailing(called["recipients"], settings.subscriptions, Path(called["reports_dir"]))
    parse = Parser(called["task_runner"], called["dask_address"])
    artifact = RunArtifact(called["source"])
    db = Path(called["db_path"])
    db.parent.mkdir(parents=True, exist_ok=True)
    return _Start(run, mail, parse, artifact, db)


def _run_locked(called: dict[str, Any], start: _Start) -> dict[str, Any]:
    """Gather and write under the run lock, record the run however it ends, publish its
    artifact and return its outcome (or fail when anything failed)."""
    run, mail, parse, artifact, db = start.run, start.mail, start.parse, start.artifact, start.db
    languages, misses = run.parameters["languages"], run.parameters["breaker_misses"]
    source, data_dir, http = called["source"], called["data_dir"], called["http"]
    summary = RunSummary(run_id=run.run_id)
    fetches: list[FetchResult] = []
    emails_pending = 0
    with run_lock(db), run_access(db, hold=source == BUNDLED_SOURCE) as access:
        recorded = False
        session: RemoteSession | None = None
        try:
            with run_session(source, db, data_dir, http, misses) as session:
                gathered = _gather(
                    session, access, called, languages=languages, parse=parse, fetches=fetches
                )
                summary = summary.plus(gathered.account)
                summary, emails_pending = write_run(
                    access, run, gathered, mail, summary, fetches, artifact
                )
                recorded = True
                if session is not None and gathered.plan is not None:
                    summary = summary.plus(
                        remember_loaded_discoveries(session, gathered.plan, gathered.parsed)
                    )
        except Exception as failure:  # recorded, alerted and re-raised below
            run = run.failed_with(failure)
            # However far it got, say which hosts the breaker stopped asking.
            breakers = note_open_breakers(session, summary.open_breakers)
            summary = summary.plus(breakers).with_failure(str(run.error))
        except BaseException as stop:  # SIGTERM (Prefect's TerminationSignal) or Ctrl-C
            # Cut the fetches in flight so their threads end now, record the run as stopped
            # (its write, if any, rolled back), then let the stop go on.
            stop_requests_in_flight()
            run = run.failed_with(RunStopped(f"the run was stopped ({type(stop).__name__})"))
            summary = summary.with_failure(str(run.error))
            if not recorded:
                record_failed_run(access, run, summary, fetches)
            raise
        if not recorded:
            summary = record_failed_run(access, run, summary, fetches)
        artifact.publish(summary, _status(summary))
    return _outcome(run, summary, emails_pending)


def _gather(
    session: RemoteSession | None,
    access: RunAccess,
    called: dict[str, Any],
    *,
    languages: list[str],
    parse: Parser,
    fetches: list[FetchResult],
) -> Gathered:
    """Gather the run's editions: the shipped ones without a remote session, else those the
    remote services give; `called` holds the flow's parameters as it was called."""
    if session is None:
        return gather_bundled(
            access, languages, called["editions"], called["corpus_dir"], called["force"], parse
        )
    return gather_remote(
        session,
        access,
        languages,
        called["editions"],
        called["discover"],
        called["fetch_cited"],
        called["force"],
        parse,
        fetches,
    )


def _outcome(run: RunRecord, summary: RunSummary, emails_pending: int) -> dict[str, Any]:
    """Log the run's summary, fail when anything failed, else return its id, counts, report
    and the emails still pending."""
    get_run_logger().info(summary.render())
    if summary.failures:
        raise RunFailed(
            redact_secrets(
                f"run {run.run_id} finished with {len(summary.failures)} failure(s): "
                + "; ".join(summary.failures)
            )
        )
    return {
        "run_id": run.run_id,
        "counts": summary.counts,
        "report": summary.render(),
        "emails_pending": emails_pending,
    }


# The flow's parameters a run keeps in `runs.parameters` (paths and secrets' names aside).
RECORDED_PARAMETERS = (
    "source",
    "editions",
    "recipients",
    "task_runner",
    "force",
    "discover",
    "fetch_cited",
    "corpus_dir",
    "data_dir",
    "http",
)


def _begin(called: dict[str, Any], settings: RunSettings) -> RunRecord:
    """The run's record as it starts: the parameters it keeps, with the languages, settings
    files and breaker limit resolved (a malformed limit stops the run here)."""
    parameters = {name: called[name] for name in RECORDED_PARAMETERS}
    parameters.update(
        languages=called["languages"] or ["fr"],
        subscriptions=settings.subscriptions_path,
        calendar=settings.calendar_path,
        breaker_misses=resolve_breaker_misses(called["breaker_misses"]),
    )
    return RunRecord(
        run_id=_run_id(),
        parameters=parameters,
        started_at=utc_now(),
        status="completed",
        error=None,
        outbox_dir=Path(called["outbox_dir"]),
        smtp_block=called["smtp_block"],
        calendar_settings=calendar_for(called["source"], settings),
    )


@dataclass
class Gathered:
    """What a run brings to its write: parsed editions, cited documents, companions, and
    the plan of a run on a remote source."""

    parsed: list[Parsed] = field(default_factory=list)
    cited: list[CitedDocument] = field(default_factory=list)
    companions: list[CompanionDocument] = field(default_factory=list)
    plan: EditionPlan | None = None
    account: RunSummary = field(default_factory=RunSummary)

    @property
    def loads_documents(self) -> bool:
        """Whether the write stores anything but the run's own record."""
        return bool(self.parsed or self.cited or self.companions)


@dataclass(frozen=True)
class Parser:
    """Parses a run's documents on the task runner it asked for."""

    task_runner: str
    dask_address: str | None

    def __call__(self, documents: list[FetchedDocument]) -> tuple[list[Parsed], RunSummary]:
        """The parses, with the account of what was parsed and what failed."""
        return parse_documents(documents, self.task_runner, self.dask_address)


def gather_bundled(
    access: RunAccess,
    languages: list[str],
    editions: list[str] | None,
    corpus_dir: str | None,
    force: bool,
    parse: Parser,
) -> Gathered:
    """Read the bundled documents and parse those whose bytes or parser version changed."""
    refs = discover_documents(languages, editions, corpus_dir)
    fetched, reading = _fetch_all(refs)
    changed, selecting = select_changed(fetched, access.states(), force)
    if changed:
        access.release()  # parsing takes seconds: readers may open the file meanwhile
    parsed, parsing = parse(changed)
    return Gathered(parsed=parsed, account=reading.plus(selecting, parsing))


def gather_remote(
    session: RemoteSession,
    access: RunAccess,
    languages: list[str],
    editions: list[str] | None,
    discover: bool,
    fetch_cited: bool,
    force: bool,
    parse: Parser,
    fetches: list[FetchResult],
) -> Gathered:
    """Plan the editions, fetch them and their companions conditionally, parse the changed
    ones, follow the previous reports they cite, then fetch what they cite, and say which
    hosts the breaker stopped asking. `fetches` collects every answer, so a run that fails
    half-way still records what it asked."""
    states = access.states()
    plan = plan_remote_editions(session, languages, editions, discover)
    changed, fetching = _fetch_editions(session, plan, states, force, fetches)
    companions, accompanying = _fetch_companions(session, plan, states, force, fetches)
    parsed, parsing = parse(changed)
    plan, parsed, previous = _fetch_previous_reports(
        session, plan, parsed, states, force, parse, fetches
    )
    cited, citing = (
        _fetch_cited(session, plan, parsed, states, force, fetches)
        if fetch_cited
        else ([], RunSummary())
    )
    account = RunSummary(notes=plan.notes).plus(
        fetching,
        accompanying,
        parsing,
        previous,
        citing,
        note_open_breakers(session),  # before the write, so the manifest names them
    )
    return Gathered(parsed, cited, companions, plan, account)


def write_run(
    access: RunAccess,
    run: RunRecord,
    gathered: Gathered,
    mail: Mailing,
    summary: RunSummary,
    fetches: list[FetchResult],
    artifact: RunArtifact,
) -> tuple[RunSummary, int]:
    """The run's one write: a staged copy when it loads documents, else a transaction on the
    warehouse itself (a night that loads nothing copies nothing). Load, diff, report and
    queue, send, and record the run, one task each. The run's artifact is published while
    the write goes on: from its start on a quiet night with nothing to send, whose account
    is known by then, else once the digests are sent. Returns the run's account with what
    the write did, and how many emails the outbox still holds to send."""
    with access.written(copy=gathered.loads_documents) as con:
        if gathered.loads_documents:
            summary = summary.plus(_load_and_mail(con, run.run_id, gathered, mail))
        elif not pending(con):
            quiet = summary.with_email_status(SendReport().status)
            artifact.publish_ahead(quiet, _status(summary))
        summary = summary.with_email_status(send_digests(con, run.outbox_dir, run.smtp_block))
        artifact.publish_ahead(summary, _status(summary))
        record_run(con, run.ended(summary), quote(summary), quote(fetches))
        return summary, len(pending(con))


def record_failed_run(
    access: RunAccess, run: RunRecord, summary: RunSummary, fetches: list[FetchResult]
) -> RunSummary:
    """Record a run whose write never happened, in a transaction of its own; returns the
    run's account, with a failure more when even that could not be written."""
    try:
        with access.written(copy=False) as con:
            record_run(con, run.ended(summary), quote(summary), quote(fetches))
    except Exception as failure:  # the run's own record must not hide its outcome
        return summary.with_failure(f"recording the run failed: {failure}")
    return summary


def _load_and_mail(con: Any, run_id: str, gathered: Gathered, mail: Mailing) -> RunSummary:
    """Load, diff, report and queue, one task each; returns what they did, folded."""
    # quote(): Prefect would otherwise walk every paragraph of every parsed edition looking
    # for futures (a quarter of a 200-document run).
    loaded = load_documents(
        con, run_id, quote(gathered.parsed), quote(gathered.cited), quote(gathered.companions)
    )
    compared = diff_changes(con, run_id, quote(loaded))
    account = loaded.account.plus(compared.account)
    if compared.to_mail:
        planned = write_change_reports(con, quote(compared.to_mail), mail)
        queued = queue_planned_digests(con, quote(planned), run_id)
        if queued:
            account = account.with_count("digests_queued", queued)
    return account


def _status(summary: RunSummary) -> str:
    """How the run ends as its summary stands: failed when anything failed."""
    return "failed" if summary.failures else "completed"


class RunFailed(CoopWatchError):
    """A run finished all the work it could, but something failed."""


class RunStopped(CoopWatchError):
    """A run was stopped from outside (SIGTERM, Ctrl-C) before it finished."""


def _fetch_all(refs: list[DocumentRef]) -> tuple[list[FetchedDocument], RunSummary]:
    """Read the bundled documents, with the account counting each; a failure is noted and
    the others go on."""
    fetched = []
    account = RunSummary()
    for ref, result in zip(refs, read_documents(refs), strict=True):
        if isinstance(result, CoopWatchError):
            account = (
                account.with_failure(f"{ref.symbol} ({ref.language}): {result}")
                .with_count("failed")
                .with_document(ref.symbol, ref.language, None, "failed")
            )
        else:
            account = account.with_count("fetched")
            fetched.append(result)
    return fetched, account


def _fetch_editions(
    session: RemoteSession,
    plan: EditionPlan,
    states: LoadedStates,
    force: bool,
    fetches: list[FetchResult],
) -> tuple[list[FetchedDocument], RunSummary]:
    """Fetch every planned edition conditionally; return those whose body needs a parse."""
    results = fetch_many(
        session, (("-".join(ref.symbols), ref.language) for ref in plan.refs), force
    )
    fetches.extend(result for result in results if result.outcome != SKIPPED)
    return accept_editions(session, plan.refs, results, fetches, states, force)


def _fetch_companions(
    session: RemoteSession,
    plan: EditionPlan,
    states: LoadedStates,
    force: bool,
    fetches: list[FetchResult],
) -> tuple[list[CompanionDocument], RunSummary]:
    """Fetch the corrigenda and addenda of the planned editions, with their edition."""
    if not plan.companions:
        return [], RunSummary()
    return fetch_companions(session, plan.companions, plan.refs, fetches, states, force)


def _fetch_previous_reports(
    session: RemoteSession,
    plan: EditionPlan,
    parsed: list[Parsed],
    states: LoadedStates,
    force: bool,
    parse: Parser,
    fetches: list[FetchResult],
) -> tuple[EditionPlan, list[Parsed], RunSummary]:
    """Backward discovery: fetch and parse the previous report each parsed edition cites when
    the run neither planned nor holds it, wave after wave (at most MAX_PREVIOUS_WAVES), so it
    is loaded and diffed in this run. Returns the grown plan, every parse and the account of
    the waves."""
    account = RunSummary()
    wave = [item.report for item in parsed]
    for _ in range(MAX_PREVIOUS_WAVES):
        refs = previous_refs(wave, plan.refs, states)
        if not refs:
            break
        plan = plan.with_previous(refs)
        results = fetch_many(session, (("-".join(r.symbols), r.language) for r in refs), force)
        fetches.extend(result for result in results if result.outcome != SKIPPED)
        kept, kept_results, missing = split_missing_previous(refs, results)
        documents, accepting = accept_editions(session, kept, kept_results, fetches, states, force)
        found, parsing = parse(documents)
        account = account.plus(missing, accepting, parsing)
        parsed = parsed + found
        wave = [item.report for item in found]
    return plan, parsed, account


def _fetch_cited(
    session: RemoteSession,
    plan: EditionPlan,
    parsed: list[Parsed],
    states: LoadedStates,
    force: bool,
    fetches: list[FetchResult],
) -> tuple[list[CitedDocument], RunSummary]:
    """Fetch and parse what the run's editions cite: fresh parses, else the loaded citations;
    an unknown edition a cooperation resolution cites is added to the editions."""
    targets = cited_targets(citing_editions(session, plan, parsed), plan.known)
    documents, gathering = gather_cited(session, targets, fetches, states, force)
    return documents, gathering.plus(remember_cited_editions(session, documents, plan.known))


def parse_all(
    documents: list[FetchedDocument], runner: TaskRunner
) -> list[DerivedReport | Exception]:
    """Parse documents in parallel batches on `runner`; errors come back as values, in the
    order of `documents`.

    Not a subflow: a subflow's arguments and result go through the Prefect API, which
    refuses parameters above 512 KB and events above 1.5 MB (a handful of editions).
    """
    size = max(1, min(PARSE_BATCH, math.ceil(len(documents) / 4)))
    batches = [documents[start : start + size] for start in range(0, len(documents), size)]
    with runner:
        futures = [runner.submit(parse_batch, {"documents": batch}) for batch in batches]
        return [result for future in futures for result in future.result()]


def parse_documents(
    documents: list[FetchedDocument],
    task_runner: str,
    dask_address: str | None,
) -> tuple[list[Parsed], RunSummary]:
    """Parse on the chosen task runner, with the account; one bad document never stops the
    rest."""
    if not documents:
        return [], RunSummary()
    # Parsing is pure Python, so threads only take turns: on 200 documents one worker thread
    # parsed in 14 s, two in 16.5 s (bench/RESULTS.md). Parallel parsing is the Dask runner's.
    runner: TaskRunner = ThreadPoolTaskRunner(max_workers=1)
    if task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        runner = (
            DaskTaskRunner(address=dask_address)
            if dask_address
            else DaskTaskRunner(
                cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True}
            )
        )
    elif task_runner != "default":
        raise CoopWatchError(f"unknown task runner {task_runner!r}: use 'default' or 'dask'")
    return keep_parsed(documents, parse_all(documents, runner))


def _run_id() -> str:
    try:
        return str(get_run_context().flow_run.id)  # type: ignore[union-attr]
    except Exception:
        return uuid.uuid4().hex


@dataclass(frozen=True)
class RunOutcome:
    """What the CLI needs of a finished run: its account to print, and the emails its outbox
    still holds (the exit code follows it, without reopening the warehouse)."""

    run_id: str
    report: str
    emails_pending: int


def run_nightly(**parameters: Any) -> RunOutcome:
    """Run the flow locally (the CLI's `coopwatch run`) and return what it says of the run."""
    returned = nightly(**parameters)
    return RunOutcome(returned["run_id"], returned["report"], returned["emails_pending"])
