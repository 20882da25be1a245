"""The nightly run's side of the UN's services (or any server that behaves like them).

Builds the polite client from the environment and the run's parameters, lists the editions
to fetch (reviewed list, people's additions, editions already loaded, Digital Library
discovery, the run's own list), fetches each conditionally into the raw store, and hands
the flow only the bodies that need a parse. Fetching and parsing live in `extractors/`.
"""

from __future__ import annotations

import os
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from extractors.breaker import SKIPPED, CircuitBreaker, host_of, skipped_result
from extractors.errors import BudgetExhausted, CoopWatchError, NotASymbol
from extractors.fetch import FetchResult, FetchState, fetch_document
from extractors.http import ClientConfig, PoliteClient
from extractors.ods import UN_SOURCE_NAMES, endpoints_for
from extractors.rawstore import RawStore
from extractors.sources import DocumentRef, FetchedDocument
from extractors.symbols import split_joint_symbol
from warehouse.fetch_state import FetchKnowledge, RecheckPolicy, first_symbol

if TYPE_CHECKING:
    from extractors.model import Report
    from warehouse.run_summary import RunSummary

# Environment variables that tune the client; run parameters (`http=`) override them.
HTTP_ENVIRONMENT: dict[str, tuple[str, type]] = {
    "COOPWATCH_HTTP_RATE": ("requests_per_second", float),
    "COOPWATCH_HTTP_CONNECT_TIMEOUT": ("connect_timeout", float),
    "COOPWATCH_HTTP_READ_TIMEOUT": ("read_timeout", float),
    "COOPWATCH_HTTP_RETRIES": ("retries", int),
    "COOPWATCH_HTTP_BACKOFF": ("backoff_factor", float),
    "COOPWATCH_HTTP_MAX_BYTES": ("max_body_bytes", int),
    "COOPWATCH_HTTP_PER_HOUR": ("requests_per_hour", int),
    "COOPWATCH_HTTP_PAUSE_EVERY": ("pause_every", int),
    "COOPWATCH_HTTP_PAUSE_SECONDS": ("pause_seconds", float),
    "COOPWATCH_HTTP_JITTER": ("jitter_seconds", float),
    "COOPWATCH_HTTP_DEADLINE": ("request_deadline", float),
    "COOPWATCH_HTTP_CA_BUNDLE": ("ca_bundle", str),
}
CONTACT_VARIABLES: tuple[str, ...] = ("COOPWATCH_CONTACT", "COOPWATCH_MAIL_FROM")
LIBRARY_KEY_VARIABLE = "COOPWATCH_LIBRARY_KEY"
DISCOVERY_SINCE_VARIABLE = "COOPWATCH_DISCOVERY_SINCE"
LOCAL_CONTACT = "coopwatch@localhost"
MAX_CONCURRENT_FETCHES = 4
MAX_PREVIOUS_WAVES = 5  # backward discovery: previous reports of previous reports, bounded


class MissingContact(CoopWatchError):
    """Fetching from the UN's own services needs a contact address for the User-Agent."""


def is_un_source(source: str) -> bool:
    """True when `source` names the UN's own services rather than a mirror or test server."""
    return source.rstrip("/") in UN_SOURCE_NAMES


def resolve_data_dir(db_path: Path, data_dir: str | Path | None = None) -> Path:
    """The data folder holding the raw store: the one given, else the warehouse's folder."""
    return Path(data_dir) if data_dir else Path(db_path).resolve().parent


def client_config(source: str, overrides: Mapping[str, Any] | None = None) -> ClientConfig:
    """Client settings: ClientConfig defaults, then COOPWATCH_HTTP_* variables, then overrides.

    The contact address comes from $COOPWATCH_CONTACT (or $COOPWATCH_MAIL_FROM); the UN's
    services are never asked without one.
    """
    settings: dict[str, Any] = {}
    for variable, (name, convert) in HTTP_ENVIRONMENT.items():
        if os.environ.get(variable):
            try:
                settings[name] = convert(os.environ[variable])
            except ValueError:
                raise CoopWatchError(
                    f"{variable}: {os.environ[variable]!r} is not a valid {name} "
                    f"({convert.__name__})"
                ) from None
    settings.update(overrides or {})
    known = {f.name for f in fields(ClientConfig)}
    unknown = sorted(set(settings) - known)
    if unknown:
        raise CoopWatchError(f"unknown HTTP setting(s) {unknown}: use {sorted(known)}")
    contact = settings.pop("contact", None) or next(
        (os.environ[v] for v in CONTACT_VARIABLES if os.environ.get(v)), None
    )
    if contact is None:
        if is_un_source(source):
            raise MissingContact(
                "set COOPWATCH_CONTACT to an address the UN can reach before fetching from "
                "its services (it goes in the User-Agent)"
            )
        contact = LOCAL_CONTACT
    if not is_un_source(source):
        settings.setdefault("source", source)
    return ClientConfig(contact=contact, **settings)


class RemoteSession:
    """One run's connection to the services: client, raw store and what the warehouse knew.

    A plain class on purpose: Prefect passes it to tasks untouched (it does not walk it).
    """

    def __init__(
        self,
        source: str,
        data_dir: Path,
        config: ClientConfig,
        knowledge: FetchKnowledge,
        *,
        library_key: str | None = None,
        discovery_since: str | None = None,
        breaker: CircuitBreaker | None = None,
        recheck: RecheckPolicy | None = None,
    ) -> None:
        self.source = "un" if is_un_source(source) else source.rstrip("/")
        self.data_dir = data_dir
        self.client = PoliteClient(config)
        self.store = RawStore(data_dir)
        self.knowledge = knowledge
        self.library_key = library_key
        self.discovery_since = discovery_since
        self.breaker = breaker or CircuitBreaker()
        self.recheck = recheck or RecheckPolicy()
        self.documents_host = host_of(endpoints_for(self.source).documents)

    def previous(self, symbol: str, language: str) -> FetchState | None:
        """The state the last accepted fetch of (first symbol, language) left, if any."""
        first = split_joint_symbol(symbol)[0]
        return self.knowledge.states.get((first, language))

    def held(self, symbol: str, language: str) -> bool:
        """True when an earlier run accepted a body for (first symbol, language)."""
        return self.previous(symbol, language) is not None

    def fetch(self, symbol: str, language: str, *, force: bool = False) -> FetchResult:
        """Fetch one document conditionally (unless `force`); never raises for the document.

        Once the host's circuit breaker is open, nothing is asked: the result's outcome is
        `skipped`. A fetch the client refused because a host's hourly budget is spent opens
        the breaker with that reason and is itself `skipped`, never a failed fetch.
        """
        host = self.documents_host
        why_open = self.breaker.reason(host)
        if why_open is not None:
            return skipped_result(first_symbol(symbol), language, why_open)
        result = fetch_document(
            self.client,
            self.store,
            symbol,
            language,
            source=self.source,
            previous=self.previous(symbol, language),
            force=force,
        )
        refusal = self._budget_refusal(result)
        if refusal is not None:
            self.breaker.trip(host, str(refusal))
            return skipped_result(first_symbol(symbol), language, str(refusal))
        self.breaker.record(host, result)
        return result

    def _budget_refusal(self, result: FetchResult) -> BudgetExhausted | None:
        """The budget refusal that made `result` fail, if that is why it failed."""
        if result.outcome != "failed":
            return None
        refusals = self.client.budget_refusals().values()
        return next((refusal for refusal in refusals if str(refusal) == result.reason), None)

    def raw_path(self, sha256: str) -> str:
        """Where a body lives, relative to the data folder (documents.source_path)."""
        return str(self.store.path_for(sha256).relative_to(self.data_dir))

    def close(self) -> None:
        """Release the client's connections."""
        self.client.close()


def open_session(
    source: str,
    db_path: Path,
    data_dir: str | Path | None,
    http: Mapping[str, Any] | None,
    breaker_misses: int | None = None,
) -> RemoteSession:
    """Start a run's session: settings from the environment, knowledge from the warehouse;
    the circuit breaker opens after `breaker_misses` (else $COOPWATCH_BREAKER_MISSES, 20).
    A malformed setting is an error here, before anything is fetched."""
    from extractors.breaker import breaker_misses as resolve_misses
    from warehouse.fetch_state import read_fetch_knowledge, recheck_policy

    return RemoteSession(
        source,
        resolve_data_dir(db_path, data_dir),
        client_config(source, http),
        read_fetch_knowledge(db_path),
        library_key=os.environ.get(LIBRARY_KEY_VARIABLE) or None,
        discovery_since=os.environ.get(DISCOVERY_SINCE_VARIABLE) or None,
        breaker=CircuitBreaker(resolve_misses(breaker_misses)),
        recheck=recheck_policy(),
    )


@dataclass(frozen=True)
class EditionPlan:
    """Which editions a run fetches, which of them discovery found, what it said, every
    edition known (fetched or not), whose symbols are never fetched as cited documents, and
    the editions' companions (corrigenda, addenda: fetched with their edition)."""

    refs: tuple[DocumentRef, ...]
    discovered: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    known: tuple[str, ...] = ()
    previous: tuple[str, ...] = ()
    companions: tuple[str, ...] = ()

    def with_previous(self, refs: tuple[DocumentRef, ...]) -> EditionPlan:
        """The plan grown by previous reports its editions cite (backward discovery)."""
        symbols = tuple(dict.fromkeys("-".join(ref.symbols) for ref in refs))
        return replace(
            self,
            refs=self.refs + refs,
            known=tuple(dict.fromkeys(self.known + symbols)),
            previous=tuple(dict.fromkeys(self.previous + symbols)),
        )


def _by_first_symbol(symbols: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """First symbol -> the fullest joint symbol seen for it, in the order first seen."""
    found: dict[str, tuple[str, ...]] = {}
    for symbol in symbols:
        parts = split_joint_symbol(symbol)
        if len(parts) > len(found.get(parts[0], ())):
            found[parts[0]] = parts
    return found


def plan_editions(
    session: RemoteSession,
    languages: list[str],
    wanted: list[str] | None,
    *,
    discover: bool = True,
) -> EditionPlan:
    """The editions to fetch in each language, oldest first.

    Known editions are the reviewed list, people's additions and the editions already loaded;
    `wanted` keeps only those (and backfills any it names that are not known); discovery adds
    the Digital Library's new editions either way, since a new edition is never unwanted.
    """
    from extractors.discovery import discover_editions
    from extractors.editions import load_companions, load_editions, report_titles, year_of

    known = _by_first_symbol(
        [edition.symbol for edition in load_editions(session.data_dir)]
        + list(session.knowledge.editions)
    )
    if wanted:
        asked = _by_first_symbol(wanted)
        selected = {first: known.get(first, parts) for first, parts in asked.items()}
    else:
        selected = dict(known)
    discovered: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    companions = load_companions(session.data_dir) + session.knowledge.companions
    if discover:
        result = discover_editions(
            session.client,
            session.source,
            titles=list(report_titles().values()),
            known=["-".join(parts) for parts in {**known, **selected}.values()],
            api_key=session.library_key,
            since=session.discovery_since,
        )
        discovered, notes = result.new_symbols, result.messages
        companions += result.companions
        for first, parts in _by_first_symbol(discovered).items():
            selected.setdefault(first, parts)
    joints = sorted(selected.values(), key=lambda parts: (year_of("-".join(parts)) or 0, parts))
    refs = tuple(
        DocumentRef(symbols=parts, language=language, year=year_of("-".join(parts)))
        for parts in joints
        for language in languages
    )
    every = {**known, **selected}
    return EditionPlan(
        refs=refs,
        discovered=discovered,
        notes=notes,
        known=tuple("-".join(parts) for parts in every.values()),
        companions=tuple(dict.fromkeys(companions)),
    )


@task(name="fetch-remote-document", cache_policy=NO_CACHE)
def fetch_remote_document(
    session: RemoteSession, symbol: str, language: str, force: bool
) -> FetchResult:
    """Fetch one document from the source (the client retries transient causes itself)."""
    return session.fetch(symbol, language, force=force)


def in_waves(task: Any, arguments: Iterable[tuple[Any, ...]]) -> list[Any]:
    """Run `task` over argument tuples, at most MAX_CONCURRENT_FETCHES at a time, in order.

    The rate limiter already spaces requests per host; the waves keep the number of open
    connections within the client's pool.
    """
    pending = list(arguments)
    results: list[Any] = []
    for start in range(0, len(pending), MAX_CONCURRENT_FETCHES):
        futures = [task.submit(*args) for args in pending[start : start + MAX_CONCURRENT_FETCHES]]
        results.extend(future.result() for future in futures)
    return results


def fetch_many(
    session: RemoteSession, wanted: Iterable[tuple[str, str]], force: bool
) -> list[FetchResult]:
    """Fetch (symbol, language) pairs concurrently on the flow's task runner, in order."""
    return in_waves(
        fetch_remote_document, ((session, symbol, language, force) for symbol, language in wanted)
    )


def body_for(
    session: RemoteSession, result: FetchResult, fetches: list[FetchResult]
) -> tuple[FetchResult, bytes] | None:
    """The stored body behind a successful fetch; refetched in full when the store lost it.

    The refetch is appended to `fetches` so it is recorded like every other; None when even
    that brings no body.
    """
    if result.sha256 and session.store.has(result.sha256):
        return result, session.store.read(result.sha256)
    again = session.fetch("-".join(result.symbols) or result.symbol, result.language, force=True)
    fetches.append(again)
    if again.outcome == "downloaded" and again.sha256 and session.store.has(again.sha256):
        return again, session.store.read(again.sha256)
    return None


def accept_editions(
    session: RemoteSession,
    refs: tuple[DocumentRef, ...],
    results: list[FetchResult],
    fetches: list[FetchResult],
    loaded: Mapping[tuple[str, str], tuple[str, str]],
    force: bool,
    summary: RunSummary,
) -> list[FetchedDocument]:
    """Turn edition fetches into the documents to parse.

    A body whose hash and parser version are already loaded is skipped without being read.
    An edition CoopWatch already holds that the server now calls absent is a suspect
    absence: kept as loaded, noted, retried next run, never a failure; one the open circuit
    breaker did not ask for is noted the same way. Other absent or failed editions fail.
    """
    from extractors.report import PARSER_VERSION

    to_parse = []
    for ref, result in zip(refs, results, strict=True):
        key = (ref.symbol, ref.language)
        held = key in loaded or session.held(ref.symbol, ref.language)
        if result.outcome == SKIPPED or (result.outcome == "absent" and held):
            _note_not_fetched(ref, result, loaded.get(key, (None, None))[0], held, summary)
            continue
        if result.outcome in ("absent", "failed"):
            summary.count(result.outcome)
            summary.see(ref.symbol, ref.language, result.sha256, result.outcome)
            summary.failures.append(result.error or f"{ref.symbol} ({ref.language}): failed")
            continue
        summary.count(result.outcome)
        if not force and loaded.get(key) == (result.sha256, PARSER_VERSION):
            summary.count("unchanged")
            summary.see(ref.symbol, ref.language, result.sha256, "unchanged")
            continue
        found = body_for(session, result, fetches)
        if found is None:
            summary.count("failed")
            summary.see(ref.symbol, ref.language, result.sha256, "failed")
            summary.failures.append(
                f"{ref.symbol} [{ref.language}]: the raw store lost the body and refetching failed"
            )
            continue
        final, body = found
        assert final.sha256 is not None
        summary.see(ref.symbol, ref.language, final.sha256, "fetched")
        to_parse.append(
            FetchedDocument(
                ref=ref,
                data=body,
                sha256=final.sha256,
                source_url=final.final_url or final.url,
                source_path=session.raw_path(final.sha256),
            )
        )
    return to_parse


def _note_not_fetched(
    ref: DocumentRef, result: FetchResult, sha256: str | None, held: bool, summary: RunSummary
) -> None:
    """Count and explain an edition kept as it was (`sha256`: the bytes loaded, if any): a
    suspect absence or a fetch the open circuit breaker skipped."""
    if result.outcome == SKIPPED:
        summary.count("skipped")
        summary.see(ref.symbol, ref.language, sha256, "skipped")
        state = "kept as loaded" if held else "not loaded yet"
        summary.notes.append(f"{ref.symbol} ({ref.language}): {result.reason}; {state}")
        return
    summary.count("suspect")
    summary.see(ref.symbol, ref.language, sha256, "suspect_absence")
    summary.notes.append(
        f"{ref.symbol} ({ref.language}): suspect absence, the server now answers "
        f"{result.reason}; kept as loaded, retried next run"
    )


def remember_discovered(session: RemoteSession, symbols: Iterable[str]) -> None:
    """Keep editions found by discovery in the data folder's list, so rebuilds know them."""
    from extractors.editions import add_edition

    for symbol in symbols:
        add_edition(symbol, data_dir=session.data_dir)


def previous_refs(
    reports: Iterable[Report],
    planned: Iterable[DocumentRef],
    loaded: Container[tuple[str, str]],
) -> tuple[DocumentRef, ...]:
    """The previous reports `reports` cite that the run neither plans nor already holds, in
    each citing report's language: backward discovery's next wave, oldest first."""
    from extractors.editions import year_of

    taken = {(ref.symbol, ref.language) for ref in planned}
    found: dict[tuple[str, str], DocumentRef] = {}
    for report in reports:
        if not report.previous_report or report.language is None:
            continue
        try:
            parts = split_joint_symbol("-".join(report.previous_report))
        except NotASymbol:
            continue
        key = (parts[0], report.language)
        if key in taken or key in loaded or key in found:
            continue
        found[key] = DocumentRef(parts, report.language, year_of("-".join(parts)))
    return tuple(sorted(found.values(), key=lambda ref: (ref.year or 0, ref.symbols)))


def split_missing_previous(
    refs: tuple[DocumentRef, ...], results: list[FetchResult], summary: RunSummary
) -> tuple[tuple[DocumentRef, ...], list[FetchResult]]:
    """Keep the previous reports the server gave (or skipped); an absent or failed one is a
    note and a row in `fetches`, never a failure nor a manifest document, since no one
    asked for it by name."""
    kept: list[tuple[DocumentRef, FetchResult]] = []
    for ref, result in zip(refs, results, strict=True):
        if result.outcome in ("absent", "failed"):
            summary.count(f"previous_{result.outcome}")
            summary.notes.append(
                f"previous report {'-'.join(ref.symbols)} ({ref.language}) "
                f"{result.outcome}: {result.reason}"
            )
        else:
            kept.append((ref, result))
    return tuple(ref for ref, _ in kept), [result for _, result in kept]
